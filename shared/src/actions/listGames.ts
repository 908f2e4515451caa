// listGames: the newest dispute games (or a window of ids), newest first, without their moves.

import type { Address } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { type Game, getGame } from "./getGame.ts";
import { idWindow } from "./idWindow.ts";

export type ListGamesParameters = { disputeGame: Address; limit?: number; beforeId?: bigint };
export type ListGamesReturnType = Game[];
export type ListGamesErrorType = Error;

export async function listGames(clients: ReadClients, p: ListGamesParameters): Promise<ListGamesReturnType> {
  const count = await clients.publicClient.readContract({
    address: p.disputeGame,
    abi: disputeGameAbi,
    functionName: "gameCount",
  });
  return Promise.all(
    idWindow(count, p).map((gameId) => getGame(clients, { disputeGame: p.disputeGame, gameId })),
  );
}

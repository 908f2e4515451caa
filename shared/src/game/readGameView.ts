// Reads what the solver needs about one game from the Verdict contract:
// getGame (segment, hashes, status), gameTurn (mover and its time left), K,
// and for the pick turn the interior hashes of the current dissection from its
// Dissected event, checked against the stored commitment.

import {
  type Abi,
  type Address,
  type Chain,
  encodePacked,
  type Hex,
  keccak256,
  type PublicClient,
  type Transport,
} from "viem";
import { log2Of } from "./position.ts";
import { GAME_STATUSES, type GameView, TURNS } from "./types.ts";

/** The fields of the Solidity `Game` record the daemons use. */
export type GameRecord = {
  challenger: Address;
  proposalId: bigint;
  status: number;
  startHash: Hex;
  endHash: Hex;
  interiorCommit: Hex;
  clock: bigint;
  /** Time left to the side not on move. Unit: seconds. */
  idle: bigint;
  position: bigint;
  verifier: Address;
  bond: bigint;
  jobId: bigint;
  burnBps: number;
};

export type ReadGameViewParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  abi: Abi;
  gameId: bigint;
  /** Block to search Dissected events from (the daemon's start block). */
  fromBlock?: bigint;
  /** K of the deployment, if already known (saves a call). */
  k?: bigint;
};

export type ReadGameViewReturnType = { view: GameView; record: GameRecord };

export async function readGameView(p: ReadGameViewParameters): Promise<ReadGameViewReturnType> {
  const { publicClient, verdict, abi, gameId } = p;
  // Every read at one block: reads spread over two blocks can pair a turn
  // with the commitment of another move.
  const blockNumber = await publicClient.getBlockNumber({ cacheTime: 0 });
  const [record, turnInfo, k] = await Promise.all([
    publicClient.readContract({
      address: verdict,
      abi,
      functionName: "getGame",
      args: [gameId],
      blockNumber,
    }) as Promise<GameRecord>,
    publicClient.readContract({
      address: verdict,
      abi,
      functionName: "gameTurn",
      args: [gameId],
      blockNumber,
    }) as Promise<readonly [number, bigint]>,
    p.k !== undefined
      ? Promise.resolve(p.k)
      : (publicClient.readContract({ address: verdict, abi, functionName: "K" }) as Promise<bigint>),
  ]);
  const turn = TURNS[Number(turnInfo[0])] ?? "None";
  const view: GameView = {
    gameId,
    status: GAME_STATUSES[Number(record.status)] ?? "None",
    turn,
    leftSeconds: BigInt(turnInfo[1]),
    position: BigInt(record.position),
    startHash: record.startHash,
    endHash: record.endHash,
    log2K: log2Of(k),
  };
  if (turn === "Pick")
    view.interior = await readInterior({ ...p, commit: record.interiorCommit, toBlock: blockNumber });
  return { view, record };
}

/** Interior hashes of the game's latest dissection; undefined when no event matches the commitment. */
export async function readInterior(
  p: ReadGameViewParameters & { commit: Hex; toBlock?: bigint },
): Promise<Hex[] | undefined> {
  const logs = await p.publicClient.getContractEvents({
    address: p.verdict,
    abi: p.abi,
    eventName: "Dissected",
    args: { gameId: p.gameId },
    fromBlock: p.fromBlock ?? 0n,
    toBlock: p.toBlock ?? "latest",
  });
  for (let i = logs.length - 1; i >= 0; i--) {
    const interior = (logs[i] as unknown as { args: { interior: Hex[] } }).args.interior;
    const commit = keccak256(
      encodePacked(
        interior.map(() => "bytes32"),
        interior,
      ),
    );
    if (commit.toLowerCase() === p.commit.toLowerCase()) return interior;
  }
  return undefined;
}

// A DISHONEST challenger for the end-to-end tests, colluding with a lying
// proposer: it opens the game of a wrong leaf first (so it holds the root and
// its leaf reward) and then throws it: it challenges one part where the
// proposer is right and never steps, hoping its lost claims let the bad
// proposal through. The game is shared: the honest challenger must join it
// (no second game on the leaf), follow the right path and still defeat it.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { type Abi, decodeEventLog } from "viem";
import {
  type AttackerClients,
  dissectionsOf,
  openGames,
  proposalLeavesOf,
  sendGameCalls,
} from "../../proposer/src/testing/attackerTools.ts";
import type { E2EFixture } from "./fixture.ts";

export function attackerClients(fx: E2EFixture, keyIndex: number): AttackerClients {
  return {
    publicClient: fx.publicClient,
    wallet: fx.wallet(keyIndex),
    game: fx.deployment.disputeGame,
    verdict: fx.deployment.verdict,
    fromBlock: fx.deployment.deployedAtBlock,
  };
}

export type ThrownGame = { gameId: bigint; thrownPart: bigint };

/**
 * Opens the game of leaf `index` of `proposalId`, waits for the proposer's
 * dissection of the root and challenges part `throwIndex` (one the proposer
 * is right about). Resolves with the game and the thrown node's position.
 */
export async function throwGame(
  fx: E2EFixture,
  p: { keyIndex: number; proposalId: bigint; index: number; throwIndex: number; signal: AbortSignal },
): Promise<ThrownGame> {
  const c = attackerClients(fx, p.keyIndex);
  const leaves = await proposalLeavesOf(c, p.proposalId);
  const bond = BigInt((await fx.read<{ claimBond: bigint }>("getProposal", [p.proposalId])).claimBond);
  const [gameId] = await openGames(c, { proposalId: p.proposalId, leaves, indexes: [p.index], bond });
  for (;;) {
    if (p.signal.aborted) throw new Error("aborted");
    const [root] = await dissectionsOf(
      c,
      [gameId],
      fx.deployment.deployedAtBlock,
      await fx.publicClient.getBlockNumber({ cacheTime: 0 }),
    );
    if (root) {
      const [r] = await sendGameCalls(c, [
        { functionName: "challenge", args: [gameId, root.position, BigInt(p.throwIndex)], bond },
      ]);
      for (const l of r.logs) {
        try {
          const ev = decodeEventLog({
            abi: disputeGameAbi as Abi,
            data: l.data,
            topics: l.topics,
          }) as unknown as {
            eventName: string;
            args: { position: bigint };
          };
          if (ev.eventName === "NodeChallenged") return { gameId, thrownPart: ev.args.position };
        } catch {
          // other logs
        }
      }
      throw new Error("no NodeChallenged for the thrown part");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A scripted DISHONEST challenger for the proposer's tests: it opens (or joins)
// the game of an honest leaf and plays a trace corrupted from some step on:
// at each dissection on its path it challenges the leftmost part whose end
// hash its trace disputes, and at a length-1 node it steps without the honest
// challenger's safety check (the step upholds the proposer). It can also go
// silent after a number of moves, so the proposer has to win on time.

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import {
  child,
  end,
  log2Len,
  log2Of,
  log2Parts,
  type Position,
  rootPosition,
  start,
} from "@verdict/shared/src/game/position.ts";
import { leafHash, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { NODE_STATUSES } from "@verdict/shared/src/game/types.ts";
import { buildTrace, type TraceProvider, withFault } from "@verdict/shared/src/machine/trace.ts";
import { bytesToHex, type Hex } from "viem";
import {
  type AttackerClients,
  dissectionsOf,
  openGames,
  proposalLeavesOf,
  sendGameCalls,
} from "./attackerTools.ts";
import type { ChainFixture } from "./setupChain.ts";

function clientsOf(fx: ChainFixture, keyIndex: number): AttackerClients {
  return {
    publicClient: fx.publicClient,
    wallet: fx.wallet(keyIndex),
    game: fx.deployment.disputeGame,
    verdict: fx.deployment.verdict,
    fromBlock: fx.deployment.deployedAtBlock,
  };
}

/** Leaves of a proposal, from its Proposed event. */
export async function proposalLeaves(fx: ChainFixture, proposalId: bigint): Promise<ResultLeaf[]> {
  return proposalLeavesOf(clientsOf(fx, 0), proposalId);
}

export type DishonestChallenger = {
  gameId: bigint;
  /**
   * Plays its path until its last node resolves (returns that node's status:
   * "Upheld" when the proposer won) or it goes silent ("silent").
   */
  play: (opts?: { silentAfterMoves?: number; signal?: AbortSignal }) => Promise<string>;
};

export async function openDishonestGame(p: {
  fx: ChainFixture;
  keyIndex: number;
  proposalId: bigint;
  leafIndex: number;
  input: Uint8Array;
  faultFrom: bigint;
}): Promise<DishonestChallenger> {
  const { fx } = p;
  const c = clientsOf(fx, p.keyIndex);
  const leaves = await proposalLeaves(fx, p.proposalId);
  const leaf = leaves[p.leafIndex];
  const bond = BigInt((await fx.read<{ claimBond: bigint }>("getProposal", [p.proposalId])).claimBond);
  let gameId = await fx.readGame<bigint>("gameOf", [p.proposalId, leafHash(leaf)]);
  if (gameId === 0n)
    [gameId] = await openGames(c, { proposalId: p.proposalId, leaves, indexes: [p.leafIndex], bond });
  const log2K = log2Of(await fx.readGame<bigint>("K"));
  const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
  const honest = await buildTrace({ image, input: p.input, depth: fx.depth });
  const trace: TraceProvider = withFault(honest, { fromStep: p.faultFrom });
  const status = async (pos: Position) =>
    NODE_STATUSES[Number((await fx.readGame<{ status: number }>("getNode", [gameId, pos])).status)];

  async function play(opts: { silentAfterMoves?: number; signal?: AbortSignal } = {}): Promise<string> {
    let moves = 0;
    let node: Position = rootPosition(fx.depth);
    const ancestry: Hex[][] = [];
    for (;;) {
      if (opts.signal?.aborted) return "aborted";
      const st = await status(node);
      if (st !== "Challenged" && st !== "Dissected") return st;
      if (opts.silentAfterMoves !== undefined && moves >= opts.silentAfterMoves) return "silent";
      if (st === "Dissected") {
        const [d] = (
          await dissectionsOf(
            c,
            [gameId],
            fx.deployment.deployedAtBlock,
            await fx.publicClient.getBlockNumber({ cacheTime: 0 }),
          )
        ).filter((x) => x.position === node);
        // The leftmost part whose end hash our (corrupted) trace disputes.
        const parts = 1 << log2Parts(node, log2K);
        let index = parts - 1;
        for (let i = 0; i < parts - 1; i++) {
          if ((await trace.get(end(child(node, i, log2Parts(node, log2K))))) !== d.interior[i]) {
            index = i;
            break;
          }
        }
        const part = child(node, index, log2Parts(node, log2K));
        const partStatus = await status(part);
        if (partStatus === "None") {
          try {
            await sendGameCalls(c, [
              { functionName: "challenge", args: [gameId, node, BigInt(index)], bond },
            ]);
          } catch (err) {
            // Another liar in the same game may have challenged the part first: follow it then.
            if ((await status(part)) === "None") throw err;
          }
        }
        ancestry.push(d.interior);
        node = part;
        moves++;
      } else if (log2Len(node) === 0) {
        const s = await trace.getStepData(start(node));
        try {
          await sendGameCalls(c, [
            {
              functionName: "step",
              args: [gameId, node, ancestry, bytesToHex(s.preState), bytesToHex(s.proof)],
              bond: 0n,
            },
          ]);
        } catch (err) {
          // Another party may have stepped (or resolved) the node first.
          if ((await status(node)) === "Challenged") throw err;
        }
        moves++;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { gameId, play };
}

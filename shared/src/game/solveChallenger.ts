// The challenger's solver (pure: tree + our trace → actions, no chain access).
// It plays the honest path only: from the root (whose start hash T(0) we must
// agree with and whose end hash, the leaf, we dispute), at each Dissected node
// it goes into the LEFTMOST part whose end hash we dispute — that part's start
// is the end of a part we agree with, so we agree with it too — challenging it
// if nobody has (while the pick clock runs), following it if someone has. At a
// length-1 node on the path it steps (unless our own post-state equals the
// node's end hash: that would uphold the claim we dispute, so our trace is
// inconsistent and we refuse). Off the path it never challenges anything.
// Resolutions: proposer timeouts on the path (they defeat the proposal), every
// node we challenged that resolves Defeated (bond + share) or Refunded (bond),
// the Defeated nodes on our path, and whatever must resolve first to unlock
// them. It also reports every interior hash of the tree our trace contradicts
// (for alerts), on or off the path.

import type { Address, Hex } from "viem";
import { bytesToHex } from "viem";
import { ancestryOf } from "./ancestryOf.ts";
import { GameError, TraceDisagreementError } from "./errors.ts";
import { planResolutions } from "./planResolutions.ts";
import {
  child,
  end,
  interiorPositions,
  log2Len,
  log2Parts,
  type Position,
  rootPosition,
  start,
} from "./position.ts";
import { selectResolutions } from "./selectResolutions.ts";
import type { Action, GameTree, TraceProvider, TreeNode } from "./types.ts";

export type SolveChallengerParameters = {
  tree: GameTree;
  /** Our trace of the game's job. */
  trace: TraceProvider;
  /** Our address: the nodes we challenged are ours to collect. */
  me: Address;
};

/** A posted interior hash our trace contradicts. */
export type WrongClaim = { node: Position; at: bigint; claimed: Hex; ours: Hex };

export type SolveChallengerReturnType = {
  actions: Action[];
  /** The honest path, root first (empty when we agree with the leaf). */
  path: Position[];
  wrongClaims: WrongClaim[];
  /** Why the path stops where it does when nothing can be done there (logs). */
  stalled?: string;
};

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function solveChallenger({
  tree,
  trace,
  me,
}: SolveChallengerParameters): Promise<SolveChallengerReturnType> {
  const { game, log2K } = tree;
  const actions: Action[] = [];
  const path: Position[] = [];
  let stalled: string | undefined;
  const root = tree.nodes.get(rootPosition(game.depth));

  const ours0 = await trace.get(0n);
  if (!same(ours0, game.startHash))
    throw new TraceDisagreementError({
      gameId: game.gameId,
      position: 0n,
      expected: game.startHash,
      actual: ours0,
      what: "the game's start hash T(0) (another program or machine?)",
    });

  const disputesLeaf = !same(await trace.get(end(rootPosition(game.depth))), game.endHash);
  let node: TreeNode | undefined = disputesLeaf ? root : undefined;
  // Invariant along the loop: we agree with node.startHash and dispute node.endHash.
  while (node) {
    path.push(node.position);
    if (node.status === "Dissected") {
      const parts = log2Parts(node.position, log2K);
      const n = 1 << parts;
      // A read no consistent tree gives (a length-1 node dissected, or interior hashes missing):
      // refuse it, rather than follow the node into itself for ever or index past its hashes.
      if (parts === 0 || node.interior?.length !== n - 1)
        throw new GameError(
          `Game ${game.gameId}: node ${node.position} reads as dissected with ${node.interior?.length ?? "no"} interior hashes; a dissection of it has ${n - 1}.`,
        );
      const hashes = [node.startHash, ...node.interior, node.endHash];
      let pick = -1;
      for (let i = 0; i < n; i++) {
        const ours = await trace.get(end(child(node.position, i, parts)));
        if (!same(ours, hashes[i + 1])) {
          pick = i;
          break;
        }
      }
      // The last part ends at the node's end, which we dispute: some part is always disputed.
      if (pick < 0)
        throw new TraceDisagreementError({
          gameId: game.gameId,
          position: end(node.position),
          expected: node.endHash,
          actual: node.endHash,
          what: "the end hash of a node on our path (we now agree with it)",
        });
      const from = await trace.get(start(child(node.position, pick, parts)));
      if (!same(from, hashes[pick]))
        throw new TraceDisagreementError({
          gameId: game.gameId,
          position: start(child(node.position, pick, parts)),
          expected: hashes[pick],
          actual: from,
          what: "the start hash of the leftmost part we dispute",
        });
      const c = child(node.position, pick, parts);
      const next = tree.nodes.get(c);
      if (next) {
        node = next;
        continue;
      }
      if (node.turn === "Pick" && node.leftSeconds > 0n)
        actions.push({
          type: "challenge",
          gameId: game.gameId,
          parent: node.position,
          index: pick,
          deadline: tree.activeNow + node.leftSeconds,
          bond: game.claimBond,
        });
      else stalled = `the pick window of ${node.position} closed before part ${pick} was challenged`;
      break;
    }
    if (node.status === "Challenged" && log2Len(node.position) === 0) {
      if (node.turn === "Step" && node.leftSeconds > 0n) {
        const data = await trace.getStepData(start(node.position));
        // Stepping where our post-state equals the claimed end hash would uphold the claim we dispute.
        if (same(data.postStateHash, node.endHash))
          throw new TraceDisagreementError({
            gameId: game.gameId,
            position: end(node.position),
            expected: node.endHash,
            actual: data.postStateHash,
            what: "(by agreeing with) the claimed end hash of the step on our path",
          });
        actions.push({
          type: "step",
          gameId: game.gameId,
          position: node.position,
          ancestry: ancestryOf(tree, node.position),
          stateData: bytesToHex(data.preState),
          proof: bytesToHex(data.proof),
          deadline: tree.activeNow + node.leftSeconds,
          bond: 0n,
        });
      } else stalled = `the step clock of ${node.position} ran out`; // also Step with 0 s left: too late to land
    }
    // Challenged (length > 1): the proposer's move, or its timeout (resolved below). Resolved: done.
    break;
  }

  const wrongClaims: WrongClaim[] = [];
  for (const n of tree.nodes.values()) {
    if (!n.interior) continue;
    const at = interiorPositions(n.position, log2K);
    for (let i = 0; i < at.length; i++) {
      const ours = await trace.get(at[i]);
      if (!same(ours, n.interior[i]))
        wrongClaims.push({ node: n.position, at: at[i], claimed: n.interior[i], ours });
    }
  }

  const onPath = new Set(path);
  const mine = (n: TreeNode) => same(n.challenger, me);
  actions.push(
    ...selectResolutions({
      tree,
      plan: planResolutions(tree),
      want: ({ node: n, outcome }) => {
        if (outcome === "Refunded") return mine(n) ? "gain" : undefined;
        if (outcome !== "Defeated") return undefined;
        if (mine(n)) return "gain";
        if (onPath.has(n.position)) return n.status === "Challenged" ? "timeout" : "path";
        return undefined;
      },
    }),
  );
  return { actions, path, wrongClaims, stalled };
}

// A single-challenger dispute down one path of a game, move by move (no batching): the proposer
// dissects with its trace, the challenger challenges the leftmost part whose end hash it disputes,
// and at length 1 it executes the real RV32IM step. Also the bottom-up resolution of a set of nodes,
// each as soon as the contract lets it.

import type { Hex, PrivateKeyAccount } from "viem";
import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import type { BenchChain, SendResult } from "./chain.ts";
import { type GameBook, interiorOf, log2Len, move, start } from "./game.ts";
import { type Deployment, stepData } from "./protocol.ts";

export type Trace = (t: bigint) => Hex;

export type PlayDisputeParameters = {
  c: BenchChain;
  d: Deployment;
  book: GameBook;
  proposer: PrivateKeyAccount;
  proposerTrace: Trace;
  challenger: PrivateKeyAccount;
  challengerTrace: Trace;
  /** Seconds the proposer lets pass before each dissection (stalling on its own clock). */
  proposerDelaySeconds?: bigint;
  /** Extra moves the proposer sends in the same multicall as each dissection, given the new node. */
  withDissection?: (p: bigint, interior: Hex[]) => Hex[];
  /** Set: the challenger does not execute the step (someone else must). */
  noStep?: boolean;
};

export type PlayDisputeReturnType = {
  dissections: SendResult[];
  challenges: SendResult[];
  step: SendResult | undefined;
  /** The length-1 node the dispute ended on (or the node the challenger stopped at). */
  last: bigint;
  /** Every node on the path, root first. */
  path: bigint[];
};

export async function playDispute(p: PlayDisputeParameters): Promise<PlayDisputeReturnType> {
  const { c, d, book } = p;
  const out: PlayDisputeReturnType = {
    dissections: [],
    challenges: [],
    step: undefined,
    last: book.root,
    path: [],
  };
  const { claimBond } = await c.publicClient.readContract({
    address: d.game,
    abi: disputeGameAbi,
    functionName: "getGame",
    args: [book.gameId],
  });
  const dissectionBond = await c.publicClient.readContract({
    address: d.game,
    abi: disputeGameAbi,
    functionName: "dissectionBond",
    args: [book.gameId],
  });
  let node = book.root;
  for (;;) {
    out.path.push(node);
    if (log2Len(node) === 0) {
      if (!p.noStep) {
        const { stateData, proof } = stepData(start(node));
        out.step = await c.must(
          p.challenger,
          { to: d.game, data: move.step(book.gameId, node, book.ancestry(node), stateData, proof) },
          "step",
        );
      }
      break;
    }
    const interior = interiorOf(node, book.log2k, p.proposerTrace);
    const extra = p.withDissection?.(node, interior) ?? [];
    const at = p.proposerDelaySeconds ? c.now() + p.proposerDelaySeconds : undefined;
    const dissect = move.dissect(book.gameId, node, interior);
    out.dissections.push(
      await c.must(
        p.proposer,
        {
          to: d.game,
          data: extra.length ? move.multicall([dissect, ...extra]) : dissect,
          value: dissectionBond + claimBond * BigInt(extra.length),
          at,
        },
        "dissect",
      ),
    );
    book.dissected(node, interior);
    const part = book.disputedPart(node, p.challengerTrace);
    if (part === undefined) break;
    const next = childPos(book, node, part);
    const st = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getNode",
      args: [book.gameId, next],
    });
    if (st.status === 0) {
      out.challenges.push(
        await c.must(
          p.challenger,
          { to: d.game, data: move.challenge(book.gameId, node, part), value: claimBond },
          "challenge",
        ),
      );
    }
    node = next;
  }
  out.last = node;
  return out;
}

const childPos = (book: GameBook, p: bigint, index: number): bigint => {
  const lp = Math.min(book.log2k, log2Len(p));
  const l = log2Len(p) - lp;
  return ((start(p) + (BigInt(index) << BigInt(l))) << 8n) | BigInt(l);
};

/** Turn as numbered in IDisputeGame.Turn. */
export const Turn = { None: 0, Dissect: 1, Pick: 2, Step: 3, Resolve: 4, Children: 5 } as const;

/**
 * Resolves `positions` in order (give them bottom-up), each in its own transaction as soon as its
 * clock allows (the chain is moved forward to that moment if needed). Nodes already resolved are
 * skipped.
 */
export async function resolveInOrder(
  c: BenchChain,
  d: Deployment,
  who: PrivateKeyAccount,
  gameId: bigint,
  positions: bigint[],
): Promise<SendResult[]> {
  const out: SendResult[] = [];
  for (const p of positions) {
    const [turn, left] = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "nodeTurn",
      args: [gameId, p],
    });
    if (turn === Turn.None) continue;
    if (turn !== Turn.Resolve) {
      if (turn === Turn.Children) throw new Error(`node ${p} of game ${gameId} still has open parts`);
      await c.mineAt(c.now() + BigInt(left));
    }
    out.push(await c.must(who, { to: d.game, data: move.resolve(gameId, p) }, `resolveNode(${p})`));
  }
  return out;
}

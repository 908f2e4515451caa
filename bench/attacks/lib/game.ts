// Moves of the shared claim-tree game as the benches play them: positions (same words as
// Types.sol's LibPosition), the calls a move encodes, batching into `multicall` under a gas budget,
// and a book per game of what was posted (interiors for step ancestry, end hashes for choosing the
// part to challenge).

import { decodeEventLog, encodeFunctionData, type Hex, type Log, type PrivateKeyAccount } from "viem";
import { disputeGameAbi, verdictAbi } from "../../../shared/src/bindings/abis.ts";
import { decidingLevels } from "../../../shared/src/game/ancestryOf.ts";
import type { BenchChain, SendResult } from "./chain.ts";
import type { Deployment, Leaf } from "./protocol.ts";

////////////////////////////////////////////////////////////////
//                         Positions                          //
////////////////////////////////////////////////////////////////

export const wrap = (start: bigint, log2Len: number): bigint => (start << 8n) | BigInt(log2Len);
export const start = (p: bigint): bigint => p >> 8n;
export const log2Len = (p: bigint): number => Number(p & 0xffn);
/** log2 of the number of parts a node at `p` is dissected into. */
export const log2Parts = (p: bigint, log2k: number): number => Math.min(log2k, log2Len(p));
/** Part `index` of `p`. */
export function child(p: bigint, index: number, log2k: number): bigint {
  const l = log2Len(p) - log2Parts(p, log2k);
  return wrap(start(p) + (BigInt(index) << BigInt(l)), l);
}
/** Trace positions of the ends of every part but the last (what a dissection posts). */
export function interiorPositions(p: bigint, log2k: number): bigint[] {
  const parts = 1 << log2Parts(p, log2k);
  const partLen = 1n << BigInt(log2Len(p) - log2Parts(p, log2k));
  return Array.from({ length: parts - 1 }, (_, i) => start(p) + BigInt(i + 1) * partLen);
}
/** Dissection levels on a path from a root of length 2^depth down to length 1. */
export const levels = (depth: number, log2k: number): number => Math.ceil(depth / log2k);

////////////////////////////////////////////////////////////////
//                       Encoded moves                        //
////////////////////////////////////////////////////////////////

export const move = {
  open: (pid: bigint, leaf: Leaf, proof: Hex[]): Hex =>
    encodeFunctionData({ abi: disputeGameAbi, functionName: "openGame", args: [pid, leaf, proof] }),
  dissect: (gid: bigint, p: bigint, interior: Hex[]): Hex =>
    encodeFunctionData({ abi: disputeGameAbi, functionName: "dissect", args: [gid, p, interior] }),
  challenge: (gid: bigint, parent: bigint, index: number): Hex =>
    encodeFunctionData({
      abi: disputeGameAbi,
      functionName: "challenge",
      args: [gid, parent, BigInt(index)],
    }),
  step: (gid: bigint, p: bigint, ancestry: Hex[][], stateData: Hex, proof: Hex): Hex =>
    encodeFunctionData({
      abi: disputeGameAbi,
      functionName: "step",
      args: [gid, p, ancestry, stateData, proof],
    }),
  resolve: (gid: bigint, p: bigint): Hex =>
    encodeFunctionData({ abi: disputeGameAbi, functionName: "resolveNode", args: [gid, p] }),
  multicall: (calls: Hex[]): Hex =>
    encodeFunctionData({ abi: disputeGameAbi, functionName: "multicall", args: [calls] }),
  withdraw: (): Hex => encodeFunctionData({ abi: disputeGameAbi, functionName: "withdraw" }),
};

////////////////////////////////////////////////////////////////
//                          Batching                          //
////////////////////////////////////////////////////////////////

export type BatchResult = {
  txs: SendResult[];
  /** Moves carried by each transaction. */
  sizes: number[];
  gasUsed: bigint;
  feeWei: bigint;
  moves: number;
};

/**
 * Sends `calls` in as few `multicall` transactions as fit `gasBudget` each (one block each), funding
 * `bondPerCall` per call from the sender's game credit first. A batch is sized from the gas per call
 * seen so far and checked with eth_estimateGas before it is sent, so it never runs out of gas.
 */
export class Batcher {
  private perCall: bigint;

  constructor(
    private readonly c: BenchChain,
    private readonly d: Deployment,
    readonly gasBudget: bigint,
    perCallGuess = 60_000n,
  ) {
    this.perCall = perCallGuess;
  }

  async send(from: PrivateKeyAccount, calls: Hex[], bondPerCall: bigint, what: string): Promise<BatchResult> {
    const out: BatchResult = { txs: [], sizes: [], gasUsed: 0n, feeWei: 0n, moves: calls.length };
    let i = 0;
    while (i < calls.length) {
      let n = Math.max(1, Math.min(calls.length - i, Number((this.gasBudget - 50_000n) / this.perCall)));
      const credit = await this.c.publicClient.readContract({
        address: this.d.game,
        abi: disputeGameAbi,
        functionName: "credit",
        args: [from.address],
      });
      const tx = (k: number) => {
        const chunk = calls.slice(i, i + k);
        const need = bondPerCall * BigInt(k);
        return {
          to: this.d.game,
          data: k === 1 ? chunk[0] : move.multicall(chunk),
          value: need > credit ? need - credit : 0n,
        };
      };
      for (;;) {
        // Estimation fails both on a revert and above the block gas limit: halve until it passes or
        // a single move is left (then send it anyway: the mined receipt says why it reverts).
        const estimate = await this.c.publicClient
          .estimateGas({ account: from.address, ...tx(n) })
          .catch(() => undefined);
        if (n === 1 || (estimate !== undefined && estimate <= this.gasBudget)) break;
        n =
          estimate === undefined
            ? Math.ceil(n / 2)
            : Math.max(1, Math.floor((n * Number(this.gasBudget)) / Number(estimate) / 1.02));
      }
      const r = await this.c.send(from, { ...tx(n), gas: this.gasBudget });
      if (!r.ok) throw new Error(`${what} (${n} moves) reverted: ${r.error}`);
      this.perCall = r.gasUsed / BigInt(n) + 1n;
      out.txs.push(r);
      out.sizes.push(n);
      out.gasUsed += r.gasUsed;
      out.feeWei += r.feeWei;
      i += n;
    }
    return out;
  }
}

////////////////////////////////////////////////////////////////
//                      Book of a game                        //
////////////////////////////////////////////////////////////////

/** What the benches remember of one game: every posted interior and each challenged node's end hash. */
export class GameBook {
  readonly interiors = new Map<bigint, Hex[]>();
  readonly endHash = new Map<bigint, Hex>();

  constructor(
    readonly gameId: bigint,
    readonly depth: number,
    readonly log2k: number,
    leafEndHash: Hex,
  ) {
    this.endHash.set(this.root, leafEndHash);
  }

  get root(): bigint {
    return wrap(0n, this.depth);
  }

  /** Records a dissection and the end hashes of the parts it created. */
  dissected(p: bigint, interior: Hex[]): void {
    this.interiors.set(p, interior);
    const parts = 1 << log2Parts(p, this.log2k);
    for (let i = 0; i < parts; i++) {
      this.endHash.set(child(p, i, this.log2k), i < parts - 1 ? interior[i] : this.endHash.get(p)!);
    }
  }

  /**
   * `ancestry[l]` for `step`: one entry per dissection level above `p`, root first. Only the two
   * levels that decide the node's start and end hashes (shared/src/game/ancestryOf.ts'
   * `decidingLevels`) carry their interior; the contract ignores the others, so they go empty.
   */
  ancestry(p: bigint): Hex[][] {
    const path: { parent: bigint; child: bigint; interior: Hex[] }[] = [];
    let cur = this.root;
    while (log2Len(cur) > log2Len(p)) {
      const interior = this.interiors.get(cur);
      if (!interior) throw new Error(`no dissection recorded at ${cur}`);
      const lp = log2Parts(cur, this.log2k);
      const index = Number((start(p) - start(cur)) >> BigInt(log2Len(cur) - lp));
      const next = child(cur, index, this.log2k);
      path.push({ parent: cur, child: next, interior });
      cur = next;
    }
    const deciding = decidingLevels(path);
    return path.map((l, i) => (deciding.has(i) ? l.interior : []));
  }

  /** The part of dissected node `p` an honest challenger with trace `mine` disputes (leftmost wrong end). */
  disputedPart(p: bigint, mine: (t: bigint) => Hex): number | undefined {
    const parts = 1 << log2Parts(p, this.log2k);
    for (let i = 0; i < parts; i++) {
      const c = child(p, i, this.log2k);
      if (this.endHash.get(c) !== mine(start(c) + (1n << BigInt(log2Len(c))))) return i;
    }
    return undefined;
  }
}

/** Interior hashes of node `p` under trace `trace`. */
export const interiorOf = (p: bigint, log2k: number, trace: (t: bigint) => Hex): Hex[] =>
  interiorPositions(p, log2k).map(trace);

////////////////////////////////////////////////////////////////
//                           Events                           //
////////////////////////////////////////////////////////////////

export type GameEvent = { eventName: string; args: Record<string, unknown>; blockNumber: bigint };

/** Decoded DisputeGame events of a set of receipts' logs. */
export function gameEvents(d: Deployment, logs: Log[]): GameEvent[] {
  const out: GameEvent[] = [];
  for (const l of logs) {
    if (l.address.toLowerCase() !== d.game.toLowerCase()) continue;
    try {
      const e = decodeEventLog({ abi: disputeGameAbi, data: l.data, topics: l.topics });
      out.push({
        eventName: e.eventName,
        args: e.args as unknown as Record<string, unknown>,
        blockNumber: l.blockNumber ?? 0n,
      });
    } catch {
      // not a game event
    }
  }
  return out;
}

/** Every DisputeGame event since `fromBlock`. */
export async function readGameEvents(c: BenchChain, d: Deployment, fromBlock = 0n): Promise<GameEvent[]> {
  const logs = await c.publicClient.getLogs({ address: d.game, fromBlock, toBlock: "latest" });
  return gameEvents(d, logs);
}

/** Opens the game of `leaves[index]` of proposal `pid` (bond: the proposal's snapshotted claim bond). */
export async function openGame(
  c: BenchChain,
  d: Deployment,
  who: PrivateKeyAccount,
  pid: bigint,
  leaves: Leaf[],
  index: number,
  proofs: Hex[][],
  depth: number,
  at?: bigint,
): Promise<{ book: GameBook; tx: SendResult }> {
  const { claimBond } = await c.publicClient.readContract({
    address: d.verdict,
    abi: verdictAbi,
    functionName: "getProposal",
    args: [pid],
  });
  const tx = await c.must(
    who,
    { to: d.game, data: move.open(pid, leaves[index], proofs[index]), value: claimBond, at },
    "openGame",
  );
  const e = gameEvents(d, tx.receipt.logs).find((x) => x.eventName === "GameOpened");
  if (!e) throw new Error("no GameOpened event");
  const book = new GameBook(e.args.gameId as bigint, depth, Math.log2(d.k), leaves[index].finalStateHash);
  return { book, tx };
}

// A scripted honest proposer (stands in for the stock daemon while shared/src/game moves to the new
// game): it learns of challenges from the chain's events only, dissects every challenged node of
// length > 1 in its games with its own (correct) trace, earliest deadline first, packed into
// `multicall` batches of at most one block's gas each, and at the end resolves every node bottom-up
// to collect the bonds.

import type { Hex, PrivateKeyAccount } from "viem";
import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import {
  Batcher,
  type BatchResult,
  type GameEvent,
  interiorOf,
  log2Len,
  move,
  readGameEvents,
} from "./game.ts";
import type { World } from "./setup.ts";

type OpenDefence = { gameId: bigint; position: bigint; deadline: bigint };

export class ScriptedProposer {
  readonly batcher: Batcher;
  /** Every batch sent (dissections and resolutions). */
  readonly batches: BatchResult[] = [];
  private cursor = 0n;
  private readonly openedAt = new Map<bigint, bigint>();
  private readonly ours = new Map<bigint, boolean>();
  private readonly open = new Map<string, OpenDefence>();
  private readonly challenged = new Map<bigint, bigint[]>();
  private readonly resolved = new Set<string>();
  /** Largest proposer path time of any node it dissected (NodeDissected.proposerUsed). Unit: seconds. */
  maxPathSeconds = 0n;

  constructor(
    private readonly w: World,
    readonly account: PrivateKeyAccount,
    private readonly trace: (t: bigint) => Hex,
  ) {
    this.batcher = new Batcher(w.c, w.d, w.c.blockGasLimit, 70_000n);
  }

  private async isOurs(gameId: bigint): Promise<boolean> {
    let v = this.ours.get(gameId);
    if (v === undefined) {
      const g = await this.w.c.publicClient.readContract({
        address: this.w.d.game,
        abi: disputeGameAbi,
        functionName: "getGame",
        args: [gameId],
      });
      v = g.proposer.toLowerCase() === this.account.address.toLowerCase();
      this.ours.set(gameId, v);
    }
    return v;
  }

  /** Reads the events since the last poll. */
  async poll(): Promise<void> {
    const events: GameEvent[] = await readGameEvents(this.w.c, this.w.d, this.cursor);
    const clock = this.w.d.params.clockSeconds;
    for (const e of events) {
      const a = e.args;
      const gameId = a.gameId as bigint | undefined;
      if (gameId === undefined) continue; // ledger events
      if (e.blockNumber < this.cursor || !(await this.isOurs(gameId))) continue;
      if (e.eventName === "GameOpened") this.openedAt.set(gameId, a.openedAt as bigint);
      else if (e.eventName === "NodeChallenged") {
        const position = a.position as bigint;
        const list = this.challenged.get(gameId) ?? [];
        list.push(position);
        this.challenged.set(gameId, list);
        if (log2Len(position) === 0) continue;
        // A node is challenged at openedAt + proposerUsed + challengerUsed and must be dissected
        // before the proposer's path time reaches the clock.
        const deadline = this.openedAt.get(gameId)! + (a.challengerUsed as bigint) + clock;
        this.open.set(`${gameId}:${position}`, { gameId, position, deadline });
      } else if (e.eventName === "NodeResolved") {
        this.resolved.add(`${gameId}:${a.position as bigint}`);
      } else if (e.eventName === "NodeDissected") {
        this.open.delete(`${gameId}:${a.position as bigint}`);
        const used = a.proposerUsed as bigint;
        if (used > this.maxPathSeconds) this.maxPathSeconds = used;
      }
    }
    this.cursor = (await this.w.c.publicClient.getBlockNumber()) + 1n;
  }

  /** Dissects every open defence, earliest deadline first; returns undefined if there was none. */
  async defend(): Promise<BatchResult | undefined> {
    await this.poll();
    const todo = [...this.open.values()].sort((x, y) =>
      x.deadline < y.deadline ? -1 : x.deadline > y.deadline ? 1 : 0,
    );
    if (todo.length === 0) return undefined;
    const log2k = Math.log2(this.w.d.k);
    const calls = todo.map((o) =>
      move.dissect(o.gameId, o.position, interiorOf(o.position, log2k, this.trace)),
    );
    const r = await this.batcher.send(this.account, calls, this.w.d.params.claimBond, "dissect batch");
    this.batches.push(r);
    await this.poll();
    return r;
  }

  /** Resolves every challenged node of its games, deepest first (call once every clock ran out). */
  async resolveAll(): Promise<BatchResult> {
    await this.poll();
    const calls: Hex[] = [];
    const all: { gameId: bigint; position: bigint }[] = [];
    for (const [gameId, list] of this.challenged) {
      for (const position of list)
        if (!this.resolved.has(`${gameId}:${position}`)) all.push({ gameId, position });
    }
    all.sort((x, y) => log2Len(x.position) - log2Len(y.position));
    for (const n of all) calls.push(move.resolve(n.gameId, n.position));
    const r = await this.batcher.send(this.account, calls, 0n, "resolve batch");
    this.batches.push(r);
    return r;
  }
}

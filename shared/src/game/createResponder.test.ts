import { expect } from "chai";
import { ContractRevertError } from "../chain/errors.ts";
import { createLogger } from "../log/createLogger.ts";
import { createResponder, type ResponderChain } from "./createResponder.ts";
import { planBatches } from "./planBatches.ts";
import type { Action } from "./types.ts";

const logger = createLogger({ level: "silent", mode: "json" });

const challenge = (gameId: bigint, index: number, deadline?: bigint): Action => ({
  type: "challenge",
  gameId,
  parent: 0x10n,
  index,
  deadline,
  bond: 100n,
});
const resolve = (gameId: bigint, position: bigint): Action => ({
  type: "resolveNode",
  gameId,
  position,
  outcome: "Defeated",
  reason: "gain",
  deadline: undefined,
  bond: 0n,
});

/** A fake DisputeGame: each move is identified by (type, game, part or position), refused by `refuse`, all or nothing. */
function fakeChain(
  opts: {
    credit?: bigint;
    gasPerCall?: bigint;
    refuse?: (id: string) => string | undefined;
    /** The account's spendable ETH; each send spends its value. Absent: unlimited. */
    funds?: { wei: bigint };
  } = {},
) {
  const sent: { ids: string[]; value: bigint }[] = [];
  const applied = new Set<string>();
  let block = 100n;
  const idOf = (a: Action) =>
    a.type === "challenge"
      ? `challenge:${a.gameId}:${a.index}`
      : `${a.type}:${"gameId" in a ? a.gameId : a.proposalId}:${"position" in a ? a.position : ""}`;
  const check = (calls: Action[]) => {
    const seen = new Set<string>();
    for (const c of calls) {
      const id = idOf(c);
      const refusal = applied.has(id) || seen.has(id) ? "AlreadyChallenged" : opts.refuse?.(id);
      if (refusal) throw new ContractRevertError({ functionName: "multicall", errorName: refusal });
      seen.add(id);
    }
  };
  const chain: ResponderChain = {
    credit: async () => opts.credit ?? 0n,
    estimate: async (calls, value) => {
      check(calls);
      // Like a node: a call whose value the balance cannot pay fails before it runs.
      if (opts.funds && value > opts.funds.wei)
        throw Object.assign(new Error("insufficient funds for gas * price + value"), {
          name: "InsufficientFundsError",
        });
      return BigInt(calls.length) * (opts.gasPerCall ?? 100_000n);
    },
    send: async (calls, value) => {
      check(calls);
      if (opts.funds) {
        if (value > opts.funds.wei) throw new Error("insufficient funds for value");
        opts.funds.wei -= value;
      }
      for (const c of calls) applied.add(idOf(c));
      sent.push({ ids: calls.map(idOf), value });
      return { blockNumber: ++block, transactionHash: "0x01" };
    },
    withdraw: async () => ({ transactionHash: "0x02" }),
    ...(opts.funds ? { funds: async () => (opts.funds as { wei: bigint }).wei } : {}),
  };
  return { chain, sent };
}

describe("game/createResponder", () => {
  it("orders by deadline and packs batches under the gas budget (planBatches)", () => {
    const queue = [5n, 1n, 9n, 3n, undefined, 7n, 2n].map((d, i) => ({
      action: d === undefined ? resolve(1n, 8n) : challenge(1n, i, d),
      seq: i,
    }));
    const { batches, late } = planBatches({
      queue,
      gasBudget: 10_000_000n,
      gasOf: () => 3_000_000n,
      now: 0n,
      txSeconds: 1,
    });
    expect(batches.map((b) => b.map((q) => q.action.deadline))).to.deep.equal([
      [1n, 2n, 3n],
      [5n, 7n, 9n],
      [undefined],
    ]);
    // Batch 1 lands at t=1 (deadline 1 missed), batch 2 at t=2 (5, 7, 9 fine).
    expect(late.map((l) => l.action.deadline)).to.deep.equal([1n]);
  });

  it("sends the most urgent moves first, as few multicalls as fit the budget, with ETH for the bonds beyond credit", async () => {
    const { chain, sent } = fakeChain({ credit: 250n, gasPerCall: 3_000_000n });
    const r = createResponder({
      chain,
      logger,
      now: () => 0n,
      gasBudget: 10_000_000n,
      gasOf: () => 3_000_000n,
    });
    r.submit("game:1", 1n, [challenge(1n, 0, 900n), challenge(1n, 1, 100n), resolve(1n, 0x10n)]);
    r.submit("game:2", 1n, [challenge(2n, 0, 500n), challenge(2n, 1, 50n)]);
    await r.flush();
    expect(sent.map((s) => s.ids)).to.deep.equal([
      ["challenge:2:1", "challenge:1:1", "challenge:2:0"],
      ["challenge:1:0", "resolveNode:1:16"],
    ]);
    // 3 bonds of 100 against a credit of 250: 50 wei sent; then 100 (the fake's credit does not change).
    expect(sent.map((s) => s.value)).to.deep.equal([50n, 0n]);
    expect(r.pending()).to.deep.equal([]);
  });

  it("sends only the bonds the balance can pay, most urgent first, with every bond-free move; the rest waits for funds", async () => {
    const funds = { wei: 250n };
    const { chain, sent } = fakeChain({ credit: 0n, funds });
    const r = createResponder({ chain, logger, now: () => 0n, gasBudget: 10_000_000n, gasOf: () => 1n });
    r.submit("game:1", 1n, [
      challenge(1n, 0, 900n),
      challenge(1n, 1, 100n),
      challenge(1n, 2, 300n),
      resolve(1n, 0x10n),
    ]);
    await r.flush();
    // 250 wei pays two 100-wei bonds: the two earliest deadlines, plus the resolution (no bond).
    expect(sent.map((s) => s.ids)).to.deep.equal([["challenge:1:1", "challenge:1:2", "resolveNode:1:16"]]);
    expect(sent.map((s) => s.value)).to.deep.equal([200n]);
    expect(r.pending().map((a) => (a.type === "challenge" ? a.index : -1))).to.deep.equal([0]);
    // Nothing more is sent while the account cannot pay: the move waits, it is not dropped.
    r.submit("game:1", 2n, [challenge(1n, 0, 900n)]);
    await r.flush();
    expect(sent).to.have.length(1);
    expect(r.pending()).to.have.length(1);
    // Funds arrive (bonds came back): the waiting move goes.
    funds.wei += 1_000n;
    r.submit("game:1", 3n, [challenge(1n, 0, 900n)]);
    await r.flush();
    expect(sent.map((s) => s.ids)).to.deep.equal([
      ["challenge:1:1", "challenge:1:2", "resolveNode:1:16"],
      ["challenge:1:0"],
    ]);
    expect(r.pending()).to.deep.equal([]);
  });

  it("splits a batch whose simulation exceeds the budget", async () => {
    const { chain, sent } = fakeChain({ gasPerCall: 4_000_000n });
    const r = createResponder({ chain, logger, now: () => 0n, gasBudget: 10_000_000n, gasOf: () => 1n });
    r.submit(
      "g",
      1n,
      [0, 1, 2, 3].map((i) => challenge(1n, i, BigInt(10 + i))),
    );
    await r.flush();
    expect(sent.map((s) => s.ids.length)).to.deep.equal([2, 2]);
  });

  it("drops only the move the chain refuses (found by bisection) and sends the rest", async () => {
    const dropped: string[] = [];
    const { chain, sent } = fakeChain({
      refuse: (id) => (id === "challenge:1:5" ? "ClockExpired" : undefined),
    });
    const r = createResponder({
      chain,
      logger,
      now: () => 0n,
      onDropped: (d) => dropped.push(`${d.key}=${d.errorName}`),
    });
    r.submit(
      "g",
      1n,
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => challenge(1n, i, BigInt(10 + i))),
    );
    await r.flush();
    expect(dropped).to.deep.equal(["challenge:1:16:5=ClockExpired"]);
    expect(sent.flatMap((s) => s.ids)).to.deep.equal([0, 1, 2, 3, 4, 6, 7].map((i) => `challenge:1:${i}`));
  });

  it("never sends a move twice: a read older than the block it was mined in is ignored", async () => {
    const { chain, sent } = fakeChain();
    const r = createResponder({ chain, logger, now: () => 0n });
    r.submit("g", 5n, [challenge(1n, 0, 100n)]);
    await r.flush();
    expect(sent).to.have.length(1);
    r.submit("g", 5n, [challenge(1n, 0, 100n)]); // a tick that read block 5 again
    r.submit("g", 4n, [challenge(1n, 0, 100n)]);
    await r.flush();
    expect(sent).to.have.length(1);
    expect(r.pending()).to.deep.equal([]);
  });

  it("a newer read replaces what its game had queued (moves no longer wanted leave the queue)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((res) => {
      release = res;
    });
    const { chain, sent } = fakeChain();
    const slow: ResponderChain = { ...chain, credit: () => gate.then(() => 0n) };
    const r = createResponder({ chain: slow, logger, now: () => 0n, gasOf: () => 6_000_000n });
    r.submit("g", 1n, [challenge(1n, 0, 10n), challenge(1n, 1, 20n), challenge(1n, 2, 30n)]);
    // While the first batch (index 0) is in flight, a newer read no longer wants index 2.
    r.submit("g", 2n, [challenge(1n, 0, 10n), challenge(1n, 1, 20n)]);
    release();
    await r.flush();
    expect(sent.flatMap((s) => s.ids)).to.deep.equal(["challenge:1:0", "challenge:1:1"]);
  });

  it("raises the capacity alarm once per move when the queue cannot be cleared before a deadline", async () => {
    const alarms: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((res) => {
      release = res;
    });
    const { chain } = fakeChain();
    const slow: ResponderChain = { ...chain, credit: () => gate.then(() => 0n) };
    const r = createResponder({
      chain: slow,
      logger,
      now: () => 1000n,
      txSeconds: 12,
      gasOf: () => 6_000_000n, // one move per batch
      onAlarm: (late) => alarms.push(...late.map((l) => l.key)),
    });
    // Three batches of 12 s each: the third lands at 1036, after its deadline 1030.
    r.submit("g", 1n, [challenge(1n, 0, 2000n), challenge(1n, 1, 2000n), challenge(1n, 2, 1030n)]);
    r.submit("g", 1n, [challenge(1n, 0, 2000n), challenge(1n, 1, 1020n), challenge(1n, 2, 1030n)]);
    release();
    await r.flush();
    // Deadline order puts 1020 and 1030 first (ETA 1012, 1024): nothing is late.
    expect(alarms).to.deep.equal([]);
    const { chain: c2 } = fakeChain();
    const r2 = createResponder({
      chain: c2,
      logger,
      now: () => 1000n,
      txSeconds: 12,
      gasOf: () => 6_000_000n,
      onAlarm: (late) => alarms.push(...late.map((l) => l.key)),
    });
    // ETAs 1012, 1024, 1036 against deadlines 1010, 1015, 1020 and 1100: three alarms, each once
    // (the check runs again before every batch).
    r2.submit("g", 1n, [
      challenge(1n, 0, 1010n),
      challenge(1n, 1, 1015n),
      challenge(1n, 2, 1020n),
      challenge(1n, 3, 1100n),
    ]);
    await r2.flush();
    expect(alarms).to.deep.equal(["challenge:1:16:0", "challenge:1:16:1", "challenge:1:16:2"]);
  });

  it("withdraws the game credit only when no queued move needs it", async () => {
    const { chain } = fakeChain({ credit: 500n });
    let release!: () => void;
    const gate = new Promise<void>((res) => {
      release = res;
    });
    const r = createResponder({
      chain: { ...chain, estimate: (c, v) => gate.then(() => chain.estimate(c, v)) },
      logger,
      now: () => 0n,
    });
    r.submit("g", 1n, [challenge(1n, 0, 10n)]);
    expect(r.needsCredit()).to.equal(true);
    const w = r.withdrawIdle();
    release();
    await r.flush();
    expect(await w).to.equal(500n); // ran after the batch that used the credit
    expect(await r.withdrawIdle()).to.equal(500n);
  });
});

// The proposal checker over in-memory jobs, programs and traces: every leaf of
// a batch is recomputed (the last one too), each wrong one alerts once, and a
// proposal that left Pending is not checked at all.

import { Writable } from "node:stream";
import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import type { Address, Hex } from "viem";
import type { Alert, Alerter } from "../alert/createAlerter.ts";
import { createChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import {
  type ChainIndex,
  createChainIndex,
  type JobRecord,
  type ProposalRecord,
} from "../monitor/createChainIndex.ts";
import type { ProgramImages } from "../programs/loadProgramImages.ts";
import type { JobSpec, TraceSource } from "../trace/createTraceSource.ts";
import { createProposalChecker } from "./createProposalChecker.ts";

const ROOT = `0x${"ab".repeat(32)}` as Hex;
const hash = (jobId: bigint) => `0x${jobId.toString(16).padStart(64, "0")}` as Hex;
const BAD = `0x${"ee".repeat(32)}` as Hex;

type SetupOptions = {
  pending?: boolean;
  /** The operator's --max-depth (the program's D is 10). */
  depthCap?: number;
  /** Jobs we never saw submitted (no JobSubmitted event in our range). */
  unseen?: bigint[];
  /** Recomputing this job waits until the test calls `release`. */
  held?: bigint;
  /** Recomputing this job fails once (a trace source that lost its broker). */
  failsOnce?: bigint;
  /** Alert keys the alerter already fired (before a restart). */
  fired?: string[];
  /** Check keys the counters already counted, shared by the runs of a restart. */
  counted?: Set<string>;
};

function setup(leaves: ResultLeaf[], opts: SetupOptions = {}) {
  const jobs = new Map<bigint, JobRecord>();
  for (let j = 1n; j <= 8n; j++)
    if (!opts.unseen?.includes(j))
      jobs.set(j, {
        jobId: j,
        programId: 1n,
        inputRoot: ROOT,
        input: new Uint8Array([Number(j)]),
        block: 1n,
      });
  const prop: ProposalRecord = {
    proposalId: 5n,
    proposer: "0x00000000000000000000000000000000000000aa" as Address,
    root: ROOT,
    deadline: 1_000n,
    jobCount: 8n,
    leaves,
    block: 2n,
    seenAtMs: 0,
  };
  const index = { jobs, proposals: new Map([[prop.proposalId, prop]]) } as unknown as ChainIndex;
  const recomputed: bigint[] = [];
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let failed = false;
  // Our T(2^D) of job j is hash(j), read from the input byte the job carries.
  const traces = {
    recompute: async (job: JobSpec) => {
      recomputed.push(job.jobId);
      if (job.jobId === opts.held) await gate;
      if (job.jobId === opts.failsOnce && !failed) {
        failed = true;
        throw new Error("broker gone");
      }
      return {
        stateHash: hash(BigInt(job.input[0])),
        status: 1,
        exitCode: 0,
        steps: 1n,
        outputRoot: ROOT,
        finalState: "0x",
      };
    },
  } as unknown as TraceSource;
  const programs: ProgramImages = {
    list: [],
    find: () => ({ path: "p.elf", image: {} as never, programRoot: ROOT, entry: 0 }),
  };
  const alerts: Alert[] = [];
  const fired = new Set<string>(opts.fired);
  const alerter: Alerter = {
    alert: (a) => {
      alerts.push(a);
      if (a.key && fired.has(a.key)) return false;
      if (a.key) fired.add(a.key);
      return true;
    },
    persistTo: () => {},
    flush: async () => {},
  };
  let statusReads = 0;
  const metrics = createChallengerMetrics({ defaults: false });
  // The operator reads the checker's log lines: captured as JSON objects.
  const logs: { level: string; msg: string; [k: string]: unknown }[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const checker = createProposalChecker({
    proposalStatus: async () => {
      statusReads++;
      return { pending: opts.pending ?? true, missing: false, activeNow: 400n };
    },
    index,
    program: async () => ({ programRoot: ROOT, entry: 0, depth: 10 }),
    programs,
    traces,
    depthCap: opts.depthCap === undefined ? undefined : () => opts.depthCap as number,
    alerter,
    metrics,
    counted: opts.counted && {
      once: (_id, key) => !opts.counted?.has(key) && Boolean(opts.counted?.add(key)),
    },
    logger: createLogger({ level: "info", mode: "json", destination }),
  });
  return { checker, prop, alerts, recomputed, statusReads: () => statusReads, metrics, logs, release };
}

describe("challenger/createProposalChecker", () => {
  it("checks every leaf of a multi-leaf batch, the last one included, and alerts on the wrong one", async () => {
    const leaves = [1n, 2n, 3n, 4n].map((j) => ({ jobId: j, finalStateHash: hash(j) }));
    leaves[3] = { jobId: 4n, finalStateHash: BAD };
    const s = setup(leaves);
    await s.checker.check(s.prop);
    expect(s.recomputed.sort()).to.deep.equal([1n, 2n, 3n, 4n]);
    const v = s.checker.verdicts(5n);
    expect(v.size).to.equal(4);
    expect(v.get(3)?.outcome).to.equal("wrong");
    for (const i of [0, 1, 2]) expect(v.get(i)?.outcome).to.equal("correct");
    expect(s.alerts).to.have.length(1);
    expect(s.alerts[0].kind).to.equal("wrong_leaf");
    expect(s.alerts[0].data).to.include({ proposalId: 5n, jobId: 4n, claimed: BAD, ours: hash(4n) });
    // Window left = deadline − active now, on the chain's clock.
    expect(s.alerts[0].data.windowLeftSeconds).to.equal(600n);
    expect(s.checker.done(5n)).to.equal(true);
    expect(s.checker.counters).to.deep.equal({ proposalsChecked: 1, wrongLeaves: 1 });
    expect(s.checker.pending()).to.equal(0);
  });

  it("finds a wrong first leaf too, and each wrong leaf once however often it checks", async () => {
    const s = setup([
      { jobId: 1n, finalStateHash: BAD },
      { jobId: 2n, finalStateHash: hash(2n) },
    ]);
    await s.checker.check(s.prop);
    await s.checker.check(s.prop);
    expect(s.checker.verdicts(5n).get(0)?.outcome).to.equal("wrong");
    expect(s.recomputed).to.deep.equal([1n, 2n]);
    expect(s.checker.counters.wrongLeaves).to.equal(1);
    expect(s.statusReads()).to.equal(1);
  });

  it("does not check a proposal that is no longer Pending", async () => {
    const s = setup([{ jobId: 1n, finalStateHash: BAD }], { pending: false });
    expect(s.checker.pending()).to.equal(1);
    await s.checker.check(s.prop);
    expect(s.recomputed).to.deep.equal([]);
    expect(s.alerts).to.deep.equal([]);
    expect(s.checker.done(5n)).to.equal(true);
    expect(s.checker.counters.proposalsChecked).to.equal(0);
  });

  it("answers one leaf on demand (no alert), reusing a verdict it already has", async () => {
    const s = setup([
      { jobId: 1n, finalStateHash: hash(1n) },
      { jobId: 2n, finalStateHash: BAD },
    ]);
    const v = await s.checker.verdictOf(s.prop, { jobId: 2n, finalStateHash: BAD });
    expect(v.outcome).to.equal("wrong");
    expect(s.alerts).to.deep.equal([]);
    await s.checker.check(s.prop);
    expect(s.recomputed).to.deep.equal([2n, 1n, 2n]);
    const again = await s.checker.verdictOf(s.prop, {
      jobId: 2n,
      finalStateHash: BAD.toUpperCase().replace("0X", "0x") as Hex,
    });
    expect(again.outcome).to.equal("wrong");
    expect(s.recomputed).to.have.length(3);
  });

  it("does not reuse a verdict for the same job under another claimed hash", async () => {
    const s = setup([{ jobId: 2n, finalStateHash: BAD }]);
    await s.checker.check(s.prop);
    expect(s.checker.verdicts(5n).get(0)?.outcome).to.equal("wrong");
    const honest = await s.checker.verdictOf(s.prop, { jobId: 2n, finalStateHash: hash(2n) });
    expect(honest.outcome).to.equal("correct");
    const other = await s.checker.verdictOf(s.prop, { jobId: 3n, finalStateHash: BAD });
    expect(other.outcome).to.equal("wrong");
    expect(other.leaf.jobId).to.equal(3n);
  });

  it("counts the leaves still to check of unsettled proposals only", async () => {
    const s = setup([
      { jobId: 1n, finalStateHash: hash(1n) },
      { jobId: 2n, finalStateHash: hash(2n) },
    ]);
    expect(s.checker.pending()).to.equal(2);
    s.prop.settled = "finalized";
    expect(s.checker.pending()).to.equal(0);
    expect(s.checker.done(5n)).to.equal(false);
  });
});

// What the operator sees: the metrics by outcome, the over-cap alert (a leaf this watchtower
// will NOT check must be loud), the summary line per proposal, and the on-demand path's reuse.

/** The value of a counter, or of one of its label sets. */
async function counter(
  c: { get: () => Promise<{ values: { value: number; labels: object }[] }> },
  labels: object = {},
) {
  const v = (await c.get()).values.find((x) => JSON.stringify(x.labels) === JSON.stringify(labels));
  return v?.value ?? 0;
}

/** How many recomputations the histogram observed. */
async function observed(h: { get: () => Promise<{ values: { value: number; metricName?: string }[] }> }) {
  return (await h.get()).values.find((x) => x.metricName?.endsWith("_count"))?.value ?? 0;
}

describe("challenger/createProposalChecker: what the operator sees", () => {
  it("counts each leaf by outcome and times only real recomputations", async () => {
    const startedMs = performance.now();
    const s = setup(
      [
        { jobId: 1n, finalStateHash: hash(1n) },
        { jobId: 2n, finalStateHash: BAD },
        { jobId: 3n, finalStateHash: hash(3n) },
        { jobId: 4n, finalStateHash: hash(4n) },
        { jobId: 5n, finalStateHash: hash(5n) },
        { jobId: 9n, finalStateHash: hash(9n) },
      ],
      { unseen: [4n] },
    );
    await s.checker.check(s.prop);
    const m = s.metrics;
    expect(await counter(m.leavesChecked, { outcome: "correct" })).to.equal(3);
    expect(await counter(m.leavesChecked, { outcome: "wrong" })).to.equal(1);
    expect(await counter(m.leavesChecked, { outcome: "unknown_program" })).to.equal(1);
    expect(await counter(m.leavesChecked, { outcome: "ignored" })).to.equal(1);
    expect(await counter(m.wrongLeaves)).to.equal(1);
    expect(await counter(m.proposalsChecked)).to.equal(1);
    // Unknown and ignored leaves recompute nothing: the histogram holds the four real ones.
    expect(await observed(m.recomputeSeconds)).to.equal(4);
    const sum = (await m.recomputeSeconds.get()).values.find((x) => x.metricName?.endsWith("_sum"));
    // Durations: together no longer than this test has run so far.
    expect(sum?.value)
      .to.be.at.least(0)
      .and.at.most((performance.now() - startedMs) / 1000);
    // The unseen job is logged as unchecked (no alert: it is not a wrong result), the summary says wrong.
    const warn = s.logs.filter((l) => l.level === "warn");
    expect(warn.map((l) => l.job)).to.deep.equal(["4"]);
    const summary = s.logs.filter((l) => l.level === "info");
    expect(summary).to.have.length(1);
    expect(summary[0]).to.include({ component: "checker", proposal: "5", leaves: 6, wrong: 1, unchecked: 1 });
    expect(summary[0].msg).to.equal("proposal has wrong results");
    expect(s.alerts.map((a) => a.kind)).to.deep.equal(["wrong_leaf"]);
  });

  it("says every result is correct only when it could recompute them all", async () => {
    const all = setup([{ jobId: 1n, finalStateHash: hash(1n) }]);
    await all.checker.check(all.prop);
    expect(all.logs.filter((l) => l.level === "info").map((l) => l.msg)).to.deep.equal([
      "proposal checked: all results correct",
    ]);
    const some = setup(
      [
        { jobId: 1n, finalStateHash: hash(1n) },
        { jobId: 2n, finalStateHash: hash(2n) },
      ],
      { unseen: [2n] },
    );
    await some.checker.check(some.prop);
    expect(some.logs.filter((l) => l.level === "info").map((l) => [l.msg, l.unchecked])).to.deep.equal([
      ["proposal checked: no wrong result among those we can recompute", 1],
    ]);
    expect(some.alerts).to.deep.equal([]);
  });

  it("alerts on each leaf above the operator's depth cap instead of skipping it silently", async () => {
    const s = setup(
      [
        { jobId: 1n, finalStateHash: hash(1n) },
        { jobId: 2n, finalStateHash: BAD },
      ],
      { depthCap: 9 },
    );
    await s.checker.check(s.prop);
    expect(s.recomputed).to.deep.equal([]);
    expect(s.alerts.map((a) => [a.kind, a.key])).to.deep.equal([
      ["over_cap", "over_cap:5:1"],
      ["over_cap", "over_cap:5:2"],
    ]);
    expect(s.alerts[1].data).to.deep.include({
      proposalId: 5n,
      jobId: 2n,
      depth: 10,
      cap: 9,
      windowLeftSeconds: 600n,
    });
    expect(s.logs.filter((l) => l.level === "warn")).to.deep.equal([]);
    expect(await counter(s.metrics.leavesChecked, { outcome: "unknown_program" })).to.equal(2);
    expect(await counter(s.metrics.wrongLeaves)).to.equal(0);
    expect(s.checker.counters).to.deep.equal({ proposalsChecked: 1, wrongLeaves: 0 });
    // At the cap itself the leaf is checked.
    const at = setup([{ jobId: 2n, finalStateHash: BAD }], { depthCap: 10 });
    await at.checker.check(at.prop);
    expect(at.alerts.map((a) => a.kind)).to.deep.equal(["wrong_leaf"]);
  });

  it("counts a wrong leaf in the metric once, when its alert is first raised", async () => {
    const s = setup([{ jobId: 2n, finalStateHash: BAD }]);
    await s.checker.check(s.prop);
    expect(await counter(s.metrics.wrongLeaves)).to.equal(1);
    // After a restart the alerter remembers the alert: the leaf is alerted again (deduplicated
    // by the alerter) but not counted a second time.
    const again = setup([{ jobId: 2n, finalStateHash: BAD }], { fired: [`wrong_leaf:5:2:${BAD}`] });
    await again.checker.check(again.prop);
    expect(again.alerts.map((a) => a.key)).to.deep.equal([`wrong_leaf:5:2:${BAD}`]);
    expect(await counter(again.metrics.wrongLeaves)).to.equal(0);
    expect(again.checker.counters.wrongLeaves).to.equal(1);
  });

  it("counts each leaf and the proposal once across restarts, and what a previous run did not reach", async () => {
    const leaves = [
      { jobId: 1n, finalStateHash: hash(1n) },
      { jobId: 2n, finalStateHash: BAD },
    ];
    const counted = new Set<string>();
    // The first run checks leaf 0; leaf 1's recomputation fails, and the daemon stops.
    const first = setup(leaves, { failsOnce: 2n, counted });
    await first.checker.check(first.prop).catch(() => undefined);
    expect(await counter(first.metrics.leavesChecked, { outcome: "correct" })).to.equal(1);
    expect(await counter(first.metrics.proposalsChecked)).to.equal(0);
    // The restarted run checks the still-pending proposal again: only leaf 1 and the proposal are new.
    const second = setup(leaves, { counted });
    await second.checker.check(second.prop);
    expect(await counter(second.metrics.leavesChecked, { outcome: "correct" })).to.equal(0);
    expect(await counter(second.metrics.leavesChecked, { outcome: "wrong" })).to.equal(1);
    expect(await counter(second.metrics.proposalsChecked)).to.equal(1);
    // Another restart counts nothing; its status still says what this process checked.
    const third = setup(leaves, { counted });
    await third.checker.check(third.prop);
    expect(await counter(third.metrics.leavesChecked, { outcome: "correct" })).to.equal(0);
    expect(await counter(third.metrics.leavesChecked, { outcome: "wrong" })).to.equal(0);
    expect(await counter(third.metrics.proposalsChecked)).to.equal(0);
    expect(third.checker.counters.proposalsChecked).to.equal(1);
  });

  it("reports the leaves still to check while a check runs, and finishes a proposal once", async () => {
    const s = setup(
      [
        { jobId: 1n, finalStateHash: hash(1n) },
        { jobId: 2n, finalStateHash: hash(2n) },
        { jobId: 3n, finalStateHash: BAD },
      ],
      { held: 3n },
    );
    const first = s.checker.check(s.prop);
    const second = s.checker.check(s.prop);
    while (s.checker.verdicts(5n).size < 2) await new Promise((r) => setImmediate(r));
    expect(s.checker.pending()).to.equal(1);
    expect(s.checker.done(5n)).to.equal(false);
    s.release();
    await Promise.all([first, second]);
    expect(s.checker.pending()).to.equal(0);
    expect(s.checker.counters.proposalsChecked).to.equal(1);
    expect(await counter(s.metrics.proposalsChecked)).to.equal(1);
    expect(s.logs.filter((l) => l.level === "info")).to.have.length(1);
  });

  it("keeps the verdicts of a check that failed midway and recomputes only the rest", async () => {
    const s = setup(
      [
        { jobId: 1n, finalStateHash: hash(1n) },
        { jobId: 2n, finalStateHash: BAD },
      ],
      { failsOnce: 2n },
    );
    let error: unknown;
    await s.checker.check(s.prop).catch((e) => {
      error = e;
    });
    expect(String(error)).to.contain("broker gone");
    expect(s.checker.done(5n)).to.equal(false);
    await s.checker.check(s.prop);
    expect([...s.recomputed].sort()).to.deep.equal([1n, 2n, 2n]);
    expect(s.checker.verdicts(5n).get(1)?.outcome).to.equal("wrong");
    expect(s.checker.done(5n)).to.equal(true);
  });

  it("recomputes an on-demand leaf once however often it is asked, and again after a failure", async () => {
    const s = setup([{ jobId: 1n, finalStateHash: hash(1n) }], { failsOnce: 2n });
    const leaf = { jobId: 2n, finalStateHash: BAD };
    let error: unknown;
    await s.checker.verdictOf(s.prop, leaf).catch((e) => {
      error = e;
    });
    expect(String(error)).to.contain("broker gone");
    // Not cached as failed: asked again, it recomputes (and both concurrent asks share one run).
    const [a, b] = await Promise.all([s.checker.verdictOf(s.prop, leaf), s.checker.verdictOf(s.prop, leaf)]);
    expect([a.outcome, b.outcome]).to.deep.equal(["wrong", "wrong"]);
    expect(s.recomputed).to.deep.equal([2n, 2n]);
    // The on-demand path alerts and counts nothing: the game decides what to do.
    expect(s.alerts).to.deep.equal([]);
    expect(await counter(s.metrics.leavesChecked, { outcome: "wrong" })).to.equal(0);
    expect(await observed(s.metrics.recomputeSeconds)).to.equal(1);
  });

  it("reuses a checked verdict only for the same job and the same claimed hash", async () => {
    const s = setup([
      { jobId: 1n, finalStateHash: hash(1n) },
      { jobId: 2n, finalStateHash: hash(2n) },
    ]);
    await s.checker.check(s.prop);
    expect(s.recomputed.sort()).to.deep.equal([1n, 2n]);
    // Same job, another hash: recomputed and judged wrong, never the stored "correct".
    const lie = await s.checker.verdictOf(s.prop, { jobId: 1n, finalStateHash: BAD });
    expect(lie.outcome).to.equal("wrong");
    expect(lie.leaf.finalStateHash).to.equal(BAD);
    // Other job, a hash one of the stored verdicts has: not that verdict either.
    const moved = await s.checker.verdictOf(s.prop, { jobId: 3n, finalStateHash: hash(2n) });
    expect(moved.outcome).to.equal("wrong");
    expect(moved.leaf.jobId).to.equal(3n);
    expect(s.recomputed).to.have.length(4);
    // Same job and hash (in another case): the stored verdict, nothing recomputed.
    const same = await s.checker.verdictOf(s.prop, {
      jobId: 2n,
      finalStateHash: hash(2n).toUpperCase().replace("0X", "0x") as Hex,
    });
    expect(same).to.equal(s.checker.verdicts(5n).get(1));
    expect(s.recomputed).to.have.length(4);
  });
});

// A reorg can give a proposal's id to another proposal: verdicts and "done" belong to the
// proposal they were made for (its root), and a proposal the node does not know (reorged out,
// about to land again) is not done. A checker that kept them by id alone would call the new,
// lying proposal checked and correct, and nobody would challenge it.

const OURS: Hex = `0x${"0a".repeat(32)}`;
const LIE: Hex = `0x${"0b".repeat(32)}`;

function proposal(root: string, finalStateHash: Hex, proposer: Hex): ProposalRecord {
  return {
    proposalId: 1n,
    proposer,
    root: `0x${root.repeat(32)}`,
    deadline: 1_000n,
    jobCount: 1n,
    leaves: [{ jobId: 1n, finalStateHash }],
    block: 10n,
    seenAtMs: 0,
  };
}

describe("challenger/createProposalChecker: a proposal id reused after a reorg", () => {
  it("checks the proposal now under the id afresh, not by the verdicts of the replaced one", async () => {
    const index = createChainIndex();
    index.jobs.set(1n, { jobId: 1n, programId: 1n, inputRoot: OURS, input: new Uint8Array(), block: 1n });
    let status = 1;
    const alerts: string[] = [];
    const checker = createProposalChecker({
      // ProposalStatus: 0 None (not on the node's chain), 1 Pending.
      proposalStatus: async () => ({ pending: status === 1, missing: status === 0, activeNow: 0n }),
      index,
      program: async () => ({ programRoot: OURS, entry: 0, depth: 10 }),
      programs: { list: [], find: () => ({ image: {} }) } as unknown as ProgramImages,
      traces: { recompute: async () => ({ stateHash: OURS, steps: 100n }) } as unknown as TraceSource,
      alerter: {
        alert: (a: { kind: string }) => {
          alerts.push(a.kind);
          return true;
        },
      } as unknown as Alerter,
      metrics: createChallengerMetrics({ defaults: false }),
      logger: createLogger({ level: "silent" }),
    });

    // The honest proposal holds id 1: checked, correct.
    const honest = proposal("aa", OURS, "0x00000000000000000000000000000000000000a1");
    index.proposals.set(1n, honest);
    await checker.check(honest);
    expect(checker.done(1n)).to.equal(true);
    expect([...checker.verdicts(1n).values()].map((v) => v.outcome)).to.deep.equal(["correct"]);

    // A reorg: the new branch has a lie under id 1 (the honest one lands later, under another id).
    index.forget(10n);
    const lie = proposal("bb", LIE, "0x00000000000000000000000000000000000000b2");
    index.proposals.set(1n, lie);
    expect(checker.done(1n), "the lie is not checked yet").to.equal(false);
    expect(checker.verdicts(1n).size).to.equal(0);
    expect(checker.pending()).to.equal(1);
    // Read while the node does not have it yet (ProposalStatus.None): not done, checked later.
    status = 0;
    await checker.check(lie);
    expect(checker.done(1n), "a proposal the node does not know is not done").to.equal(false);
    status = 1;
    await checker.check(lie);
    expect([...checker.verdicts(1n).values()].map((v) => v.outcome)).to.deep.equal(["wrong"]);
    expect(alerts).to.deep.equal(["wrong_leaf"]);
    expect((await checker.verdictOf(lie, lie.leaves[0])).outcome).to.equal("wrong");
  });
});

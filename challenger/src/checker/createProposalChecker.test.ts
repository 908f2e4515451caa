// The proposal checker over in-memory jobs, programs and traces: every leaf of
// a batch is recomputed (the last one too), each wrong one alerts once, and a
// proposal that left Pending is not checked at all.

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

function setup(leaves: ResultLeaf[], opts: { pending?: boolean } = {}) {
  const jobs = new Map<bigint, JobRecord>();
  for (let j = 1n; j <= 8n; j++)
    jobs.set(j, { jobId: j, programId: 1n, inputRoot: ROOT, input: new Uint8Array([Number(j)]), block: 1n });
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
  // Our T(2^D) of job j is hash(j), read from the input byte the job carries.
  const traces = {
    recompute: async (job: JobSpec) => {
      recomputed.push(job.jobId);
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
  const fired = new Set<string>();
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
  const checker = createProposalChecker({
    proposalStatus: async () => {
      statusReads++;
      return { pending: opts.pending ?? true, missing: false, activeNow: 400n };
    },
    index,
    program: async () => ({ programRoot: ROOT, entry: 0, depth: 10 }),
    programs,
    traces,
    alerter,
    metrics: createChallengerMetrics({ defaults: false }),
    logger: createLogger({ level: "silent", mode: "json" }),
  });
  return { checker, prop, alerts, recomputed, statusReads: () => statusReads };
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

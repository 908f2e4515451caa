// The checker across a reorg that gives a proposal id to another proposal
// (fakes for the chain, the programs and the recomputation): verdicts and
// "done" belong to the proposal they were made for (its root), and a proposal
// the node does not know (reorged out, about to land again) is not done. A checker that
// kept them by id alone would call the new, lying proposal checked and
// correct, and nobody would challenge it.

import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import type { Chain, Hex, PublicClient, Transport } from "viem";
import type { Alerter } from "../alert/createAlerter.ts";
import { createChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import { createChainIndex, type ProposalRecord } from "../monitor/createChainIndex.ts";
import type { ProgramImages } from "../programs/loadProgramImages.ts";
import type { TraceSource } from "../trace/createTraceSource.ts";
import { createProposalChecker } from "./createProposalChecker.ts";

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
    const publicClient = {
      readContract: async ({ functionName }: { functionName: string }) =>
        functionName === "getProposal" ? { status } : 0n,
    } as unknown as PublicClient<Transport, Chain>;
    const alerts: string[] = [];
    const checker = createProposalChecker({
      publicClient,
      verdict: "0x0000000000000000000000000000000000000001",
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

// Recomputes every leaf of every pending proposal (once: verdicts are final,
// since the programs we hold and the jobs' inputs never change) and alerts on
// each wrong one. Also answers for a single leaf on demand: after a restart,
// a game on a proposal that already settled still needs to know whether we
// dispute its leaf before we play it to collect our bonds.

import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import type { Hex } from "viem";
import type { Alerter } from "../alert/createAlerter.ts";
import type { ChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import type { CountedLedger } from "../metrics/createCountedLedger.ts";
import type { ChainIndex, ProposalRecord } from "../monitor/createChainIndex.ts";
import type { ProgramImages } from "../programs/loadProgramImages.ts";
import type { TraceSource } from "../trace/createTraceSource.ts";
import { checkLeaf, type LeafVerdict, type OnchainProgram } from "./checkLeaf.ts";

/** A proposal's onchain status, read once per check (the checker's only chain access). */
/** `missing`: the node does not know the proposal (ProposalStatus.None); `pending`: it can still be challenged. */
export type ProposalStatusReader = (
  proposalId: bigint,
) => Promise<{ pending: boolean; missing: boolean; activeNow: bigint }>;

export type CreateProposalCheckerParameters = {
  /** Whether the proposal is still Pending, and the protocol's active time (Verdict.activeNow). */
  proposalStatus: ProposalStatusReader;
  index: ChainIndex;
  program: (programId: bigint) => Promise<OnchainProgram>;
  programs: ProgramImages;
  traces: TraceSource;
  /** The operator's cap on D per program root (--max-depth). */
  depthCap?: (programRoot: Hex) => number;
  alerter: Alerter;
  metrics: ChallengerMetrics;
  /**
   * Which checks the counters already counted, in this run or a previous one: a restart checks
   * every pending proposal again, and counts only what it had not. Default: every check counts.
   */
  counted?: Pick<CountedLedger, "once">;
  logger: Logger;
};

export type ProposalChecker = {
  /** Checks every leaf of a proposal still Pending; alerts on wrong ones. */
  check: (prop: ProposalRecord) => Promise<void>;
  /** True once every leaf of the proposal has a verdict (or it is no longer Pending). */
  done: (proposalId: bigint) => boolean;
  /** The verdicts known for a proposal, by leaf index. */
  verdicts: (proposalId: bigint) => ReadonlyMap<number, LeafVerdict>;
  /** The verdict of one leaf of a proposal (computed on demand, not alerted). */
  verdictOf: (prop: ProposalRecord, leaf: ResultLeaf) => Promise<LeafVerdict>;
  /** Leaves of unfinished checks. */
  pending: () => number;
  /** What this process checked (the metrics count each check once across restarts). */
  counters: { proposalsChecked: number; wrongLeaves: number };
};

/** What is known of one proposal: its verdicts hold only for the root they were made for. */
type State = { root: Hex; verdicts: Map<number, LeafVerdict>; done: boolean };

export function createProposalChecker(p: CreateProposalCheckerParameters): ProposalChecker {
  const { proposalStatus, index, program, programs, traces, alerter, metrics } = p;
  const counted = p.counted ?? { once: () => true };
  const log = p.logger.child({ component: "checker" });
  const states = new Map<bigint, State>();
  const single = new Map<string, Promise<LeafVerdict>>();
  const counters = { proposalsChecked: 0, wrongLeaves: 0 };
  // Keyed by id, checked against the root: a reorg can give a proposal's id to another proposal
  // (other leaves, maybe another proposer), whose leaves must be checked afresh, never judged by
  // the verdicts (or the "done") of the one the replaced blocks carried.
  const stateOf = (prop: Pick<ProposalRecord, "proposalId" | "root">) => {
    let st = states.get(prop.proposalId);
    if (!st || st.root.toLowerCase() !== prop.root.toLowerCase()) {
      st = { root: prop.root, verdicts: new Map(), done: false };
      states.set(prop.proposalId, st);
    }
    return st;
  };
  /** The state of the proposal the index knows under `id` now, if it was looked at. */
  const current = (id: bigint) => {
    const prop = index.proposals.get(id);
    const st = states.get(id);
    return prop && st && st.root.toLowerCase() === prop.root.toLowerCase() ? st : undefined;
  };

  async function judge(prop: ProposalRecord, leaf: ResultLeaf): Promise<LeafVerdict> {
    const t0 = performance.now();
    const v = await checkLeaf({
      leaf,
      jobCount: prop.jobCount,
      job: index.jobs.get(leaf.jobId),
      program,
      programs,
      traces,
      depthCap: p.depthCap,
      deadline: prop.deadline,
    });
    if (v.outcome === "correct" || v.outcome === "wrong")
      metrics.recomputeSeconds.observe((performance.now() - t0) / 1000);
    return v;
  }

  async function check(prop: ProposalRecord) {
    const st = stateOf(prop);
    if (st.done) return;
    const { pending, missing, activeNow: now } = await proposalStatus(prop.proposalId);
    // Not on the chain the node answered from (a reorg took it out, or the node lags behind our
    // index): it may land again, so check it on a later tick, never call it done.
    if (missing) return;
    // Anything but Pending cannot be challenged any more.
    if (!pending) {
      st.done = true;
      return;
    }
    const results = await Promise.all(
      prop.leaves.map(async (leaf, i) => {
        const known = st.verdicts.get(i);
        if (known) return known;
        const v = await judge(prop, leaf);
        if (counted.once(prop.proposalId, `leaf:${prop.proposalId}:${prop.root.toLowerCase()}:${i}`))
          metrics.leavesChecked.inc({ outcome: v.outcome === "unknown" ? "unknown_program" : v.outcome });
        st.verdicts.set(i, v);
        if (v.outcome === "wrong") {
          counters.wrongLeaves++;
          // Counted when first alerted: a restart re-checks from the chain and must not count it again.
          const fresh = alerter.alert({
            kind: "wrong_leaf",
            key: `wrong_leaf:${prop.proposalId}:${leaf.jobId}:${leaf.finalStateHash}`,
            message: `proposal ${prop.proposalId} by ${prop.proposer} claims a wrong result for job ${leaf.jobId}`,
            data: {
              proposalId: prop.proposalId,
              proposer: prop.proposer,
              jobId: leaf.jobId,
              claimed: leaf.finalStateHash,
              ours: v.ours,
              windowLeftSeconds: BigInt(prop.deadline) - BigInt(now),
            },
          });
          if (fresh) metrics.wrongLeaves.inc();
        } else if (v.outcome === "unknown" && v.overCap) {
          alerter.alert({
            kind: "over_cap",
            key: `over_cap:${prop.proposalId}:${leaf.jobId}`,
            message: `proposal ${prop.proposalId}: job ${leaf.jobId} is NOT checked: ${v.reason}`,
            data: {
              proposalId: prop.proposalId,
              jobId: leaf.jobId,
              depth: v.overCap.depth,
              cap: v.overCap.cap,
              windowLeftSeconds: BigInt(prop.deadline) - BigInt(now),
            },
          });
        } else if (v.outcome === "unknown") {
          log.warn(
            { proposal: prop.proposalId.toString(), job: leaf.jobId.toString(), reason: v.reason },
            "cannot check leaf",
          );
        }
        return v;
      }),
    );
    if (st.done) return;
    st.done = true;
    counters.proposalsChecked++;
    if (counted.once(prop.proposalId, `proposal:${prop.proposalId}:${prop.root.toLowerCase()}`))
      metrics.proposalsChecked.inc();
    const wrong = results.filter((v) => v.outcome === "wrong").length;
    const unknown = results.filter((v) => v.outcome === "unknown").length;
    log.info(
      { proposal: prop.proposalId.toString(), leaves: results.length, wrong, unchecked: unknown },
      wrong
        ? "proposal has wrong results"
        : unknown
          ? "proposal checked: no wrong result among those we can recompute"
          : "proposal checked: all results correct",
    );
  }

  function verdictOf(prop: ProposalRecord, leaf: ResultLeaf): Promise<LeafVerdict> {
    for (const v of stateOf(prop).verdicts.values())
      if (
        v.leaf.jobId === leaf.jobId &&
        v.leaf.finalStateHash.toLowerCase() === leaf.finalStateHash.toLowerCase()
      )
        return Promise.resolve(v);
    const key = `${prop.proposalId}:${prop.root}:${leaf.jobId}:${leaf.finalStateHash.toLowerCase()}`;
    let hit = single.get(key);
    if (!hit) {
      hit = judge(prop, leaf);
      hit.catch(() => single.delete(key));
      single.set(key, hit);
    }
    return hit;
  }

  return {
    check,
    done: (id) => current(id)?.done ?? false,
    verdicts: (id) => current(id)?.verdicts ?? new Map(),
    verdictOf,
    pending: () => {
      let n = 0;
      for (const prop of index.proposals.values()) {
        const st = current(prop.proposalId);
        if (!prop.settled && !st?.done) n += prop.leaves.length - (st?.verdicts.size ?? 0);
      }
      return n;
    },
    counters,
  };
}

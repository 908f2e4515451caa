// Proposer metrics: the shared daemon set (games, moves, clocks, bonds, RPC)
// plus the job pipeline (seen → executed → proposed → finalized → recorded →
// opened → published). Counters count each thing once across restarts: what
// a restarted proposer reads again while it backfills (events it already
// counted, results from its cache) is not counted again (createProposer).

import { createDaemonMetrics } from "@verdict/shared/src/metrics/createDaemonMetrics.ts";
import { Counter, Gauge } from "prom-client";

export type ProposerMetrics = ReturnType<typeof createProposerMetrics>;

export function createProposerMetrics({ defaults = true }: { defaults?: boolean } = {}) {
  const base = createDaemonMetrics({ prefix: "verdict_proposer_", defaults });
  const r = [base.registry];
  const p = "verdict_proposer_";
  return {
    ...base,
    jobsSeen: new Counter({ name: `${p}jobs_seen_total`, help: "JobSubmitted events seen", registers: r }),
    jobsExecuted: new Counter({
      name: `${p}jobs_executed_total`,
      help: "Jobs executed (a result read back from the cache is not counted)",
      registers: r,
    }),
    jobsSkipped: new Counter({
      name: `${p}jobs_skipped_total`,
      help: "Jobs not served, by reason",
      labelNames: ["reason"] as const,
      registers: r,
    }),
    proposals: new Counter({ name: `${p}proposals_total`, help: "Proposals submitted", registers: r }),
    proposedResults: new Counter({
      name: `${p}proposed_results_total`,
      help: "Result leaves proposed",
      registers: r,
    }),
    proposalsFinalized: new Counter({
      name: `${p}proposals_finalized_total`,
      help: "Our proposals finalized",
      registers: r,
    }),
    proposalsDefeated: new Counter({
      name: `${p}proposals_defeated_total`,
      help: "Our proposals defeated",
      registers: r,
    }),
    resultsRecorded: new Counter({
      name: `${p}results_recorded_total`,
      help: "Results recorded from our proposals",
      registers: r,
    }),
    outputsOpened: new Counter({
      name: `${p}outputs_opened_total`,
      help: "Job outputs opened",
      registers: r,
    }),
    outputsPublished: new Counter({
      name: `${p}outputs_published_total`,
      help: "Job output bytes published onchain (--publish-outputs)",
      registers: r,
    }),
    runningResults: new Counter({
      name: `${p}running_results_total`,
      help: "Jobs whose result is RUNNING: the step budget 2^D ran out before the program halted",
      registers: r,
    }),
    withdrawnWei: new Counter({
      name: `${p}withdrawn_wei_total`,
      help: "Wei withdrawn (fees and bonds)",
      registers: r,
    }),
    pendingResults: new Gauge({
      name: `${p}pending_results`,
      help: "Executed results waiting for a batch",
      registers: r,
    }),
  };
}

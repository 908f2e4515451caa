// Prometheus metrics of the challenger: the shared daemon set (RPC health,
// transactions, games, moves, clocks, bonds) plus what only a watchtower
// measures: proposals and leaves checked, wrong leaves, time to challenge,
// bonds won, alerts.

import { createDaemonMetrics } from "@verdict/shared/src/metrics/createDaemonMetrics.ts";
import { Counter, Gauge, Histogram } from "prom-client";

export type CreateChallengerMetricsParameters = {
  /** Process metrics (CPU, memory, event loop); off in tests. */
  defaults?: boolean;
};

export type ChallengerMetrics = ReturnType<typeof createChallengerMetrics>;

export const CHALLENGER_METRICS_PREFIX = "verdict_challenger_";

export function createChallengerMetrics({ defaults = true }: CreateChallengerMetricsParameters = {}) {
  const base = createDaemonMetrics({ prefix: CHALLENGER_METRICS_PREFIX, defaults });
  const p = CHALLENGER_METRICS_PREFIX;
  const r = [base.registry];
  return {
    ...base,
    proposalsChecked: new Counter({
      name: `${p}proposals_checked_total`,
      help: "Proposals whose every leaf was recomputed",
      registers: r,
    }),
    leavesChecked: new Counter({
      name: `${p}leaves_checked_total`,
      help: "Result leaves recomputed, by outcome (correct, wrong, unknown_program, ignored)",
      labelNames: ["outcome"] as const,
      registers: r,
    }),
    wrongLeaves: new Counter({
      name: `${p}wrong_leaves_total`,
      help: "Result leaves whose claim differs from our recomputation",
      registers: r,
    }),
    gamesOpened: new Counter({
      name: `${p}games_opened_total`,
      help: "Games this challenger opened",
      registers: r,
    }),
    timeToChallengeSeconds: new Histogram({
      name: `${p}time_to_challenge_seconds`,
      help: "From the block of a wrong proposal to our challenge transaction being mined (chain time)",
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600],
      registers: r,
    }),
    recomputeSeconds: new Histogram({
      name: `${p}recompute_seconds`,
      help: "Wall time to recompute one job's final state",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers: r,
    }),
    bondsWonWei: new Counter({
      name: `${p}bonds_won_wei_total`,
      help: "Wei paid to us by games we won",
      registers: r,
    }),
    withdrawnWei: new Counter({
      name: `${p}withdrawn_wei_total`,
      help: "Wei withdrawn from our protocol credit",
      registers: r,
    }),
    alerts: new Counter({
      name: `${p}alerts_total`,
      help: "Alerts raised, by kind (wrong_leaf, wrong_dissection, refused_move, late_challenge, game_lost)",
      labelNames: ["kind"] as const,
      registers: r,
    }),
    webhookFailures: new Counter({
      name: `${p}alert_webhook_failures_total`,
      help: "Alert webhook POSTs that failed",
      registers: r,
    }),
    pendingChecks: new Gauge({
      name: `${p}pending_checks`,
      help: "Leaves waiting for recomputation",
      registers: r,
    }),
    capacityShortfall: new Gauge({
      name: `${p}capacity_shortfall_seconds`,
      help: "By how much the queued checks are predicted to miss their proposals' windows (steps queued ÷ measured steps per second); 0 when every check fits",
      registers: r,
    }),
    checkStepsPerSecond: new Gauge({
      name: `${p}check_steps_per_second`,
      help: "Machine steps per second of one check slot, as the capacity predictions use it (measured on finished checks; the assumed rate until one is timed)",
      registers: r,
    }),
    capacityAlarms: new Counter({
      name: `${p}capacity_alarms_total`,
      help: "Proposals predicted to be checked after their window closes (once per proposal)",
      registers: r,
    }),
  };
}

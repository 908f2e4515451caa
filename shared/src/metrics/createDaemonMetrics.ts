// Metrics both daemons share (games, moves, clocks, bonds, RPC health), on a
// fresh prom-client registry so tests and several daemons in one process never
// collide on the global default registry. Each daemon adds its own on top.

import { readFileSync } from "node:fs";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** The library's version from its package.json ("unknown" when not found, e.g. a bundled copy). */
function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version);
  } catch {
    return "unknown";
  }
}

export type CreateDaemonMetricsParameters = {
  /** Metric name prefix, e.g. "verdict_proposer_". */
  prefix: string;
  /** Process metrics (CPU, memory, event loop); off in tests. */
  defaults?: boolean;
};

export type DaemonMetrics = ReturnType<typeof createDaemonMetrics>;

export function createDaemonMetrics({ prefix, defaults = true }: CreateDaemonMetricsParameters) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix });
  const r = [registry];
  const buildInfo = new Gauge({
    name: `${prefix}build_info`,
    help: "Always 1; labels carry the software version and Node.js version",
    labelNames: ["version", "node"] as const,
    registers: r,
  });
  buildInfo.set({ version: packageVersion(), node: process.version }, 1);
  return {
    registry,
    buildInfo,
    accountBalanceWei: new Gauge({
      name: `${prefix}account_balance_wei`,
      help: "ETH balance of the daemon's account, in wei",
      registers: r,
    }),
    cannotAffordBond: new Gauge({
      name: `${prefix}cannot_afford_next_bond`,
      help: "1 when the account's balance is below the bond its next transaction needs (proposer bond or claim bond)",
      registers: r,
    }),
    protocolPaused: new Gauge({
      name: `${prefix}protocol_paused`,
      help: "1 while the protocol is paused by the guardian",
      registers: r,
    }),
    rpcErrors: new Counter({
      name: `${prefix}rpc_errors_total`,
      help: "RPC calls that failed (before retry), by kind",
      labelNames: ["kind"] as const,
      registers: r,
    }),
    txSent: new Counter({
      name: `${prefix}transactions_sent_total`,
      help: "Transactions broadcast, by function (replacements counted)",
      labelNames: ["function"] as const,
      registers: r,
    }),
    txFailed: new Counter({
      name: `${prefix}transactions_failed_total`,
      help: "Transactions that reverted or could not be sent, by function and error (lost races excluded)",
      labelNames: ["function", "error"] as const,
      registers: r,
    }),
    txRaced: new Counter({
      name: `${prefix}transactions_raced_total`,
      help: "Transactions refused because someone else acted first or it was too early (expected; the next tick re-reads), by function and error",
      labelNames: ["function", "error"] as const,
      registers: r,
    }),
    feeBumps: new Counter({
      name: `${prefix}fee_bumps_total`,
      help: "Stuck transactions re-sent with a higher fee",
      registers: r,
    }),
    gamesActive: new Gauge({ name: `${prefix}games_active`, help: "Games in progress", registers: r }),
    gamesWon: new Counter({
      name: `${prefix}games_won_total`,
      help: "Games resolved in our favour",
      registers: r,
    }),
    gamesLost: new Counter({
      name: `${prefix}games_lost_total`,
      help: "Games resolved against us",
      registers: r,
    }),
    movesSent: new Counter({
      name: `${prefix}moves_sent_total`,
      help: "Game moves sent, by kind (dissect, pick, step, timeout)",
      labelNames: ["kind"] as const,
      registers: r,
    }),
    clockRemainingSeconds: new Gauge({
      name: `${prefix}clock_remaining_seconds`,
      help: "Our chess-clock time left in each active game",
      labelNames: ["game"] as const,
      registers: r,
    }),
    bondAtStakeWei: new Gauge({
      name: `${prefix}bond_at_stake_wei`,
      help: "Bonds we have locked in proposals and games, in wei",
      registers: r,
    }),
    headBlock: new Gauge({ name: `${prefix}head_block`, help: "Latest block seen", registers: r }),
    lastPollSeconds: new Gauge({
      name: `${prefix}last_successful_poll_timestamp_seconds`,
      help: "Unix time of the last poll of the chain that succeeded (RPC health)",
      registers: r,
    }),
    processedBlock: new Gauge({
      name: `${prefix}processed_block`,
      help: "Latest confirmed block whose events are handled",
      registers: r,
    }),
    cacheEvents: new Counter({
      name: `${prefix}trace_cache_total`,
      help: "Trace cache lookups by outcome (hit, miss, corrupt)",
      labelNames: ["outcome"] as const,
      registers: r,
    }),
  };
}

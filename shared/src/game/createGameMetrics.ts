// Prometheus metrics of the game layer (responder queue, batches, deadline
// alarms), registered on the daemon's registry under its prefix, so both
// daemons report the same names: verdict_proposer_game_… and
// verdict_challenger_game_….

import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type GameMetrics = ReturnType<typeof createGameMetrics>;

export type CreateGameMetricsParameters = {
  registry: Registry;
  /** e.g. "verdict_challenger_". */
  prefix: string;
  /** The daemon's existing moves counter (label `kind`), reused instead of a second one. */
  movesSent?: Counter<"kind">;
};

export function createGameMetrics({ registry, prefix, movesSent }: CreateGameMetricsParameters) {
  const r = [registry];
  const p = `${prefix}game_`;
  return {
    actionsQueued: new Gauge({ name: `${p}actions_queued`, help: "Moves waiting to be sent", registers: r }),
    actionsLate: new Gauge({
      name: `${p}actions_late`,
      help: "Queued moves that the measured send rate cannot deliver before their clock runs out",
      registers: r,
    }),
    deadlineAlarms: new Counter({
      name: `${p}deadline_alarms_total`,
      help: "Capacity alarms: a queued move predicted to miss its deadline (counted once per move)",
      registers: r,
    }),
    secondsToNextDeadline: new Gauge({
      name: `${p}seconds_to_next_deadline`,
      help: "Active seconds until the most urgent queued move's clock runs out",
      registers: r,
    }),
    batchesSent: new Counter({
      name: `${p}batches_sent_total`,
      help: "multicall transactions mined",
      registers: r,
    }),
    batchActions: new Histogram({
      name: `${p}batch_actions`,
      help: "Moves per multicall transaction",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: r,
    }),
    batchSeconds: new Gauge({
      name: `${p}batch_seconds`,
      help: "Measured time from sending a batch to its receipt (moving average)",
      registers: r,
    }),
    actionsDropped: new Counter({
      name: `${p}actions_dropped_total`,
      help: "Moves the chain refused at simulation (someone moved first, or a clock ran out), by kind and error",
      labelNames: ["kind", "error"] as const,
      registers: r,
    }),
    movesSent:
      movesSent ??
      new Counter({
        name: `${p}moves_total`,
        help: "Moves mined, by kind (openGame, dissect, challenge, step, resolveNode)",
        labelNames: ["kind"] as const,
        registers: r,
      }),
    bondShortfall: new Gauge({
      name: `${p}bond_shortfall_wei`,
      help: "ETH the queued bonded moves need beyond our balance and game credit (0 when every bond is affordable)",
      registers: r,
    }),
    refusedGames: new Gauge({
      name: `${p}refused`,
      help: "Games in which our trace contradicts what we must agree with (we do not move there)",
      registers: r,
    }),
  };
}

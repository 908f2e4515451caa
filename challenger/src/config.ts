// The challenger's configuration: every option, where it may come from (flag,
// VERDICT_* environment variable, JSON config file) and how it is validated.
// Same names and style as the proposer's; the connection (chain, deployment,
// key) takes the chain commands' flags and variables
// (shared/src/cli/daemonConnection.ts). A raw key is a secret field: never
// echoed in an error or a log.

import {
  daemonConnectionSchema,
  daemonKeySchema,
  resolveDaemonConnection,
  type WithConnection,
} from "@verdict/shared/src/cli/daemonConnection.ts";
import { buildConfig, type ConfigOf } from "@verdict/shared/src/config/buildConfig.ts";
import {
  bigintField,
  boolField,
  depthCapsField,
  enumField,
  intField,
  parseDepthCaps,
  stringField,
  urlField,
} from "@verdict/shared/src/config/fields.ts";

export const challengerSchema = {
  // --rpc-url, --deployment, --verdict: the chain commands' connection flags and variables.
  ...daemonConnectionSchema,
  chainId: intField({
    description:
      "chain id the --rpc-url node must serve (default: the deployment file's): another chain's node is refused at startup, and a later answer naming another chain is not used",
    env: "VERDICT_CHAIN_ID",
    min: 1,
  }),
  programs: stringField({
    description: "comma-separated ELF files (or directories of *.elf) of the programs to check",
    env: "VERDICT_PROGRAMS",
    required: true,
  }),
  // --keystore, --password-file, --private-key: as for every chain command.
  ...daemonKeySchema,
  interpreter: boolField({
    description:
      "execute guests with the reference interpreter instead of the block compiler (same results, several times slower)",
    env: "VERDICT_INTERPRETER",
    default: false,
  }),
  watchOnly: boolField({
    description: "check and alert only: never send a transaction (no key needed)",
    env: "VERDICT_WATCH_ONLY",
    default: false,
  }),
  confirmations: intField({
    description: "blocks an event must be buried before it is acted on",
    env: "VERDICT_CONFIRMATIONS",
    max: 1000,
    default: 2,
  }),
  startBlock: bigintField({
    description: "first block to scan for events (default: the deployment file's block, else 0)",
    env: "VERDICT_START_BLOCK",
  }),
  pollMs: intField({
    description: "head polling interval (ms)",
    env: "VERDICT_POLL_MS",
    min: 10,
    default: 2_000,
  }),
  workers: intField({
    description: "worker threads recomputing jobs",
    env: "VERDICT_WORKERS",
    min: 0,
    max: 64,
    default: 1,
  }),
  redisUrl: urlField({
    description:
      "broker of this watchtower's `verdict worker` processes (redis://host:port): recomputations go to its queue instead of the in-process threads",
    env: "VERDICT_REDIS_URL",
    protocols: ["redis:", "rediss:"],
  }),
  queue: stringField({
    description: "name of the broker queue (daemons and workers of one watchtower must agree)",
    env: "VERDICT_QUEUE",
    default: "verdict-recompute",
  }),
  gameConcurrency: intField({
    description: "games read and solved at once (their moves are batched together)",
    env: "VERDICT_GAME_CONCURRENCY",
    min: 1,
    default: 16,
  }),
  checkConcurrency: intField({
    description:
      "proposals checked at once (each waits for the worker pool; with a broker, at least the workers' total threads)",
    env: "VERDICT_CHECK_CONCURRENCY",
    min: 1,
    default: 4,
  }),
  maxDepth: depthCapsField({
    description:
      "largest trace depth D this watchtower executes: a default, optionally per program root (`32,0x<programRoot>=40`); a leaf above it is alerted (over_cap), never silently skipped",
    env: "VERDICT_MAX_DEPTH",
    default: parseDepthCaps("32"),
  }),
  checkpointInterval: intField({
    description: "steps between trace checkpoints of disputed jobs (each query replays at most this many)",
    env: "VERDICT_CHECKPOINT_INTERVAL",
    min: 1,
    // A dispute reads ~30 hashes per round; fewer, larger intervals cost less in total
    // (bench/challenger: 2^20 vs 2^16 is 0.15 s vs 0.26 s of trace work for a 10^7-step game).
    default: 1 << 20,
  }),
  cacheDir: stringField({
    description:
      "directory of the content-addressed work cache (recomputed results, game-trace checkpoints); safe to delete, may be shared by daemons (default: verdict-challenger-cache-<chain id> in the OS temp directory)",
    env: "VERDICT_CACHE_DIR",
  }),
  stateDir: stringField({
    description:
      "directory of what must outlive a restart: alerts already sent and the events and checks already counted in the metrics (default: the cache dir); keep it on persistent storage, or alerts and counters repeat once after it is lost",
    env: "VERDICT_STATE_DIR",
  }),
  gasBudget: intField({
    description: "gas one transaction of batched game moves (DisputeGame.multicall) may use",
    env: "VERDICT_GAS_BUDGET",
    min: 1_000_000,
    default: 10_000_000,
  }),
  challengeMarginSeconds: intField({
    description: "alert when a wrong result is found with less than this left of its challenge window",
    env: "VERDICT_CHALLENGE_MARGIN_SECONDS",
    default: 600,
  }),
  alertWebhook: urlField({
    description: "URL that receives a JSON POST for every wrong claim seen",
    env: "VERDICT_ALERT_WEBHOOK",
  }),
  bumpAfterSeconds: intField({
    description: "re-send a pending transaction with a higher fee after this long",
    env: "VERDICT_BUMP_AFTER_SECONDS",
    min: 1,
    default: 30,
  }),
  metricsPort: intField({
    description: "Prometheus port (0 = any free port)",
    env: "VERDICT_METRICS_PORT",
    max: 65535,
    default: 9465,
  }),
  metricsHost: stringField({
    description: "Prometheus bind address",
    env: "VERDICT_METRICS_HOST",
    default: "127.0.0.1",
  }),
  logLevel: enumField({
    description: "log level",
    env: "VERDICT_LOG_LEVEL",
    values: ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const,
    default: "info",
  }),
  logFormat: enumField({
    description: "log format",
    env: "VERDICT_LOG_FORMAT",
    values: ["json", "pretty"] as const,
    default: "json",
  }),
};

export type ChallengerConfig = WithConnection<ConfigOf<typeof challengerSchema>>;

/**
 * This daemon's own raw key (stands in for VERDICT_PRIVATE_KEY and
 * VERDICT_KEYSTORE; a flag beats it): on a host that also runs a proposer,
 * each daemon signs from its own account.
 */
export const CHALLENGER_KEY_ENV = "VERDICT_CHALLENGER_KEY";

export function buildChallengerConfig(p: {
  cli?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  file?: string;
}): ChallengerConfig {
  const env = p.env ?? {};
  return buildConfig({
    schema: challengerSchema,
    cli: p.cli,
    env,
    file: p.file,
    refine: resolveDaemonConnection({ outputs: false, roleKeyEnv: CHALLENGER_KEY_ENV, env }),
  }) as ChallengerConfig;
}

/** `verdict worker`: takes recomputations from the watchtower's broker queue. */
export const workerSchema = {
  redisUrl: urlField({
    description: "the watchtower's broker (redis://host:port)",
    env: "VERDICT_REDIS_URL",
    protocols: ["redis:", "rediss:"],
    required: true,
  }),
  queue: stringField({
    description: "name of the broker queue (the challenger's --queue)",
    env: "VERDICT_QUEUE",
    default: "verdict-recompute",
  }),
  threads: intField({
    description: "jobs run at once, one worker thread each (about one per core)",
    env: "VERDICT_WORKER_THREADS",
    min: 1,
    max: 256,
    default: 1,
  }),
  cacheDir: stringField({
    description:
      "directory of this machine's content-addressed work cache (default: verdict-worker-cache in the OS temp directory)",
    env: "VERDICT_CACHE_DIR",
  }),
  lockSeconds: intField({
    description: "job lock: a worker silent this long (killed, cut off) loses its job to another one",
    env: "VERDICT_LOCK_SECONDS",
    min: 2,
    max: 3600,
    default: 30,
  }),
  interpreter: challengerSchema.interpreter,
  logLevel: challengerSchema.logLevel,
  logFormat: challengerSchema.logFormat,
};

export type WorkerConfig = ConfigOf<typeof workerSchema>;

export function buildWorkerConfig(p: {
  cli?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  file?: string;
}): WorkerConfig {
  return buildConfig({ schema: workerSchema, cli: p.cli, env: p.env, file: p.file });
}

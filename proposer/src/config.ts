// The proposer's configuration: every option, where it may come from (flag,
// VERDICT_* environment variable, JSON config file) and how it is validated.
// The connection (chain, deployment, key) takes the chain commands' flags and
// variables (shared/src/cli/daemonConnection.ts). A raw key is a secret field:
// never echoed in an error or a log.

import {
  daemonConnectionSchema,
  daemonKeySchema,
  daemonOutputsField,
  resolveDaemonConnection,
  type WithConnection,
} from "@verdict/shared/src/cli/daemonConnection.ts";
import { buildConfig, type ConfigOf } from "@verdict/shared/src/config/buildConfig.ts";
import {
  bigintField,
  boolField,
  depthCapsField,
  enumField,
  etherField,
  intField,
  parseDepthCaps,
  stringField,
} from "@verdict/shared/src/config/fields.ts";

export const proposerSchema = {
  // --rpc-url, --deployment, --verdict: the chain commands' connection flags and variables.
  ...daemonConnectionSchema,
  chainId: intField({
    description:
      "chain id the --rpc-url node must serve (default: the deployment file's): another chain's node is refused at startup, and a later answer naming another chain is not used",
    env: "VERDICT_CHAIN_ID",
    min: 1,
  }),
  outputs: daemonOutputsField,
  programs: stringField({
    description: "comma-separated ELF files of the programs to serve",
    env: "VERDICT_PROGRAMS",
    required: true,
  }),
  // --keystore, --password-file, --private-key: as for every chain command.
  ...daemonKeySchema,
  maxBond: etherField({
    description: "refuse to propose if the protocol's proposer bond exceeds this (e.g. 1eth)",
    env: "VERDICT_MAX_BOND",
  }),
  batchSize: intField({
    description: "results per proposal",
    env: "VERDICT_BATCH_SIZE",
    min: 1,
    max: 10_000,
    default: 16,
  }),
  maxWaitSeconds: intField({
    description: "propose a partial batch once its oldest result waited this long",
    env: "VERDICT_MAX_WAIT_SECONDS",
    default: 30,
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
  metricsPort: intField({
    description: "Prometheus port (0 = any free port)",
    env: "VERDICT_METRICS_PORT",
    max: 65535,
    default: 9464,
  }),
  metricsHost: stringField({
    description: "Prometheus bind address",
    env: "VERDICT_METRICS_HOST",
    default: "127.0.0.1",
  }),
  dataDir: stringField({
    description: "cache directory (safe to delete)",
    env: "VERDICT_DATA_DIR",
    default: ".data/proposer",
  }),
  workers: intField({
    description: "worker threads executing jobs",
    env: "VERDICT_WORKERS",
    min: 1,
    max: 64,
    default: 1,
  }),
  gameConcurrency: intField({
    description: "games read and solved at once (their moves are batched together)",
    env: "VERDICT_GAME_CONCURRENCY",
    min: 1,
    default: 8,
  }),
  gasBudget: intField({
    description: "gas one transaction of batched game moves (DisputeGame.multicall) may use",
    env: "VERDICT_GAS_BUDGET",
    min: 1_000_000,
    default: 10_000_000,
  }),
  maxDepth: depthCapsField({
    description:
      'largest trace depth D this proposer executes: a default, optionally per program root (`32,0x<programRoot>=40`); jobs above it are logged and counted as skipped (jobs_skipped_total{reason="above-depth-cap"})',
    env: "VERDICT_MAX_DEPTH",
    default: parseDepthCaps("32"),
  }),
  checkpointInterval: intField({
    description: "steps between trace checkpoints",
    env: "VERDICT_CHECKPOINT_INTERVAL",
    min: 1,
    default: 1 << 16,
  }),
  interpreter: boolField({
    description:
      "execute guests with the reference interpreter instead of the block compiler (same results, several times slower)",
    env: "VERDICT_INTERPRETER",
    default: false,
  }),
  openOutputs: boolField({
    description: "open the output of every recorded result",
    env: "VERDICT_OPEN_OUTPUTS",
    default: true,
  }),
  publishOutputs: boolField({
    description:
      "after a result finalizes and its output is opened, publish the output bytes onchain (Outputs.publishOutput; needs --outputs)",
    env: "VERDICT_PUBLISH_OUTPUTS",
    default: false,
  }),
  bumpAfterSeconds: intField({
    description: "re-send a pending transaction with a higher fee after this long",
    env: "VERDICT_BUMP_AFTER_SECONDS",
    min: 1,
    default: 30,
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
  injectFault: bigintField({
    description: "TESTS/DEMO ONLY: corrupt every trace from this step on (stages a dishonest proposer)",
    env: "VERDICT_INJECT_FAULT",
  }),
};

export type ProposerConfig = WithConnection<ConfigOf<typeof proposerSchema>>;

/**
 * This daemon's own raw key (stands in for VERDICT_PRIVATE_KEY and
 * VERDICT_KEYSTORE; a flag beats it): on a host that also runs a challenger,
 * each daemon signs from its own account.
 */
export const PROPOSER_KEY_ENV = "VERDICT_PROPOSER_KEY";

export function buildProposerConfig(p: {
  cli?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  file?: string;
}): ProposerConfig {
  const env = p.env ?? {};
  return buildConfig({
    schema: proposerSchema,
    cli: p.cli,
    env,
    file: p.file,
    refine: resolveDaemonConnection({ outputs: true, roleKeyEnv: PROPOSER_KEY_ENV, env }),
  }) as ProposerConfig;
}

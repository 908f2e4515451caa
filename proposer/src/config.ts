// The proposer's configuration: every option, where it may come from (flag,
// VERDICT_* environment variable, JSON config file) and how it is validated.
// Keys never pass through here: only where to find them.

import { buildConfig, type ConfigOf } from "@verdict/shared/src/config/buildConfig.ts";
import {
  addressField,
  bigintField,
  boolField,
  depthCapsField,
  enumField,
  etherField,
  intField,
  parseDepthCaps,
  stringField,
  urlField,
} from "@verdict/shared/src/config/fields.ts";

export const proposerSchema = {
  rpcUrl: urlField({ description: "JSON-RPC endpoint of the chain", env: "VERDICT_RPC_URL", required: true }),
  chainId: intField({
    description:
      "chain id the --rpc-url node must serve: another chain's node is refused at startup, and a later answer naming another chain is not used",
    env: "VERDICT_CHAIN_ID",
    min: 1,
  }),
  verdict: addressField({ description: "Verdict contract address", env: "VERDICT_ADDRESS", required: true }),
  outputs: addressField({
    description: "Outputs contract address (the deployment's `outputs`); outputs are opened only when set",
    env: "VERDICT_OUTPUTS_ADDRESS",
  }),
  programs: stringField({
    description: "comma-separated ELF files of the programs to serve",
    env: "VERDICT_PROGRAMS",
    required: true,
  }),
  keystore: stringField({
    description: "encrypted JSON keystore (v3) of the proposer key",
    env: "VERDICT_KEYSTORE",
  }),
  passwordFile: stringField({
    description: "file holding the keystore password",
    env: "VERDICT_PASSWORD_FILE",
  }),
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
    description: "first block to scan for events",
    env: "VERDICT_START_BLOCK",
    default: 0n,
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

export type ProposerConfig = ConfigOf<typeof proposerSchema>;

/** Environment variable holding a raw proposer key (alternative to --keystore). */
export const PRIVATE_KEY_ENV = "VERDICT_PROPOSER_KEY";
/** Environment variable holding the keystore password (alternative to --password-file or the prompt). */
export const PASSWORD_ENV = "VERDICT_KEYSTORE_PASSWORD";

export function buildProposerConfig(p: {
  cli?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  file?: string;
}): ProposerConfig {
  return buildConfig({ schema: proposerSchema, cli: p.cli, env: p.env, file: p.file });
}

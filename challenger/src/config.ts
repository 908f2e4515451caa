// The challenger's configuration: one schema, merged by the shared
// buildConfig from flags, VERDICT_* environment variables, a JSON file and
// defaults (the same style as the proposer's), every problem reported at once.

import { buildConfig, type ConfigOf } from "@verdict/shared/src/config/buildConfig.ts";
import {
  addressField,
  bigintField,
  boolField,
  enumField,
  intField,
  stringField,
  urlField,
} from "@verdict/shared/src/config/fields.ts";

export const challengerSchema = {
  rpcUrl: urlField({ description: "JSON-RPC endpoint of the chain", env: "VERDICT_RPC_URL", required: true }),
  verdict: addressField({
    description: "address of the Verdict contract",
    env: "VERDICT_CONTRACT",
    required: true,
  }),
  fromBlock: bigintField({
    description: "first block to scan for programs, jobs, proposals and games (the deployment block)",
    env: "VERDICT_FROM_BLOCK",
    default: 0n,
  }),
  confirmations: intField({
    description: "blocks an event needs on top before it is acted on (reorg safety)",
    env: "VERDICT_CONFIRMATIONS",
    default: 0,
    max: 1000,
  }),
  programs: stringField({
    description: "ELF files (or directories of them) of the programs to check, comma separated",
    env: "VERDICT_PROGRAMS",
    required: true,
  }),
  keystore: stringField({ description: "v3 keystore of the signing key", env: "VERDICT_KEYSTORE" }),
  passwordFile: stringField({
    description: "file holding the keystore password",
    env: "VERDICT_PASSWORD_FILE",
  }),
  privateKeyEnv: stringField({
    description: "name of the environment variable holding a raw private key",
    default: "VERDICT_CHALLENGER_KEY",
  }),
  watchOnly: boolField({
    description: "check and alert only: never send a transaction",
    env: "VERDICT_WATCH_ONLY",
    default: false,
  }),
  pollMs: intField({
    description: "chain polling interval (ms)",
    env: "VERDICT_POLL_MS",
    default: 1000,
    min: 10,
  }),
  workers: intField({
    description: "worker threads recomputing jobs (0 = in the main thread)",
    env: "VERDICT_WORKERS",
    default: 1,
    max: 64,
  }),
  maxGames: intField({
    description: "games played at once; more wait their turn (clock permitting)",
    env: "VERDICT_MAX_GAMES",
    default: 16,
    min: 1,
  }),
  challengeMarginSeconds: intField({
    description: "warn when a wrong leaf is found with less than this left of its challenge window",
    env: "VERDICT_CHALLENGE_MARGIN_SECONDS",
    default: 600,
  }),
  alertWebhook: urlField({
    description: "URL that receives a JSON POST for every wrong claim seen",
    env: "VERDICT_ALERT_WEBHOOK",
  }),
  metricsPort: intField({
    description: "Prometheus /metrics port (0 = any free port)",
    env: "VERDICT_METRICS_PORT",
    default: 9102,
    max: 65535,
  }),
  metricsHost: stringField({
    description: "metrics bind address",
    env: "VERDICT_METRICS_HOST",
    default: "127.0.0.1",
  }),
  logLevel: enumField({
    description: "log level",
    env: "VERDICT_LOG_LEVEL",
    values: ["trace", "debug", "info", "warn", "error", "silent"] as const,
    default: "info",
  }),
  logMode: enumField({
    description: "log format",
    env: "VERDICT_LOG_MODE",
    values: ["json", "pretty"] as const,
    default: "pretty",
  }),
};

export type ChallengerConfig = ConfigOf<typeof challengerSchema>;

export type BuildChallengerConfigParameters = {
  cli?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  file?: string | Record<string, unknown>;
};

export function buildChallengerConfig(p: BuildChallengerConfigParameters): ChallengerConfig {
  return buildConfig({ schema: challengerSchema, ...p });
}

// The connection settings of the daemons (`verdict proposer`, `verdict
// challenger`): the chain commands' flags (connectionFlags.ts) as config
// fields, so each is also its VERDICT_* variable and a config-file key, and
// resolved by the chain commands' own rules (connection.ts): a deployment file
// or a Verdict address, a keystore or a raw key, the stronger source winning.
//
// One addition: a role key variable (VERDICT_PROPOSER_KEY,
// VERDICT_CHALLENGER_KEY). Two daemons must never sign from one account (their
// transaction senders would race for the same nonces), yet a host that runs
// both often exports VERDICT_PRIVATE_KEY for the CLI; the role variable gives
// each daemon its own key in that environment. It stands in for
// VERDICT_PRIVATE_KEY and VERDICT_KEYSTORE: a flag still beats it, it beats
// the config file.

import type { Address } from "viem";
import type { ConfigSources } from "../config/buildConfig.ts";
import type { ConfigIssue } from "../config/errors.ts";
import { addressField, stringField, urlField } from "../config/fields.ts";
import { CliFileError, CliUsageError } from "../errors/cli.ts";
import type { LoadAccountReturnType } from "../keys/loadAccount.ts";
import {
  type Given,
  loadSigner,
  pickKey,
  RANK_ENV,
  RANK_FILE,
  RANK_FLAG,
  resolveContractFlags,
} from "./connection.ts";
import { CONNECTION_ENV, CONNECTION_FLAGS } from "./connectionFlags.ts";

const E = CONNECTION_ENV;
const F = CONNECTION_FLAGS;

/** Where the chain is and which deployment on it (every daemon). */
export const daemonConnectionSchema = {
  rpcUrl: urlField({ description: F.rpcUrl, env: E.rpcUrl, required: true }),
  deployment: stringField({
    description: `${F.deployment}: the contracts, the chain id and the first block to scan`,
    env: E.deployment,
  }),
  verdict: addressField({ description: F.verdict, env: E.verdict }),
};

/** The Outputs contract, for a daemon that opens or publishes outputs. */
export const daemonOutputsField = addressField({
  description: `${F.outputs}; outputs are opened only when one is known`,
  env: E.outputs,
});

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** The signing key: a keystore or a raw key. */
export const daemonKeySchema = {
  keystore: stringField({ description: F.keystore, env: E.keystore }),
  passwordFile: stringField({
    description: `${F.passwordFile} (or ${E.password}; else a prompt on a terminal)`,
    env: E.passwordFile,
  }),
  privateKey: {
    ...stringField({
      description: `${F.privateKey} (visible to ps: prefer the variable or a keystore)`,
      env: E.privateKey,
      secret: true,
    }),
    parse: (raw: unknown): string => {
      const s = typeof raw === "string" ? raw.trim() : "";
      if (!HEX_KEY.test(s)) throw new Error("not 32 bytes of hex");
      return s;
    },
  },
};

/** A daemon configuration once its connection is resolved: it always knows its Verdict and first block. */
export type WithConnection<C> = Omit<C, "verdict" | "startBlock"> & { verdict: Address; startBlock: bigint };

/** The fields the resolution reads and fills (a daemon's config has them, `outputs` optionally). */
export type DaemonConnectionFields = {
  deployment?: string;
  verdict?: Address;
  outputs?: Address;
  chainId?: number;
  startBlock?: bigint;
  keystore?: string;
  privateKey?: string;
};

function rankOf(source: string): number {
  return source.startsWith("--") ? RANK_FLAG : source.startsWith("file ") ? RANK_FILE : RANK_ENV;
}

export type ResolveDaemonConnectionParameters = {
  /** Whether the daemon has an `outputs` field to fill from the deployment file. */
  outputs: boolean;
  /** This daemon's own key variable (VERDICT_PROPOSER_KEY…). */
  roleKeyEnv: string;
  env: Record<string, string | undefined>;
};

/**
 * buildConfig's `refine` for a daemon: the deployment file fills verdict,
 * outputs, chainId and startBlock (explicit settings win, and must agree with
 * it where they name the same thing); exactly one key source remains. Every
 * problem becomes a config issue, reported with the others.
 */
export function resolveDaemonConnection({ outputs, roleKeyEnv, env }: ResolveDaemonConnectionParameters) {
  return (c: DaemonConnectionFields, issues: ConfigIssue[], sources: ConfigSources): void => {
    const cfg = c as Record<string, unknown>;
    const givenOf = (name: keyof DaemonConnectionFields): Given | undefined => {
      const source = sources[name];
      return cfg[name] === undefined || source === undefined
        ? undefined
        : { value: String(cfg[name]), rank: rankOf(source), source };
    };
    const failed = (name: string) => sources[name] !== undefined && cfg[name] === undefined;

    // Contracts: a field that failed to parse is already an issue; resolve only what is usable.
    if (!failed("deployment") && !failed("verdict") && !failed("outputs")) {
      if (c.deployment === undefined && c.verdict === undefined) {
        issues.push({
          field: "verdict",
          source: "nowhere",
          message: `required: --deployment FILE or --verdict ADDR (or ${E.deployment} / ${E.verdict}, or "deployment" / "verdict" in the config file)`,
        });
      } else {
        try {
          const named = resolveContractFlags({
            deployment: givenOf("deployment"),
            verdict: givenOf("verdict"),
            outputs: givenOf("outputs"),
          });
          c.verdict = named.verdict;
          if (outputs && named.outputs) c.outputs = named.outputs;
          const d = named.deployment;
          if (d) {
            c.startBlock ??= d.fromBlock;
            if (d.chainId !== null && c.chainId !== undefined && c.chainId !== d.chainId)
              issues.push({
                field: "chainId",
                source: sources.chainId ?? "default",
                message: `${c.chainId}, but the deployment file ${named.file} is for chain ${d.chainId}`,
              });
            // The daemon then refuses a node of another chain, at startup and on every later answer.
            else if (d.chainId !== null) c.chainId = d.chainId;
          }
        } catch (err) {
          if (!(err instanceof CliFileError || err instanceof CliUsageError)) throw err;
          const field = err instanceof CliFileError ? "deployment" : "verdict";
          issues.push({ field, source: sources[field] ?? "nowhere", message: err.shortMessage });
        }
      }
    }
    c.startBlock ??= 0n;

    // The key: the role variable stands in for the generic ones, then the stronger source wins.
    let keystore = givenOf("keystore");
    let privateKey = givenOf("privateKey");
    const role = env[roleKeyEnv];
    if (role !== undefined && role !== "" && !failed("privateKey")) {
      if (!HEX_KEY.test(role.trim()))
        issues.push({
          field: "privateKey",
          source: roleKeyEnv,
          message: "not 32 bytes of hex (not shown: secret)",
        });
      else if (!privateKey || privateKey.rank <= RANK_ENV)
        privateKey = { value: role.trim(), rank: RANK_ENV, source: roleKeyEnv };
      if (keystore?.rank === RANK_ENV) keystore = undefined;
    }
    const key = pickKey(keystore, privateKey);
    c.keystore = key.keystore;
    c.privateKey = key.privateKey;
  };
}

/**
 * The daemon's signing account: the key its configuration names; a caller
 * that built the configuration without the environment (tests, the demo) may
 * pass the key in `env` instead, the role variable first.
 */
export function loadDaemonSigner(
  config: { keystore?: string; passwordFile?: string; privateKey?: string },
  env: Record<string, string | undefined>,
  roleKeyEnv: string,
): Promise<LoadAccountReturnType> {
  const { keystore, passwordFile, privateKey } = config;
  if (keystore !== undefined || privateKey !== undefined)
    return loadSigner({ keystore, passwordFile, privateKey }, { [E.password]: env[E.password] });
  const role = env[roleKeyEnv];
  const fromEnv =
    role === undefined || role === ""
      ? env
      : { ...env, [E.keystore]: undefined, [E.privateKey]: role, [E.passwordFile]: undefined };
  return loadSigner({ passwordFile }, fromEnv);
}

/** The daemons' --help paragraph on connection and key, with the precedence in words. */
export function keyHelp(roleKeyEnv: string, otherDaemon: string): string {
  return [
    `Contracts: --deployment <file> (${E.deployment}) names them all, the chain id and the first block;`,
    `or --verdict <address> (${E.verdict}). A flag beats a variable, which beats the --config file.`,
    `Key: --keystore <file> (${E.keystore}) with --password-file, ${E.password} or a prompt;`,
    `or --private-key / ${E.privateKey}. ${roleKeyEnv}, when set, stands in for ${E.privateKey}`,
    `and ${E.keystore}, so that a ${otherDaemon} on the same host never signs with this daemon's key.`,
  ].join("\n");
}

// Startup of the proposer in one straight line: options → logger → metrics →
// shutdown → key → chain → programs → balance check → run. Every failure
// before "run" is a typed error with a clear message and a non-zero exit; none
// of them can hang (the RPC probe and the key prompt are bounded).

import { readFileSync } from "node:fs";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { InsufficientFundsError } from "@verdict/shared/src/chain/errors.ts";
import { readVerdictParams } from "@verdict/shared/src/chain/readVerdictParams.ts";
import { loadDaemonSigner } from "@verdict/shared/src/cli/daemonConnection.ts";
import { createShutdown } from "@verdict/shared/src/daemon/createShutdown.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { BaseError } from "@verdict/shared/src/errors/base.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { setDefaultEngine } from "@verdict/shared/src/machine/engine.ts";
import { serveMetrics } from "@verdict/shared/src/metrics/serveMetrics.ts";
import type { Hex } from "viem";
import { PROPOSER_KEY_ENV, type ProposerConfig } from "./config.ts";
import { createProposer, type ServedProgram } from "./createProposer.ts";
import { createProposerMetrics } from "./metrics.ts";

export class ProposerStartupError extends BaseError {
  override name = "ProposerStartupError";
}

export type RunProposerParameters = {
  config: ProposerConfig;
  /**
   * Where a keystore's password may be (VERDICT_KEYSTORE_PASSWORD), and the key when the config
   * names none (VERDICT_PROPOSER_KEY, else VERDICT_PRIVATE_KEY or VERDICT_KEYSTORE). Default: process.env.
   */
  env?: Record<string, string | undefined>;
  /** Install signal handlers and exit the process on shutdown (false in tests). */
  manageProcess?: boolean;
  /** Aborting it stops the daemon (tests); signals do the same in production. */
  signal?: AbortSignal;
};

/** Loads the served ELFs and the roots they load to (what the registry stores). */
export function loadPrograms(list: string): ServedProgram[] {
  const out: ServedProgram[] = [];
  for (const path of list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch (cause) {
      throw new ProposerStartupError(`Cannot read program ${path}.`, { cause });
    }
    const image = loadElf(bytes);
    out.push({ path, programRoot: programRoot(image) as Hex, entry: image.entry >>> 0 });
  }
  if (out.length === 0) throw new ProposerStartupError("No programs to serve (--programs is empty).");
  return out;
}

export async function runProposer({
  config,
  env = process.env,
  manageProcess = true,
  signal,
}: RunProposerParameters): Promise<void> {
  const logger = createLogger({
    level: config.logLevel,
    mode: config.logFormat,
    base: { service: "proposer" },
  });
  // Workers started from here on inherit the choice through the environment.
  if (config.interpreter) setDefaultEngine("interpreter");
  if (config.injectFault !== undefined)
    logger.warn(
      { fromStep: config.injectFault },
      "FAULT INJECTION ON: this proposer posts WRONG results (tests/demo only)",
    );
  const metrics = createProposerMetrics({ defaults: manageProcess });
  const server = await serveMetrics({
    registry: metrics.registry,
    port: config.metricsPort,
    host: config.metricsHost,
  });
  logger.info({ port: server.port }, "metrics on /metrics");
  const shutdown = createShutdown({
    logger,
    signals: manageProcess,
    exit: manageProcess ? undefined : () => undefined,
  });
  shutdown.add("metrics server", () => server.close());
  signal?.addEventListener("abort", () => void shutdown.kill("stopped by caller"), { once: true });

  try {
    const account = await loadDaemonSigner(config, env, PROPOSER_KEY_ENV);
    const { publicClient } = await createChainClients({
      rpcUrl: config.rpcUrl,
      account,
      pollingIntervalMs: config.pollMs,
      expectedChainId: config.chainId,
    });
    const code = await publicClient.getCode({ address: config.verdict });
    if (!code || code === "0x")
      throw new ProposerStartupError(`No contract at ${config.verdict} on chain ${publicClient.chain.id}.`, {
        metaMessages: ["Try: check --deployment (or --verdict, the Verdict contract address) and --rpc-url."],
      });
    const programs = loadPrograms(config.programs);
    const params = await readVerdictParams({ publicClient, verdict: config.verdict });
    const balance = await publicClient.getBalance({ address: account.address });
    if (balance < params.proposerBond)
      throw new InsufficientFundsError({
        account: account.address,
        balance,
        needed: params.proposerBond,
        what: "one proposal bond",
      });
    if (config.maxBond !== undefined && params.proposerBond > config.maxBond)
      throw new ProposerStartupError(
        `The protocol's proposer bond ${params.proposerBond} wei is above --max-bond ${config.maxBond} wei.`,
      );
    logger.info(
      {
        account: account.address,
        chainId: publicClient.chain.id,
        verdict: config.verdict,
        programs: programs.map((x) => x.programRoot),
        balance,
      },
      "proposer starting",
    );

    const proposer = await createProposer({ config, account, publicClient, logger, metrics, programs });
    shutdown.add("proposer", () => proposer.close());
    await proposer.run(shutdown.signal);
    await shutdown.kill("stopped");
  } catch (err) {
    if (shutdown.signal.aborted) return;
    // The caller prints the error and sets the exit code; only release what we hold.
    await server.close();
    throw err;
  }
}

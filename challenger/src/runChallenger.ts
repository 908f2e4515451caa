// Startup of the challenger in one straight line: options → logger → metrics
// → shutdown → key → chain → programs → balance check → run. Every failure
// before "run" is a typed error with a clear message and a non-zero exit; none
// of them can hang (the RPC probe and the key prompt are bounded).

import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { InsufficientFundsError } from "@verdict/shared/src/chain/errors.ts";
import { readVerdictParams } from "@verdict/shared/src/chain/readVerdictParams.ts";
import { withRetry } from "@verdict/shared/src/chain/withRetry.ts";
import { loadDaemonSigner } from "@verdict/shared/src/cli/daemonConnection.ts";
import { createShutdown } from "@verdict/shared/src/daemon/createShutdown.ts";
import { BaseError } from "@verdict/shared/src/errors/base.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { setDefaultEngine } from "@verdict/shared/src/machine/engine.ts";
import { serveMetrics } from "@verdict/shared/src/metrics/serveMetrics.ts";
import type { Address } from "viem";
import { createAlerter } from "./alert/createAlerter.ts";
import { CHALLENGER_KEY_ENV, type ChallengerConfig } from "./config.ts";
import { type Challenger, createChallenger } from "./createChallenger.ts";
import { createChallengerMetrics } from "./metrics/createChallengerMetrics.ts";
import { loadProgramImages } from "./programs/loadProgramImages.ts";
import { createTraceSource } from "./trace/createTraceSource.ts";
import { createBrokerPool } from "./work/createBrokerPool.ts";

/** A URL without its password, for logs. */
function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

export class ChallengerStartupError extends BaseError {
  override name = "ChallengerStartupError";
}

export type RunChallengerParameters = {
  config: ChallengerConfig;
  /**
   * Where a keystore's password may be (VERDICT_KEYSTORE_PASSWORD), and the key when the config
   * names none (VERDICT_CHALLENGER_KEY, else VERDICT_PRIVATE_KEY or VERDICT_KEYSTORE). Default: process.env.
   */
  env?: Record<string, string | undefined>;
  /** Install signal handlers and exit the process on shutdown (false in tests). */
  manageProcess?: boolean;
  /** Aborting it stops the daemon (tests); signals do the same in production. */
  signal?: AbortSignal;
  /** Called once the daemon runs (tests and the demo read its status). */
  onStarted?: (c: Challenger, info: { account: Address; metricsPort: number }) => void;
  /** Receipt polling (ms); tests on automine anvil use a small value. */
  txPollMs?: number;
  /** Where the log goes instead of stdout (tests keep each daemon's log in a file). */
  logDestination?: NodeJS.WritableStream;
};

export async function runChallenger({
  config,
  env = process.env,
  manageProcess = true,
  signal,
  onStarted,
  txPollMs,
  logDestination,
}: RunChallengerParameters): Promise<void> {
  const logger = createLogger({
    level: config.logLevel,
    mode: config.logFormat,
    destination: logDestination,
    base: { service: "challenger" },
  });
  // Workers started from here on inherit the choice through the environment.
  if (config.interpreter) setDefaultEngine("interpreter");
  const metrics = createChallengerMetrics({ defaults: manageProcess });
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
  const alerter = createAlerter({ logger, webhookUrl: config.alertWebhook, metrics });
  shutdown.add("alerts", () => alerter.flush());

  try {
    const account = config.watchOnly ? undefined : await loadDaemonSigner(config, env, CHALLENGER_KEY_ENV);
    const { publicClient } = await createChainClients({
      rpcUrl: config.rpcUrl,
      account,
      pollingIntervalMs: config.pollMs,
      expectedChainId: config.chainId,
    });
    // Startup reads ride out RPC hiccups like every later call (a flaky node must not crash-loop us).
    const retry = <T>(fn: () => Promise<T>) => withRetry(fn, { retries: 5, signal: shutdown.signal });
    const code = await retry(() => publicClient.getCode({ address: config.verdict }));
    if (!code || code === "0x")
      throw new ChallengerStartupError(
        `No contract at ${config.verdict} on chain ${publicClient.chain.id}.`,
        {
          metaMessages: [
            "Try: check --deployment (or --verdict, the Verdict contract address) and --rpc-url.",
          ],
        },
      );
    const programs = loadProgramImages(config.programs);
    if (programs.list.length === 0)
      throw new ChallengerStartupError(`No ELF programs found in ${config.programs}.`, {
        metaMessages: ["Try: --programs path/to/a.elf,path/to/dir (directories are searched for *.elf)."],
      });
    const params = await retry(() => readVerdictParams({ publicClient, verdict: config.verdict }));
    const me: Address = account?.address ?? "0x0000000000000000000000000000000000000000";
    if (account) {
      const balance = await retry(() => publicClient.getBalance({ address: account.address }));
      if (balance < BigInt(params.claimBond))
        throw new InsufficientFundsError({
          account: account.address,
          balance,
          needed: BigInt(params.claimBond),
          what: "one claim bond",
          hint:
            `send at least ${BigInt(params.claimBond) - balance} wei to ${account.address} (the claim bond is the protocol's ` +
            "params().claimBond; the challenger has no setting that lowers it), or run with --watch-only to alert without sending transactions.",
        });
    }
    // The challenger has no data dir: by default one cache per chain in the temp dir. Entries are
    // content-addressed and checked on read, so sharing a directory (--cache-dir) is always safe.
    const cacheDir = config.cacheDir ?? join(tmpdir(), `verdict-challenger-cache-${publicClient.chain.id}`);
    // What must survive a restart (alerts sent, events and checks counted) lives in the state dir.
    const stateDir = config.stateDir ?? cacheDir;
    // Alerts already sent survive a restart; the file is per deployment and account, so two
    // watchtowers sharing a state dir still each alert.
    alerter.persistTo(
      join(
        stateDir,
        "alerts",
        `${config.verdict.toLowerCase()}-${(account?.address ?? "watch-only").toLowerCase()}.keys`,
      ),
    );
    logger.info(
      {
        account: account?.address ?? null,
        watchOnly: config.watchOnly,
        chainId: publicClient.chain.id,
        verdict: config.verdict,
        programs: programs.list.map((x) => ({ path: x.path, programRoot: x.programRoot })),
        cacheDir,
        stateDir,
      },
      "challenger starting",
    );

    // With a broker, recomputations go to `verdict worker` processes; otherwise to our own threads.
    const remote = config.redisUrl
      ? await createBrokerPool({ redisUrl: config.redisUrl, queue: config.queue })
      : undefined;
    if (remote)
      logger.info(
        {
          broker: redactUrl(config.redisUrl as string),
          queue: config.queue,
          workers: await remote.workers(),
        },
        "recomputing on the broker's workers",
      );
    const traces = createTraceSource({
      workers: config.workers,
      remote,
      checkpointInterval: config.checkpointInterval,
      cacheDir,
      onRun: (kind, job, seconds) => logger.debug({ kind, job: job.jobId.toString(), seconds }, "recomputed"),
      onCache: (outcome, kind, reason) => {
        metrics.cacheEvents.inc({ outcome });
        if (outcome === "corrupt") logger.warn({ kind, reason }, "corrupt cache entry dropped; recomputing");
      },
      onCacheError: (err) => logger.warn({ err: (err as Error).message }, "cannot write the work cache"),
    });
    shutdown.add("trace workers", () => traces.close());
    const sender = account
      ? createTxSender({
          publicClient,
          account,
          logger,
          metrics,
          bumpAfterMs: config.bumpAfterSeconds * 1000,
          pollMs: txPollMs ?? Math.min(config.pollMs, 1000),
          signal: shutdown.signal,
        })
      : undefined;
    const challenger = await createChallenger({
      stateDir,
      publicClient,
      verdict: config.verdict,
      account: me,
      sender,
      programs,
      traces,
      alerter,
      metrics,
      logger,
      fromBlock: config.startBlock,
      confirmations: config.confirmations,
      pollMs: config.pollMs,
      maxGames: config.gameConcurrency,
      maxChecks: config.checkConcurrency,
      depthCap: config.maxDepth.capFor,
      challengeMarginSeconds: config.challengeMarginSeconds,
      gasBudget: BigInt(config.gasBudget),
    });
    onStarted?.(challenger, { account: me, metricsPort: server.port });
    await challenger.run(shutdown.signal);
    await shutdown.kill("stopped");
  } catch (err) {
    if (shutdown.signal.aborted) return;
    // The caller prints the error and sets the exit code; only release what we hold.
    await server.close();
    throw err;
  }
}

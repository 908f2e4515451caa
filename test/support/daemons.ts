// Starts the real daemons in-process against an E2EFixture, the way their
// CLIs do (the challenger through its own runChallenger startup path), so a
// test can stop one at any moment (a "kill": nothing is persisted on purpose)
// and start a fresh one on the same chain. An alert sink (a local webhook
// server) collects every alert the challenger raises.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { privateKeyToAccount } from "viem/accounts";
import { buildChallengerConfig } from "../../challenger/src/config.ts";
import type { Challenger } from "../../challenger/src/createChallenger.ts";
import { runChallenger } from "../../challenger/src/runChallenger.ts";
import { buildProposerConfig } from "../../proposer/src/config.ts";
import { createProposer, type Proposer } from "../../proposer/src/createProposer.ts";
import { createProposerMetrics } from "../../proposer/src/metrics.ts";
import { loadPrograms } from "../../proposer/src/runProposer.ts";
import { type E2EFixture, EXAMPLES, type ExampleName, until } from "./fixture.ts";

const LOG = process.env.VERDICT_TEST_LOG ?? "silent";

/** `log` set: the daemon logs at debug into this stream (a test keeps it to explain a failure). */
type LogTo = { log?: NodeJS.WritableStream };

export type AlertSink = {
  url: string;
  alerts: { kind: string; message: string; data: Record<string, unknown> }[];
  close: () => Promise<void>;
};

export async function startAlertSink(): Promise<AlertSink> {
  const alerts: AlertSink["alerts"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      alerts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    alerts,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type TestChallenger = {
  challenger: Challenger;
  /** GET /metrics of this challenger (Prometheus text). */
  metrics: () => Promise<string>;
  stop: () => Promise<void>;
  done: Promise<void>;
};

export async function startChallenger(
  fx: E2EFixture,
  opts: {
    keyIndex: number;
    rpcUrl?: string;
    alertWebhook?: string;
    programs?: ExampleName[];
    over?: Record<string, string>;
  } & LogTo,
): Promise<TestChallenger> {
  const programs = (opts.programs ?? (Object.keys(fx.programIds) as ExampleName[]))
    .map((n) => EXAMPLES[n])
    .join(",");
  const config = buildChallengerConfig({
    cli: {
      rpcUrl: opts.rpcUrl ?? fx.anvil.rpcUrl,
      verdict: fx.deployment.verdict,
      programs,
      confirmations: "0",
      pollMs: "50",
      startBlock: fx.deployment.deployedAtBlock.toString(),
      metricsPort: "0",
      workers: "1",
      bumpAfterSeconds: "5",
      // Per fixture and key: a fresh anvil redeploys at the same addresses, and the default cache
      // (shared by every run on this host) would carry results and sent-alert keys across tests.
      cacheDir: join(fx.dir, `challenger-cache-${opts.keyIndex}`),
      logLevel: opts.log ? "debug" : LOG,
      logFormat: "pretty",
      ...(opts.alertWebhook ? { alertWebhook: opts.alertWebhook } : {}),
      ...opts.over,
    },
    env: {},
  });
  const ac = new AbortController();
  let handle: Challenger | undefined;
  let metricsPort = 0;
  const done = runChallenger({
    config,
    env: { VERDICT_CHALLENGER_KEY: fx.anvil.privateKeys[opts.keyIndex] },
    manageProcess: false,
    logDestination: opts.log,
    signal: ac.signal,
    txPollMs: 25,
    onStarted: (c, info) => {
      handle = c;
      metricsPort = info.metricsPort;
    },
  });
  // A start-up failure (a refused chain, an unfunded key) ends the wait with that error at once.
  let startError: unknown;
  done.then(
    () => {
      startError ??= new Error("the challenger stopped before it started");
    },
    (err: unknown) => {
      startError = err;
    },
  );
  await until("challenger start", async () => handle ?? startError, 30_000, 20);
  if (!handle) throw startError;
  return {
    challenger: handle as Challenger,
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
    done,
    // A daemon that died mid-test (not stopped) fails the test here: `done` resolves on abort and
    // rejects only on a crash, which a test must not pass over.
    stop: async () => {
      ac.abort();
      await done.catch((err: unknown) => {
        throw new Error(`the challenger died before the test stopped it: ${(err as Error).message}`, {
          cause: err,
        });
      });
    },
  };
}

export type TestProposer = { proposer: Proposer; stop: () => Promise<void> };

export async function startProposer(
  fx: E2EFixture,
  opts: {
    keyIndex: number;
    injectFault?: bigint;
    rpcUrl?: string;
    programs?: ExampleName[];
    over?: Record<string, string>;
  } & LogTo,
): Promise<TestProposer> {
  const programs = (opts.programs ?? (Object.keys(fx.programIds) as ExampleName[]))
    .map((n) => EXAMPLES[n])
    .join(",");
  const config = buildProposerConfig({
    cli: {
      rpcUrl: opts.rpcUrl ?? fx.anvil.rpcUrl,
      verdict: fx.deployment.verdict,
      outputs: fx.deployment.outputs,
      programs,
      confirmations: "0",
      pollMs: "50",
      batchSize: "8",
      maxWaitSeconds: "1",
      dataDir: `${fx.dir}/proposer-${opts.keyIndex}`,
      startBlock: fx.deployment.deployedAtBlock.toString(),
      logLevel: opts.log ? "debug" : LOG,
      logFormat: "pretty",
      bumpAfterSeconds: "5",
      ...(opts.injectFault !== undefined ? { injectFault: opts.injectFault.toString() } : {}),
      ...opts.over,
    },
    env: {},
  });
  const logger = createLogger({
    level: config.logLevel,
    mode: config.logFormat,
    base: { service: `proposer-${opts.keyIndex}` },
    destination: opts.log,
  });
  const account = privateKeyToAccount(fx.anvil.privateKeys[opts.keyIndex]);
  const { publicClient } = await createChainClients({
    rpcUrl: config.rpcUrl,
    account,
    pollingIntervalMs: 50,
    expectedChainId: config.chainId,
  });
  const proposer = await createProposer({
    config,
    account,
    publicClient,
    logger,
    metrics: createProposerMetrics({ defaults: false }),
    programs: loadPrograms(config.programs),
    txPollMs: 25,
  });
  const ac = new AbortController();
  // run() resolves on abort and rejects only on a crash: kept, and thrown by stop().
  let died: unknown;
  const running = proposer.run(ac.signal).catch((err: unknown) => {
    died = err;
    logger.error({ err }, "proposer loop died");
  });
  let stopped: Promise<void> | undefined;
  return {
    proposer,
    // Idempotent: tests stop daemons mid-way and again in `finally`.
    stop: () =>
      (stopped ??= (async () => {
        ac.abort();
        await running;
        await proposer.close();
        if (died !== undefined)
          throw new Error(`the proposer died before the test stopped it: ${(died as Error).message}`, {
            cause: died,
          });
      })()),
  };
}

// Starts a proposer in-process against a ChainFixture, the way runProposer
// does minus the process concerns (signals, metrics port), so tests can stop
// it at any moment ("kill") and start a fresh one on the same chain.

import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import type { Chain, PublicClient, Transport } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildProposerConfig, type ProposerConfig } from "../config.ts";
import { createProposer, type Proposer } from "../createProposer.ts";
import { createProposerMetrics, type ProposerMetrics } from "../metrics.ts";
import { loadPrograms } from "../runProposer.ts";
import type { ChainFixture } from "./setupChain.ts";

export const PROPOSER_KEY_INDEX = 9;

export type TestProposer = {
  proposer: Proposer;
  metrics: ProposerMetrics;
  config: ProposerConfig;
  publicClient: PublicClient<Transport, Chain>;
  /** Stops the loop and the workers (like a kill: nothing is persisted on purpose). */
  stop: () => Promise<void>;
};

export async function startTestProposer(
  fx: ChainFixture,
  over: Record<string, unknown> = {},
  opts: { rpcUrl?: string; logLevel?: string; keyIndex?: number } = {},
): Promise<TestProposer> {
  const config = buildProposerConfig({
    cli: {
      rpcUrl: opts.rpcUrl ?? fx.anvil.rpcUrl,
      verdict: fx.deployment.verdict,
      outputs: fx.deployment.outputs,
      programs: fx.programPath,
      confirmations: "0",
      pollMs: "50",
      batchSize: "4",
      maxWaitSeconds: "1",
      dataDir: `${fx.dir}/proposer-data`,
      startBlock: fx.deployment.deployedAtBlock.toString(),
      logLevel: opts.logLevel ?? process.env.VERDICT_TEST_LOG ?? "silent",
      logFormat: "pretty",
      bumpAfterSeconds: "5",
      ...over,
    },
    env: {},
  });
  const logger = createLogger({
    level: config.logLevel,
    mode: config.logFormat,
    base: { service: "proposer" },
  });
  const account = privateKeyToAccount(fx.anvil.privateKeys[opts.keyIndex ?? PROPOSER_KEY_INDEX]);
  const { publicClient } = await createChainClients({
    rpcUrl: config.rpcUrl,
    account,
    pollingIntervalMs: 50,
  });
  const metrics = createProposerMetrics({ defaults: false });
  const proposer = await createProposer({
    config,
    account,
    publicClient,
    logger,
    metrics,
    programs: loadPrograms(config.programs),
    txPollMs: 25,
  });
  const ac = new AbortController();
  const running = proposer.run(ac.signal).catch((err) => {
    logger.error({ err }, "proposer loop died");
  });
  return {
    proposer,
    metrics,
    config,
    publicClient,
    stop: async () => {
      ac.abort();
      await running;
      await proposer.close();
    },
  };
}

// An in-process challenger for tests on the proposer's chain fixture: real
// contracts on anvil, inline recomputation, fast polling, and every alert kept
// (each with the chain's active time when it was raised, its lead time).
// What its counters counted is kept in a directory of its own (removed on
// stop), unless the test names one to restart on.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainFixture } from "../../../proposer/src/testing/setupChain.ts";
import { type Alert, createAlerter } from "../alert/createAlerter.ts";
import { type Challenger, createChallenger } from "../createChallenger.ts";
import { type ChallengerMetrics, createChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import { loadProgramImages } from "../programs/loadProgramImages.ts";
import { createTraceSource } from "../trace/createTraceSource.ts";

const LOG = process.env.VERDICT_TEST_LOG ?? "silent";

export type TestChallenger = {
  challenger: Challenger;
  /** Every alert raised, in order. */
  alerts: Alert[];
  /** Active time (Verdict.activeNow) when each alert of `alerts` was raised; -1n until read. */
  alertedAt: bigint[];
  me: Address;
  metrics: ChallengerMetrics;
  stop: () => Promise<void>;
};

export type StartTestChallengerOptions = {
  keyIndex: number;
  maxChecks?: number;
  assumedStepsPerSecond?: number;
  depthCap?: (programRoot: Hex) => number;
  /** Block depth before the monitor handles a block (default 0: at the head). */
  confirmations?: number;
  /** The node to talk to (default: the fixture's anvil), e.g. a fault proxy in front of it. */
  rpcUrl?: string;
  /** Where the counted record is kept; a restart on the same one counts nothing twice (default: a fresh directory). */
  stateDir?: string;
};

export async function startTestChallenger(
  fx: ChainFixture,
  {
    keyIndex,
    maxChecks,
    assumedStepsPerSecond,
    depthCap,
    confirmations = 0,
    rpcUrl,
    stateDir,
  }: StartTestChallengerOptions,
): Promise<TestChallenger> {
  const logger = createLogger({
    level: LOG as "silent",
    mode: "pretty",
    base: { service: `challenger-${keyIndex}` },
  });
  const account = privateKeyToAccount(fx.anvil.privateKeys[keyIndex]);
  const { publicClient } = await createChainClients({
    rpcUrl: rpcUrl ?? fx.anvil.rpcUrl,
    account,
    pollingIntervalMs: 50,
  });
  const metrics = createChallengerMetrics({ defaults: false });
  const alerts: Alert[] = [];
  const alertedAt: bigint[] = [];
  const alerter = createAlerter({ logger, metrics });
  const traces = createTraceSource({ workers: 0, checkpointInterval: 64 });
  const ownDir =
    stateDir === undefined ? mkdtempSync(join(tmpdir(), "verdict-challenger-state-")) : undefined;
  const challenger = await createChallenger({
    publicClient,
    verdict: fx.deployment.verdict,
    account: account.address,
    sender: createTxSender({ publicClient, account, logger, metrics, pollMs: 25 }),
    programs: loadProgramImages(fx.programPath),
    traces,
    alerter: {
      alert: (a) => {
        if (!alerter.alert(a)) return false;
        const i = alerts.push(a) - 1;
        alertedAt.push(-1n);
        void fx.read<bigint>("activeNow").then((t) => {
          alertedAt[i] = BigInt(t);
        });
        return true;
      },
      persistTo: alerter.persistTo,
      flush: alerter.flush,
    },
    metrics,
    logger,
    fromBlock: fx.deployment.deployedAtBlock,
    confirmations,
    pollMs: 50,
    maxGames: 8,
    maxChecks,
    assumedStepsPerSecond,
    depthCap,
    challengeMarginSeconds: 0,
    stateDir: stateDir ?? ownDir,
  });
  const ac = new AbortController();
  const running = challenger.run(ac.signal);
  return {
    challenger,
    alerts,
    alertedAt,
    me: account.address,
    metrics,
    stop: async () => {
      ac.abort();
      await running.catch(() => undefined);
      await traces.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

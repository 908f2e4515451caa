// The stock proposer's game code (proposer/src/games/createDefender.ts: the shared tree reader,
// proposer solver, deadline-first scheduler and batching responder of shared/src/game) driven on
// the bench's deterministic chain. Its transactions go through a TxSender that sends on that chain
// (each one its own 12 s block at the bench's gas price), and the bench decides when it runs: feed
// the new DisputeGame logs, tick, wait until every queued move is mined. Its trace is the echo
// fixture's (what the machine computes for the job).

import { Writable } from "node:stream";
import {
  createPublicClient,
  type EncodeFunctionDataParameters,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  http,
  type PrivateKeyAccount,
} from "viem";
import { createDefender, type Defender } from "../../../proposer/src/games/createDefender.ts";
import type { TxSender } from "../../../shared/src/chain/createTxSender.ts";
import { ContractRevertError } from "../../../shared/src/chain/errors.ts";
import type { TraceProvider } from "../../../shared/src/game/types.ts";
import { createLogger } from "../../../shared/src/log/createLogger.ts";
import { createDaemonMetrics } from "../../../shared/src/metrics/createDaemonMetrics.ts";
import type { SendResult } from "./chain.ts";
import { echo, stepData, T } from "./protocol.ts";
import type { World } from "./setup.ts";

/** The echo job's trace at D = 32 (T(t) = the halted state from the halt on). */
export const echoTrace: TraceProvider = {
  depth: 32,
  get: async (t) => T(t),
  getStepData: async (t) => {
    const { stateData, proof } = stepData(t);
    return { preState: hexToBytes(stateData), proof: hexToBytes(proof), postStateHash: T(t + 1n) };
  },
  absolutePrestate: async () => hexToBytes(echo.preStates[0] as Hex),
};

export type StockProposer = {
  defender: Defender;
  /** Every transaction the defender sent. */
  sent: SendResult[];
  /** Ticks whose game work failed (and were retried). */
  failures: () => number;
  /** Feeds the logs since the last call, ticks and waits until every queued move is mined. */
  respond: () => Promise<SendResult[]>;
};

export async function createStockProposer(
  w: World,
  account: PrivateKeyAccount,
  proposals: Set<bigint>,
  gasBudget: bigint,
): Promise<StockProposer> {
  const { c } = w;
  const sent: SendResult[] = [];
  const sender: TxSender = {
    address: account.address,
    resetNonce: () => {},
    send: async (p) => {
      // The call's types were checked where it was built; here it is only encoded.
      const data = encodeFunctionData(p as EncodeFunctionDataParameters);
      const r = await c.send(account, { to: p.address, data, value: p.value });
      sent.push(r);
      if (!r.ok) {
        throw new ContractRevertError({
          functionName: p.functionName,
          errorName: r.error.split("(")[0],
          txHash: r.receipt.transactionHash,
        });
      }
      return r.receipt;
    },
  };
  const metrics = createDaemonMetrics({ prefix: "bench_proposer_", defaults: false });
  // Its log goes to stderr only under BENCH_LOG (stdout carries the bench's JSON); warnings are
  // counted, so a tick whose game work failed (an RPC timeout) is retried like the daemon would.
  let failures = 0;
  const destination = new Writable({
    write(chunk, _enc, done) {
      const line = chunk.toString();
      if (line.includes("game work failed") || line.includes('"level":"error"')) failures++;
      if (process.env.BENCH_LOG) process.stderr.write(line);
      done();
    },
  });
  // The daemon's own RPC client, with two changes from createChainClients' (bench/attacks/README.md,
  // "Stock proposer"): JSON-RPC batching, because its tree reader sends two eth_calls per open node
  // at once (thousands in a mass attack), and no 10 MB cap on a response, because the reader's
  // eth_getLogs over a 1024-wave game exceeds it (the read fails and is retried every tick).
  const publicClient = createPublicClient({
    chain: c.chain,
    transport: http(c.anvil.rpcUrl, {
      batch: { batchSize: 200 },
      timeout: 120_000,
      retryCount: 2,
      maxResponseBodySize: false,
    }),
  });
  const defender = await createDefender({
    publicClient,
    sender,
    verdict: w.d.verdict,
    logger: createLogger({ level: "warn", destination }),
    metrics,
    metricsPrefix: "bench_proposer_",
    concurrency: 4,
    gasBudget,
    isOurProposal: (pid) => proposals.has(pid),
    traceFor: async () => echoTrace,
  });
  let cursor = 0n;
  return {
    defender,
    sent,
    failures: () => failures,
    respond: async () => {
      const from = sent.length;
      const head = await c.publicClient.getBlockNumber();
      if (head >= cursor) {
        defender.onLogs(
          await c.publicClient.getLogs({ address: defender.game, fromBlock: cursor, toBlock: head }),
        );
        cursor = head + 1n;
      }
      // One tick offers every open game; a game whose moves were just mined is offered again until
      // the solver has nothing more to send at this moment (and no game work failed).
      for (let round = 0; round < 100; round++) {
        const before = sent.length;
        const failed = failures;
        await defender.tick();
        await defender.idle();
        if (sent.length === before && failures === failed) break;
      }
      return sent.slice(from);
    },
  };
}

// Transaction sender against a real anvil: revert decoding to the custom
// error, concurrent sends with local nonces, fee bumping of a stuck
// transaction, and survival of lost responses and RPC errors through the
// fault-injection proxy without sending anything twice.

import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { createLogger } from "../log/createLogger.ts";
import { createDaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { startFaultProxy } from "../testing/startFaultProxy.ts";
import { until } from "../testing/until.ts";
import { createChainClients } from "./createChainClients.ts";
import { createTxSender } from "./createTxSender.ts";
import { ContractRevertError, RpcUnreachableError } from "./errors.ts";
import { compileCounter } from "./testdata/compileCounter.ts";
import { waitForReceipt } from "./waitForReceipt.ts";

const logger = createLogger({ level: "silent" });

describe("chain/createTxSender (anvil)", function () {
  this.timeout(60_000);
  let anvil: AnvilInstance;
  let counter: Address;
  const { abi, bytecode } = compileCounter();

  before(async () => {
    anvil = await startAnvil();
    const account = privateKeyToAccount(anvil.privateKeys[0]);
    const wallet = createWalletClient({ account, transport: http(anvil.rpcUrl), chain: undefined });
    const pub = createPublicClient({ transport: http(anvil.rpcUrl) });
    const hash = await wallet.deployContract({ abi, bytecode, chain: null });
    counter = (await waitForReceipt(pub, { hash })).contractAddress as Address;
  });
  after(async () => anvil?.stop());

  async function sender(keyIndex: number, rpcUrl = anvil.rpcUrl, extra = {}) {
    const account = privateKeyToAccount(anvil.privateKeys[keyIndex]);
    const { publicClient } = await createChainClients({ rpcUrl, account });
    const metrics = createDaemonMetrics({ prefix: "t_", defaults: false });
    return {
      tx: createTxSender({ publicClient, account, logger, metrics, pollMs: 50, ...extra }),
      publicClient,
      metrics,
    };
  }

  it("decodes a revert to the custom error name and args, and broadcasts nothing", async () => {
    const { tx, publicClient } = await sender(1);
    const before = await publicClient.getTransactionCount({ address: tx.address });
    const err = await tx.send({ address: counter, abi, functionName: "bump", args: [101n] }).catch((e) => e);
    expect(err).to.be.instanceOf(ContractRevertError);
    expect(err.errorName).to.equal("TooBig");
    expect(err.errorArgs).to.deep.equal([101n, 100n]);
    expect(err.retryable).to.equal(false);
    expect(await publicClient.getTransactionCount({ address: tx.address })).to.equal(before);
  });

  it("sends many transactions concurrently with consecutive nonces", async () => {
    const { tx, publicClient } = await sender(2);
    const v0 = (await publicClient.readContract({ address: counter, abi, functionName: "value" })) as bigint;
    const receipts = await Promise.all(
      Array.from({ length: 12 }, () => tx.send({ address: counter, abi, functionName: "bump", args: [1n] })),
    );
    expect(receipts.every((r) => r.status === "success")).to.equal(true);
    expect(await publicClient.readContract({ address: counter, abi, functionName: "value" })).to.equal(
      v0 + 12n,
    );
  });

  it("re-sends a stuck transaction with a higher fee (same nonce)", async () => {
    const { tx, publicClient, metrics } = await sender(3, anvil.rpcUrl, { bumpAfterMs: 300 });
    const testClient = createPublicClient({ transport: http(anvil.rpcUrl) });
    await testClient.request({ method: "evm_setAutomine" as never, params: [false] as never });
    try {
      const p = tx.send({ address: counter, abi, functionName: "bump", args: [2n] });
      // Let it bump at least once (the replacement is in the pool), then mine.
      await until(
        "a fee bump",
        async () => ((await metrics.feeBumps.get()).values[0]?.value ?? 0) > 0,
        30_000,
        25,
      );
      await testClient.request({ method: "evm_mine" as never, params: [] as never });
      const receipt = await p;
      expect(receipt.status).to.equal("success");
      const bumps = (await metrics.feeBumps.get()).values[0]?.value ?? 0;
      expect(bumps).to.be.greaterThan(0);
      const mined = await publicClient.getTransaction({ hash: receipt.transactionHash });
      expect(mined.nonce).to.equal(0);
    } finally {
      await testClient.request({ method: "evm_setAutomine" as never, params: [true] as never });
    }
  });

  it("survives lost responses and RPC errors without running a call twice", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, seed: 7 });
    try {
      const { tx, publicClient } = await sender(4, proxy.url, { retries: 12 });
      proxy.set({ lostResponseRate: 0.3, errorRate: 0.2, rpcErrorRate: 0.1 });
      const v0 = (await createPublicClient({ transport: http(anvil.rpcUrl) }).readContract({
        address: counter,
        abi,
        functionName: "value",
      })) as bigint;
      for (let i = 0; i < 8; i++) await tx.send({ address: counter, abi, functionName: "bump", args: [1n] });
      proxy.clear();
      expect(await publicClient.readContract({ address: counter, abi, functionName: "value" })).to.equal(
        v0 + 8n,
      );
      expect(proxy.stats.lostResponses + proxy.stats.errors).to.be.greaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("an unreachable RPC is a clear startup error, not a hang", async () => {
    const t0 = Date.now();
    const err = await createChainClients({ rpcUrl: "http://127.0.0.1:9", probeAttempts: 2 }).catch((e) => e);
    expect(err).to.be.instanceOf(RpcUnreachableError);
    expect(err.message).to.include("http://127.0.0.1:9");
    expect(Date.now() - t0).to.be.lessThan(10_000);
  });
});

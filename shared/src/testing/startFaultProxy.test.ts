import { expect } from "chai";
import { createPublicClient, createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { startFaultProxy } from "./startFaultProxy.ts";

async function attempt<T>(fn: () => Promise<T>): Promise<"ok" | "fail"> {
  try {
    await fn();
    return "ok";
  } catch {
    return "fail";
  }
}

describe("startFaultProxy", () => {
  let anvil: AnvilInstance;
  before(async () => {
    anvil = await startAnvil({ accounts: 2 });
  });
  after(async () => {
    await anvil.stop();
  });

  it("passes everything through when no fault is set", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl });
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
      for (let i = 0; i < 10; i++) expect(await client.getChainId()).to.equal(31337);
      expect(proxy.stats.passed).to.equal(10);
      // Calls are counted per method, each call of a batch on its own.
      const batched = createPublicClient({ transport: http(proxy.url, { retryCount: 0, batch: true }) });
      await Promise.all([batched.getBlockNumber(), batched.getChainId()]);
      expect(proxy.stats.requests).to.equal(11);
      expect(proxy.stats.calls).to.deep.equal({ eth_chainId: 11, eth_blockNumber: 1 });
    } finally {
      await proxy.close();
    }
  });

  it("injects about the configured fraction of failures, reproducibly, and can be toggled off", async () => {
    const run = async () => {
      const proxy = await startFaultProxy({
        upstream: anvil.rpcUrl,
        seed: 42,
        dropRate: 0.2,
        errorRate: 0.2,
        rpcErrorRate: 0.1,
      });
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0, timeout: 2000 }) });
      const outcomes: string[] = [];
      for (let i = 0; i < 100; i++)
        outcomes.push(await attempt(() => client.getBlockNumber({ cacheTime: 0 })));
      const stats = { ...proxy.stats };
      proxy.set({ enabled: false });
      for (let i = 0; i < 10; i++)
        expect(await attempt(() => client.getBlockNumber({ cacheTime: 0 }))).to.equal("ok");
      await proxy.close();
      return { outcomes, stats };
    };
    const a = await run();
    const b = await run();
    const failures = a.outcomes.filter((o) => o === "fail").length;
    // P(fault) = 1 - 0.8*0.8*0.9 = 0.424; 100 draws: well inside [25, 60].
    expect(failures).to.be.within(25, 60);
    expect(a.stats.dropped + a.stats.errors + a.stats.rpcErrors).to.equal(failures);
    expect(b.outcomes).to.deep.equal(a.outcomes);
  });

  it("lost responses: the transaction lands although the client sees a failure", async () => {
    const proxy = await startFaultProxy({
      upstream: anvil.rpcUrl,
      lostResponseRate: 1,
      methods: ["eth_sendRawTransaction"],
    });
    try {
      const account = privateKeyToAccount(anvil.privateKeys[0]);
      const to = privateKeyToAccount(anvil.privateKeys[1]).address;
      const direct = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
      const wallet = createWalletClient({
        account,
        chain: foundry,
        transport: http(proxy.url, { retryCount: 0, timeout: 30_000 }),
      });
      const nonce = await direct.getTransactionCount({ address: account.address });
      // A live connection to the proxy first: a keep-alive socket left in the client's pool by an
      // earlier server on the same port would otherwise fail the send before it reaches anvil.
      for (let i = 0; i < 3; i++) if ((await attempt(() => wallet.getChainId())) === "ok") break;
      let error: unknown;
      await wallet.sendTransaction({ to, value: parseEther("1") }).catch((e) => {
        error = e;
      });
      expect(error, "the client must see a failure").to.not.equal(undefined);
      const why = `client error: ${(error as Error).message.split("\n")[0]}; proxy ${JSON.stringify(proxy.stats)}`;
      // anvil answers the send before the block carrying it is visible at "latest" on a loaded host.
      let landed = await direct.getTransactionCount({ address: account.address });
      for (let i = 0; i < 150 && landed === nonce; i++) {
        await new Promise((r) => setTimeout(r, 100));
        landed = await direct.getTransactionCount({ address: account.address });
      }
      expect(landed, why).to.equal(nonce + 1);
      // The proxy counts the lost response once the node has answered it; on a loaded machine
      // that can come after the client already gave up.
      for (let i = 0; i < 150 && proxy.stats.lostResponses === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(proxy.stats.lostResponses).to.equal(1);
    } finally {
      await proxy.close();
    }
  });

  it("down fails everything; delays slow requests down; bad settings are rejected", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, down: true });
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0, timeout: 2000 }) });
      expect(await attempt(() => client.getChainId())).to.equal("fail");
      proxy.set({ down: false, delayRate: 1, delayMs: 300 });
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) await client.getBlockNumber({ cacheTime: 0 });
      expect(Date.now() - t0).to.be.greaterThan(200);
      expect(proxy.stats.delayed).to.equal(5);
      expect(() => proxy.set({ dropRate: 2 })).to.throw(/dropRate/);
      proxy.clear();
      expect(proxy.settings.delayRate).to.equal(0);
    } finally {
      await proxy.close();
    }
  });
});

describe("startFaultProxy: wrong answers", () => {
  let anvil: AnvilInstance;
  before(async () => {
    anvil = await startAnvil({ accounts: 1 });
  });
  after(async () => {
    await anvil.stop();
  });

  it("malformed and truncated answers are errors the client sees, and are counted", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, malformedRate: 1 });
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0, timeout: 5000 }) });
      expect(await attempt(() => client.getBlockNumber({ cacheTime: 0 }))).to.equal("fail");
      expect(proxy.stats.malformed).to.equal(1);
      proxy.set({ malformedRate: 0, truncatedRate: 1 });
      expect(await attempt(() => client.getChainId())).to.equal("fail");
      expect(proxy.stats.truncated).to.equal(1);
      proxy.clear();
      expect(await client.getChainId()).to.equal(31337);
    } finally {
      await proxy.close();
    }
  });

  it("answers eth_chainId of another chain, and a head that goes backwards", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, wrongChainId: 5 });
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
      expect(await client.getChainId()).to.equal(5);
      const direct = createPublicClient({ transport: http(anvil.rpcUrl) });
      await direct.request({ method: "anvil_mine", params: ["0x8"] } as never);
      const head = await direct.getBlockNumber({ cacheTime: 0 });
      proxy.set({ wrongChainId: undefined, staleBlockRate: 1, staleBlocks: 3 });
      expect(await client.getBlockNumber({ cacheTime: 0 })).to.equal(head > 3n ? head - 3n : 0n);
      expect(proxy.stats).to.include({ wrongChain: 1, stale: 1 });
      const latest = await client.getBlock({ blockTag: "latest" });
      expect(latest.number).to.equal(head - 3n);
      expect(latest.hash).to.equal((await direct.getBlock({ blockNumber: head - 3n })).hash);
      expect(proxy.stats).to.include({ stale: 2 });
      expect(() => proxy.set({ staleBlocks: 0 })).to.throw(/staleBlocks/);
      expect(() => proxy.set({ wrongChainId: -1 })).to.throw(/wrongChainId/);
    } finally {
      await proxy.close();
    }
  });
});

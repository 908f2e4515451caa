import { expect } from "chai";
import { createPublicClient, createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";
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

describe("startFaultProxy: answers of the wrong shape and another chain's node", () => {
  let anvil: AnvilInstance;
  let other: AnvilInstance;
  before(async () => {
    [anvil, other] = await Promise.all([
      startAnvil({ accounts: 1 }),
      startAnvil({ accounts: 1, chainId: 5 }),
    ]);
  });
  after(async () => {
    await Promise.all([anvil.stop(), other.stop()]);
  });

  type Answer = { jsonrpc: string; id: unknown; result?: unknown; error?: unknown };
  const post = async (url: string, body: unknown): Promise<Answer | Answer[]> =>
    (
      await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json();
  const call = (method: string, params: unknown[] = [], id = 7) => ({ jsonrpc: "2.0", id, method, params });

  it("rewrites answers into valid JSON-RPC of the wrong shape, per method, counted by kind, reproducibly", async () => {
    const run = async () => {
      const proxy = await startFaultProxy({
        upstream: anvil.rpcUrl,
        seed: 3,
        wrongShapeRate: 1,
        methods: ["eth_getBlockByNumber", "eth_blockNumber", "eth_call"],
      });
      const seen: string[] = [];
      try {
        const direct = await post(anvil.rpcUrl, call("eth_getBlockByNumber", ["0x0", false]));
        const block = (direct as Answer).result as Record<string, unknown>;
        for (let i = 0; i < 40; i++) {
          const before = { ...proxy.stats.wrongShapes };
          const a = (await post(proxy.url, call("eth_getBlockByNumber", ["0x0", false]))) as Answer;
          const [kind] = Object.keys(proxy.stats.wrongShapes).filter(
            (k) => proxy.stats.wrongShapes[k] !== (before[k] ?? 0),
          );
          seen.push(kind);
          expect(a.jsonrpc).to.equal("2.0");
          if (kind === "idMismatch") {
            expect(a.id).to.not.equal(7);
            expect(a.result).to.deep.equal(block);
          } else {
            expect(a.id).to.equal(7);
            if (kind === "nullBlock") expect(a.result).to.equal(null);
            else if (kind === "blockMissingFields") {
              expect(a.result).to.not.have.any.keys("hash", "number");
              expect(a.result).to.have.property("parentHash", block.parentHash);
            } else if (kind === "blockNumberNotHex")
              expect((a.result as { number: unknown }).number).to.equal(0);
            else expect.fail(`unexpected kind ${kind}`);
          }
        }
        expect(new Set(seen)).to.deep.equal(
          new Set(["idMismatch", "nullBlock", "blockMissingFields", "blockNumberNotHex"]),
        );
        // A quantity: a JSON number, null or non-hex; eth_call: "0x" or a hex of the wrong length.
        for (let i = 0; i < 12; i++) {
          const a = (await post(proxy.url, call("eth_blockNumber"))) as Answer;
          expect(
            a.id !== 7 || a.result === null || typeof a.result === "number" || a.result === "0xzz",
          ).to.equal(true);
        }
        // Outside `methods`: untouched.
        const chainId = (await post(proxy.url, call("eth_chainId"))) as Answer;
        expect(chainId).to.deep.equal({ jsonrpc: "2.0", id: 7, result: "0x7a69" });
        expect(proxy.stats.wrongShape).to.equal(52);
        expect(proxy.stats.passed).to.equal(1);
        // A batch: one entry too few, or one of its entries of the wrong shape.
        let short = 0;
        for (let i = 0; i < 10; i++) {
          const batch = (await post(proxy.url, [
            call("eth_blockNumber", [], 1),
            call("eth_chainId", [], 2),
          ])) as Answer[];
          expect(batch).to.be.an("array");
          if (batch.length === 1) short++;
          else expect(batch[1]).to.deep.equal({ jsonrpc: "2.0", id: 2, result: "0x7a69" });
        }
        expect(short).to.equal(proxy.stats.wrongShapes.batchShort);
        expect(short).to.be.within(1, 9);
        return { seen, stats: JSON.stringify(proxy.stats.wrongShapes) };
      } finally {
        await proxy.close();
      }
    };
    const a = await run();
    expect((await run()).seen).to.deep.equal(a.seen);
  });

  it("eth_call, logs and receipts of the wrong shape are what a viem client reads, or a failure", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, seed: 5 });
    try {
      const account = privateKeyToAccount(anvil.privateKeys[0]);
      const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.rpcUrl) });
      const direct = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
      const hash = await wallet.sendTransaction({ to: account.address, value: 1n });
      const receipt = await waitForReceipt(direct, { hash });
      proxy.set({ wrongShapeRate: 1, methods: ["eth_getTransactionReceipt", "eth_call", "eth_getLogs"] });
      const kinds = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const r = (await post(proxy.url, call("eth_getTransactionReceipt", [hash]))) as Answer;
        const got = r.result as { status?: string; logs?: unknown } | number;
        if (r.id === 7)
          expect(got).to.satisfy(
            (x: typeof got) =>
              x === 42 || (typeof x === "object" && (x.status === "0x7" || x.logs === undefined)),
          );
        const c = (await post(
          proxy.url,
          call("eth_call", [{ to: account.address, data: "0x" }, "latest"]),
        )) as Answer;
        expect(c.id !== 7 || c.result === "0x").to.equal(true);
        const l = (await post(
          proxy.url,
          call("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest" }]),
        )) as Answer;
        expect(l.id !== 7 || !Array.isArray(l.result)).to.equal(true);
        for (const k of Object.keys(proxy.stats.wrongShapes)) kinds.add(k);
      }
      expect([...kinds]).to.include.members([
        "idMismatch",
        "receiptNotObject",
        "receiptBogusStatus",
        "receiptMissingFields",
        "emptyCall",
        "logsNotArray",
      ]);
      // viem reads them as failures (or, for an id mismatch, may not notice: the body is the node's).
      const client = createPublicClient({ chain: foundry, transport: http(proxy.url, { retryCount: 0 }) });
      proxy.set({ methods: ["eth_getTransactionReceipt"] });
      const outcomes = new Set<string>();
      for (let i = 0; i < 12; i++)
        outcomes.add(
          await client.getTransactionReceipt({ hash }).then(
            (x) =>
              x.status === receipt.status && x.blockNumber === receipt.blockNumber
                ? "same"
                : `different ${x.status}`,
            (e: Error) => e.name,
          ),
        );
      expect(
        [...outcomes].some((o) => o !== "same"),
        [...outcomes].join(),
      ).to.equal(true);
    } finally {
      await proxy.close();
    }
  });

  it("forwards to another chain's node while otherUpstream is set, then back", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl });
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
      expect(await client.getChainId()).to.equal(31337);
      proxy.set({ otherUpstream: other.rpcUrl, wrongShapeRate: 1 });
      // Nothing else is faulted while another node answers.
      expect(await client.getChainId()).to.equal(5);
      proxy.set({ otherUpstream: undefined, wrongShapeRate: 0 });
      expect(await client.getChainId()).to.equal(31337);
      expect(proxy.stats).to.include({ switched: 1, passed: 2, wrongShape: 0 });
      expect(proxy.stats.switchedCalls).to.deep.equal({ eth_chainId: 1 });
      expect(() => proxy.set({ otherUpstream: "not a url" })).to.throw(/otherUpstream/);
      expect(() => proxy.set({ wrongShapeRate: -0.1 })).to.throw(/wrongShapeRate/);
    } finally {
      await proxy.close();
    }
  });
});

// createChainClients with an expected chain id (--chain-id), against anvil
// behind the fault proxy: a node of another chain is refused at startup with
// a typed error that is not retryable (the daemon stops and says what to fix);
// once running, an answer naming another chain is never used: the call fails
// retryably (the daemon loops retry it), and the right answer is used again
// as soon as the node gives it.

import { expect } from "chai";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { startFaultProxy } from "../testing/startFaultProxy.ts";
import { isRetryableError, rpcErrorKind } from "./classifyError.ts";
import { createChainClients } from "./createChainClients.ts";
import { WrongChainError } from "./errors.ts";

describe("chain/createChainClients: expected chain id", () => {
  let anvil: AnvilInstance;
  before(async () => {
    anvil = await startAnvil({ accounts: 1 });
  });
  after(async () => anvil?.stop());

  it("starts on the expected chain, and refuses another chain's node with a non-retryable WrongChainError", async () => {
    const ok = await createChainClients({ rpcUrl: anvil.rpcUrl, expectedChainId: anvil.chainId });
    expect(ok.chain.id).to.equal(anvil.chainId);
    const err = await createChainClients({ rpcUrl: anvil.rpcUrl, expectedChainId: 5 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(WrongChainError);
    expect((err as WrongChainError).expected).to.equal(5);
    expect((err as WrongChainError).actual).to.equal(anvil.chainId);
    expect((err as WrongChainError).message).to.match(/Try: check --rpc-url/);
    expect(isRetryableError(err)).to.equal(false);
  });

  it("refuses a proxy that answers eth_chainId of another chain at startup", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, wrongChainId: 5 });
    try {
      const err = await createChainClients({ rpcUrl: proxy.url, expectedChainId: anvil.chainId }).catch(
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(WrongChainError);
      expect(isRetryableError(err)).to.equal(false);
    } finally {
      await proxy.close();
    }
  });

  it("once running, a wrong chain id in an answer is a retryable error, never a value", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl });
    try {
      const { publicClient } = await createChainClients({
        rpcUrl: proxy.url,
        expectedChainId: anvil.chainId,
      });
      proxy.set({ wrongChainId: 5 });
      const err = await publicClient.getChainId().catch((e: unknown) => e);
      expect(err).to.not.equal(5);
      expect((err as Error).message).to.match(/chain 5, not the configured chain 31337/);
      expect(isRetryableError(err)).to.equal(true);
      proxy.set({ wrongChainId: undefined });
      expect(await publicClient.getChainId()).to.equal(anvil.chainId);
    } finally {
      await proxy.close();
    }
  });

  it("without --chain-id, stays bound to the chain found at startup", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl });
    try {
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      proxy.set({ wrongChainId: 5 });
      const err = await publicClient.getChainId().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(WrongChainError);
      expect(isRetryableError(err)).to.equal(true);
      // Until eth_chainId names our chain again, no other call reaches the node.
      const requests = proxy.stats.requests;
      const read = await publicClient.getBlockNumber({ cacheTime: 0 }).catch((e: unknown) => e);
      expect(read).to.be.instanceOf(WrongChainError);
      expect(proxy.stats.requests).to.equal(requests);
      proxy.set({ wrongChainId: undefined });
      expect(await publicClient.getChainId()).to.equal(anvil.chainId);
      expect(await publicClient.getBlockNumber({ cacheTime: 0 })).to.be.a("bigint");
    } finally {
      await proxy.close();
    }
  });

  it("an answer of the wrong shape, or to another request, is a retryable error, never a value", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, seed: 9 });
    try {
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      const block = await publicClient.getBlock({ blockTag: "latest" });
      proxy.set({ wrongShapeRate: 1, methods: ["eth_getBlockByNumber", "eth_blockNumber"] });
      for (let i = 0; i < 20; i++) {
        const err = await publicClient.getBlock({ blockTag: "latest" }).then(
          (b) => `a value: ${b.number}`,
          (e: unknown) => e,
        );
        expect(isRetryableError(err), String(err)).to.equal(true);
        expect(rpcErrorKind(err)).to.equal("bad_answer");
        const n = await publicClient.getBlockNumber({ cacheTime: 0 }).then(
          (x) => `a value: ${x}`,
          (e: unknown) => e,
        );
        expect(isRetryableError(n), String(n)).to.equal(true);
      }
      expect(proxy.stats.wrongShapes).to.have.keys(
        "idMismatch",
        "nullBlock",
        "blockMissingFields",
        "blockNumberNotHex",
        "quantityNotHex",
        "nullResult",
        "notHex",
      );
      proxy.clear();
      expect((await publicClient.getBlock({ blockTag: "latest" })).hash).to.equal(block.hash);
    } finally {
      await proxy.close();
    }
  });
});

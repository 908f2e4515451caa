// createChainClients with an expected chain id (--chain-id), against anvil
// behind the fault proxy: a node of another chain is refused at startup with
// a typed error that is not retryable (the daemon stops and says what to fix);
// once running, an answer naming another chain is never used: the call fails
// retryably (the daemon loops retry it), and the right answer is used again
// as soon as the node gives it.

import { expect } from "chai";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { startFaultProxy } from "../testing/startFaultProxy.ts";
import { isRetryableError } from "./classifyError.ts";
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
});

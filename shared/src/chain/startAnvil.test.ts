import { expect } from "chai";
import { createPublicClient, createTestClient, createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { startAnvil } from "./startAnvil.ts";
import { waitForReceipt } from "./waitForReceipt.ts";

describe("startAnvil", () => {
  it("starts on a free port with funded keys, moves time, and stops cleanly", async () => {
    const anvil = await startAnvil({ accounts: 3 });
    try {
      expect(anvil.port).to.be.greaterThan(0);
      expect(anvil.privateKeys).to.have.length(3);
      const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
      expect(await publicClient.getChainId()).to.equal(31337);
      const from = privateKeyToAccount(anvil.privateKeys[0]);
      const to = privateKeyToAccount(anvil.privateKeys[1]).address;
      const wallet = createWalletClient({ account: from, chain: foundry, transport: http(anvil.rpcUrl) });
      const hash = await wallet.sendTransaction({ to, value: parseEther("1") });
      const receipt = await waitForReceipt(publicClient, { hash, pollMs: 50 });
      expect(receipt.status).to.equal("success");
      const test = createTestClient({ chain: foundry, mode: "anvil", transport: http(anvil.rpcUrl) });
      const before = (await publicClient.getBlock()).timestamp;
      await test.increaseTime({ seconds: 3600 });
      await test.mine({ blocks: 1 });
      expect((await publicClient.getBlock()).timestamp - before >= 3600n).to.equal(true);
    } finally {
      await anvil.stop();
    }
    expect(anvil.exited()).to.equal(true);
    // The port is free again: nothing answers.
    const dead = createPublicClient({ transport: http(anvil.rpcUrl, { retryCount: 0, timeout: 1000 }) });
    let failed = false;
    try {
      await dead.getChainId();
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });

  it("runs two instances side by side on different ports", async () => {
    const [a, b] = await Promise.all([startAnvil({ chainId: 1001 }), startAnvil({ chainId: 1002 })]);
    try {
      expect(a.port).to.not.equal(b.port);
      const ca = createPublicClient({ transport: http(a.rpcUrl) });
      const cb = createPublicClient({ transport: http(b.rpcUrl) });
      expect(await ca.getChainId()).to.equal(1001);
      expect(await cb.getChainId()).to.equal(1002);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("fails with a typed error on bad flags instead of hanging", async () => {
    let err: unknown;
    try {
      await startAnvil({ extraArgs: ["--definitely-not-a-flag"], startTimeoutMs: 10_000 });
    } catch (e) {
      err = e;
    }
    expect((err as Error)?.name).to.equal("AnvilStartError");
    expect((err as Error).message).to.match(/exited/);
  });
});

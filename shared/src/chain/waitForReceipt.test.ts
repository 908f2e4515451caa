import { expect } from "chai";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  type EIP1193RequestFn,
  HttpRequestError,
  http,
  InvalidParamsRpcError,
  keccak256,
  toHex,
  WaitForTransactionReceiptTimeoutError,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { type StartAnvilReturnType, startAnvil } from "./startAnvil.ts";
import { waitForReceipt } from "./waitForReceipt.ts";

const DEAD = "0x000000000000000000000000000000000000dEaD";

describe("chain/waitForReceipt (anvil)", function () {
  this.timeout(60_000);
  let anvil: StartAnvilReturnType;
  before(async () => {
    anvil = await startAnvil({});
  });
  after(async () => {
    await anvil?.stop();
  });

  /** A public client whose requests go through `intercept` (which may call `forward`). */
  function clientThrough(
    intercept: (method: string, params: unknown, forward: () => Promise<unknown>) => Promise<unknown>,
  ) {
    const upstream = http(anvil.rpcUrl)({ chain: foundry });
    const request = (({ method, params }) =>
      intercept(method, params, () => upstream.request({ method, params } as never))) as EIP1193RequestFn;
    return createPublicClient({ chain: foundry, transport: custom({ request }), pollingInterval: 20 });
  }

  it("finds a transaction whose block was seen by a concurrent wait's block poller between its first read and the next", async () => {
    const test = createTestClient({ chain: foundry, mode: "anvil", transport: http(anvil.rpcUrl) });
    const wallet = createWalletClient({
      chain: foundry,
      transport: http(anvil.rpcUrl),
      account: privateKeyToAccount(anvil.privateKeys[0]),
    });
    await test.setAutomine(false);
    try {
      let hold: string | undefined;
      let seenHead = -1n; // none seen yet
      let interleaved = false;
      const client = clientThrough(async (method, params, forward) => {
        const answer = await forward();
        if (method === "eth_blockNumber" && BigInt(answer as string) > seenHead)
          seenHead = BigInt(answer as string);
        if (method === "eth_getTransactionReceipt" && (params as string[])[0] === hold) {
          hold = undefined;
          // Not mined when asked. Before the answer arrives the block carrying it is mined, and the
          // other wait's block poller (viem's, shared per client) reports that block.
          const before = seenHead;
          await test.mine({ blocks: 1 });
          while (seenHead <= before) await new Promise((r) => setTimeout(r, 5));
          interleaved = true;
        }
        return answer;
      });
      // A concurrent wait, through viem, for a transaction never sent: it keeps the poller running.
      const other = client
        .waitForTransactionReceipt({ hash: keccak256(toHex("never sent")), timeout: 5_000 })
        .catch(() => undefined);
      while (seenHead < 0n) await new Promise((r) => setTimeout(r, 5));
      const hash = await wallet.sendTransaction({ to: DEAD, value: 1n });
      hold = hash;
      // On a chain that makes no further block. (viem's own wait, in this interleaving, runs to its
      // timeout: it re-reads the receipt only on a block its shared poller reports as new.)
      const receipt = await waitForReceipt(client, { hash, timeoutMs: 10_000 });
      expect(interleaved, "the test built the interleaving").to.equal(true);
      expect(receipt.transactionHash).to.equal(hash);
      expect(receipt.status).to.equal("success");
      await test.mine({ blocks: 1 }); // lets the other wait's poller move on
      await other;
    } finally {
      await test.setAutomine(true);
    }
  });

  it("gives up after timeoutMs with viem's timeout error", async () => {
    const client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl), pollingInterval: 20 });
    const hash = keccak256(toHex("never sent either"));
    const t0 = Date.now();
    const err = await waitForReceipt(client, { hash, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitForTransactionReceiptTimeoutError);
    expect(Date.now() - t0).to.be.at.least(300);
  });

  it("asks again after a retryable failure and throws any other at once", async () => {
    const wallet = createWalletClient({
      chain: foundry,
      transport: http(anvil.rpcUrl),
      account: privateKeyToAccount(anvil.privateKeys[1]),
    });
    const hash = await wallet.sendTransaction({ to: DEAD, value: 1n });
    let failures = 2;
    let reads = 0;
    const flaky = clientThrough(async (method, _params, forward) => {
      if (method === "eth_getTransactionReceipt") {
        reads++;
        if (failures-- > 0)
          throw new HttpRequestError({ url: anvil.rpcUrl, status: 502, details: "bad gateway" });
      }
      return forward();
    });
    const receipt = await waitForReceipt(flaky, { hash, timeoutMs: 10_000, pollMs: 10 });
    expect(receipt.transactionHash).to.equal(hash);
    expect(reads).to.equal(3);

    reads = 0;
    const refusing = clientThrough(async (method, _params, forward) => {
      if (method === "eth_getTransactionReceipt") {
        reads++;
        throw new InvalidParamsRpcError(new Error("bad hash"));
      }
      return forward();
    });
    const err = await waitForReceipt(refusing, { hash, timeoutMs: 10_000, pollMs: 10 }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(InvalidParamsRpcError);
    expect(reads).to.equal(1);
  });

  it("ends with the signal's reason when aborted", async () => {
    const client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl), pollingInterval: 20 });
    const ac = new AbortController();
    const waiting = waitForReceipt(client, { hash: keccak256(toHex("never")), signal: ac.signal });
    ac.abort(new Error("stopped"));
    const err = await waiting.catch((e: unknown) => e);
    expect((err as Error).message).to.equal("stopped");
  });
});

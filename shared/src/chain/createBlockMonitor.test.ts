// Block monitor against a real anvil: backfill from a start block then follow
// new heads, hold back unconfirmed blocks, and re-deliver ranges after a reorg
// deeper than the confirmation depth (staged with evm_snapshot/evm_revert).

import { Writable } from "node:stream";
import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, http, parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { createLogger } from "../log/createLogger.ts";
import { startFaultProxy } from "../testing/startFaultProxy.ts";
import { until } from "../testing/until.ts";
import { isRetryableError } from "./classifyError.ts";
import { createBlockMonitor } from "./createBlockMonitor.ts";
import { createChainClients } from "./createChainClients.ts";
import { compileCounter } from "./testdata/compileCounter.ts";
import { waitForReceipt } from "./waitForReceipt.ts";

const logger = createLogger({ level: "silent" });
const bumped = parseAbiItem("event Bumped(uint256 indexed by, uint256 value)");

describe("chain/createBlockMonitor (anvil)", function () {
  this.timeout(60_000);
  let anvil: AnvilInstance;
  let counter: Address;
  const { abi, bytecode } = compileCounter();
  let bump: (by: bigint) => Promise<void>;
  let rpc: (method: string, params?: unknown[]) => Promise<unknown>;

  before(async () => {
    anvil = await startAnvil();
    const account = privateKeyToAccount(anvil.privateKeys[0]);
    const wallet = createWalletClient({ account, transport: http(anvil.rpcUrl) });
    const pub = createPublicClient({ transport: http(anvil.rpcUrl) });
    const hash = await wallet.deployContract({ abi, bytecode, chain: null });
    counter = (await waitForReceipt(pub, { hash })).contractAddress as Address;
    bump = async (by) => {
      const h = await wallet.writeContract({
        address: counter,
        abi,
        functionName: "bump",
        args: [by],
        chain: null,
      });
      await waitForReceipt(pub, { hash: h });
    };
    rpc = (method, params = []) => pub.request({ method: method as never, params: params as never });
  });
  after(async () => anvil?.stop());

  it("backfills, follows, respects confirmations and re-delivers after a deep reorg", async () => {
    for (const by of [1n, 2n, 3n]) await bump(by);
    const { publicClient } = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const seen = new Map<string, bigint>(); // txHash -> by
    const ranges: [bigint, bigint][] = [];
    const monitor = createBlockMonitor({
      publicClient,
      fromBlock: 0n,
      confirmations: 2,
      maxRange: 2n,
      logger,
      onRange: async ({ fromBlock, toBlock }) => {
        ranges.push([fromBlock, toBlock]);
        const logs = await publicClient.getLogs({ address: counter, event: bumped, fromBlock, toBlock });
        for (const l of logs) seen.set(l.transactionHash, l.args.by as bigint);
      },
    });
    // Head is block 4 (deploy + 3 bumps); confirmed up to 2, in ranges of 2.
    while ((await monitor.tick()) <= 2n);
    expect(ranges).to.deep.equal([
      [0n, 1n],
      [2n, 2n],
    ]);
    expect([...seen.values()]).to.deep.equal([1n]);
    await rpc("anvil_mine", ["0x2"]);
    await monitor.tick();
    expect([...seen.values()]).to.deep.equal([1n, 2n, 3n]);
    expect(monitor.next()).to.equal(5n);

    // Reorg: blocks from 4 on are replaced by a chain with a different bump.
    const snap = await rpc("evm_snapshot");
    await bump(50n); // block 7
    await rpc("anvil_mine", ["0x3"]);
    while (monitor.next() <= 7n) await monitor.tick();
    expect([...seen.values()]).to.include(50n);
    await rpc("evm_revert", [snap]);
    await rpc("anvil_mine", ["0x1"]);
    await bump(60n); // block 8 on the new branch
    await rpc("anvil_mine", ["0x3"]);
    const before = ranges.length;
    for (let i = 0; i < 10 && ![...seen.values()].includes(60n); i++) await monitor.tick();
    expect([...seen.values()]).to.include(60n);
    // The reorg rewound below the replaced blocks.
    expect(ranges.slice(before).some(([from]) => from <= 7n)).to.equal(true);
  });

  it("after a reorg deeper than reorgRewind, re-handles from the fork point (not a fixed depth below the head)", async () => {
    const { publicClient } = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    const seen: bigint[] = [];
    const rewinds: bigint[] = [];
    const monitor = createBlockMonitor({
      publicClient,
      fromBlock: head + 1n,
      confirmations: 0,
      logger,
      onRange: async ({ fromBlock, toBlock }) => {
        const logs = await publicClient.getLogs({ address: counter, event: bumped, fromBlock, toBlock });
        for (const l of logs) seen.push(l.args.by as bigint);
      },
      onRewind: (fromBlock) => rewinds.push(fromBlock),
    });
    const snap = await rpc("evm_snapshot");
    const fork = head; // the last block both branches share
    // Old branch: a bump in the first new block, then 5 more, each handled on its own.
    await bump(70n);
    await monitor.tick();
    for (let i = 0; i < 5; i++) {
      await rpc("anvil_mine", ["0x1"]);
      await monitor.tick();
    }
    expect(seen).to.deep.equal([70n]);
    // New branch from the fork: the same height, another bump in its first block.
    await rpc("evm_revert", [snap]);
    await bump(80n);
    await rpc("anvil_mine", ["0x5"]);
    await monitor.tick();
    // reorgRewind is 2 here: a rewind from the head would start 4 blocks after the replaced bump.
    expect(rewinds).to.deep.equal([fork + 1n]);
    expect(seen).to.deep.equal([70n, 80n]);
  });

  it("notices a reorg that lands while a range is being handled (the range is handed out again)", async () => {
    const { publicClient } = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    const snap = await rpc("evm_snapshot");
    await bump(90n);
    const seen: bigint[] = [];
    let reorgMidRange = true;
    const monitor = createBlockMonitor({
      publicClient,
      fromBlock: head + 1n,
      confirmations: 0,
      logger,
      onRange: async ({ fromBlock, toBlock }) => {
        const logs = await publicClient.getLogs({ address: counter, event: bumped, fromBlock, toBlock });
        for (const l of logs) seen.push(l.args.by as bigint);
        if (!reorgMidRange) return;
        reorgMidRange = false;
        // Right after the logs were read: the block that carried them is replaced.
        await rpc("evm_revert", [snap]);
        await bump(91n);
      },
    });
    await monitor.tick();
    expect(seen).to.deep.equal([90n]);
    await monitor.tick();
    expect(seen).to.deep.equal([90n, 91n]);
  });

  it("run() stops when the signal aborts", async () => {
    const { publicClient } = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const ac = new AbortController();
    let calls = 0;
    const monitor = createBlockMonitor({
      publicClient,
      fromBlock: 0n,
      confirmations: 0,
      pollMs: 20,
      logger,
      onRange: async () => {
        calls++;
      },
    });
    const done = monitor.run(ac.signal);
    await until("a handled range", () => calls > 0, 30_000, 10);
    ac.abort();
    await done;
    expect(calls).to.be.greaterThan(0);
  });

  it("says what it waits for when the chain stops producing blocks (automine, confirmations > 0)", async () => {
    await bump(7n); // automine: one block, then nothing
    const { publicClient } = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const monitor = createBlockMonitor({
      publicClient,
      fromBlock: head, // the block holding our event
      confirmations: 2,
      progressEveryMs: 0,
      logger: createLogger({ level: "info", destination }),
      onRange: async () => expect.fail("an unconfirmed block was handed out"),
    });
    await monitor.tick();
    await monitor.tick();
    await until("two progress lines", () => lines.length >= 2, 5_000, 10);
    expect(lines[0].msg).to.equal("waiting for 2 confirmations");
    // Block numbers are bigints: the logger writes them as decimal strings.
    expect(lines[0]).to.include({ head: String(head), processed: String(head - 1n), blocksNeeded: "2" });
    // The second report sees the same head: it names the stall and the fix.
    expect(String(lines[1].msg)).to.include("no new block").and.include("--confirmations 0");
  });

  it("costs one call per tick while the chain stands still (the chain id is read again only for a new head), and tells onTick whether the head moved (a same-height reorg included)", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, enabled: false });
    try {
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      await bump(8n);
      const head = await publicClient.getBlockNumber({ cacheTime: 0 });
      const ticks: boolean[] = [];
      let reorgs = 0;
      const monitor = createBlockMonitor({
        publicClient,
        fromBlock: head,
        confirmations: 0,
        logger,
        onRange: async () => undefined,
        onRewind: () => {
          reorgs++;
        },
        onTick: async (_head, { changed }) => {
          ticks.push(changed);
        },
      });
      await monitor.tick(); // first tick: the head is new to us
      const before = proxy.stats.requests;
      const calls = { ...proxy.stats.calls };
      for (let i = 0; i < 5; i++) await monitor.tick();
      expect(proxy.stats.requests - before, "idle ticks").to.equal(5);
      expect(proxy.stats.calls.eth_chainId - calls.eth_chainId).to.equal(0);
      expect(ticks).to.deep.equal([true, false, false, false, false, false]);
      await bump(9n);
      await monitor.tick();
      expect(ticks.at(-1), "a new block").to.equal(true);
      // The head block replaced at the same height: a changed head, and the reorg is noticed.
      await rpc("anvil_reorg", [1, []]);
      await monitor.tick();
      expect(ticks.at(-1), "a same-height reorg").to.equal(true);
      expect(reorgs).to.equal(1);
      await monitor.tick();
      expect(ticks.at(-1)).to.equal(false);
    } finally {
      await proxy.close();
    }
  });
});

describe("chain/createBlockMonitor: the node switches to another chain mid-run", function () {
  this.timeout(60_000);
  let anvil: AnvilInstance;
  let other: AnvilInstance;
  before(async () => {
    [anvil, other] = await Promise.all([
      startAnvil({ accounts: 1 }),
      startAnvil({ accounts: 1, chainId: 5 }),
    ]);
  });
  after(async () => Promise.all([anvil?.stop(), other?.stop()]));

  it("hands out nothing and skips onTick while the chain is wrong, forgets a range read across the switch, and resumes", async () => {
    const proxy = await startFaultProxy({ upstream: anvil.rpcUrl });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    try {
      // No --chain-id: the client is bound to the chain it found at startup.
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      const rpc = (url: string, method: string, params: unknown[] = []) =>
        createPublicClient({ transport: http(url) }).request({
          method: method as never,
          params: params as never,
        });
      await rpc(anvil.rpcUrl, "anvil_mine", ["0x3"]);
      const ranges: bigint[][] = [];
      const rewinds: bigint[] = [];
      let ticks = 0;
      let switchDuringRange = false;
      const monitor = createBlockMonitor({
        publicClient,
        fromBlock: 0n,
        confirmations: 0,
        logger: createLogger({ level: "info", destination: sink }),
        onRange: async ({ fromBlock, toBlock }) => {
          ranges.push([fromBlock, toBlock]);
          if (switchDuringRange) proxy.set({ otherUpstream: other.rpcUrl });
        },
        onRewind: (from) => rewinds.push(from),
        onTick: async () => {
          ticks++;
        },
      });
      expect(await monitor.tick()).to.equal(4n);
      expect(ticks).to.equal(1);
      proxy.set({ otherUpstream: other.rpcUrl });
      await rpc(anvil.rpcUrl, "anvil_mine", ["0x2"]);
      for (let i = 0; i < 3; i++) {
        const err = await monitor.tick().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((err as Error)?.name).to.equal("WrongChainError");
        expect(isRetryableError(err)).to.equal(true);
      }
      expect(ticks, "no onTick on another chain").to.equal(1);
      expect(ranges).to.deep.equal([[0n, 3n]]);
      expect(monitor.next()).to.equal(4n);
      expect(
        lines.filter((l) => /answers for chain 5, not 31337/.test(l)),
        "logged once",
      ).to.have.length(1);
      // Back: the blocks mined meanwhile are handed out.
      proxy.set({ otherUpstream: undefined });
      expect(await monitor.tick()).to.equal(6n);
      expect(ranges.at(-1)).to.deep.equal([4n, 5n]);
      expect(lines.some((l) => /answers for chain 31337 again/.test(l))).to.equal(true);
      // A switch while a range's logs are read: the range is not recorded and what it taught is dropped.
      await rpc(anvil.rpcUrl, "anvil_mine", ["0x1"]);
      switchDuringRange = true;
      const err = await monitor.tick().catch((e: unknown) => e);
      expect((err as Error)?.name).to.equal("WrongChainError");
      expect(rewinds).to.deep.equal([6n]);
      expect(monitor.next()).to.equal(6n);
      switchDuringRange = false;
      proxy.set({ otherUpstream: undefined });
      expect(await monitor.tick()).to.equal(7n);
      expect(ranges.slice(-2)).to.deep.equal([
        [6n, 6n],
        [6n, 6n],
      ]);
      expect(ticks).to.equal(3);
    } finally {
      await proxy.close();
    }
  });
});

// A deterministic chain for the benches: a fresh anvil in automine mode where every transaction is
// its own block, and the bench sets each block's timestamp (evm_setNextBlockTimestamp) and base fee
// (anvil_setNextBlockBaseFeePerGas) before sending it. Clocks therefore move only when the bench
// says so, never with the host's speed, and every transaction costs exactly gasUsed × gasPriceWei.
// Transactions carry an explicit gas limit (no estimation), so a revert is mined and paid for like
// on a real chain; its reason is recovered with debug_traceTransaction.

import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  type Hex,
  http,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  testActions,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  rv32imAbi,
  verdictAbi,
} from "../../../shared/src/bindings/abis.ts";
import { type AnvilInstance, startAnvil } from "../../../shared/src/chain/startAnvil.ts";

/** Every ABI whose errors a reverted bench transaction may carry. */
const ERROR_ABI = [
  ...verdictAbi,
  ...disputeGameAbi,
  ...outputsAbi,
  ...programRegistryAbi,
  ...rv32imAbi,
] as Abi;

export type BenchChainParameters = {
  /** Seconds between consecutive blocks; default 12. */
  blockTimeSeconds?: bigint;
  /** Base fee of every block (the only price paid: priority fee 0). Unit: wei; default 1 gwei. */
  gasPriceWei?: bigint;
  /** Block gas limit; default 30M. */
  blockGasLimit?: bigint;
  /** Funded accounts; default 12 of 10,000 ETH each. */
  accounts?: number;
  /** Genesis timestamp; default 1,750,000,000. */
  genesisTimestamp?: bigint;
};

export type SendParameters = {
  /** Omitted for a contract creation. */
  to?: Address;
  data: Hex;
  /** Unit: wei. */
  value?: bigint;
  /** Timestamp of the block carrying the transaction; default: one block after the latest. */
  at?: bigint;
  /** Gas limit; default: the block gas limit. */
  gas?: bigint;
};

export type SendResult = {
  ok: boolean;
  receipt: TransactionReceipt;
  gasUsed: bigint;
  /** gasUsed × price. Unit: wei. */
  feeWei: bigint;
  /** Decoded custom error name of a revert ("" on success). */
  error: string;
};

export type BenchChain = {
  anvil: AnvilInstance;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  accounts: PrivateKeyAccount[];
  blockTimeSeconds: bigint;
  gasPriceWei: bigint;
  blockGasLimit: bigint;
  /** Timestamp of the latest block. */
  now(): bigint;
  /** Sends one transaction in its own block; never throws on a revert (see `ok`/`error`). */
  send(from: PrivateKeyAccount, p: SendParameters): Promise<SendResult>;
  /** Like `send` but throws with the decoded reason on a revert. */
  must(from: PrivateKeyAccount, p: SendParameters, what: string): Promise<SendResult>;
  /** Mines an empty block at `timestamp` (so views see that time). */
  mineAt(timestamp: bigint): Promise<void>;
  balance(account: Address): Promise<bigint>;
  /** Gas fees `account` paid for the transactions sent through this chain. Unit: wei. */
  feesPaid(account: Address): bigint;
  stop(): Promise<void>;
};

/** Starts anvil and returns the deterministic chain around it. */
export async function createBenchChain(p: BenchChainParameters = {}): Promise<BenchChain> {
  const blockTimeSeconds = p.blockTimeSeconds ?? 12n;
  const gasPriceWei = p.gasPriceWei ?? 1_000_000_000n;
  const blockGasLimit = p.blockGasLimit ?? 30_000_000n;
  const genesis = p.genesisTimestamp ?? 1_750_000_000n;
  const anvil = await startAnvil({
    accounts: p.accounts ?? 12,
    balanceEth: 10_000,
    gasLimit: blockGasLimit,
    timestamp: genesis,
    extraArgs: ["--hardfork", "prague", "--base-fee", gasPriceWei.toString()],
  });
  const chain: Chain = { ...foundry, id: anvil.chainId, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
  const transport = http(anvil.rpcUrl, { batch: false, retryCount: 0, maxResponseBodySize: false });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 5 });
  const accounts = anvil.privateKeys.map((k) => privateKeyToAccount(k));
  const wallets = new Map<Address, WalletClient<Transport, Chain, PrivateKeyAccount>>();
  const nonces = new Map<Address, number>();
  const fees = new Map<string, bigint>();
  const latest = await publicClient.getBlock();
  let now = latest.timestamp;

  const testClient = publicClient.extend(testActions({ mode: "anvil" }));

  async function prepareBlock(at: bigint | undefined): Promise<bigint> {
    const ts = at ?? now + blockTimeSeconds;
    if (ts <= now) throw new Error(`block timestamp ${ts} is not after the latest block (${now})`);
    await testClient.setNextBlockTimestamp({ timestamp: ts });
    await testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: gasPriceWei });
    return ts;
  }

  // The determinism the benches rest on, checked on every block rather than assumed: the block holds
  // exactly the transactions we sent into it, at exactly the timestamp we set. If anvil ever took a
  // wall-clock timestamp (a block mined by anything else, a lost evm_setNextBlockTimestamp), game
  // clocks would again depend on the host's speed; the bench stops here with that cause instead of
  // a ClockExpired revert several moves later.
  async function expectBlockAt(blockNumber: bigint, ts: bigint, txs: number): Promise<void> {
    const block = await publicClient.getBlock({ blockNumber });
    if (block.timestamp !== ts || block.transactions.length !== txs) {
      throw new Error(
        `bench chain lost determinism: block ${blockNumber} has timestamp ${block.timestamp} and ` +
          `${block.transactions.length} transaction(s); the bench set ${ts} and sent ${txs}`,
      );
    }
  }

  async function revertReason(hash: Hex): Promise<string> {
    try {
      const trace = await publicClient.request<{
        Method: "debug_traceTransaction";
        Parameters: [Hex, { tracer: "callTracer" }];
        ReturnType: { output?: Hex; error?: string };
      }>({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] });
      if (!trace.output || trace.output === "0x") return trace.error ?? "reverted";
      try {
        const e = decodeErrorResult({ abi: ERROR_ABI, data: trace.output });
        return `${e.errorName}(${(e.args ?? []).map(String).join(", ")})`;
      } catch {
        return `${trace.error ?? "reverted"} ${trace.output.slice(0, 10)}`;
      }
    } catch (err) {
      return `reverted (${(err as Error).message.split("\n")[0]})`;
    }
  }

  // Polls for the receipt itself: viem's block-watching wait can miss a transaction that anvil
  // automines between a block-number poll and its receipt becoming readable (then no later block
  // ever comes, because nothing else is sent).
  async function receiptOf(hash: Hex): Promise<TransactionReceipt> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
      if (r) return r;
      if (Date.now() > deadline) {
        throw new Error(
          `transaction ${hash} not mined after 120 s\n${anvil.output().split("\n").slice(-10).join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async function send(from: PrivateKeyAccount, s: SendParameters): Promise<SendResult> {
    let wallet = wallets.get(from.address);
    if (!wallet) {
      wallet = createWalletClient({ chain, transport, account: from });
      wallets.set(from.address, wallet);
      nonces.set(from.address, await publicClient.getTransactionCount({ address: from.address }));
    }
    const nonce = nonces.get(from.address)!;
    const ts = await prepareBlock(s.at);
    const hash = await wallet.sendTransaction({
      to: s.to,
      data: s.data,
      value: s.value ?? 0n,
      gas: s.gas ?? blockGasLimit,
      nonce,
      maxFeePerGas: gasPriceWei,
      maxPriorityFeePerGas: 0n,
    });
    nonces.set(from.address, nonce + 1);
    const receipt = await receiptOf(hash);
    await expectBlockAt(receipt.blockNumber, ts, 1);
    now = ts;
    const key = from.address.toLowerCase();
    fees.set(key, (fees.get(key) ?? 0n) + receipt.gasUsed * receipt.effectiveGasPrice);
    const ok = receipt.status === "success";
    return {
      ok,
      receipt,
      gasUsed: receipt.gasUsed,
      feeWei: receipt.gasUsed * receipt.effectiveGasPrice,
      error: ok ? "" : await revertReason(hash),
    };
  }

  return {
    anvil,
    chain,
    publicClient,
    accounts,
    blockTimeSeconds,
    gasPriceWei,
    blockGasLimit,
    now: () => now,
    send,
    async must(from, s, what) {
      const r = await send(from, s);
      if (!r.ok) throw new Error(`${what} reverted: ${r.error} (tx ${r.receipt.transactionHash})`);
      return r;
    },
    async mineAt(timestamp) {
      const ts = await prepareBlock(timestamp);
      await testClient.mine({ blocks: 1 });
      await expectBlockAt(await publicClient.getBlockNumber(), ts, 0);
      now = ts;
    },
    balance: (account) => publicClient.getBalance({ address: account }),
    feesPaid: (account) => fees.get(account.toLowerCase()) ?? 0n,
    stop: () => anvil.stop(),
  };
}

// Sends contract transactions for a daemon. Each call is simulated first (a
// revert becomes a ContractRevertError naming the custom error, and nothing is
// broadcast); nonces are allocated locally under a lock, so many games can
// send at once without racing; broadcasting retries RPC errors with backoff;
// a transaction not mined after `bumpAfterMs` is replaced (same nonce) with
// fees raised by `bumpPercent`, up to `maxFeePerGasWei`. Transactions are
// signed for the client's chain only, and before a first broadcast the node
// must answer that chain's id (issue 14: a node that switched to another chain
// mid-run is sent nothing; the call fails retryably and is derived again).

import type { Logger } from "pino";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  encodeFunctionData,
  type Hash,
  type Hex,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
} from "viem";
import type { DaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { rpcErrorKind } from "./classifyError.ts";
import { isBenignRevert } from "./classifyRevert.ts";
import { decodeRevert } from "./decodeRevert.ts";
import {
  ContractRevertError,
  NonceConflictError,
  NonceGapError,
  TxTimeoutError,
  WrongChainError,
} from "./errors.ts";
import { sleep, withRetry } from "./withRetry.ts";

export type CreateTxSenderParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** A local account (private key): transactions are signed here and sent raw. */
  account: Account & { signTransaction: NonNullable<Account["signTransaction"]> };
  logger: Logger;
  metrics?: Pick<DaemonMetrics, "rpcErrors" | "txSent" | "txFailed" | "feeBumps"> &
    Partial<Pick<DaemonMetrics, "txRaced">>;
  /** Replace a pending transaction after this long. Unit: milliseconds. */
  bumpAfterMs?: number;
  /** Fee increase per replacement; nodes require >= 10. Unit: percent. */
  bumpPercent?: number;
  /** Never pay more than this per gas. Unit: wei. */
  maxFeePerGasWei?: bigint;
  /** Give up waiting for a receipt after this long. Unit: milliseconds. */
  receiptTimeoutMs?: number;
  /** Receipt polling interval. Unit: milliseconds. */
  pollMs?: number;
  /** RPC retries per step. */
  retries?: number;
  /** Gas estimate multiplier, in percent (120 = +20 %). */
  gasMarginPercent?: number;
  signal?: AbortSignal;
};

/** The state-changing functions of an ABI: what a transaction can call. */
export type WriteFunctionName<abi extends Abi> = ContractFunctionName<abi, "nonpayable" | "payable">;

/**
 * One contract call, checked against the ABI's types as viem's writeContract is: with an `as const`
 * ABI, a misspelt function or a wrong argument is a compile error.
 */
export type SendTxParameters<
  abi extends Abi = Abi,
  functionName extends WriteFunctionName<abi> = WriteFunctionName<abi>,
> = {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
  /** Unit: wei. */
  value?: bigint;
  /** Skip estimation. */
  gas?: bigint;
};

/** A call with its types erased, as the sender handles it inside once the caller's types were checked. */
type AnyCall = {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
  gas?: bigint;
};

export type TxSender = {
  address: Address;
  /** Simulates, sends and waits for the receipt; throws ContractRevertError on revert. */
  send: <const abi extends Abi, functionName extends WriteFunctionName<abi>>(
    p: SendTxParameters<abi, functionName>,
  ) => Promise<TransactionReceipt>;
  /** Forgets the local nonce so the next send reads it from the chain. */
  resetNonce: () => void;
};

const NONCE_TOO_LOW =
  /nonce too low|nonce has already been used|already known|known transaction|nonce.*lower/i;
const UNDERPRICED = /underpriced|fee too low|replacement/i;

export function createTxSender(params: CreateTxSenderParameters): TxSender {
  const {
    publicClient,
    account,
    logger,
    metrics,
    bumpAfterMs = 30_000,
    bumpPercent = 20,
    maxFeePerGasWei = 10n ** 12n,
    receiptTimeoutMs = 300_000,
    pollMs = 500,
    retries = 5,
    gasMarginPercent = 130,
    signal,
  } = params;
  let nextNonce: number | undefined;
  let lock: Promise<unknown> = Promise.resolve();
  const log = logger.child({ component: "tx" });

  const retry = <T>(what: string, fn: () => Promise<T>) =>
    withRetry(fn, {
      retries,
      signal,
      onRetry: (err, attempt, delayMs) => {
        metrics?.rpcErrors.inc({ kind: rpcErrorKind(err) });
        log.warn(
          { what, attempt, delayMs, err: (err as Error).message?.split("\n")[0] },
          "rpc error, retrying",
        );
      },
    });

  /** Runs `fn` with exclusive access to the nonce counter. */
  function withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  async function isKnown(hash: Hash): Promise<boolean> {
    try {
      await retry("getTransaction", () => publicClient.getTransaction({ hash }));
      return true;
    } catch {
      return false;
    }
  }

  async function fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const f = await retry("estimateFeesPerGas", () => publicClient.estimateFeesPerGas());
    const cap = (x: bigint) => (x > maxFeePerGasWei ? maxFeePerGasWei : x);
    return { maxFeePerGas: cap(f.maxFeePerGas), maxPriorityFeePerGas: cap(f.maxPriorityFeePerGas) };
  }

  async function sign(
    p: AnyCall,
    data: Hex,
    nonce: number,
    gas: bigint,
    fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<Hex> {
    return account.signTransaction({
      type: "eip1559",
      chainId: publicClient.chain.id,
      to: p.address,
      data,
      value: p.value ?? 0n,
      nonce,
      gas,
      ...fee,
    });
  }

  async function send(p: AnyCall): Promise<TransactionReceipt> {
    const fn = p.functionName;
    const data = encodeFunctionData({ abi: p.abi, functionName: fn, args: p.args });
    const fail = (err: unknown) => {
      const error = err instanceof ContractRevertError ? err.errorName : rpcErrorKind(err);
      // A lost race is the normal cost of several parties acting on one
      // state, not a failed transaction: counted apart, logged quietly.
      if (isBenignRevert(err)) {
        metrics?.txRaced?.inc({ function: fn, error });
        log.debug({ fn, error }, "refused: another party acted first or it is too early");
      } else metrics?.txFailed.inc({ function: fn, error });
      return err;
    };

    // Simulation first: a revert is decoded and nothing is broadcast.
    let gas = p.gas;
    try {
      const est = await retry(`estimateGas ${fn}`, async () => {
        try {
          return await publicClient.estimateContractGas({
            address: p.address,
            abi: p.abi,
            functionName: fn,
            args: p.args,
            value: p.value,
            account,
          });
        } catch (err) {
          throw decodeRevert(err, p.abi, fn);
        }
      });
      gas ??= (est * BigInt(gasMarginPercent)) / 100n;
    } catch (err) {
      throw fail(err);
    }

    let fee = await fees();
    // After the simulation and the fee reads, before anything is signed: the node must answer for
    // the chain we sign for (a client from createChainClients refuses another id by itself).
    try {
      const actual = await retry("getChainId", () => publicClient.getChainId());
      if (actual !== publicClient.chain.id)
        throw new WrongChainError({
          url: (publicClient.transport as { url?: string }).url ?? "the RPC endpoint",
          expected: publicClient.chain.id,
          actual,
          method: "eth_chainId",
          retryable: true,
        });
    } catch (err) {
      throw fail(err);
    }
    const hashes: Hash[] = [];
    // Nonce allocation and first broadcast are one critical section: a nonce
    // is only consumed once a node has accepted the transaction.
    const nonce = await withLock(async () => {
      for (let attempt = 0; ; attempt++) {
        // Read every time: a reorg can drop transactions of ours that were already mined,
        // and a nonce above the chain's would wait behind a hole forever.
        const onChain = await retry("getTransactionCount", () =>
          publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }),
        );
        if (nextNonce !== undefined && onChain < nextNonce)
          log.warn({ fn, local: nextNonce, onChain }, "nonce behind the local count (reorg?): resynced");
        if (nextNonce === undefined || onChain < nextNonce) nextNonce = onChain;
        const n = nextNonce;
        const raw = await sign(p, data, n, gas as bigint, fee);
        const h = keccak256(raw);
        const accepted = () => {
          hashes.push(h);
          nextNonce = n + 1;
          metrics?.txSent.inc({ function: fn });
          log.debug({ fn, nonce: n, hash: h }, "sent");
          return n;
        };
        try {
          await retry(`sendRawTransaction ${fn}`, () =>
            publicClient.sendRawTransaction({ serializedTransaction: raw }),
          );
          return accepted();
        } catch (err) {
          const msg = String((err as Error).message);
          // A retry after a lost response sees our own transaction: "already
          // known" or, once mined, "nonce too low". Re-signing with a new nonce
          // would run the call twice, so check for our hash first.
          if (NONCE_TOO_LOW.test(msg) && (await isKnown(h))) return accepted();
          if (NONCE_TOO_LOW.test(msg) && attempt < 5) {
            nextNonce = undefined; // someone else used it: resync and try again
            continue;
          }
          if (UNDERPRICED.test(msg) && attempt < 5) {
            fee = bump(fee);
            continue;
          }
          nextNonce = undefined;
          throw fail(decodeRevert(err, p.abi, fn));
        }
      }
    });

    function bump(f: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }) {
      const up = (x: bigint) => {
        const y = (x * BigInt(100 + bumpPercent)) / 100n + 1n;
        return y > maxFeePerGasWei ? maxFeePerGasWei : y;
      };
      return { maxFeePerGas: up(f.maxFeePerGas), maxPriorityFeePerGas: up(f.maxPriorityFeePerGas) };
    }

    const started = Date.now();
    let lastSent = Date.now();
    let sawNonceTaken = 0;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      for (const h of hashes) {
        let receipt: TransactionReceipt | undefined;
        try {
          receipt = await publicClient.getTransactionReceipt({ hash: h });
        } catch (err) {
          const name = (err as Error).name;
          if (name !== "TransactionReceiptNotFoundError") metrics?.rpcErrors.inc({ kind: rpcErrorKind(err) });
        }
        if (receipt) {
          if (receipt.status === "success") return receipt;
          throw fail(await explainRevert(p, receipt));
        }
      }
      if (Date.now() - started > receiptTimeoutMs)
        throw fail(new TxTimeoutError({ functionName: fn, hashes, timeoutMs: receiptTimeoutMs }));
      if (Date.now() - lastSent > bumpAfterMs) {
        // Not mined for a while: if the chain expects a lower nonce than ours and nothing of
        // ours is pending below it, an earlier transaction was dropped by a reorg.
        const chainNonce = await publicClient
          .getTransactionCount({ address: account.address, blockTag: "pending" })
          .catch(() => undefined);
        if (chainNonce !== undefined && chainNonce < nonce) {
          nextNonce = undefined;
          throw fail(new NonceGapError({ nonce, chainNonce, functionName: fn }));
        }
        const bumped = bump(fee);
        if (
          bumped.maxFeePerGas > fee.maxFeePerGas ||
          bumped.maxPriorityFeePerGas > fee.maxPriorityFeePerGas
        ) {
          fee = bumped;
          try {
            const raw = await sign(p, data, nonce, gas as bigint, fee);
            const h = await publicClient.sendRawTransaction({ serializedTransaction: raw });
            hashes.push(h);
            metrics?.feeBumps.inc();
            metrics?.txSent.inc({ function: fn });
            log.info(
              { fn, nonce, hash: h, maxFeePerGas: fee.maxFeePerGas },
              "stuck transaction re-sent with higher fee",
            );
          } catch (err) {
            const msg = String((err as Error).message);
            if (NONCE_TOO_LOW.test(msg)) {
              // One of our hashes was mined meanwhile (found on the next poll),
              // or someone else's: give it a few polls before calling it a conflict.
              if (++sawNonceTaken > 20) {
                nextNonce = undefined;
                throw fail(new NonceConflictError({ nonce, functionName: fn }));
              }
            } else {
              metrics?.rpcErrors.inc({ kind: rpcErrorKind(err) });
              log.warn({ fn, err: msg.split("\n")[0] }, "fee bump failed");
            }
          }
        }
        lastSent = Date.now();
      }
      await sleep(pollMs, signal);
    }
  }

  async function explainRevert(p: AnyCall, receipt: TransactionReceipt): Promise<unknown> {
    // Receipts carry no revert data, so the call is replayed. A transaction
    // that simulated fine and then reverted usually lost a race to one mined
    // earlier in the same block, so the state after that block reproduces it;
    // the parent's state catches the rest.
    const data = encodeFunctionData({
      abi: p.abi,
      functionName: p.functionName,
      args: p.args,
    });
    for (const blockNumber of [receipt.blockNumber, receipt.blockNumber - 1n]) {
      try {
        await publicClient.call({ account, to: p.address, data, value: p.value, blockNumber });
      } catch (err) {
        const d = decodeRevert(err, p.abi, p.functionName, receipt.transactionHash);
        if (d instanceof ContractRevertError) return d;
      }
    }
    return new ContractRevertError({
      functionName: p.functionName,
      errorName: "unknown",
      txHash: receipt.transactionHash,
    });
  }

  return {
    address: account.address,
    send: (p) => send(p as unknown as AnyCall),
    resetNonce: () => (nextNonce = undefined),
  };
}

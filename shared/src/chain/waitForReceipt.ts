// Waits for a transaction's receipt by asking for it, at the client's polling
// interval, until it is there.
//
// Not viem's waitForTransactionReceipt: that one reads the receipt once, then
// joins a block-number poller shared by every wait on the same client and
// re-reads only on a block the poller reports as new. When a concurrent wait's
// poller sees the block carrying the transaction between this wait's first read
// (not mined yet) and its joining, the block is never reported to it; on a chain
// that then makes no block (anvil automining, a quiet devnet) the wait runs to
// its timeout, 180 s by default, with the receipt on chain all along
// (waitForReceipt.test.ts builds that interleaving). Asking for the receipt
// itself costs one call per interval and has no such window.

import {
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
  type Transport,
  WaitForTransactionReceiptTimeoutError,
} from "viem";
import { isRetryableError } from "./classifyError.ts";
import { sleep } from "./withRetry.ts";

export type WaitForReceiptParameters = {
  hash: Hex;
  /** Give up after this long (WaitForTransactionReceiptTimeoutError). Unit: milliseconds. Default 180,000. */
  timeoutMs?: number;
  /** Time between reads. Unit: milliseconds. Default: the client's pollingInterval. */
  pollMs?: number;
  /** Aborting it ends the wait with the signal's reason. */
  signal?: AbortSignal;
};

/**
 * The receipt of `hash`, once the node has one. A read that fails retryably
 * (a dropped connection, a rate limit) is asked again at the next interval;
 * any other failure is thrown at once.
 */
export async function waitForReceipt(
  publicClient: PublicClient<Transport, Chain | undefined>,
  { hash, timeoutMs = 180_000, pollMs = publicClient.pollingInterval, signal }: WaitForReceiptParameters,
): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await publicClient.getTransactionReceipt({ hash });
    } catch (err) {
      if (!(err instanceof TransactionReceiptNotFoundError) && !isRetryableError(err)) throw err;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitForTransactionReceiptTimeoutError({ hash });
    await sleep(Math.min(pollMs, left), signal);
  }
}

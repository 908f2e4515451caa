// Retries a call on retryable errors with exponential backoff and jitter; a
// non-retryable error or an aborted signal ends it at once.

import { isRetryableError } from "./classifyError.ts";

export type WithRetryParameters = {
  /** Attempts after the first. */
  retries?: number;
  /** First delay. Unit: milliseconds. */
  minDelayMs?: number;
  /** Delay ceiling. Unit: milliseconds. */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Called before each retry (logging, metrics). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Overrides the retryable test. */
  shouldRetry?: (err: unknown) => boolean;
};

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function withRetry<T>(fn: () => Promise<T>, params: WithRetryParameters = {}): Promise<T> {
  const { retries = 5, minDelayMs = 200, maxDelayMs = 10_000, signal, onRetry } = params;
  const shouldRetry = params.shouldRetry ?? isRetryableError;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= retries || !shouldRetry(err) || signal?.aborted) throw err;
      const base = Math.min(maxDelayMs, minDelayMs * 2 ** attempt);
      const delayMs = Math.round(base / 2 + (Math.random() * base) / 2);
      onRetry?.(err, attempt + 1, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

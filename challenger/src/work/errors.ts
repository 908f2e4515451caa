// Typed errors of the broker path (challenger ↔ `verdict worker`).

import { BaseError } from "@verdict/shared/src/errors/base.ts";

export type BrokerProtocolErrorType = BrokerProtocolError & { name: "BrokerProtocolError" };
/** A job, image or result from the broker is malformed or does not match its content address. */
export class BrokerProtocolError extends BaseError {
  override name = "BrokerProtocolError";
}

export type BrokerJobFailedErrorType = BrokerJobFailedError & { name: "BrokerJobFailedError" };
/** Every attempt of a broker job failed; the next request for the same work tries again. */
export class BrokerJobFailedError extends BaseError {
  override name = "BrokerJobFailedError";
  constructor(key: string, reason: string) {
    super(`recomputation ${key} failed on the workers: ${reason}`, { retryable: true });
  }
}

export type BrokerUnavailableErrorType = BrokerUnavailableError & { name: "BrokerUnavailableError" };
/** The broker cannot be reached at startup. */
export class BrokerUnavailableError extends BaseError {
  override name = "BrokerUnavailableError";
  constructor(url: string, cause: unknown) {
    super(`cannot reach the broker at ${url}`, {
      cause,
      retryable: true,
      metaMessages: [
        "Check --redis-url (VERDICT_REDIS_URL) and that redis-server runs there; without a broker, leave it unset and the challenger recomputes in-process (--workers).",
      ],
    });
  }
}

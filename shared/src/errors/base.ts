// The error root of every package: each error explains itself (shortMessage,
// details, cause) and says whether retrying can help, so a daemon loop knows
// whether to back off or to stop.

export type BaseErrorParameters = {
  /** Longer explanation or context (multi-line allowed). */
  details?: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** True when the same call may succeed later (RPC hiccup, nonce race, timeout). */
  retryable?: boolean;
  /** Extra lines appended to the message (for example "Try: …"). */
  metaMessages?: string[];
};

export type BaseErrorType = BaseError & { name: "BaseError" };

/** Marks every BaseError, so one is recognised across two copies of this module (see isBaseError). */
const BASE_ERROR = Symbol.for("verdict.BaseError");

export class BaseError extends Error {
  override name = "BaseError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly retryable: boolean;
  readonly metaMessages: string[] | undefined;
  readonly [BASE_ERROR] = true;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.retryable = parameters.retryable ?? false;
    this.metaMessages = parameters.metaMessages;
  }

  /** Walks the cause chain and returns the first error matching `fn`, or null. */
  walk(fn: (err: unknown) => boolean): unknown {
    let err: unknown = this;
    const seen = new Set<unknown>();
    while (err && !seen.has(err)) {
      if (fn(err)) return err;
      seen.add(err);
      err = (err as { cause?: unknown }).cause;
    }
    return null;
  }
}

/**
 * `err instanceof BaseError`, also for a BaseError of another copy of this
 * module: a test that imports sources statically while a command loads them
 * with import() can hold two copies, and a typed error must not turn into an
 * "internal error" then.
 */
export function isBaseError(err: unknown): err is BaseError {
  return typeof err === "object" && err !== null && BASE_ERROR in err;
}

/** True when `err` (or anything it wraps) says retrying can help. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof BaseError) return err.retryable || (err.cause !== undefined && isRetryable(err.cause));
  return false;
}

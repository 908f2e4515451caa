// Typed errors of the chain layer. The split that matters to a daemon loop is
// `retryable`: RPC trouble (timeouts, 5xx, rate limits, dropped connections)
// is retried with backoff; a revert, a bad key or a nonce conflict is not.

import { BaseError } from "../errors/base.ts";

export class ChainError extends BaseError {
  override name = "ChainError";
}

/** The RPC endpoint failed (transport or server side); the same call may succeed later. */
export class RpcError extends ChainError {
  override name = "RpcError";
  readonly kind: string;
  constructor({ method, kind, cause }: { method: string; kind: string; cause: unknown }) {
    super(`RPC call ${method} failed (${kind}).`, {
      cause,
      retryable: true,
      details: (cause as Error)?.message,
    });
    this.kind = kind;
  }
}

/** The RPC endpoint cannot be reached at startup; the daemon exits instead of hanging. */
export class RpcUnreachableError extends ChainError {
  override name = "RpcUnreachableError";
  constructor({ url, attempts, cause }: { url: string; attempts: number; cause: unknown }) {
    super(`Cannot reach the RPC endpoint ${url} (${attempts} attempt(s)).`, {
      cause,
      // A node that is down now may be up later: the CLI exits 1, not 2 (bad input).
      retryable: true,
      details:
        (cause as { shortMessage?: string; message?: string })?.shortMessage ?? (cause as Error)?.message,
      metaMessages: ["Try: check --rpc-url and that the node is running."],
    });
  }
}

/**
 * The node answered with another chain's id than the one configured (`--chain-id`). At startup it
 * is not retryable (the daemon would sign for, and read, the wrong chain: an operator must fix the
 * endpoint); in a later answer it is retryable: that answer is not used, and the call is tried again
 * (a pool behind one URL can route one request to a node of another chain).
 */
export class WrongChainError extends ChainError {
  override name = "WrongChainError";
  readonly expected: number;
  readonly actual: number;
  constructor({
    url,
    expected,
    actual,
    method,
    retryable,
  }: { url: string; expected: number; actual: number; method: string; retryable: boolean }) {
    super(
      `The node at ${url} answered ${method} for chain ${actual}, not the configured chain ${expected}.`,
      {
        retryable,
        metaMessages: retryable
          ? ["The answer was not used; the call is retried."]
          : ["Try: check --rpc-url (it must be a node of the chain in --chain-id) or --chain-id itself."],
      },
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The node answered valid JSON-RPC of the wrong shape (a null head, a number where hex is due, a log
 * without topics, a receipt with a status that is neither 0 nor 1, the answer to another request).
 * Retryable: the answer is not used and the call is tried again, like any other node fault.
 */
export class RpcAnswerError extends ChainError {
  override name = "RpcAnswerError";
  readonly method: string;
  constructor({ method, problem }: { method: string; problem: string }) {
    super(`The node's answer to ${method} has the wrong shape: ${problem}.`, {
      retryable: true,
      metaMessages: ["The answer was not used; the call is retried."],
    });
    this.method = method;
  }
}

/**
 * A contract call reverted. `errorName` is the custom error decoded with the
 * contract's ABI (e.g. "ClockExpired"), or "unknown" when the data does not
 * match any error of the ABI.
 */
export class ContractRevertError extends ChainError {
  override name = "ContractRevertError";
  readonly functionName: string;
  readonly errorName: string;
  readonly errorArgs: readonly unknown[];
  readonly data: string | undefined;
  constructor({
    functionName,
    errorName,
    errorArgs = [],
    data,
    txHash,
    cause,
  }: {
    functionName: string;
    errorName: string;
    errorArgs?: readonly unknown[];
    data?: string;
    txHash?: string;
    cause?: unknown;
  }) {
    const args = errorArgs.length ? `(${errorArgs.map(String).join(", ")})` : "";
    super(`${functionName} reverted: ${errorName}${args}${txHash ? ` in ${txHash}` : ""}.`, {
      cause,
      details: data && errorName === "unknown" ? `revert data ${data}` : undefined,
    });
    this.functionName = functionName;
    this.errorName = errorName;
    this.errorArgs = errorArgs;
    this.data = data;
  }
}

/** Another transaction took our nonce and none of ours was mined (key used elsewhere). */
export class NonceConflictError extends ChainError {
  override name = "NonceConflictError";
  constructor({ nonce, functionName }: { nonce: number; functionName: string }) {
    super(`Nonce ${nonce} of ${functionName} was used by a transaction this daemon did not send.`, {
      retryable: true,
      details: "Is the same key used by another process? The call will be re-sent with a fresh nonce.",
    });
  }
}

/**
 * Our transaction waits behind a nonce no pending transaction holds: a reorg dropped
 * an earlier transaction of ours, so this one can never be mined as sent.
 */
export class NonceGapError extends ChainError {
  override name = "NonceGapError";
  constructor({
    nonce,
    chainNonce,
    functionName,
  }: { nonce: number; chainNonce: number; functionName: string }) {
    super(`${functionName} was sent with nonce ${nonce} but the chain expects ${chainNonce} next.`, {
      retryable: true,
      details: "An earlier transaction was dropped (reorg); the call will be re-sent with a fresh nonce.",
    });
  }
}

/** A transaction was not mined within the receipt timeout, even after fee bumps. */
export class TxTimeoutError extends ChainError {
  override name = "TxTimeoutError";
  constructor({
    functionName,
    hashes,
    timeoutMs,
  }: { functionName: string; hashes: string[]; timeoutMs: number }) {
    super(
      `${functionName} not mined after ${Math.round(timeoutMs / 1000)} s (${hashes.length} attempt(s)).`,
      {
        retryable: true,
        details: `hashes: ${hashes.join(", ")}`,
      },
    );
  }
}

/** The account cannot pay for what the daemon is about to do. */
export class InsufficientFundsError extends ChainError {
  override name = "InsufficientFundsError";
  constructor({
    account,
    balance,
    needed,
    what,
    hint,
  }: {
    account: string;
    balance: bigint;
    needed: bigint;
    what: string;
    /** What the operator can do; the default names the only universal fix. */
    hint?: string;
  }) {
    super(`Account ${account} has ${balance} wei; ${what} needs at least ${needed} wei.`, {
      metaMessages: [`Try: ${hint ?? `send at least ${needed - balance} wei to ${account}.`}`],
    });
  }
}

/** The address holds code, but not the contract the flag asks for (a read of it reverted or returned garbage). */
export class WrongContractError extends ChainError {
  override name = "WrongContractError";
  constructor({
    address,
    chainId,
    expected,
    flag,
    call,
    cause,
  }: { address: string; chainId: number; expected: string; flag: string; call: string; cause?: unknown }) {
    super(`The contract at ${address} on chain ${chainId} is not a ${expected} contract: ${call} failed.`, {
      cause,
      metaMessages: [
        `Try: ${flag} takes the ${expected} address from the deployment file (not Outputs, DisputeGame or ProgramRegistry), and --rpc-url must point at the chain it was deployed on.`,
      ],
    });
  }
}

// ---- the embedded anvil (chain/startAnvil.ts: the demo's chain and the tests')

export type AnvilStartErrorType = AnvilStartError & { name: "AnvilStartError" };
export class AnvilStartError extends BaseError {
  override name = "AnvilStartError";
  constructor({ reason, output, cause }: { reason: string; output?: string; cause?: unknown }) {
    super(`Could not start anvil: ${reason}`, {
      details: output ? `Last output of anvil:\n${output}` : undefined,
      cause,
      // A port race or a slow machine can make a second attempt succeed.
      retryable: true,
      metaMessages: ["Try: `npx -y pnpm@10 install` (the anvil binary ships in @foundry-rs/anvil)."],
    });
  }
}

export type AnvilBinaryNotFoundErrorType = AnvilBinaryNotFoundError & { name: "AnvilBinaryNotFoundError" };
export class AnvilBinaryNotFoundError extends BaseError {
  override name = "AnvilBinaryNotFoundError";
  constructor({ tried }: { tried: string[] }) {
    super("No anvil binary found in node_modules.", {
      details: `Looked at:\n${tried.join("\n")}`,
      metaMessages: ["Try: `npx -y pnpm@10 install` from the repository root."],
    });
  }
}

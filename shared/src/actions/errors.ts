// Typed errors of the client actions (actions/*.ts). Reverts are not here: a
// contract call that reverts throws chain/errors.ts's ContractRevertError with
// the custom error decoded from the contract's ABI.

import { BaseError } from "../errors/base.ts";

export class ActionError extends BaseError {
  override name = "ActionError";
}

export type NotFoundErrorType = NotFoundError & { name: "NotFoundError" };
/** A job, proposal or game id that does not exist (ids start at 1). */
export class NotFoundError extends ActionError {
  override name = "NotFoundError";
  readonly kind: "job" | "proposal" | "game" | "program";
  readonly id: bigint;
  constructor({
    kind,
    id,
    count,
  }: { kind: "job" | "proposal" | "game" | "program"; id: bigint; count: bigint }) {
    // "ids run from 1 to 0" would read as a bug: an empty deployment says so instead.
    super(
      count === 0n
        ? `No ${kind} ${id}: there are no ${kind}s yet on this deployment.`
        : `No ${kind} ${id}: ids run from 1 to ${count}.`,
    );
    this.kind = kind;
    this.id = id;
  }
}

export type MissingEventErrorType = MissingEventError & { name: "MissingEventError" };
/** A mined transaction without the event that carries its result (wrong contract address?). */
export class MissingEventError extends ActionError {
  override name = "MissingEventError";
  constructor({ eventName, txHash }: { eventName: string; txHash: string }) {
    super(`Transaction ${txHash} succeeded but emitted no ${eventName} event.`, {
      metaMessages: ["Check that the address is the contract you meant (--deployment / --verdict)."],
    });
  }
}

export type WaitTimeoutErrorType = WaitTimeoutError & { name: "WaitTimeoutError" };
/** `waitForResult` gave up; the job may still finalize later. */
export class WaitTimeoutError extends ActionError {
  override name = "WaitTimeoutError";
  constructor({ jobId, timeoutMs }: { jobId: bigint; timeoutMs: number }) {
    super(`Job ${jobId} has no final result after ${timeoutMs} ms.`, {
      retryable: true,
      metaMessages: ["A result finalizes after a proposer proposes it and its challenge window closes."],
    });
  }
}

export type OutputUnavailableErrorType = OutputUnavailableError & { name: "OutputUnavailableError" };
/** A job's output cannot be read or published yet (no final result, or not opened). */
export class OutputUnavailableError extends ActionError {
  override name = "OutputUnavailableError";
  constructor({ jobId, reason, hint }: { jobId: bigint; reason: string; hint?: string }) {
    super(`Output of job ${jobId} is unavailable: ${reason}.`, { metaMessages: hint ? [hint] : undefined });
  }
}

export type ResultMismatchErrorType = ResultMismatchError & { name: "ResultMismatchError" };
/** Our re-execution of a job does not reach the final state recorded onchain. */
export class ResultMismatchError extends ActionError {
  override name = "ResultMismatchError";
  constructor({ jobId, local, onchain }: { jobId: bigint; local: string; onchain: string }) {
    super(`Job ${jobId}: re-execution ends in ${local}, but the recorded result is ${onchain}.`, {
      metaMessages: ["Is this the job's program (ELF)? If it is, run `verdict audit` on the job."],
    });
  }
}

export type GovernanceRoleErrorType = GovernanceRoleError & { name: "GovernanceRoleError" };
/**
 * The account that would call a governance function lacks the role it needs,
 * found before anything is sent (the contract would revert
 * AccessControlUnauthorizedAccount).
 */
export class GovernanceRoleError extends ActionError {
  override name = "GovernanceRoleError";
  readonly account: string;
  readonly roleName: string;
  constructor({
    account,
    who,
    roleName,
    contract,
    functionName,
    hint,
  }: {
    account: string;
    who: string;
    roleName: string;
    contract: string;
    functionName: string;
    hint?: string;
  }) {
    super(`${functionName} needs ${roleName} on ${contract}, which ${who} ${account} does not hold.`, {
      metaMessages: hint ? [hint] : undefined,
    });
    this.account = account;
    this.roleName = roleName;
  }
}

export type OperationNotScheduledErrorType = OperationNotScheduledError & {
  name: "OperationNotScheduledError";
};
/** `execute` of a timelock operation that was never scheduled (or was cancelled). */
export class OperationNotScheduledError extends ActionError {
  override name = "OperationNotScheduledError";
  readonly operationId: string;
  constructor({ operationId }: { operationId: string }) {
    super(`Timelock operation ${operationId} is not scheduled.`, {
      metaMessages: [
        "Schedule it first (`--schedule`), with the same arguments and --salt; the id covers all of them.",
      ],
    });
    this.operationId = operationId;
  }
}

export type OperationNotReadyErrorType = OperationNotReadyError & { name: "OperationNotReadyError" };
/**
 * `execute` of a scheduled timelock operation whose delay has not passed. Not
 * retryable in the backoff sense (a retry succeeds only after `readyAt`, which
 * it carries), so the CLI treats it as bad input (exit 2).
 */
export class OperationNotReadyError extends ActionError {
  override name = "OperationNotReadyError";
  readonly operationId: string;
  /** Unit: unix seconds (chain time). */
  readonly readyAt: bigint;
  constructor({ operationId, readyAt, now }: { operationId: string; readyAt: bigint; now: bigint }) {
    super(
      `Timelock operation ${operationId} is not ready: it becomes executable at ${readyAt} (${new Date(Number(readyAt) * 1000).toISOString()}), ${readyAt - now} s after the chain's latest block.`,
      { metaMessages: ["Run the same command with --execute again once that time has passed."] },
    );
    this.operationId = operationId;
    this.readyAt = readyAt;
  }
}

export type OperationStateErrorType = OperationStateError & { name: "OperationStateError" };
/** Scheduling an operation that already exists, or executing one already done. */
export class OperationStateError extends ActionError {
  override name = "OperationStateError";
  readonly operationId: string;
  constructor({ operationId, state, hint }: { operationId: string; state: string; hint: string }) {
    super(`Timelock operation ${operationId} is already ${state}.`, { metaMessages: [hint] });
    this.operationId = operationId;
  }
}

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
    super(`No ${kind} ${id}: ids run from 1 to ${count}.`, {
      metaMessages: count === 0n ? [`No ${kind} exists yet on this deployment.`] : undefined,
    });
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

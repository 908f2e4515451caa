// Typed errors of the audit: what the caller asked for does not exist on the
// chain it pointed at (bad input, exit 2), or the chain could not be read
// (retryable).

import { BaseError } from "../errors/base.ts";

export class AuditError extends BaseError {
  override name = "AuditError";
}

export type JobNotFoundErrorType = JobNotFoundError & { name: "JobNotFoundError" };
/** The job id is 0 or above the contract's jobCount. */
export class JobNotFoundError extends AuditError {
  override name = "JobNotFoundError";
  constructor({ jobId, jobCount }: { jobId: bigint; jobCount: bigint }) {
    super(`Job #${jobId} does not exist: the contract holds jobs 1..${jobCount}.`);
  }
}

export type NotAVerdictContractErrorType = NotAVerdictContractError & { name: "NotAVerdictContractError" };
/** The address given as Verdict does not answer Verdict's views. */
export class NotAVerdictContractError extends AuditError {
  override name = "NotAVerdictContractError";
  constructor({ address, cause }: { address: string; cause: unknown }) {
    super(`${address} does not answer as a Verdict contract on this chain.`, {
      cause,
      metaMessages: ["Check --rpc-url and --verdict."],
    });
  }
}

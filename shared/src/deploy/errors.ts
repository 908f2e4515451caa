// Typed errors of the deploy path.

import { BaseError } from "../errors/base.ts";

/** The deployment config is malformed; `path` names the offending field. */
export class DeployConfigError extends BaseError {
  override name = "DeployConfigError";
  readonly path: string;
  constructor({ path, problem }: { path: string; problem: string }) {
    super(`Invalid deploy config at "${path}": ${problem}.`, {
      metaMessages: ["See shared/src/deploy/types.ts and docs/spec.md §2.5 for the fields and ranges."],
    });
    this.path = path;
  }
}

/** A deployment transaction failed or reverted; retrying the whole deployment may help if the RPC failed. */
export class DeployError extends BaseError {
  override name = "DeployError";
  constructor({ contract, cause, retryable }: { contract: string; cause?: unknown; retryable?: boolean }) {
    super(`Deploying ${contract} failed.`, {
      cause,
      retryable: retryable ?? false,
      details:
        (cause as { shortMessage?: string; message?: string })?.shortMessage ?? (cause as Error)?.message,
    });
  }
}

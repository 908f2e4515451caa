// Typed errors of the explorer: a request for something the index does not
// hold (404), a malformed request (400), or an explorer that cannot start
// (port taken, RPC unreachable, not a Verdict contract).

import { BaseError } from "../errors/base.ts";

export class ExplorerError extends BaseError {
  override name = "ExplorerError";
}

export type NotFoundErrorType = ExplorerNotFoundError & { name: "ExplorerNotFoundError" };
/** The job, proposal or game asked for is not in the index (yet). */
export class ExplorerNotFoundError extends ExplorerError {
  override name = "ExplorerNotFoundError";
  readonly status = 404;
}

export type BadRequestErrorType = ExplorerBadRequestError & { name: "ExplorerBadRequestError" };
/** A path or id the explorer does not understand. */
export class ExplorerBadRequestError extends ExplorerError {
  override name = "ExplorerBadRequestError";
  readonly status = 400;
}

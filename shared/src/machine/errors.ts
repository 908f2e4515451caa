// Typed errors of the machine package: bad states, bad proofs, bad trace
// queries. None is retryable: the same bytes fail the same way every time.

import { BaseError } from "../errors/base.ts";

/** Base of every machine error, so callers can catch the whole family. */
export class MachineError extends BaseError {
  override name = "MachineError";
}

export type InvalidStateErrorType = InvalidStateError & { name: "InvalidStateError" };
/** A packed state that is not 173 bytes, has status > 2, or an exit code without EXITED (spec §1.1). */
export class InvalidStateError extends MachineError {
  override name = "InvalidStateError";
  constructor(reason: string) {
    super(`Invalid packed machine state: ${reason}.`, {
      details:
        "A packed state is exactly 173 bytes with status 0 (RUNNING), 1 (EXITED) or 2 (TRAPPED); only an EXITED state has a nonzero exit code.",
    });
  }
}

export type StepCounterOverflowErrorType = StepCounterOverflowError & { name: "StepCounterOverflowError" };
/** A RUNNING pre-state whose step counter is 2^64 − 1: it has no next step (spec §1.1). */
export class StepCounterOverflowError extends MachineError {
  override name = "StepCounterOverflowError";
  constructor() {
    super("The step counter is 2^64 - 1: a running state there cannot execute another instruction.", {
      details: "The counter never wraps (spec §1.1); the verifier reverts StepCounterOverflow.",
    });
  }
}

/** Base of the one-step proof errors: the verifier would revert on this input. */
export class InvalidProofError extends MachineError {
  override name = "InvalidProofError";
}

export type ProofTruncatedErrorType = ProofTruncatedError & { name: "ProofTruncatedError" };
export class ProofTruncatedError extends InvalidProofError {
  override name = "ProofTruncatedError";
  constructor({
    what,
    offset,
    need,
    length,
  }: { what: string; offset: number; need: number; length: number }) {
    super(`Proof truncated: ${what} needs ${need} byte(s) at offset ${offset}, proof has ${length}.`);
  }
}

export type ProofTrailingBytesErrorType = ProofTrailingBytesError & { name: "ProofTrailingBytesError" };
export class ProofTrailingBytesError extends InvalidProofError {
  override name = "ProofTrailingBytesError";
  constructor({ consumed, length }: { consumed: number; length: number }) {
    super(`Proof has ${length - consumed} trailing byte(s) after the ${consumed} the step consumes.`);
  }
}

export type ProofMaskErrorType = ProofMaskError & { name: "ProofMaskError" };
/** A sibling mask with bits outside the allowed range (spec §1.4). */
export class ProofMaskError extends InvalidProofError {
  override name = "ProofMaskError";
  constructor({ what, mask, allowed }: { what: string; mask: number; allowed: number }) {
    super(
      `Proof ${what} 0x${(mask >>> 0).toString(16)} has bits outside the allowed set 0x${(allowed >>> 0).toString(16)}.`,
    );
  }
}

export type ProofRootMismatchErrorType = ProofRootMismatchError & { name: "ProofRootMismatchError" };
/** A memory proof that does not hash to the pre-state's memory root. */
export class ProofRootMismatchError extends InvalidProofError {
  override name = "ProofRootMismatchError";
  constructor({ what, leafIndex }: { what: string; leafIndex: number }) {
    super(`${what} for leaf ${leafIndex} does not match the pre-state memory root.`);
  }
}

export type TraceQueryErrorType = TraceQueryError & { name: "TraceQueryError" };
/** A trace position outside [0, 2^D] (or [0, 2^D) for step data). */
export class TraceQueryError extends MachineError {
  override name = "TraceQueryError";
  constructor(message: string) {
    super(message);
  }
}

export type MachineInputErrorType = MachineInputError & { name: "MachineInputError" };
/** Program image or input that cannot be placed in memory per spec §1.2. */
export class MachineInputError extends MachineError {
  override name = "MachineInputError";
  constructor(message: string, details?: string) {
    super(message, { details });
  }
}

export type NoOutputErrorType = NoOutputError & { name: "NoOutputError" };
/**
 * The output region of a final state is not the region image of any byte
 * string (spec §1.2): its length field exceeds the region, header bytes 8..31
 * are not zero, or a byte after the payload is not zero. The result is still a
 * result (status, exit code and output root open as usual); it has no output
 * bytes, and `Outputs.publishOutput` accepts none.
 */
export class NoOutputError extends MachineError {
  override name = "NoOutputError";
  constructor(reason: string) {
    super(`The output region holds no output: ${reason}.`, {
      details:
        "Output bytes b exist only when the output subtree equals the region image le64(len(b)) ‖ 0^24 ‖ b followed by zeros (docs/spec.md §1.2).",
    });
  }
}

export type InvalidCheckpointsErrorType = InvalidCheckpointsError & { name: "InvalidCheckpointsError" };
/** Saved trace checkpoints that are malformed or do not replay to their recorded end (drop them and rebuild). */
export class InvalidCheckpointsError extends MachineError {
  override name = "InvalidCheckpointsError";
  constructor(reason: string) {
    super(`Invalid trace checkpoints: ${reason}.`, {
      details: "Saved checkpoints only save time: drop them and run the job again.",
    });
  }
}

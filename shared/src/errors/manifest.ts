// Typed errors of program manifests (parsing, canonical JSON, reading the file).

import { BaseError } from "./base.ts";

export type ManifestParseErrorType = ManifestParseError & { name: "ManifestParseError" };
export class ManifestParseError extends BaseError {
  override name = "ManifestParseError";
  constructor({ source, reason, cause }: { source: string; reason: string; cause?: unknown }) {
    super(`Invalid program manifest ${source}: ${reason}`, {
      cause,
      details:
        'A manifest is a JSON object, e.g. {"sourceHash":"0x…","compiler":"…","flags":[…],"buildCommand":"…"}.',
    });
  }
}

export type ManifestCanonicalErrorType = ManifestCanonicalError & { name: "ManifestCanonicalError" };
export class ManifestCanonicalError extends BaseError {
  override name = "ManifestCanonicalError";
  constructor({ path, reason }: { path: string; reason: string }) {
    super(`Manifest value at ${path} cannot be hashed: ${reason}.`, {
      details:
        "Canonical JSON allows only null, booleans, finite numbers, strings, arrays and plain objects.",
    });
  }
}

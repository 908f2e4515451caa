// Parses manifest JSON text into a ProgramManifest, with typed errors for text
// that is not JSON, not an object, or holds a field of the wrong type.

import { ManifestParseError } from "../errors/manifest.ts";
import { canonicalJson } from "./canonicalJson.ts";
import type { ProgramManifest } from "./types.ts";

export type ParseManifestErrorType = ManifestParseError;

const STRING_FIELDS = ["name", "sourceHash", "compiler", "buildCommand"] as const;

/** `source` names the text in error messages (a file path, "<stdin>"). */
export function parseManifest(text: string, source = "<manifest>"): ProgramManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ManifestParseError({ source, reason: `not JSON (${(err as Error).message})`, cause: err });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ManifestParseError({
      source,
      reason: `top level is ${Array.isArray(value) ? "an array" : String(value === null ? "null" : typeof value)}, expected an object`,
    });
  const m = value as ProgramManifest;
  for (const f of STRING_FIELDS)
    if (f in m && typeof m[f] !== "string")
      throw new ManifestParseError({ source, reason: `field "${f}" must be a string` });
  if ("flags" in m && (!Array.isArray(m.flags) || m.flags.some((x) => typeof x !== "string")))
    throw new ManifestParseError({ source, reason: 'field "flags" must be an array of strings' });
  // Parsed JSON is always canonicalisable; calling it here keeps the contract
  // "a parsed manifest can be hashed" explicit and cheap to rely on.
  canonicalJson(m);
  return m;
}

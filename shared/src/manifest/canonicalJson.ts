// Canonical JSON (RFC 8785 / JCS for the JSON data model): object keys sorted
// by UTF-16 code units, no whitespace, numbers and strings serialised as
// ECMAScript's JSON.stringify does. Two parties that parse the same manifest
// therefore hash the same bytes whatever key order or spacing the file had.

import { ManifestCanonicalError } from "../errors/manifest.ts";

export type CanonicalJsonErrorType = ManifestCanonicalError;

/** Serialises `value` canonically; throws ManifestCanonicalError on anything JSON cannot represent exactly. */
export function canonicalJson(value: unknown): string {
  return encode(value, "$", new Set());
}

function encode(value: unknown, path: string, stack: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value))
        throw new ManifestCanonicalError({ path, reason: `${value} is not finite` });
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new ManifestCanonicalError({ path, reason: `a ${typeof value} has no JSON form` });
  }
  const obj = value as object;
  if (stack.has(obj)) throw new ManifestCanonicalError({ path, reason: "the value is cyclic" });
  stack.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((v, i) => encode(v, `${path}[${i}]`, stack)).join(",")}]`;
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null)
      throw new ManifestCanonicalError({
        path,
        reason: `a ${proto?.constructor?.name ?? "non-plain"} object is not plain JSON`,
      });
    // Default sort compares UTF-16 code units, exactly what RFC 8785 prescribes.
    const keys = Object.keys(obj).sort();
    const rec = obj as Record<string, unknown>;
    out = `{${keys.map((k) => `${JSON.stringify(k)}:${encode(rec[k], `${path}.${k}`, stack)}`).join(",")}}`;
  }
  stack.delete(obj);
  return out;
}

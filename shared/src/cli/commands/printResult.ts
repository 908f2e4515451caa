// Prints a chain command's answer: one JSON object with --json, else aligned
// "key  value" lines (bigints in decimal, null as "-").

import { toJson } from "../connection.ts";
import type { CliIo } from "../io.ts";

export function printResult(io: CliIo, json: boolean | undefined, value: object, text?: string): void {
  if (json) {
    io.stdout.write(`${toJson(value)}\n`);
    return;
  }
  io.stdout.write(text ?? formatPairs(value));
}

export function formatPairs(value: object): string {
  const entries = Object.entries(value).filter(
    ([, v]) => typeof v !== "object" || v === null || Array.isArray(v),
  );
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries
    .map(
      ([k, v]) =>
        `${k.padEnd(width)}  ${v === null || v === undefined ? "-" : Array.isArray(v) ? v.join(", ") || "-" : String(v)}\n`,
    )
    .join("");
}

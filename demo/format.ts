// Small text helpers for the demo's narration: colours only on a terminal,
// ETH amounts, short hashes, and a plain aligned table.

import { formatEther, type Hex } from "viem";

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const c = {
  bold: paint("1"),
  dim: paint("2"),
  red: paint("31"),
  green: paint("32"),
  yellow: paint("33"),
  blue: paint("34"),
  magenta: paint("35"),
  cyan: paint("36"),
};

export const eth = (wei: bigint) => `${formatEther(wei)} ETH`;
export const short = (h: Hex | string) => `${h.slice(0, 10)}…`;

/** Renders rows as an aligned table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  // ANSI colour codes take no width on screen.
  const ESC = String.fromCharCode(27);
  const strip = (s: string) =>
    s
      .split(ESC)
      .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, "")))
      .join("");
  const widths = header.map((h, i) =>
    Math.max(strip(h).length, ...rows.map((r) => strip(r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => cell + " ".repeat(widths[i] - strip(cell).length)).join("  ");
  return [
    line(header.map((h) => c.bold(h))),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...rows.map(line),
  ].join("\n");
}

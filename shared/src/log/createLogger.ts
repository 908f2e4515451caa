// Structured logger of both daemons: pino, JSON lines for machines or pretty
// lines for humans. Secrets are redacted by path as a second line of defence:
// code should never put a key or password in a log call in the first place.
// Every bigint, and every integer a JSON consumer cannot hold exactly (beyond
// Number.MAX_SAFE_INTEGER), is written as a decimal string: pino would print a
// bigint as a bare JSON number, which most readers round (1e18 wei, say).

import { type Logger, pino } from "pino";
import pretty from "pino-pretty";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export type LogMode = "json" | "pretty";

export type CreateLoggerParameters = {
  level?: LogLevel;
  mode?: LogMode;
  /** Bound to every line (e.g. { service: "proposer" }). */
  base?: Record<string, unknown>;
  /** Destination for tests; defaults to stdout (fd 1). */
  destination?: NodeJS.WritableStream;
};

export type CreateLoggerReturnType = Logger;

/** Paths pino replaces with "[redacted]" wherever they appear one or two levels deep. */
export const REDACT_PATHS = [
  "privateKey",
  "password",
  "key",
  "mnemonic",
  "*.privateKey",
  "*.password",
  "*.key",
  "*.mnemonic",
];

/** Nesting below this is left to pino as it is (log objects are shallow; this bounds the walk). */
const MAX_DEPTH = 16;

/**
 * A copy of a log object with bigints and unsafe integers as decimal strings,
 * errors serialized (so their own fields are converted too), cycles cut. The
 * caller's objects are never modified.
 */
export function jsonSafe(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number")
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value).toString() : value;
  if (value === null || typeof value !== "object" || depth >= MAX_DEPTH) return value;
  if (seen.has(value)) return "[Circular]";
  // Dates, Buffers, URLs… say themselves what their JSON is.
  if (!(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1, seen));
    const source = value instanceof Error ? pino.stdSerializers.err(value) : value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(source)) out[k] = jsonSafe(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

export function createLogger({
  level = "info",
  mode = "json",
  base,
  destination,
}: CreateLoggerParameters = {}): CreateLoggerReturnType {
  const options = {
    level,
    base: base ? (jsonSafe(base) as Record<string, unknown>) : null,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // bigint is the unit of every chain quantity: strings, for every line. Errors are serialized by
    // jsonSafe (pino's err serializer, at any depth), so pino's own must not run on the result.
    serializers: { err: (value: unknown) => value },
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (object: Record<string, unknown>) => jsonSafe(object) as Record<string, unknown>,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  let logger: Logger;
  if (mode === "pretty") {
    const stream = pretty({
      colorize: destination === undefined && process.stdout.isTTY,
      sync: true,
      destination: destination ?? 1,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
    });
    logger = pino(options, stream);
  } else logger = pino(options, destination ?? pino.destination({ fd: 1, sync: true }));
  // A child's bindings skip formatters.log (pino formats them once, when the child is made), and
  // children are made from their parent's prototype: overriding `child` here covers every descendant.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, jsonSafe(bindings) as typeof bindings, childOptions);
  } as typeof child;
  return logger;
}

// Structured logger of both daemons: pino, JSON lines for machines or pretty
// lines for humans. Secrets are redacted by path as a second line of defence:
// code should never put a key or password in a log call in the first place.

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

export function createLogger({
  level = "info",
  mode = "json",
  base,
  destination,
}: CreateLoggerParameters = {}): CreateLoggerReturnType {
  const options = {
    level,
    base: base ?? null,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // bigint is the unit of every chain quantity; JSON.stringify would throw on it.
    serializers: { err: pino.stdSerializers.err },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (mode === "pretty") {
    const stream = pretty({
      colorize: destination === undefined && process.stdout.isTTY,
      sync: true,
      destination: destination ?? 1,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
    });
    return pino(options, stream);
  }
  return pino(options, destination ?? pino.destination({ fd: 1, sync: true }));
}

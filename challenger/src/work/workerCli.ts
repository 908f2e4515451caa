// `verdict worker` (or `node --import tsx challenger/src/worker.ts`): the
// command line of a watchtower worker. Flags mirror the schema (config.ts
// workerSchema); each also comes from its VERDICT_* variable or a JSON
// --config file. Exit codes: 2 bad configuration, 1 any other failure.

import { ConfigError, ConfigFileError } from "@verdict/shared/src/config/errors.ts";
import { addSchemaOptions, cliValues } from "@verdict/shared/src/config/schemaOptions.ts";
import { createShutdown } from "@verdict/shared/src/daemon/createShutdown.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { setDefaultEngine } from "@verdict/shared/src/machine/engine.ts";
import { Command } from "commander";
import { buildWorkerConfig, type WorkerConfig, workerSchema } from "../config.ts";
import { runWorker } from "./runWorker.ts";

export const EXIT_CONFIG = 2;
export const EXIT_FAILURE = 1;

export function createWorkerCommand(onExit: (code: number) => void = (c) => process.exit(c)): Command {
  const cmd = new Command("worker")
    .description(
      "Run a watchtower worker: take recomputations from the challenger's broker queue (BullMQ on Redis) and return their results. Run as many as the load needs, on any machines that reach the broker.",
    )
    .option("--config <file>", "JSON config file (keys are the option names in camelCase)");
  addSchemaOptions(cmd, workerSchema);
  cmd.action(async (opts: Record<string, unknown>) => {
    const { config: file, ...cli } = opts;
    let config: WorkerConfig;
    try {
      config = buildWorkerConfig({ cli: cliValues(cli), env: process.env, file: file as string | undefined });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ConfigFileError) {
        process.stderr.write(`verdict worker: ${err.message}\n`);
        onExit(EXIT_CONFIG);
        return;
      }
      throw err;
    }
    if (config.interpreter) setDefaultEngine("interpreter");
    const logger = createLogger({
      level: config.logLevel,
      mode: config.logFormat,
      base: { service: "worker" },
    });
    const shutdown = createShutdown({ logger, signals: true });
    try {
      await runWorker({
        redisUrl: config.redisUrl,
        queue: config.queue,
        threads: config.threads,
        cacheDir: config.cacheDir,
        lockSeconds: config.lockSeconds,
        logger,
        signal: shutdown.signal,
      });
      onExit(0);
    } catch (err) {
      process.stderr.write(`verdict worker: ${(err as Error).message}\n`);
      onExit(EXIT_FAILURE);
    }
  });
  return cmd;
}

/** Runs the worker command on `argv` (user arguments only). */
export async function runWorkerCli(argv: string[]): Promise<void> {
  await createWorkerCommand().parseAsync(argv, { from: "user" });
}

// `verdict explorer`: follows the chain through the indexer and serves the
// dispute explorer on 127.0.0.1 (explorer/createExplorer.ts) until SIGINT or
// SIGTERM. Prints the URL on stdout once the index has caught up.

import { CliUsageError } from "../../errors/cli.ts";
import { createExplorer, type Explorer } from "../../explorer/createExplorer.ts";
import { type ConnectionOptions, connect } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";

export type ExplorerCommandOptions = ConnectionOptions & {
  port?: string;
  db?: string;
  fromBlock?: string;
  pollMs?: string;
};

function bounded(text: string, option: string, min: bigint, max: bigint): bigint {
  const v = parseCount(text, option, { min });
  if (v > max) throw new CliUsageError({ option, value: text, reason: `at most ${max}` });
  return v;
}

/** Starts the explorer; resolves once it is listening (the caller decides when to close it). */
export async function startExplorerCommand(opts: ExplorerCommandOptions, io: CliIo): Promise<Explorer> {
  const port = Number(bounded(opts.port ?? "7070", "--port", 0n, 65_535n));
  const pollMs = Number(bounded(opts.pollMs ?? "500", "--poll-ms", 10n, 600_000n));
  const fromBlock =
    opts.fromBlock === undefined ? undefined : parseCount(opts.fromBlock, "--from-block", { min: 0n });
  // The shared connection: --deployment or --verdict, env vars, a clear error for a dead RPC.
  const { publicClient, contracts } = await connect(opts);
  const explorer = await createExplorer({
    publicClient,
    verdict: contracts.verdict,
    outputs: contracts.outputs ?? undefined,
    fromBlock: fromBlock ?? contracts.fromBlock,
    dbPath: opts.db,
    port,
    pollMs,
    onError: (err) =>
      io.stderr.write(`explorer: sync failed, retrying: ${(err as Error).message.split("\n")[0]}\n`),
  });
  io.stdout.write(
    `explorer: ${explorer.url} (indexed to block ${explorer.indexer.cursor()}; Ctrl-C to stop)\n`,
  );
  return explorer;
}

export async function explorerCommand(opts: ExplorerCommandOptions, io: CliIo): Promise<void> {
  const explorer = await startExplorerCommand(opts, io);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await explorer.close();
}

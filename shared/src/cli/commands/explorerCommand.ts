// `verdict explorer`: follows the chain through the indexer and serves the
// dispute explorer on 127.0.0.1 (explorer/createExplorer.ts) until SIGINT or
// SIGTERM. Prints the URL on stdout once the index has caught up.

import { type Address, createPublicClient, defineChain, http, isAddress } from "viem";
import { CliUsageError } from "../../errors/cli.ts";
import { createExplorer, type Explorer } from "../../explorer/createExplorer.ts";
import { ExplorerError } from "../../explorer/errors.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";

export type ExplorerCommandOptions = {
  rpcUrl?: string;
  verdict?: string;
  outputs?: string;
  port?: string;
  db?: string;
  fromBlock?: string;
  pollMs?: string;
};

function address(option: string, value: string | undefined, required: boolean): Address | undefined {
  if (value === undefined || value === "") {
    if (required)
      throw new CliUsageError({ option, value: "", reason: "required (or set its environment variable)" });
    return undefined;
  }
  if (!isAddress(value, { strict: false }))
    throw new CliUsageError({ option, value, reason: "not a 20-byte 0x address" });
  return value;
}

function bounded(text: string, option: string, min: bigint, max: bigint): bigint {
  const v = parseCount(text, option, { min });
  if (v > max) throw new CliUsageError({ option, value: text, reason: `at most ${max}` });
  return v;
}

/** Starts the explorer; resolves once it is listening (the caller decides when to close it). */
export async function startExplorerCommand(opts: ExplorerCommandOptions, io: CliIo): Promise<Explorer> {
  const rpcUrl = opts.rpcUrl ?? process.env.VERDICT_RPC_URL;
  if (!rpcUrl)
    throw new CliUsageError({ option: "--rpc-url", value: "", reason: "required (or set VERDICT_RPC_URL)" });
  const verdict = address("--verdict", opts.verdict ?? process.env.VERDICT_ADDRESS, true) as Address;
  const outputs = address("--outputs", opts.outputs ?? process.env.VERDICT_OUTPUTS_ADDRESS, false);
  const port = Number(bounded(opts.port ?? "7070", "--port", 0n, 65_535n));
  const pollMs = Number(bounded(opts.pollMs ?? "500", "--poll-ms", 10n, 600_000n));
  const fromBlock = parseCount(opts.fromBlock ?? "0", "--from-block", { min: 0n });
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (cause) {
    throw new ExplorerError(`Cannot reach the RPC endpoint ${rpcUrl}.`, { cause, retryable: true });
  }
  const publicClient = createPublicClient({
    chain: defineChain({
      id: chainId,
      name: `chain-${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    }),
    transport: http(rpcUrl),
  });
  const explorer = await createExplorer({
    publicClient,
    verdict,
    outputs,
    fromBlock,
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

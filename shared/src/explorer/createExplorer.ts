// `verdict explorer`'s engine: an indexer (indexer/createIndexer.ts on the
// SQLite store) following the chain, and a small node:http server on
// 127.0.0.1 that serves the pages (explorerAssets.ts, no build step) and the
// JSON behind them (handleRequest.ts). Every indexer update is pushed to the
// open pages as a server-sent event, and they re-read their JSON: the page
// moves as blocks arrive.
//
// Startup in one line: resolve the contracts from Verdict → open the index →
// backfill → listen → follow.

import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Address, Chain, PublicClient, Transport } from "viem";
import { disputeGameAbi, verdictAbi } from "../bindings/abis.ts";
import { log2Of } from "../game/position.ts";
import { createIndexer, type Indexer } from "../indexer/createIndexer.ts";
import { openIndexDb } from "../indexer/openIndexDb.ts";
import { ExplorerError } from "./errors.ts";
import { handleRequest } from "./handleRequest.ts";

/** The explorer listens on the loopback interface only: it is a local tool, not a public site. */
export const EXPLORER_HOST = "127.0.0.1";

export type CreateExplorerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  outputs?: Address;
  /** First block to index (the deployment block); default 0. */
  fromBlock?: bigint;
  /** SQLite file of the index; default in memory (rebuilt at each start). */
  dbPath?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** How often the indexer polls the head. Unit: milliseconds. */
  pollMs?: number;
  /** A sync step failed (it is retried at the next poll). */
  onError?: (err: unknown) => void;
};

export type Explorer = {
  url: string;
  port: number;
  indexer: Indexer;
  close: () => Promise<void>;
};

export type CreateExplorerReturnType = Explorer;

export async function createExplorer(p: CreateExplorerParameters): Promise<CreateExplorerReturnType> {
  const { publicClient, verdict } = p;
  let registry: Address;
  let game: Address;
  let log2K: number;
  let chainId: number;
  try {
    [registry, game, chainId] = await Promise.all([
      publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "registry" }),
      publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "game" }),
      publicClient.getChainId(),
    ]);
    log2K = log2Of(
      await publicClient.readContract({ address: game, abi: disputeGameAbi, functionName: "K" }),
    );
  } catch (cause) {
    throw new ExplorerError(`${verdict} does not answer as a Verdict contract on this chain.`, {
      cause,
      metaMessages: ["Check --rpc-url and --verdict."],
    });
  }
  const fromBlock = p.fromBlock ?? 0n;
  const db = openIndexDb(p.dbPath ?? ":memory:");
  const streams = new Set<ServerResponse>();
  const indexer = createIndexer({
    publicClient,
    db,
    contracts: { verdict, game, registry, outputs: p.outputs },
    fromBlock,
    pollMs: p.pollMs ?? 500,
    onUpdate: ({ cursor }) => {
      for (const s of streams)
        s.write(`event: cursor\ndata: ${JSON.stringify({ cursor: cursor.toString() })}\n\n`);
    },
    onError: p.onError,
  });
  await indexer.sync();

  const ctx = {
    db,
    publicClient,
    chainId,
    contracts: { verdict, game, registry, outputs: p.outputs },
    fromBlock,
    log2K,
    indexer,
    streams,
    port: 0,
  };
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: (err as Error).message.split("\n")[0] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) =>
      reject(
        new ExplorerError(`Cannot listen on ${EXPLORER_HOST}:${p.port ?? 0}.`, {
          cause,
          details: (cause as Error).message,
        }),
      ),
    );
    server.listen(p.port ?? 0, EXPLORER_HOST, () => resolve());
  }).catch((err) => {
    db.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  ctx.port = port;
  const following = indexer.follow();
  let closed: Promise<void> | undefined;
  return {
    url: `http://${EXPLORER_HOST}:${port}/`,
    port,
    indexer,
    close: () =>
      (closed ??= (async () => {
        indexer.stop();
        for (const s of streams) s.end();
        streams.clear();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await following;
        db.close();
      })()),
  };
}

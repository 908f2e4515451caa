// The explorer's routes. Pages (/, /jobs/N, /proposals, /games, /games/N) all
// get the same small HTML shell; its script reads the JSON under /api/ and
// draws the view, and /api/stream tells it when the index moved. Only GET;
// only Host headers naming the loopback (a page on another site cannot reach
// this server through DNS rebinding); a strict content security policy (no
// inline script, nothing from elsewhere).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Address, Chain, PublicClient, Transport } from "viem";
import { jsonNumber } from "../cli/formatOutput.ts";
import type { Indexer } from "../indexer/createIndexer.ts";
import type { IndexDb } from "../indexer/openIndexDb.ts";
import { listJobs } from "../indexer/queryIndex.ts";
import { ExplorerBadRequestError, ExplorerError, ExplorerNotFoundError } from "./errors.ts";
import { EXPLORER_CSS, EXPLORER_HTML, EXPLORER_JS } from "./explorerAssets.ts";
import { listGames } from "./listGames.ts";
import { readGameView } from "./readGameView.ts";
import { readJobView } from "./readJobView.ts";
import { readProposals } from "./readProposals.ts";

export type ExplorerContext = {
  db: IndexDb;
  publicClient: PublicClient<Transport, Chain>;
  chainId: number;
  contracts: { verdict: Address; game: Address; registry: Address; outputs?: Address };
  fromBlock: bigint;
  log2K: number;
  indexer: Indexer;
  streams: Set<ServerResponse>;
  port: number;
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** JSON with bigints as numbers when exact, else decimal strings (as every `--json` of the CLI). */
export function explorerJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? jsonNumber(x) : x));
}

function id(s: string, what: string): bigint {
  if (!/^[0-9]{1,20}$/.test(s))
    throw new ExplorerBadRequestError(`Not a ${what} id: ${JSON.stringify(s.slice(0, 40))}.`);
  return BigInt(s);
}

const PAGES = [
  /^\/$/,
  /^\/jobs\/?$/,
  /^\/jobs\/[^/]+$/,
  /^\/proposals\/?$/,
  /^\/games\/?$/,
  /^\/games\/[^/]+$/,
];

/** Views cost RPC reads (the job timeline scans logs): one answer per path per indexed block. */
const cache = new WeakMap<ExplorerContext, { cursor: bigint; bodies: Map<string, string> }>();

export async function handleRequest(
  ctx: ExplorerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type });
    res.end(body);
  };
  const host = (req.headers.host ?? "").toLowerCase();
  if (host !== `127.0.0.1:${ctx.port}` && host !== `localhost:${ctx.port}`)
    return send(421, "text/plain; charset=utf-8", "This explorer answers on 127.0.0.1 only.\n");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(405, "text/plain; charset=utf-8", "GET only.\n");
  }
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;

  if (path === "/app.js") return send(200, "text/javascript; charset=utf-8", EXPLORER_JS);
  if (path === "/app.css") return send(200, "text/css; charset=utf-8", EXPLORER_CSS);
  if (PAGES.some((r) => r.test(path))) return send(200, "text/html; charset=utf-8", EXPLORER_HTML);
  if (path === "/api/stream") {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream",
      connection: "keep-alive",
    });
    res.write(`event: cursor\ndata: ${JSON.stringify({ cursor: ctx.indexer.cursor().toString() })}\n\n`);
    ctx.streams.add(res);
    req.on("close", () => ctx.streams.delete(res));
    return;
  }
  if (!path.startsWith("/api/")) return send(404, "text/plain; charset=utf-8", "Not found.\n");

  const cursor = ctx.indexer.cursor();
  let c = cache.get(ctx);
  if (!c || c.cursor !== cursor) {
    c = { cursor, bodies: new Map() };
    cache.set(ctx, c);
  }
  const hit = c.bodies.get(path);
  if (hit !== undefined) return send(200, "application/json", hit);
  try {
    const body = explorerJson(await answer(ctx, path, cursor));
    // Only cache what was read at the cursor still current.
    if (ctx.indexer.cursor() === cursor) c.bodies.set(path, body);
    send(200, "application/json", body);
  } catch (err) {
    const status =
      err instanceof ExplorerNotFoundError ? 404 : err instanceof ExplorerBadRequestError ? 400 : 500;
    const message = err instanceof ExplorerError ? err.shortMessage : (err as Error).message.split("\n")[0];
    send(status, "application/json", explorerJson({ error: message }));
  }
}

async function answer(ctx: ExplorerContext, path: string, cursor: bigint): Promise<unknown> {
  const parts = path.split("/").filter(Boolean).slice(1);
  if (parts.length === 1 && parts[0] === "status")
    return {
      chainId: ctx.chainId,
      cursor,
      fromBlock: ctx.fromBlock,
      contracts: ctx.contracts,
      k: 2 ** ctx.log2K,
    };
  if (parts[0] === "jobs" && parts.length === 1) {
    const games = listGames(ctx.db);
    return listJobs(ctx.db)
      .reverse()
      .map((j) => ({ ...j, games: games.filter((g) => g.jobId === j.jobId).map((g) => g.gameId) }));
  }
  if (parts[0] === "jobs" && parts.length === 2)
    return readJobView({
      db: ctx.db,
      publicClient: ctx.publicClient,
      verdict: ctx.contracts.verdict,
      outputs: ctx.contracts.outputs,
      fromBlock: ctx.fromBlock,
      jobId: id(parts[1], "job"),
      blockNumber: cursor,
    });
  if (parts[0] === "proposals" && parts.length === 1) return readProposals(ctx.db);
  if (parts[0] === "games" && parts.length === 1) return listGames(ctx.db);
  if (parts[0] === "games" && parts.length === 2)
    return readGameView({
      db: ctx.db,
      publicClient: ctx.publicClient,
      game: ctx.contracts.game,
      log2K: ctx.log2K,
      gameId: id(parts[1], "game"),
      blockNumber: cursor,
    });
  throw new ExplorerNotFoundError(`No such endpoint: ${path.slice(0, 80)}.`);
}

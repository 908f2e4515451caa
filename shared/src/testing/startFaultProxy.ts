// An HTTP JSON-RPC proxy in front of a node (anvil) that injects faults into a
// chosen fraction of requests, so daemon tests can show that RPC trouble costs
// time but never correctness. Listens on 127.0.0.1 only.
//
// Usage:
//   const proxy = await startFaultProxy({ upstream: anvil.rpcUrl, seed: 7 });
//   const client = createPublicClient({ transport: http(proxy.url) });   // daemon talks to the proxy
//   proxy.set({ dropRate: 0.2, errorRate: 0.1, delayRate: 0.3, delayMs: 500 });
//   proxy.set({ lostResponseRate: 0.5, methods: ["eth_sendRawTransaction"] }); // tx lands, reply lost
//   proxy.set({ wrongShapeRate: 0.05 });  // valid JSON-RPC, wrong shape (null block, id mismatch, ...)
//   proxy.set({ otherUpstream: other.rpcUrl }); // a node of another chain answers, until set back to undefined
//   proxy.set({ down: true });     // every request fails (outage)
//   proxy.set({ enabled: false }); // pass everything through untouched
//   proxy.stats                    // counts per outcome, and JSON-RPC calls per method
//   await proxy.close();
//
// Faults, each decided per HTTP request with a seeded PRNG (reproducible runs):
// - drop: the connection is destroyed before forwarding (request never reaches the node);
// - lostResponse: forwarded, then the connection is destroyed (the node acted, the client never hears);
// - error: HTTP 500 without forwarding;
// - rpcError: HTTP 200 with a JSON-RPC internal error (-32603) without forwarding;
// - delay: forwarded after a uniform random delay in [0, delayMs];
// - malformed: HTTP 200 whose body is not JSON, without forwarding;
// - truncated: forwarded, then only the first half of the node's answer is sent;
// - wrongChainId: every eth_chainId is answered with this id (a node of another chain);
// - staleBlock: eth_blockNumber, and eth_getBlockByNumber("latest"), are answered `staleBlocks`
//   below the node's head (the head goes backwards);
// - wrongShape: forwarded (the node acted), then the answer is rewritten into valid JSON-RPC of the
//   wrong shape, picked per method (`shapeOf` below): a result of the wrong type (null block, a
//   number where hex is expected, an object missing fields), eth_call answered "0x" or a hex of the
//   wrong length, logs missing fields or with garbage topics, a receipt with a bogus status, an id
//   that is not the request's, or a batch answer with one entry too few;
// - otherUpstream: every eligible request is forwarded to this node instead (a pool that routes
//   to a node of another chain for a while); nothing else is faulted while it is set.
// `methods` / `excludeMethods` restrict which requests are eligible (a batch is
// eligible when any of its calls is).

import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultProxyConfigError } from "./errors.ts";

export type FaultSettings = {
  /** Master switch; when false every request passes through untouched. Default true. */
  enabled: boolean;
  /** Every request fails (connection destroyed), as in an outage. Default false. */
  down: boolean;
  dropRate: number;
  lostResponseRate: number;
  errorRate: number;
  rpcErrorRate: number;
  delayRate: number;
  malformedRate: number;
  truncatedRate: number;
  /** When set, eth_chainId answers this id instead of the node's. */
  wrongChainId: number | undefined;
  staleBlockRate: number;
  wrongShapeRate: number;
  /** When set, eligible requests go to this node instead of `upstream` (e.g. an anvil of another chain). */
  otherUpstream: string | undefined;
  /** How far below the node's head a stale eth_blockNumber answer is. Unit: blocks. */
  staleBlocks: number;
  /** Upper bound of an injected delay. Unit: milliseconds. */
  delayMs: number;
  /** Only these JSON-RPC methods are eligible for faults (undefined = all). */
  methods: string[] | undefined;
  /** These methods are never faulted. */
  excludeMethods: string[];
};

export type FaultProxyStats = {
  requests: number;
  passed: number;
  dropped: number;
  lostResponses: number;
  errors: number;
  rpcErrors: number;
  delayed: number;
  malformed: number;
  truncated: number;
  wrongChain: number;
  stale: number;
  /** Answers rewritten into the wrong shape, by kind (see `shapeOf`). */
  wrongShape: number;
  wrongShapes: Record<string, number>;
  /** Requests answered by `otherUpstream`. */
  switched: number;
  /** JSON-RPC calls `otherUpstream` answered, by method (e.g. eth_sendRawTransaction: a transaction it was sent). */
  switchedCalls: Record<string, number>;
  down: number;
  /** Requests whose upstream call itself failed (node unreachable). */
  upstreamFailures: number;
  /** JSON-RPC calls received, by method (each call of a batch counts; `requests` counts HTTP requests). */
  calls: Record<string, number>;
};

export type StartFaultProxyParameters = Partial<FaultSettings> & {
  /** URL of the real node, e.g. anvil.rpcUrl. */
  upstream: string;
  /** PRNG seed (uint32); default 1. */
  seed?: number;
  /** Listening port; default 0 (free port). */
  port?: number;
};

export type FaultProxy = {
  url: string;
  port: number;
  readonly settings: Readonly<FaultSettings>;
  readonly stats: Readonly<FaultProxyStats>;
  /** Changes some settings; the rest keep their values. */
  set(settings: Partial<FaultSettings>): void;
  /** Back to no faults (all rates 0, not down), keeping `enabled`. */
  clear(): void;
  close(): Promise<void>;
};

export type StartFaultProxyReturnType = FaultProxy;
export type StartFaultProxyErrorType = FaultProxyConfigError;

const NO_FAULTS: FaultSettings = {
  enabled: true,
  down: false,
  dropRate: 0,
  lostResponseRate: 0,
  errorRate: 0,
  rpcErrorRate: 0,
  delayRate: 0,
  malformedRate: 0,
  truncatedRate: 0,
  wrongChainId: undefined,
  staleBlockRate: 0,
  wrongShapeRate: 0,
  otherUpstream: undefined,
  staleBlocks: 5,
  delayMs: 0,
  methods: undefined,
  excludeMethods: [],
};

function validate(s: FaultSettings) {
  for (const field of [
    "dropRate",
    "lostResponseRate",
    "errorRate",
    "rpcErrorRate",
    "delayRate",
    "malformedRate",
    "truncatedRate",
    "staleBlockRate",
    "wrongShapeRate",
  ] as const) {
    const v = s[field];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new FaultProxyConfigError({ field, value: v });
  }
  if (typeof s.delayMs !== "number" || !(s.delayMs >= 0) || !Number.isFinite(s.delayMs))
    throw new FaultProxyConfigError({ field: "delayMs", value: s.delayMs });
  if (!Number.isSafeInteger(s.staleBlocks) || s.staleBlocks < 1)
    throw new FaultProxyConfigError({ field: "staleBlocks", value: s.staleBlocks });
  if (s.wrongChainId !== undefined && !(Number.isSafeInteger(s.wrongChainId) && s.wrongChainId > 0))
    throw new FaultProxyConfigError({ field: "wrongChainId", value: s.wrongChainId });
  if (s.otherUpstream !== undefined && !URL.canParse(s.otherUpstream))
    throw new FaultProxyConfigError({ field: "otherUpstream", value: s.otherUpstream });
}

/** mulberry32: tiny, fast, good enough to pick faults reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function methodsOf(body: Buffer): { methods: string[]; ids: unknown[]; batch: boolean } {
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    return {
      methods: calls.map((c) => String(c?.method ?? "")),
      ids: calls.map((c) => c?.id ?? null),
      batch: Array.isArray(parsed),
    };
  } catch {
    return { methods: [], ids: [null], batch: false };
  }
}

type RpcAnswer = { jsonrpc?: string; id?: unknown; result?: unknown; error?: unknown };

/** Quantities answered as hex strings: a wrong shape answers them as a JSON number, null or non-hex. */
const QUANTITY_METHODS = new Set([
  "eth_blockNumber",
  "eth_chainId",
  "eth_getTransactionCount",
  "eth_getBalance",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_estimateGas",
]);

/**
 * One answer rewritten into valid JSON-RPC of the wrong shape; `r` in [0, 1) picks among the
 * shapes that fit the method (an id that is not the request's fits every answer). An error
 * answer only gets the wrong id. Returns the kind, for the stats.
 */
function shapeOf(method: string, answer: RpcAnswer, r: number): { kind: string; answer: RpcAnswer } {
  const kinds: [string, () => RpcAnswer][] = [
    [
      "idMismatch",
      () => ({ ...answer, id: typeof answer.id === "number" ? answer.id + 1_000_003 : "wrong" }),
    ],
  ];
  const res = answer.result;
  const set = (result: unknown) => () => ({ ...answer, result });
  if ("result" in answer) {
    if (method === "eth_getBlockByNumber" || method === "eth_getBlockByHash") {
      kinds.push(["nullBlock", set(null)]);
      if (res && typeof res === "object") {
        const { hash: _h, number: _n, ...missing } = res as Record<string, unknown>;
        kinds.push(["blockMissingFields", set(missing)]);
        kinds.push([
          "blockNumberNotHex",
          set({ ...res, number: Number((res as { number: string }).number) }),
        ]);
      }
    } else if (QUANTITY_METHODS.has(method)) {
      kinds.push(["quantityNotHex", set(typeof res === "string" ? Number(res) : 42)]);
      kinds.push(["nullResult", set(null)]);
      kinds.push(["notHex", set("0xzz")]);
    } else if (method === "eth_call") {
      kinds.push(["emptyCall", set("0x")]);
      if (typeof res === "string" && res.length > 4) {
        kinds.push(["callShort", set(res.slice(0, -2))]);
        kinds.push(["callOddLength", set(res.slice(0, -1))]);
      }
    } else if (method === "eth_getLogs") {
      kinds.push(["logsNotArray", set({ logs: res })]);
      if (Array.isArray(res) && res.length > 0) {
        kinds.push([
          "logsMissingFields",
          set(res.map(({ topics: _t, data: _d, ...log }: Record<string, unknown>) => log)),
        ]);
        kinds.push([
          "logsGarbageTopics",
          set(res.map((log: object) => ({ ...log, topics: ["0x1234", "0x"] }))),
        ]);
      }
    } else if (method === "eth_getTransactionReceipt") {
      kinds.push(["receiptNotObject", set(42)]);
      if (res && typeof res === "object") {
        kinds.push(["receiptBogusStatus", set({ ...res, status: "0x7" })]);
        const { logs: _l, blockNumber: _b, ...missing } = res as Record<string, unknown>;
        kinds.push(["receiptMissingFields", set(missing)]);
      }
    } else if (method === "eth_sendRawTransaction") {
      kinds.push(["txHashWrongLength", set("0x1234")]);
    } else {
      kinds.push(["objectResult", set({ unexpected: true })]);
    }
  }
  const [kind, make] = kinds[Math.min(kinds.length - 1, Math.floor(r * kinds.length))];
  return { kind, answer: make() };
}

/** Starts the proxy; resolves once it listens. */
export async function startFaultProxy(
  parameters: StartFaultProxyParameters,
): Promise<StartFaultProxyReturnType> {
  const { upstream, seed = 1, port = 0, ...initial } = parameters;
  const settings: FaultSettings = { ...NO_FAULTS, ...initial };
  validate(settings);
  const random = prng(seed);
  const home = new URL(upstream);
  const stats: FaultProxyStats = {
    requests: 0,
    passed: 0,
    dropped: 0,
    lostResponses: 0,
    errors: 0,
    rpcErrors: 0,
    delayed: 0,
    malformed: 0,
    truncated: 0,
    wrongChain: 0,
    stale: 0,
    wrongShape: 0,
    wrongShapes: {},
    switched: 0,
    switchedCalls: {},
    down: 0,
    upstreamFailures: 0,
    calls: {},
  };

  const forward = (
    body: Buffer,
    req: IncomingMessage,
    target: URL = home,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const up = request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: req.method ?? "POST",
          headers: {
            "content-type": req.headers["content-type"] ?? "application/json",
            "content-length": body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: { "content-type": String(res.headers["content-type"] ?? "application/json") },
              body: Buffer.concat(chunks),
            }),
          );
          res.on("error", reject);
        },
      );
      up.on("error", reject);
      up.end(body);
    });

  const eligible = (methods: string[]) => {
    if (!settings.enabled) return false;
    return methods.some(
      (m) =>
        !settings.excludeMethods.includes(m) &&
        (settings.methods === undefined || settings.methods.includes(m)),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    stats.requests++;
    const { methods, ids, batch } = methodsOf(body);
    for (const m of methods) stats.calls[m] = (stats.calls[m] ?? 0) + 1;
    if (eligible(methods)) {
      if (settings.down) {
        stats.down++;
        req.socket.destroy();
        return;
      }
      // One draw per fault kind, in a fixed order, so a seed replays the same run.
      const rDrop = random();
      const rLost = random();
      const rError = random();
      const rRpc = random();
      const rDelay = random();
      const rDelayLen = random();
      const rMalformed = random();
      const rTruncated = random();
      const rStale = random();
      const rShape = random();
      const rShapeKind = random();
      if (settings.otherUpstream !== undefined) {
        try {
          const up = await forward(body, req, new URL(settings.otherUpstream));
          stats.switched++;
          for (const m of methods) stats.switchedCalls[m] = (stats.switchedCalls[m] ?? 0) + 1;
          res.writeHead(up.status, up.headers).end(up.body);
        } catch {
          stats.upstreamFailures++;
          req.socket.destroy();
        }
        return;
      }
      if (rDrop < settings.dropRate) {
        stats.dropped++;
        req.socket.destroy();
        return;
      }
      if (rError < settings.errorRate) {
        stats.errors++;
        res.writeHead(500, { "content-type": "text/plain" }).end("injected fault: internal server error");
        return;
      }
      if (rRpc < settings.rpcErrorRate) {
        stats.rpcErrors++;
        const errs = ids.map((id) => ({
          jsonrpc: "2.0",
          id,
          error: { code: -32603, message: "injected fault: internal error" },
        }));
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(batch ? errs : errs[0]));
        return;
      }
      if (rMalformed < settings.malformedRate) {
        stats.malformed++;
        res.writeHead(200, { "content-type": "application/json" }).end('{"jsonrpc":"2.0","id":');
        return;
      }
      if (!batch && settings.wrongChainId !== undefined && methods[0] === "eth_chainId") {
        stats.wrongChain++;
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(
            JSON.stringify({ jsonrpc: "2.0", id: ids[0], result: `0x${settings.wrongChainId.toString(16)}` }),
          );
        return;
      }
      const latestBlock =
        methods[0] === "eth_getBlockByNumber" && JSON.parse(body.toString("utf8")).params?.[0] === "latest";
      if (!batch && rStale < settings.staleBlockRate && (methods[0] === "eth_blockNumber" || latestBlock)) {
        try {
          const number = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }));
          const up = await forward(number, req);
          const head = BigInt(JSON.parse(up.body.toString("utf8")).result);
          const stale = head > BigInt(settings.staleBlocks) ? head - BigInt(settings.staleBlocks) : 0n;
          stats.stale++;
          if (latestBlock) {
            // The block `staleBlocks` below the head, as if it were the latest.
            const call = JSON.parse(body.toString("utf8"));
            call.params[0] = `0x${stale.toString(16)}`;
            const old = await forward(Buffer.from(JSON.stringify(call)), req);
            res.writeHead(old.status, old.headers).end(old.body);
            return;
          }
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ jsonrpc: "2.0", id: ids[0], result: `0x${stale.toString(16)}` }));
        } catch {
          stats.upstreamFailures++;
          req.socket.destroy();
        }
        return;
      }
      if (rShape < settings.wrongShapeRate) {
        let up: Awaited<ReturnType<typeof forward>>;
        try {
          up = await forward(body, req);
        } catch {
          stats.upstreamFailures++;
          req.socket.destroy();
          return;
        }
        let parsed: RpcAnswer | RpcAnswer[];
        try {
          parsed = JSON.parse(up.body.toString("utf8"));
        } catch {
          // The node itself answered something that is not JSON: pass it on as it is.
          stats.passed++;
          res.writeHead(up.status, up.headers).end(up.body);
          return;
        }
        let kind: string;
        let out: RpcAnswer | RpcAnswer[];
        if (Array.isArray(parsed)) {
          // A batch: one entry too few, or one entry (picked by the same draw) of the wrong shape.
          if (rShapeKind < 0.5 || parsed.length === 0) {
            kind = "batchShort";
            out = parsed.slice(0, -1);
          } else {
            // Only a call `methods` lets through gets a wrong shape (answers follow the calls' order).
            const open = parsed.map((_, j) => j).filter((j) => eligible([methods[j] ?? ""]));
            const r = (rShapeKind - 0.5) * 2;
            const i = open[Math.floor(r * open.length)] ?? 0;
            const one = shapeOf(methods[i] ?? "", parsed[i], (r * open.length) % 1);
            kind = one.kind;
            out = parsed.map((a, j) => (j === i ? one.answer : a));
          }
        } else {
          const one = shapeOf(methods[0] ?? "", parsed, rShapeKind);
          kind = one.kind;
          out = one.answer;
        }
        stats.wrongShape++;
        stats.wrongShapes[kind] = (stats.wrongShapes[kind] ?? 0) + 1;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
        return;
      }
      if (rTruncated < settings.truncatedRate) {
        try {
          const up = await forward(body, req);
          stats.truncated++;
          res.writeHead(up.status, up.headers).end(up.body.subarray(0, Math.floor(up.body.length / 2)));
        } catch {
          stats.upstreamFailures++;
          req.socket.destroy();
        }
        return;
      }
      if (rDelay < settings.delayRate && settings.delayMs > 0) {
        stats.delayed++;
        await new Promise((r) => setTimeout(r, Math.floor(rDelayLen * settings.delayMs)));
      }
      if (rLost < settings.lostResponseRate) {
        try {
          await forward(body, req);
        } catch {
          stats.upstreamFailures++;
        }
        stats.lostResponses++;
        req.socket.destroy();
        return;
      }
    }
    try {
      const up = await forward(body, req);
      stats.passed++;
      res.writeHead(up.status, up.headers).end(up.body);
    } catch (err) {
      stats.upstreamFailures++;
      res
        .writeHead(502, { "content-type": "text/plain" })
        .end(`upstream unreachable: ${(err as Error).message}`);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      try {
        req.socket.destroy();
      } catch {
        // nothing left to clean up
      }
    });
  });
  // Destroyed sockets are the point of this server; do not let them crash it.
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    get settings() {
      return settings;
    },
    get stats() {
      return stats;
    },
    set(next) {
      const merged = { ...settings, ...next };
      validate(merged);
      Object.assign(settings, merged);
    },
    clear() {
      Object.assign(settings, { ...NO_FAULTS, enabled: settings.enabled });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

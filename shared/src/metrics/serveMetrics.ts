// HTTP endpoint for Prometheus: GET /metrics renders the registry, GET
// /healthz answers 200 while the daemon runs. Binding the port at startup
// means a port clash fails fast, before the daemon touches the chain.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { BaseError } from "../errors/base.ts";

export type ServeMetricsParameters = {
  registry: Registry;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
};

export type ServeMetricsReturnType = {
  /** Port actually bound. */
  port: number;
  close: () => Promise<void>;
};

export class MetricsServerError extends BaseError {
  override name = "MetricsServerError";
  constructor({ port, host, cause }: { port: number; host: string; cause: unknown }) {
    super(`Cannot serve metrics on ${host}:${port}: ${(cause as NodeJS.ErrnoException).code ?? cause}.`, {
      cause,
      metaMessages: ["Try: another --metrics-port, or 0 to pick a free one."],
    });
  }
}

export async function serveMetrics({
  registry,
  port,
  host = "127.0.0.1",
}: ServeMetricsParameters): Promise<ServeMetricsReturnType> {
  const server: Server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      try {
        const body = await registry.metrics();
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(body);
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    } else if (req.url === "/healthz") {
      res.writeHead(200);
      res.end("ok");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) => reject(new MetricsServerError({ port, host, cause })));
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

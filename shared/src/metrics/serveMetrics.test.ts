import { expect } from "chai";
import { createDaemonMetrics } from "./createDaemonMetrics.ts";
import { MetricsServerError, serveMetrics } from "./serveMetrics.ts";

describe("metrics/serveMetrics", () => {
  it("serves the registry on /metrics and 200 on /healthz; a taken port is a typed error", async () => {
    const m = createDaemonMetrics({ prefix: "t_", defaults: false });
    m.movesSent.inc({ kind: "dissect" });
    m.rpcErrors.inc({ kind: "timeout" }, 2);
    const s = await serveMetrics({ registry: m.registry, port: 0 });
    try {
      const body = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
      expect(body).to.include('t_moves_sent_total{kind="dissect"} 1');
      expect(body).to.include('t_rpc_errors_total{kind="timeout"} 2');
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).to.equal(200);
      expect((await fetch(`http://127.0.0.1:${s.port}/nope`)).status).to.equal(404);
      const err = await serveMetrics({ registry: m.registry, port: s.port }).catch((e) => e);
      expect(err).to.be.instanceOf(MetricsServerError);
      expect(err.message).to.include("EADDRINUSE");
    } finally {
      await s.close();
    }
  });
});

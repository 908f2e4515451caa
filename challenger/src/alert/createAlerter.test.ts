import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import { createChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import { createAlerter } from "./createAlerter.ts";

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: "info", mode: "json", destination }) };
}

async function webhook(statuses: number[]) {
  const bodies: unknown[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      res.writeHead(statuses[Math.min(i++, statuses.length - 1)]).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("createAlerter", () => {
  it("logs at error level and POSTs the alert (bigints as strings), retrying a 5xx", async () => {
    const { lines, logger } = captureLogger();
    const hook = await webhook([500, 200]);
    const metrics = createChallengerMetrics({ defaults: false });
    const alerter = createAlerter({ logger, webhookUrl: hook.url, metrics });
    alerter.alert({ kind: "wrong_leaf", message: "wrong result", data: { proposalId: 3n, jobId: 7n } });
    await alerter.flush();
    await hook.close();
    expect(lines[0]).to.include({
      level: "error",
      alert: "wrong_leaf",
      proposalId: "3",
      msg: "wrong result",
    });
    expect(hook.bodies).to.have.length(2);
    expect(hook.bodies[1]).to.deep.include({ kind: "wrong_leaf", data: { proposalId: "3", jobId: "7" } });
    expect((await metrics.alerts.get()).values[0].value).to.equal(1);
    expect((await metrics.webhookFailures.get()).values[0].value).to.equal(0);
  });

  it("does not retry a 4xx and counts the failure; never throws when the hook is down", async () => {
    const { logger } = captureLogger();
    const hook = await webhook([404]);
    const metrics = createChallengerMetrics({ defaults: false });
    const alerter = createAlerter({ logger, webhookUrl: hook.url, metrics });
    alerter.alert({ kind: "game_lost", message: "lost", data: {} });
    await alerter.flush();
    await hook.close();
    expect(hook.bodies).to.have.length(1);
    const dead = createAlerter({ logger, webhookUrl: hook.url, metrics, retries: 1, timeoutMs: 500 });
    dead.alert({ kind: "game_lost", message: "lost", data: {} });
    await dead.flush();
    expect((await metrics.webhookFailures.get()).values[0].value).to.equal(2);
  });
});

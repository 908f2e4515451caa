import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("an alert with a key fires once, and not again after a restart (keys persisted)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "alerts-"));
    const file = join(dir, "alerts", "v-a.keys");
    const hook = await webhook([200, 200, 200]);
    const wrong = {
      kind: "wrong_leaf" as const,
      message: "wrong",
      data: { proposalId: 3n },
      key: "wrong_leaf:3:7",
    };
    const first = createAlerter({ logger: captureLogger().logger, webhookUrl: hook.url });
    first.persistTo(file);
    expect(first.alert(wrong)).to.equal(true);
    expect(first.alert(wrong)).to.equal(false); // the next dissection round, the next tick
    await first.flush();
    // A restart: a new process re-derives the same wrong leaf from the chain.
    const { lines, logger } = captureLogger();
    const metrics = createChallengerMetrics({ defaults: false });
    const second = createAlerter({ logger, webhookUrl: hook.url, metrics });
    second.persistTo(file);
    expect(second.alert(wrong)).to.equal(false);
    // A different wrong leaf still fires.
    expect(second.alert({ ...wrong, key: "wrong_leaf:3:8" })).to.equal(true);
    // Unkeyed alerts (transient conditions) are never suppressed.
    expect(second.alert({ kind: "deadline_at_risk", message: "late", data: {} })).to.equal(true);
    expect(second.alert({ kind: "deadline_at_risk", message: "late", data: {} })).to.equal(true);
    await second.flush();
    await hook.close();
    expect(hook.bodies).to.have.length(4);
    expect(lines.filter((l) => l.level === "error")).to.have.length(3);
    const counted = (await metrics.alerts.get()).values.map((v) => [v.labels.kind, v.value]);
    expect(counted).to.deep.include.members([
      ["wrong_leaf", 1],
      ["deadline_at_risk", 2],
    ]);
    expect(readFileSync(file, "utf8").trim().split("\n")).to.deep.equal(["wrong_leaf:3:7", "wrong_leaf:3:8"]);
    rmSync(dir, { recursive: true, force: true });
  });
});

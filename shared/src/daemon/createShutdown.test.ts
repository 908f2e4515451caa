import { expect } from "chai";
import { createLogger } from "../log/createLogger.ts";
import { createShutdown } from "./createShutdown.ts";

const logger = createLogger({ level: "silent" });

describe("daemon/createShutdown", () => {
  it("aborts the signal, runs cleanups in reverse order, then exits with the code", async () => {
    const order: string[] = [];
    let exitCode: number | undefined;
    const s = createShutdown({ logger, signals: false, exit: (c) => (exitCode = c) });
    s.add("first", () => {
      order.push("first");
    });
    s.add("second", async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push("second");
    });
    s.add("failing", () => {
      throw new Error("boom");
    });
    expect(s.signal.aborted).to.equal(false);
    await s.kill("test");
    expect(s.signal.aborted).to.equal(true);
    expect(order).to.deep.equal(["second", "first"]);
    expect(exitCode).to.equal(0);
    await s.kill("again"); // idempotent
  });

  it("exits 1 when cleanups outlast the grace period", async () => {
    let exitCode: number | undefined;
    const s = createShutdown({ logger, signals: false, graceMs: 50, exit: (c) => (exitCode = c) });
    s.add("stuck", () => new Promise(() => undefined));
    const t0 = Date.now();
    await s.kill("test");
    expect(exitCode).to.equal(1);
    expect(Date.now() - t0).to.be.lessThan(1000);
  });

  it("handles SIGTERM through the installed handler", async () => {
    let exitCode: number | undefined;
    const s = createShutdown({ logger, signals: true, exit: (c) => (exitCode = c) });
    process.emit("SIGTERM", "SIGTERM");
    await s.kill("x");
    expect(s.signal.aborted).to.equal(true);
    expect(exitCode).to.equal(0);
    expect(process.listenerCount("SIGTERM")).to.equal(0);
  });
});

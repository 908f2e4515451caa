import { Writable } from "node:stream";
import { expect } from "chai";
import { createLogger } from "./createLogger.ts";

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

describe("log/createLogger", () => {
  it("writes JSON lines with level labels, bigints and redacted secrets", () => {
    const { lines, stream } = sink();
    const log = createLogger({ mode: "json", base: { service: "t" }, destination: stream });
    log.info({ amount: 12n, key: "0xsecret", cfg: { password: "hunter2", privateKey: "0xabc" } }, "hello");
    const o = JSON.parse(lines[0]);
    expect(o).to.include({ level: "info", service: "t", msg: "hello", key: "[redacted]" });
    expect(o.cfg).to.deep.equal({ password: "[redacted]", privateKey: "[redacted]" });
    expect(lines[0]).to.not.include("hunter2");
    expect(String(o.amount)).to.equal("12");
  });

  it("pretty mode is human readable and respects the level", () => {
    const { lines, stream } = sink();
    const log = createLogger({ mode: "pretty", level: "warn", destination: stream });
    log.info("hidden");
    log.warn({ password: "pw" }, "shown");
    const text = lines.join("\n");
    expect(text).to.include("WARN");
    expect(text).to.include("shown");
    expect(text).to.not.include("hidden");
    expect(text).to.not.include('"pw"');
  });
});

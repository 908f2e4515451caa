import { Writable } from "node:stream";
import { expect } from "chai";
import { createLogger, jsonSafe } from "./createLogger.ts";

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

  it("writes every bigint and every integer beyond 2^53 - 1 as a decimal string, at any depth", () => {
    const { lines, stream } = sink();
    const log = createLogger({ mode: "json", destination: stream }).child({ proposalId: 7n });
    const wei = 10n ** 18n;
    log.info(
      {
        wei,
        small: 12n,
        safe: Number.MAX_SAFE_INTEGER,
        unsafe: 2 ** 60,
        nested: { list: [wei, { deeper: -(2n ** 70n) }], n: 3 },
      },
      "amounts",
    );
    // The raw line, not a parse of it: a bare 1000000000000000000 would parse to a rounded number.
    expect(lines[0]).to.include('"wei":"1000000000000000000"');
    expect(lines[0]).to.include('"proposalId":"7"');
    expect(lines[0]).to.include('"small":"12"');
    expect(lines[0]).to.include(`"safe":${Number.MAX_SAFE_INTEGER},`);
    expect(lines[0]).to.include('"unsafe":"1152921504606846976"');
    expect(lines[0]).to.include('"deeper":"-1180591620717411303424"');
    expect(lines[0]).to.include('"n":3');
    expect(lines[0]).to.not.match(/:-?\d{17,}[,}\]]/);
  });

  it("an error's own bigint fields are strings too, and its type and message stay", () => {
    const { lines, stream } = sink();
    const log = createLogger({ mode: "json", destination: stream });
    class FundsError extends Error {
      balance = 2n ** 64n;
    }
    log.error({ err: new FundsError("short of funds") }, "cannot start");
    log.error(new FundsError("as the first argument"));
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a.err).to.include({
      type: "FundsError",
      message: "short of funds",
      balance: "18446744073709551616",
    });
    expect(a.err.stack).to.include("short of funds");
    expect(b).to.include({ msg: "as the first argument" });
    expect(b.err).to.include({ type: "FundsError", balance: "18446744073709551616" });
  });

  it("jsonSafe copies without touching the caller's object, and cuts cycles", () => {
    const shared = { v: 1n };
    const o: Record<string, unknown> = { a: shared, b: shared, when: new Date(0) };
    o.self = o;
    const out = jsonSafe(o) as Record<string, unknown>;
    expect(out).to.deep.equal({ a: { v: "1" }, b: { v: "1" }, when: new Date(0), self: "[Circular]" });
    expect(shared.v).to.equal(1n);
  });
});

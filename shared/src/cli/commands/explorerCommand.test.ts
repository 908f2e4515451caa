// `verdict explorer`'s bad input, as a process (bin/verdict.js): a missing RPC or address, a
// port out of range and an unreachable RPC exit before anything listens, with
// `error:` and no stack trace. (The served pages are tested in a browser, on
// a live dispute: test/explorer.test.ts.)

import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { expect } from "chai";

const root = resolve(import.meta.dirname, "..", "..", "..", "..");
const env = { ...process.env };
delete env.VERDICT_RPC_URL;
delete env.VERDICT_ADDRESS;

/** As a process: the exit status is what a user sees. */
async function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/verdict.js"), ...args], {
    encoding: "utf8",
    cwd: root,
    env,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ADDR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("verdict explorer (bad input)", function () {
  this.timeout(120_000);

  it("requires --rpc-url and --verdict, and checks the address", async () => {
    for (const [args, what] of [
      [["--verdict", ADDR], /--rpc-url/],
      [["--rpc-url", "http://127.0.0.1:1"], /--verdict/],
      [["--rpc-url", "http://127.0.0.1:1", "--verdict", "0x1234"], /not a 20-byte 0x address/],
    ] as const) {
      const r = await cli("explorer", ...args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr)
        .to.match(/^error: /)
        .and.match(what)
        .and.not.match(/\n\s+at /);
    }
  });

  it("rejects a port or poll interval out of range", async () => {
    for (const args of [
      ["--port", "65536"],
      ["--port", "-1"],
      ["--port", "http"],
      ["--poll-ms", "0"],
    ]) {
      const r = await cli("explorer", "--rpc-url", "http://127.0.0.1:1", "--verdict", ADDR, ...args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/^error: Invalid --(port|poll-ms)/);
    }
  });

  it("an unreachable RPC exits 1 (retryable), before listening", async () => {
    const r = await cli("explorer", "--rpc-url", "http://127.0.0.1:1", "--verdict", ADDR, "--port", "0");
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/^error: Cannot reach the RPC endpoint/);
    expect(r.stdout).to.equal("");
  });
});

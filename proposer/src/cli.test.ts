// The proposer as a user starts it (a child process running the CLI): bad
// configuration, an unreachable RPC, a missing contract and an unfunded key
// each end quickly with a clear message and a non-zero exit code; a good
// configuration serves /metrics and stops cleanly on SIGTERM.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { expect } from "chai";
import { generatePrivateKey } from "viem/accounts";
import { type ChainFixture, setupChain, until } from "./testing/setupChain.ts";
import { PROPOSER_KEY_INDEX } from "./testing/startTestProposer.ts";

const START = new URL("./start.ts", import.meta.url).pathname;
// tsx as a loader in the daemon's own process, not its CLI wrapper: the wrapper relays signals
// through a second process, and under load its relay exited 143 before the daemon's handler ran.
const TSX_LOADER = import.meta.resolve("tsx");

type Run = { code: number | null; stderr: string; stdout: string; ms: number };

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", TSX_LOADER, START, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, stdout, ms: Date.now() - t0 });
    });
  });
}

describe("proposer CLI (child process)", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain();
  });
  after(async () => fx?.stop());

  const base = () => [
    "--rpc-url",
    fx.anvil.rpcUrl,
    "--verdict",
    fx.deployment.verdict,
    "--programs",
    fx.programPath,
    "--metrics-port",
    "0",
    "--data-dir",
    `${fx.dir}/cli-data`,
    "--confirmations",
    "0",
  ];

  it("bad configuration: every problem listed, exit 2", async () => {
    const r = await runCli(["--rpc-url", "ftp://x", "--batch-size", "0", "--verdict", "0x1234"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("Invalid configuration: 4 problem(s)");
    expect(r.stderr).to.match(/rpcUrl \(from --rpc-url\): "ftp:\/\/x" must use http: or https:/);
    expect(r.stderr).to.match(/batchSize \(from --batch-size\): 0 is below the minimum 1/);
    expect(r.stderr).to.match(/verdict .* not a 20-byte hex address/);
    expect(r.stderr).to.match(/programs .*required/);
  });

  it("a missing config file: exit 2", async () => {
    const r = await runCli(["--config", "/nonexistent/proposer.json"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("Cannot use config file /nonexistent/proposer.json: ENOENT, no such file");
    expect(r.stderr).to.include("Try: check the --config path");
  });

  it("no key: exit 1 with what to set", async () => {
    const r = await runCli(base());
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("No signing key configured");
  });

  it("unreachable RPC: exit 1 quickly, no hang", async () => {
    const args = base();
    args[1] = "http://127.0.0.1:9";
    const r = await runCli(args, { VERDICT_PROPOSER_KEY: fx.anvil.privateKeys[PROPOSER_KEY_INDEX] });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("Cannot reach the RPC endpoint http://127.0.0.1:9");
    expect(r.ms).to.be.lessThan(30_000);
  });

  it("no contract at the address: exit 1", async () => {
    const args = base();
    args[3] = "0x000000000000000000000000000000000000dEaD";
    const r = await runCli(args, { VERDICT_PROPOSER_KEY: fx.anvil.privateKeys[PROPOSER_KEY_INDEX] });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("No contract at 0x000000000000000000000000000000000000dEaD");
  });

  it("another contract at the address: exit 1 naming the flag, no raw call dump", async () => {
    const args = base();
    args[3] = fx.deployment.outputs; // a protocol contract, but not Verdict
    const r = await runCli(args, { VERDICT_PROPOSER_KEY: fx.anvil.privateKeys[PROPOSER_KEY_INDEX] });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(`The contract at ${fx.deployment.outputs}`);
    expect(r.stderr).to.include("is not a Verdict contract: params() failed");
    expect(r.stderr).to.include("Try: --verdict takes the Verdict address from the deployment file");
    expect(r.stderr).to.not.match(/Raw Call Arguments|Contract Call:/);
  });

  it("refuses to start when the balance cannot cover the bond, and never prints the key", async () => {
    const key = generatePrivateKey();
    const r = await runCli(base(), { VERDICT_PROPOSER_KEY: key });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/has 0 wei; one proposal bond needs at least 1000000000000000000 wei/);
    expect(r.stderr).to.match(/Try: send at least 1000000000000000000 wei to 0x[0-9a-fA-F]{40}/);
    expect(r.stderr + r.stdout).to.not.include(key.slice(2));
  });

  it("starts from --deployment and VERDICT_PRIVATE_KEY (the chain commands' settings), serves /metrics, and exits 0 on SIGTERM", async () => {
    let port = 0;
    const deployment = `${fx.dir}/deployment.json`;
    const d = fx.deployment;
    writeFileSync(deployment, JSON.stringify({ ...d, deployedAtBlock: d.deployedAtBlock.toString() }));
    const args = base();
    args.splice(2, 2, "--deployment", deployment); // instead of --verdict
    const p = spawn(process.execPath, ["--import", TSX_LOADER, START, ...args, "--log-format", "json"], {
      env: { PATH: process.env.PATH ?? "", VERDICT_PRIVATE_KEY: fx.anvil.privateKeys[PROPOSER_KEY_INDEX] },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((r) => p.on("exit", (c) => r(c)));
    try {
      port = await until("metrics port in the log", () => {
        const m = /"port":(\d+),"msg":"metrics on \/metrics"/.exec(out);
        return m ? Number(m[1]) : undefined;
      });
      await until("proposer started", () => out.includes("proposer starting"));
      const started = JSON.parse(out.split("\n").find((l) => l.includes('"proposer starting"')) ?? "{}");
      expect(started.verdict).to.equal(d.verdict);
      // Wei amounts are decimal strings in the log: a JSON number would lose precision above 2^53.
      expect(started.balance)
        .to.be.a("string")
        .and.match(/^\d{19,}$/);
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(body).to.include("verdict_proposer_jobs_seen_total");
      expect(body).to.include("verdict_proposer_games_active");
      expect(body).to.include("verdict_proposer_rpc_errors_total");
      p.kill("SIGTERM");
      expect(await exited).to.equal(0);
      expect(out).to.include("shutting down");
    } finally {
      p.kill("SIGKILL");
    }
  });
});

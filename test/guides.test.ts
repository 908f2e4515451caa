// The guides are tests: every ```sh block of each guide runs verbatim, in
// order, in one bash session per guide (a fresh temporary directory), against
// an anvil started here, with `verdict` on the PATH and the environment the
// guide's introduction names. Daemons run in the background of that session,
// started and stopped by the guide itself; whatever a failing guide leaves
// running is killed when its session exits. Blocks fenced as ```sh no-test
// are skipped; ```ts blocks are illustrations, not run.

import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { detectToolchain } from "../guest/scripts/build.ts";
import { type AnvilInstance, startAnvil } from "../shared/src/chain/startAnvil.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The ```sh blocks of a Markdown file, without those marked no-test. */
export function shellBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^```sh([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown))
    if (!m[1]!.split(/\s+/).includes("no-test")) blocks.push(m[2]!);
  return blocks;
}

/** Guide sessions still running: a timed-out test must not leave its daemons behind. */
const sessions = new Set<ChildProcess>();

/**
 * Runs a guide's blocks in one bash session in `dir`; background jobs are
 * killed when it exits. Asynchronous: anvil's output is read by this process,
 * and a blocked event loop would let its pipe fill and stall the chain.
 */
async function runGuide(
  guide: string,
  dir: string,
  bin: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const blocks = shellBlocks(readFileSync(path.join(ROOT, guide), "utf8"));
  expect(blocks.length).to.be.greaterThan(3);
  const script = [
    "set -euo pipefail",
    "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
    ...blocks.map((b, i) => `echo "--- block ${i + 1}"\n${b}`),
  ].join("\n");
  const child = spawn("bash", ["-c", script], {
    cwd: dir,
    // Its own process group, so after() can stop the session and everything it started.
    detached: true,
    env: {
      ...process.env,
      // verdict (the checkout's bin/verdict.js), then the checkout's tools (cast).
      PATH: `${bin}:${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH}`,
      VERDICT_FROM_SOURCE: "1",
      VERDICT_CHECKOUT: ROOT,
      ...env,
      // A cast call that forgets --rpc-url must not reach another chain on this host.
      ETH_RPC_URL: env.VERDICT_RPC_URL ?? "http://127.0.0.1:1",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  sessions.add(child);
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  sessions.delete(child);
  return { status, stdout, stderr };
}

describe("guides (docs/*.md shell blocks, verbatim, on anvil)", function () {
  this.timeout(600_000);
  let anvil: AnvilInstance;
  let work: string;
  let bin: string;
  before(async () => {
    anvil = await startAnvil({ accounts: 8 });
    work = mkdtempSync(path.join(tmpdir(), "verdict-guide-"));
    bin = path.join(work, "bin");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "verdict"),
      `#!/usr/bin/env bash\nexec node ${JSON.stringify(path.join(ROOT, "bin/verdict.js"))} "$@"\n`,
    );
    chmodSync(path.join(bin, "verdict"), 0o755);
  });
  after(async () => {
    for (const child of sessions) if (child.pid) process.kill(-child.pid, "SIGTERM");
    await anvil?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("docs/build-an-app.md", async function () {
    try {
      detectToolchain();
    } catch (err) {
      console.log(`      skipped: ${(err as Error).message} (the guide builds a guest)`);
      this.skip();
    }
    const dir = path.join(work, "app");
    mkdirSync(dir);
    const r = await runGuide("docs/build-an-app.md", dir, bin, {
      VERDICT_RPC_URL: anvil.rpcUrl,
      DEPLOYER_KEY: anvil.privateKeys[0]!,
      APP_KEY: anvil.privateKeys[1]!,
      USER_KEY: anvil.privateKeys[2]!,
      OPERATOR_KEY: anvil.privateKeys[3]!,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
    // What the guide's prose promises.
    expect(r.stdout).to.include('"6\\n"');
    expect(JSON.parse(readFileSync(path.join(dir, "job.json"), "utf8")).jobId).to.equal(1);
    // The published output, read back from the chain.
    expect(r.stdout).to.match(/^6\n\n?$/m);
    expect(JSON.parse(readFileSync(path.join(dir, "result.json"), "utf8")).output.bytes).to.equal("0x360a");
  });

  it("docs/operate.md", async function () {
    this.timeout(1_200_000);
    // Its own chain: the guide deploys, registers and counts jobs from scratch.
    const chain = await startAnvil({ accounts: 8 });
    try {
      const dir = path.join(work, "operate");
      mkdirSync(dir);
      const k = chain.privateKeys;
      const r = await runGuide("docs/operate.md", dir, bin, {
        VERDICT_RPC_URL: chain.rpcUrl,
        DEPLOYER_KEY: k[0]!,
        GOV_KEY: k[1]!,
        GUARDIAN_KEY: k[2]!,
        APP_KEY: k[3]!,
        OPERATOR_KEY: k[4]!,
        WATCHTOWER_KEY: k[5]!,
        USER_KEY: k[6]!,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
      // What the guide's prose promises.
      expect(r.stdout).to.include("Usage: proposer"); // the root form of the README
      expect(r.stdout).to.match(/suggested D\s+\d+/);
      expect(r.stdout).to.include("hello, operator\n");
      expect(r.stdout).to.match(/^verdict_proposer_outputs_published_total 1$/m);
      expect(r.stdout).to.match(/^verdict_proposer_proposals_finalized_total 1$/m);
      expect(r.stdout).to.include("not ready yet");
      expect(r.stdout).to.include("refused, as it must be");
      expect(r.stderr).to.include("is not ready: it becomes executable at");
      expect(r.stderr).to.include("setParams needs PARAMETER_SETTER_ROLE");
    } finally {
      await chain.stop();
    }
  });
});

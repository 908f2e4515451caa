// The guides are tests: every ```sh block of each guide runs verbatim, in
// order, in one bash session per guide (a fresh temporary directory), against
// an anvil started here, with `verdict` on the PATH and the environment the
// guide's introduction names. Blocks fenced as ```sh no-test (long-running
// daemons) are skipped; ```ts blocks are illustrations, not run.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { detectToolchain } from "../guest/scripts/build.ts";
import { type AnvilInstance, startAnvil } from "../shared/src/testing/startAnvil.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The ```sh blocks of a Markdown file, without those marked no-test. */
export function shellBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^```sh([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown))
    if (!m[1]!.split(/\s+/).includes("no-test")) blocks.push(m[2]!);
  return blocks;
}

describe("guides (docs/*.md shell blocks, verbatim, on anvil)", function () {
  this.timeout(600_000);
  let anvil: AnvilInstance;
  let work: string;
  before(async () => {
    anvil = await startAnvil({ accounts: 4 });
    work = mkdtempSync(path.join(tmpdir(), "verdict-guide-"));
  });
  after(async () => {
    await anvil?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("docs/build-an-app.md", function () {
    try {
      detectToolchain();
    } catch (err) {
      console.log(`      skipped: ${(err as Error).message} (the guide builds a guest)`);
      this.skip();
    }
    const blocks = shellBlocks(readFileSync(path.join(ROOT, "docs/build-an-app.md"), "utf8"));
    expect(blocks.length).to.be.greaterThan(3);
    const bin = path.join(work, "bin");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "verdict"),
      `#!/usr/bin/env bash\nexec node ${JSON.stringify(path.join(ROOT, "bin/verdict.js"))} "$@"\n`,
    );
    chmodSync(path.join(bin, "verdict"), 0o755);
    const dir = path.join(work, "app");
    mkdirSync(dir);
    const script = `set -euo pipefail\n${blocks.map((b, i) => `echo "--- block ${i + 1}"\n${b}`).join("\n")}`;
    const r = spawnSync("bash", ["-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        VERDICT_FROM_SOURCE: "1",
        VERDICT_RPC_URL: anvil.rpcUrl,
        DEPLOYER_KEY: anvil.privateKeys[0]!,
        APP_KEY: anvil.privateKeys[1]!,
        USER_KEY: anvil.privateKeys[2]!,
      },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
    // What the guide's prose promises.
    expect(r.stdout).to.include('"6\\n"');
    expect(JSON.parse(readFileSync(path.join(dir, "job.json"), "utf8")).jobId).to.equal(1);
  });
});

// `verdict build --json`: exactly one JSON object on stdout, read from the
// manifest the build wrote; the build script's own lines go to stderr. Needs
// the RISC-V toolchain (skipped without it, like guest/build.test.ts).

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { detectToolchain } from "../../../../guest/scripts/build.ts";
import { runCli } from "../runCli.ts";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false } as never,
  });
  return { code, stdout, stderr };
}

describe("verdict build --json", function () {
  this.timeout(300_000);
  let work: string;
  before(function () {
    try {
      detectToolchain();
    } catch (err) {
      console.log(`      skipped: ${(err as Error).message.split("\n")[0]} (run .ci/install-toolchain.sh)`);
      this.skip();
    }
    work = mkdtempSync(join(tmpdir(), "verdict-build-json-"));
  });
  after(() => work && rmSync(work, { recursive: true, force: true }));

  it("prints one JSON object naming the ELF and manifest; the script's summary goes to stderr", async () => {
    const dir = join(work, "tiny");
    mkdirSync(dir);
    writeFileSync(join(dir, "main.c"), "int main(void) { return 3; }\n");
    const out = join(work, "out");
    const r = await cli(["build", dir, "--name", "tiny3", "--out", out, "--json"]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trimEnd().split("\n")).to.have.length(1);
    const j = JSON.parse(r.stdout);
    const elf = readFileSync(join(out, "tiny3.elf"));
    expect(j).to.deep.equal({
      name: "tiny3",
      elf: join(out, "tiny3.elf"),
      manifest: join(out, "manifest.json"),
      elfBytes: elf.length,
      elfSha256: `0x${createHash("sha256").update(elf).digest("hex")}`,
      sourceHash: JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).sourceHash,
    });
    expect(r.stderr).to.include("tiny3: ");
    // Without --json the summary line is the output, as before.
    const plain = await cli(["build", dir, "--name", "tiny3", "--out", out]);
    expect(plain.stdout).to.match(/^tiny3: .*tiny3\.elf \d+ bytes 0x[0-9a-f]{64}\n$/);
  });

  it("a failed build: exit 2, nothing on stdout", async () => {
    const dir = join(work, "broken");
    mkdirSync(dir);
    writeFileSync(join(dir, "main.c"), "int main(void) { return }\n");
    const r = await cli(["build", dir, "--json"]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
  });
});

// suggestDepth's arithmetic, and `verdict program --suggest-depth` on a real guest.

import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import type { CliIo } from "./io.ts";
import { runCli } from "./runCli.ts";
import { suggestDepth } from "./suggestDepth.ts";

const ECHO = fileURLToPath(new URL("../../../guest/examples/echo/echo.elf", import.meta.url));

describe("suggestDepth", function () {
  this.timeout(60_000);
  it("the smallest D with 2^D >= steps x headroom", () => {
    expect(suggestDepth(1000n, 1)).to.include({ minimalDepth: 10, depth: 10 });
    expect(suggestDepth(1024n, 1)).to.include({ minimalDepth: 10, depth: 10 });
    expect(suggestDepth(1025n, 1)).to.include({ minimalDepth: 11, depth: 11 });
    expect(suggestDepth(1000n, 4)).to.include({ minimalDepth: 10, depth: 12 });
    expect(suggestDepth(1n, 4)).to.include({ minimalDepth: 1, depth: 2 });
    expect(suggestDepth(1n << 47n, 4).depth).to.equal(48);
  });

  it("verdict program --suggest-depth runs the sample and explains D", async () => {
    const input = join(tmpdir(), `verdict-suggest-${process.pid}.txt`);
    writeFileSync(input, "hello, depth");
    let stdout = "";
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true, isTTY: false } as unknown as CliIo["stderr"],
    };
    expect(await runCli(["program", ECHO, "--suggest-depth", "--input", input, "--json"], io)).to.equal(0);
    const s = JSON.parse(stdout).suggestedDepth;
    expect(s.steps).to.be.greaterThan(0);
    expect(2 ** s.minimalDepth).to.be.at.least(s.steps);
    expect(2 ** (s.minimalDepth - 1)).to.be.below(s.steps);
    expect(s.depth).to.equal(s.minimalDepth + 2);
    expect(s.explanation).to.include(`halted after ${s.steps} steps`);
  });
});

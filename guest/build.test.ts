// Tests of the guest examples: the TS references, the committed ELFs and
// manifests (always), byte-identical rebuilds (when the RISC-V toolchain is
// installed) and runs under qemu-riscv32 (when qemu-user is installed).

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../shared/src/cli/runCli.ts";
import { loadElf } from "../shared/src/elf/loadElf.ts";
import { parseManifest } from "../shared/src/manifest/parseManifest.ts";
import {
  aggregatePrices,
  CPUBENCH_EXIT_CODE,
  CPUBENCH_INSTRUCTIONS,
  CPUBENCH_ROUNDS,
  cpubenchReference,
  decodeMedianOutput,
  decodePriceReports,
  EXAMPLE_NAMES,
  encodePriceReports,
  GuestFormatError,
  MEDIAN_EXIT,
  medianReference,
  type PriceReport,
  sha256Reference,
} from "./reference.ts";
import {
  buildGuest,
  detectToolchain,
  exampleNames,
  exampleSources,
  GUEST_DIR,
  type GuestManifest,
  sha256Hex,
  sourceHash,
  type Toolchain,
} from "./scripts/build.ts";

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function pseudoRandomReports(n: number, seed: number): PriceReport[] {
  const bytes = pseudoRandomBytes(n * 16, seed);
  const view = new DataView(bytes.buffer);
  return Array.from({ length: n }, (_, i) => ({
    sourceId: view.getUint32(i * 16, true),
    // Prices around 2000.00 with a few wild outliers, like a real feed.
    price:
      i % 7 === 3 ? view.getBigInt64(i * 16 + 4, true) : 200_000n + BigInt(view.getInt16(i * 16 + 4, true)),
    timestamp: 1_700_000_000n + BigInt(view.getUint32(i * 16 + 12, true) % 3600),
  }));
}

function committedManifest(name: string): GuestManifest {
  const file = path.join(GUEST_DIR, "examples", name, "manifest.json");
  return parseManifest(readFileSync(file, "utf8"), file) as GuestManifest;
}

function toolchainOrSkip(ctx: Mocha.Context): Toolchain {
  let toolchain: Toolchain;
  try {
    toolchain = detectToolchain();
  } catch (err) {
    console.log(`      skipped: ${(err as Error).message.split("\n")[0]} (run .ci/install-toolchain.sh)`);
    ctx.skip();
  }
  return toolchain!;
}

function hasQemu(): boolean {
  return spawnSync("qemu-riscv32", ["--version"], { stdio: "ignore" }).status === 0;
}

function runQemu(
  elf: string,
  input: Uint8Array = new Uint8Array(),
): { exitCode: number; output: Uint8Array } {
  const r = spawnSync("qemu-riscv32", [elf], { input, maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.error) throw r.error;
  if (r.status === null) throw new Error(`qemu-riscv32 ${elf} killed by ${r.signal}: ${r.stderr}`);
  return { exitCode: r.status, output: new Uint8Array(r.stdout) };
}

describe("guest reference implementations", () => {
  it("sha256Reference matches the FIPS 180-4 test vector", () => {
    expect(Buffer.from(sha256Reference(new TextEncoder().encode("abc"))).toString("hex")).to.equal(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("price reports round-trip through the input format", () => {
    const reports = pseudoRandomReports(9, 7);
    const encoded = encodePriceReports(reports);
    expect(encoded.length).to.equal(4 + 9 * 20);
    expect(decodePriceReports(encoded)).to.deep.equal(reports);
  });

  it("aggregates with floor rounding and no int64 overflow", () => {
    const r = (price: bigint, timestamp = 5n): PriceReport => ({ sourceId: 1, price, timestamp });
    expect(aggregatePrices([r(-3n), r(0n, 9n)])).to.deep.equal({
      count: 2n,
      median: -2n,
      mean: -2n,
      latestTimestamp: 9n,
    });
    expect(aggregatePrices([r(I64_MAX), r(I64_MAX)]).mean).to.equal(I64_MAX);
    expect(aggregatePrices([r(I64_MIN), r(I64_MIN), r(I64_MIN)]).median).to.equal(I64_MIN);
    expect(aggregatePrices([r(I64_MIN), r(I64_MAX)])).to.include({ median: -1n, mean: -1n });
    expect(aggregatePrices([r(5n), r(1n), r(3n)])).to.include({ median: 3n, mean: 3n });
  });

  it("medianReference reports malformed and empty inputs with the guest's exit codes", () => {
    expect(medianReference(new Uint8Array([1, 0, 0]))).to.deep.equal({
      exitCode: MEDIAN_EXIT.malformed,
      output: new Uint8Array(),
    });
    expect(medianReference(encodePriceReports([])).exitCode).to.equal(MEDIAN_EXIT.empty);
    const bad = encodePriceReports(pseudoRandomReports(2, 1));
    expect(medianReference(bad.subarray(0, bad.length - 1)).exitCode).to.equal(MEDIAN_EXIT.malformed);
    expect(decodeMedianOutput(medianReference(bad).output).count).to.equal(2n);
  });

  it("encodePriceReports rejects values outside the record fields with GuestFormatError", () => {
    const ok = { sourceId: 1, price: 1n, timestamp: 1n };
    for (const bad of [
      { ...ok, sourceId: -1 },
      { ...ok, sourceId: 2 ** 32 },
      { ...ok, sourceId: 1.5 },
      { ...ok, price: I64_MAX + 1n },
      { ...ok, price: I64_MIN - 1n },
      { ...ok, timestamp: -1n },
      { ...ok, timestamp: 1n << 64n },
    ])
      expect(() => encodePriceReports([ok, bad])).to.throw(GuestFormatError, /Report 1/);
    expect(() => decodeMedianOutput(new Uint8Array(31))).to.throw(GuestFormatError, /32 bytes/);
  });
});

describe("committed guest ELFs and manifests", () => {
  it("every example has an ELF and a manifest", () => {
    expect(exampleNames()).to.deep.equal([...EXAMPLE_NAMES]);
  });

  for (const name of EXAMPLE_NAMES) {
    it(`${name}: manifest matches the ELF and the current sources`, () => {
      const m = committedManifest(name);
      const elf = readFileSync(path.join(GUEST_DIR, m.elf));
      expect(m.name).to.equal(name);
      expect(m.elfSha256).to.equal(sha256Hex(elf));
      expect(m.elfBytes).to.equal(elf.length);
      const files = exampleSources(GUEST_DIR, name).map((p) => ({
        path: p,
        sha256: sha256Hex(readFileSync(path.join(GUEST_DIR, p))),
      }));
      // A source edited without `bash guest/build.sh` fails here.
      expect(m.sources).to.deep.equal(files);
      expect(m.sourceHash).to.equal(sourceHash(files));
      expect(m.linkerScriptHash).to.equal(sha256Hex(readFileSync(path.join(GUEST_DIR, m.linkerScript))));
    });

    it(`${name}: loads as a program image inside the program region`, () => {
      const image = loadElf(readFileSync(path.join(GUEST_DIR, "examples", name, `${name}.elf`)));
      expect(image.entry).to.equal(0x10000);
      for (const s of image.segments) expect(s.vaddr + s.memSize).to.be.at.most(0x8000_0000);
    });
  }
});

describe("guest build reproducibility", function () {
  this.timeout(300_000);
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), "verdict-guest-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("rebuilding from a copy at another path reproduces the committed ELFs and manifests byte for byte", function () {
    const toolchain = toolchainOrSkip(this);
    const m = committedManifest("sha256");
    if (m.compiler !== toolchain.compiler || m.linker !== toolchain.linker || m.libc !== toolchain.libc) {
      console.log(
        `      skipped: toolchain differs from the one that built the committed ELFs (${toolchain.compiler}, ${toolchain.libc})`,
      );
      this.skip();
    }
    // A different, deeper source path proves the ELF does not depend on where it was built.
    const copy = path.join(work, "some", "other", "guest");
    mkdirSync(copy, { recursive: true });
    cpSync(path.join(GUEST_DIR, "sdk"), path.join(copy, "sdk"), { recursive: true });
    for (const name of EXAMPLE_NAMES) {
      mkdirSync(path.join(copy, "examples", name), { recursive: true });
      for (const src of exampleSources(GUEST_DIR, name).filter((p) => p.startsWith("examples/")))
        cpSync(path.join(GUEST_DIR, src), path.join(copy, src));
    }
    const out = path.join(work, "out");
    buildGuest({ guestDir: copy, outDir: out });
    for (const name of EXAMPLE_NAMES) {
      const committedElf = readFileSync(path.join(GUEST_DIR, "examples", name, `${name}.elf`));
      const rebuiltElf = readFileSync(path.join(out, name, `${name}.elf`));
      expect(rebuiltElf.equals(committedElf), `${name}.elf differs`).to.equal(true);
      expect(readFileSync(path.join(out, name, "manifest.json"), "utf8")).to.equal(
        readFileSync(path.join(GUEST_DIR, "examples", name, "manifest.json"), "utf8"),
      );
    }
  });
});

describe("guest programs outside guest/examples (verdict build DIR)", function () {
  this.timeout(300_000);
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), "verdict-program-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  async function cli(args: string[], env: Record<string, string> = {}) {
    let stdout = "";
    let stderr = "";
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const code = await runCli(args, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s), isTTY: false } as never,
      });
      return { code, stdout, stderr };
    } finally {
      process.env = saved;
    }
  }

  /** Two C files and a header; main asserts a non-empty input; SCALE comes from a define. */
  function writeProgram(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "sum.h"),
      "#include <stddef.h>\n#include <stdint.h>\nuint32_t sum(const uint8_t *p, size_t n);\n",
    );
    writeFileSync(
      path.join(dir, "sum.c"),
      '#include "sum.h"\nuint32_t sum(const uint8_t *p, size_t n) { uint32_t s = 0; for (size_t i = 0; i < n; i++) s += p[i]; return s * SCALE; }\n',
    );
    writeFileSync(
      path.join(dir, "main.c"),
      [
        "#include <assert.h>",
        "#include <stdio.h>",
        '#include "sum.h"',
        '#include "verdict.h"',
        "int main(void) {",
        "  size_t len;",
        "  const uint8_t *in = verdict_input(&len);",
        "  int unused; /* -Wunused-variable: a warning, not an error */",
        "  assert(len > 0);",
        '  printf("%lu\\n", (unsigned long)sum(in, len));',
        "  return 0;",
        "}",
        "",
      ].join("\n"),
    );
  }

  it("builds several files with a define and extra flags, warnings not fatal; assert() passes and fails with 134", async function () {
    toolchainOrSkip(this);
    const dir = path.join(work, "my app");
    writeProgram(dir);
    const b = await cli(["build", dir, "--name", "summer", "--define", "SCALE=3u"], { CFLAGS_EXTRA: "-Os" });
    expect(b.code, b.stderr).to.equal(0);
    expect(b.stderr).to.include("unused variable");
    const elf = path.join(dir, "summer.elf");
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as GuestManifest;
    expect(manifest.flags).to.include.members(["-DSCALE=3u", "-Os"]);
    expect(manifest.flags).not.to.include("-Werror");
    expect(manifest.sources.map((s) => s.path)).to.include.members([
      "./main.c",
      "./sum.c",
      "./sum.h",
      "sdk/signal.c",
    ]);
    expect(JSON.stringify(manifest)).not.to.include(work);

    writeFileSync(path.join(work, "abc"), "abc");
    const ok = await cli(["run", elf, "--input", path.join(work, "abc"), "--json"]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(JSON.parse(ok.stdout)).to.include({
      status: "EXITED",
      exitCode: 0,
      outputText: `${(97 + 98 + 99) * 3}\n`,
    });

    writeFileSync(path.join(work, "empty"), "");
    const failed = await cli(["run", elf, "--input", path.join(work, "empty"), "--json"]);
    expect(failed.code, failed.stderr).to.equal(0);
    expect(JSON.parse(failed.stdout)).to.include({ status: "EXITED", exitCode: 128 + 6 });
  });

  it("the same sources at another path give the same ELF; --werror makes the warning fatal, exit 2", async function () {
    toolchainOrSkip(this);
    const a = path.join(work, "a", "prog");
    const b = path.join(work, "b", "deeper", "prog");
    writeProgram(a);
    writeProgram(b);
    for (const d of [a, b]) expect((await cli(["build", d, "--define", "SCALE=1u"])).code).to.equal(0);
    expect(readFileSync(path.join(a, "prog.elf")).equals(readFileSync(path.join(b, "prog.elf")))).to.equal(
      true,
    );
    const strict = await cli(["build", a, "--define", "SCALE=1u", "--werror"]);
    expect(strict.code).to.equal(2);
    expect(strict.stderr).to.include('Compiling program "prog" failed');
  });

  it("bad input: a missing directory, a directory without sources, a bad define are exit 2", async () => {
    const nope = await cli(["build", path.join(work, "nope")]);
    expect(nope.code, nope.stderr).to.equal(2);
    const empty = path.join(work, "empty-dir");
    mkdirSync(empty, { recursive: true });
    const r = await cli(["build", empty]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/No \.c or \.S file|toolchain/);
    expect((await cli(["build", empty, "--define", "1BAD"])).code).to.equal(2);
  });
});

describe("guest ELFs under qemu-riscv32", function () {
  this.timeout(300_000);
  let work: string;
  before(function () {
    if (!hasQemu()) {
      console.log("      skipped: qemu-riscv32 not installed (run .ci/install-toolchain.sh)");
      this.skip();
    }
    work = mkdtempSync(path.join(tmpdir(), "verdict-qemu-"));
  });
  after(() => work && rmSync(work, { recursive: true, force: true }));

  it("committed cpubench.elf exits with the documented code, equal to the TS reference", () => {
    expect(cpubenchReference(CPUBENCH_ROUNDS)).to.equal(CPUBENCH_EXIT_CODE);
    expect(runQemu(path.join(GUEST_DIR, "examples", "cpubench", "cpubench.elf"))).to.deep.equal({
      exitCode: CPUBENCH_EXIT_CODE,
      output: new Uint8Array(),
    });
  });

  it("cpubench built with other round counts matches the TS reference", function () {
    toolchainOrSkip(this);
    for (const rounds of [1, 37, 1000]) {
      const out = path.join(work, `cpubench-${rounds}`);
      const [b] = buildGuest({
        names: ["cpubench"],
        outDir: out,
        defines: { CPUBENCH_ROUNDS: `${rounds}u` },
      });
      expect(runQemu(b!.elfPath).exitCode, `rounds ${rounds}`).to.equal(cpubenchReference(rounds));
    }
  });

  it("cpubench retires 2120 + 436 instructions per round (basis of CPUBENCH_INSTRUCTIONS)", function () {
    toolchainOrSkip(this);
    const rounds = 37;
    const out = path.join(work, "cpubench-count");
    const [b] = buildGuest({ names: ["cpubench"], outDir: out, defines: { CPUBENCH_ROUNDS: `${rounds}u` } });
    const log = path.join(work, "cpubench-count.log");
    // One instruction per translation block and no chaining: one "Trace" line per retired instruction.
    const r = spawnSync("qemu-riscv32", ["-singlestep", "-d", "nochain,exec", "-D", log, b!.elfPath]);
    expect(r.status).to.equal(cpubenchReference(rounds));
    const traced = readFileSync(log, "utf8").match(/^Trace /gm)?.length ?? 0;
    expect(traced).to.equal(2120 + 436 * rounds);
    expect(CPUBENCH_INSTRUCTIONS).to.equal(2121 + 436 * CPUBENCH_ROUNDS);
  });

  describe("I/O examples through the qemu harness (sdk/qemu/harness.c)", () => {
    const elf: Record<string, string> = {};
    before(function () {
      toolchainOrSkip(this);
      for (const b of buildGuest({ names: ["sha256", "median", "echo"], outDir: work, harness: true }))
        elf[b.name] = b.elfPath;
    });

    it("sha256 hashes inputs around every padding boundary", () => {
      for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
        const input = pseudoRandomBytes(n, n + 1);
        const r = runQemu(elf.sha256!, input);
        expect(r.exitCode, `length ${n}`).to.equal(0);
        expect(Buffer.from(r.output).toString("hex"), `length ${n}`).to.equal(
          Buffer.from(sha256Reference(input)).toString("hex"),
        );
      }
    });

    it("median matches the reference on feeds, extremes and bad input", () => {
      const r = (price: bigint, timestamp = 1n): PriceReport => ({ sourceId: 9, price, timestamp });
      const inputs: Uint8Array[] = [
        encodePriceReports(pseudoRandomReports(1, 2)),
        encodePriceReports(pseudoRandomReports(2, 3)),
        encodePriceReports(pseudoRandomReports(101, 4)),
        encodePriceReports(pseudoRandomReports(1000, 5)),
        encodePriceReports([r(I64_MAX), r(I64_MAX), r(I64_MAX - 1n)]),
        encodePriceReports([r(I64_MIN), r(I64_MAX)]),
        encodePriceReports([r(I64_MIN), r(I64_MIN + 1n)]),
        encodePriceReports([r(-3n, 2n ** 64n - 1n), r(0n)]),
        encodePriceReports([]),
        new Uint8Array([5, 0, 0]),
        encodePriceReports(pseudoRandomReports(3, 6)).subarray(0, 63),
        Uint8Array.from([...encodePriceReports(pseudoRandomReports(3, 6)), 0]),
      ];
      for (const [i, input] of inputs.entries()) {
        const expected = medianReference(input);
        expect(runQemu(elf.median!, input), `input ${i}`).to.deep.equal(expected);
      }
    });

    it("echo copies binary input through picolibc stdio", () => {
      for (const n of [0, 1, 4096, 70_001]) {
        const input = pseudoRandomBytes(n, 99 + n);
        expect(runQemu(elf.echo!, input)).to.deep.equal({ exitCode: 0, output: input });
      }
    });
  });
});

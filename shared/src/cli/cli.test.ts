// End-to-end tests of the `verdict` CLI: in-process through runCli (fast, for
// the many cases) and as a real process through bin/verdict.js (exit codes,
// stdout/stderr separation, no stack traces).

import { spawn as spawnAsync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { bytesToHex, concat, encodePacked, keccak256 } from "viem";
import { loadElf } from "../elf/loadElf.ts";
import { writeElf } from "../elf/writeElf.ts";
import { asm, assemble } from "../machine/asm.ts";
import { programRoot } from "../machine/createMachine.ts";
import { inputRoot } from "../machine/inputRoot.ts";
import { zeroHashes } from "../machine/zeroHashes.ts";
import { manifestHash } from "../manifest/manifestHash.ts";
import { runCli } from "./runCli.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "verdict-cli-test-"));
const T0 = 5;
const T1 = 6;
const A0 = 10;
const A7 = 17;

function elfFile(name: string, words: (number | number[])[]): string {
  const path = join(dir, name);
  writeFileSync(path, writeElf({ entry: 0x1000, segments: [{ vaddr: 0x1000, data: assemble(words) }] }));
  return path;
}

// Writes "hi\n" to the output region and exits with 7: 12 steps.
const hello = elfFile("hello.elf", [
  asm.lui(T0, 0xc0000),
  asm.li(T1, 3),
  asm.sw(T1, T0, 0),
  asm.li(T1, 0x0a6968),
  asm.sw(T1, T0, 32),
  asm.li(A0, 7),
  asm.li(A7, 93),
  asm.ecall(),
]);
// Echoes its input length as exit code: lw a0, 0(0x80000000); exit.
const inputLen = elfFile("inputlen.elf", [
  asm.lui(T0, 0x80000),
  asm.lw(A0, T0, 0),
  asm.li(A7, 93),
  asm.ecall(),
]);
const loop = elfFile("loop.elf", [asm.addi(T0, T0, 1), asm.jal(0, -4)]);
const trap = elfFile("trap.elf", [asm.nop(), asm.ebreak()]);
const notElf = join(dir, "not.elf");
writeFileSync(notElf, "#!/bin/sh\n");
const elf64 = join(dir, "64.elf");
writeFileSync(
  elf64,
  writeElf({ entry: 0x1000, elfClass: 2, segments: [{ vaddr: 0x1000, data: assemble([asm.nop()]) }] }),
);

async function cli(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: Object.assign(
      new Writable({
        write(c, _e, cb) {
          stderr += String(c);
          cb();
        },
      }),
      { isTTY: false },
    ),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe("verdict CLI", () => {
  describe("run", () => {
    it("--json prints exactly one object with the documented fields", async () => {
      const r = await cli("run", hello, "--json");
      expect(r.code).to.equal(0);
      expect(r.stderr).to.equal("");
      expect(r.stdout.trimEnd().split("\n")).to.have.length(1);
      const j = JSON.parse(r.stdout);
      expect(j).to.include({
        status: "EXITED",
        exitCode: 7,
        steps: 12,
        outputHex: "0x68690a",
        outputText: "hi\n",
      });
      expect(j.stateHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(j.outputRoot).to.match(/^0x[0-9a-f]{64}$/);
      expect(Object.keys(j)).to.include.members([
        "status",
        "exitCode",
        "steps",
        "stateHash",
        "outputRoot",
        "outputHex",
      ]);
    });
    it("human output shows the same numbers", async () => {
      const j = JSON.parse((await cli("run", hello, "--json")).stdout);
      const r = await cli("run", hello);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain("status       EXITED");
      expect(r.stdout).to.contain("exit code    7");
      expect(r.stdout).to.contain(`state hash   ${j.stateHash}`);
      expect(r.stdout).to.contain(`output root  ${j.outputRoot}`);
      expect(r.stdout).to.contain('output text  "hi\\n"');
    });
    it("passes --input into the input region", async () => {
      const input = join(dir, "input.bin");
      writeFileSync(input, new Uint8Array(1234));
      const j = JSON.parse((await cli("run", inputLen, "--input", input, "--json")).stdout);
      expect(j).to.include({ status: "EXITED", exitCode: 1234 });
      const none = JSON.parse((await cli("run", inputLen, "--json")).stdout);
      expect(none.exitCode).to.equal(0);
    });
    it("stops at --max-steps with status RUNNING, and reports traps", async () => {
      const j = JSON.parse((await cli("run", loop, "--max-steps", "1000", "--json")).stdout);
      expect(j).to.include({ status: "RUNNING", steps: 1000, exitCode: 0, stepBudgetExhausted: true });
      const t = JSON.parse((await cli("run", trap, "--json")).stdout);
      expect(t).to.include({
        status: "TRAPPED",
        steps: 2,
        pc: 0x1004,
        exitCode: 0,
        stepBudgetExhausted: false,
      });
    });
    it("an exhausted step budget is a warning on stderr, with --json too; stdout stays the result", async () => {
      const warning = "warning: the step budget (16) ran out before the program halted; raise --max-steps\n";
      const human = await cli("run", loop, "--max-steps", "0x10");
      expect(human.code).to.equal(0);
      expect(human.stderr).to.equal(warning);
      expect(human.stdout).to.not.include("step budget");
      const json = await cli("run", loop, "--max-steps", "0x10", "--json");
      expect(json.stderr).to.equal(warning);
      expect(JSON.parse(json.stdout)).to.include({ status: "RUNNING", stepBudgetExhausted: true });
      const halted = await cli("run", hello);
      expect(halted.stderr).to.equal("");
    });
  });

  describe("state", () => {
    it("step 0 is the job's initial state, derived as the chain derives it", async () => {
      const input = join(dir, "in3.bin");
      writeFileSync(input, "abc");
      const j = JSON.parse((await cli("state", hello, "--input", input, "--step", "0", "--json")).stdout);
      const image = loadElf(new Uint8Array(readFileSync(hello)));
      // spec §1.3 / §2.1: memRoot = H(programRoot, H(inputRoot, Z25)), pc = entry, all else zero.
      const memRoot = keccak256(
        concat([
          programRoot(image),
          keccak256(concat([inputRoot(new TextEncoder().encode("abc")), bytesToHex(zeroHashes[25])])),
        ]),
      );
      // Registers are packed as 4 bytes each (Solidity would pad a uint32[31] array, so spell it out).
      const packed = encodePacked(
        ["bytes32", "uint32", "bytes", "uint64", "uint8", "uint32"],
        [memRoot, 0x1000, `0x${"00".repeat(124)}`, 0n, 0, 0],
      );
      expect(j.packed).to.equal(packed);
      expect(j.stateHash).to.equal(keccak256(packed));
      expect(j.state).to.deep.include({ pc: 0x1000, memRoot, step: 0, status: "RUNNING", exitCode: 0 });
      expect(j.state.registers).to.have.length(32);
    });
    it("step N matches run, and positions past the halt give the frozen final state", async () => {
      const run = JSON.parse((await cli("run", hello, "--json")).stdout);
      const at12 = JSON.parse((await cli("state", hello, "--step", "12", "--json")).stdout);
      const at2p40 = JSON.parse((await cli("state", hello, "--step", "2^40", "--json")).stdout);
      expect(at12.stateHash).to.equal(run.stateHash);
      expect(at2p40.stateHash).to.equal(run.stateHash);
      expect(at2p40).to.include({ position: 2 ** 40 });
      expect(at2p40.state).to.include({ step: 12, status: "EXITED", exitCode: 7 });
      const at3 = JSON.parse((await cli("state", hello, "--step", "3", "--json")).stdout);
      expect(at3.state).to.include({ step: 3, pc: 0x100c, status: "RUNNING" });
      expect(at3.state.registers[T0]).to.equal(0xc0000000);
      expect(at3.state.registers[T1]).to.equal(3);
    });
    it("--interpreter gives the same state as the default block compiler, at any step", async () => {
      const sha = new URL("../../../guest/examples/sha256/sha256.elf", import.meta.url).pathname;
      for (const step of ["0", "100", "5000", "12345", "2^40"]) {
        const fast = JSON.parse((await cli("state", sha, "--step", step, "--json")).stdout);
        const ref = JSON.parse((await cli("state", sha, "--step", step, "--json", "--interpreter")).stdout);
        expect(fast, `step ${step}`).to.deep.equal(ref);
      }
      const fast = JSON.parse((await cli("run", sha, "--max-steps", "777", "--json")).stdout);
      const ref = JSON.parse((await cli("run", sha, "--max-steps", "777", "--json", "--interpreter")).stdout);
      expect(fast).to.deep.equal(ref);
      expect(fast).to.include({ status: "RUNNING", steps: 777 });
    });
    it("requires --step and validates it", async () => {
      const missing = await cli("state", hello);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.match(/required option '--step <n>'/);
      const bad = await cli("state", hello, "--step", "ten");
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.match(/^error: Invalid --step "ten"/);
    });
  });

  describe("program", () => {
    it("prints root, entry, segments; the manifest beside the ELF or from --manifest", async () => {
      const j = JSON.parse((await cli("program", hello, "--json")).stdout);
      expect(j.programRoot).to.equal(programRoot(loadElf(new Uint8Array(readFileSync(hello)))));
      expect(j).to.include({ entry: 0x1000, manifestHash: null, manifest: null });
      expect(j.segments).to.deep.equal([{ vaddr: 0x1000, memSize: 48, fileSize: 48, flags: "R-X" }]);
      const mpath = join(dir, "m.json");
      writeFileSync(mpath, '{ "name": "hello", "flags": ["-O2"] }');
      const m = JSON.parse((await cli("program", hello, "--manifest", mpath, "--json")).stdout);
      expect(m.manifestHash).to.equal(manifestHash({ flags: ["-O2"], name: "hello" }));
      expect(m.manifestPath).to.equal(mpath);
    });
    it("finds guest/examples/<name>/manifest.json automatically", async () => {
      const elf = join(root, "guest/examples/echo/echo.elf");
      const j = JSON.parse((await cli("program", elf, "--json")).stdout);
      expect(j.manifestPath).to.equal(join(root, "guest/examples/echo/manifest.json"));
      expect(j.manifestHash).to.equal(manifestHash(j.manifest));
    });
    it("a broken manifest is bad input", async () => {
      const mpath = join(dir, "bad.json");
      writeFileSync(mpath, "[1,2]");
      const r = await cli("program", hello, "--manifest", mpath);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: Invalid program manifest .*bad\.json: top level is an array/);
    });
  });

  describe("bad input (exit 2, no stack trace)", () => {
    const cases: [string, string[], RegExp][] = [
      [
        "missing ELF",
        ["run", join(dir, "nope.elf")],
        /^error: Cannot read ELF file .*nope\.elf: no such file\.\n$/,
      ],
      ["not an ELF", ["run", notElf], /^error: Not an ELF file: magic is 23 21 2f 62/],
      ["64-bit ELF", ["program", elf64], /^error: ELF is 64-bit/],
      ["missing input", ["run", hello, "--input", join(dir, "nope.bin")], /^error: Cannot read input file/],
      [
        "bad --max-steps",
        ["run", hello, "--max-steps", "0"],
        /^error: Invalid --max-steps "0": must be at least 1/,
      ],
      ["unknown option", ["run", hello, "--frobnicate"], /^error: unknown option '--frobnicate'/],
      ["unknown command", ["frobnicate"], /^error: unknown command 'frobnicate'/],
      ["missing argument", ["run"], /^error: missing required argument 'elf'/],
    ];
    for (const [name, args, re] of cases)
      it(name, async () => {
        const r = await cli(...args);
        expect(r.code).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.match(re);
        expect(r.stderr).to.not.match(/\bat .*:\d+:\d+/);
      });
    it("--help and --version exit 0 on stdout", async () => {
      const h = await cli("--help");
      expect(h.code).to.equal(0);
      expect(h.stdout).to.match(/Usage: verdict/);
      expect(h.stdout).to.match(/run \[options\] <elf>/);
      const v = await cli("--version");
      expect(v).to.include({ code: 0, stdout: "0.1.0\n" });
    });
  });

  describe("as a process (node bin/verdict.js)", function () {
    this.timeout(120_000);
    const bin = join(root, "bin/verdict.js");
    const spawn = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });

    it("run --json: one JSON line on stdout, exit 0", () => {
      const r = spawn("run", hello, "--json", "--progress");
      expect(r.status, r.stderr).to.equal(0);
      const j = JSON.parse(r.stdout);
      expect(j).to.include({ status: "EXITED", exitCode: 7, steps: 12 });
    });
    it("malformed ELF: exit 2, one-line error on stderr, nothing on stdout", () => {
      const r = spawn("run", notElf, "--json");
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/^error: Not an ELF file/);
      expect(r.stderr).to.not.match(/\bat .*:\d+:\d+/);
    });
    it("missing file: exit 2", () => {
      const r = spawn("state", join(dir, "nope.elf"), "--step", "1");
      expect(r.status).to.equal(2);
      expect(r.stderr).to.match(/^error: Cannot read ELF file .*: no such file\.\n$/);
    });
    // The reader of stdout is gone before the help is written (`… --help | head -3` when head
    // exits first): the write fails with EPIPE, which must end the process quietly, exit 0.
    for (const [name, env] of [
      ["compiled", {}],
      ["from source", { VERDICT_FROM_SOURCE: "1" }],
    ] as const)
      it(`a closed stdout pipe (EPIPE) exits 0 without a word (${name})`, async () => {
        const child = spawnAsync(process.execPath, [bin, "gov", "rollback", "--help"], {
          cwd: root,
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.destroy();
        let stderr = "";
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
      });
  });
});

// Unit tests of the CLI helpers: count parsing, error-to-exit mapping, JSON
// numbers, printable output detection, file reading errors, progress bar.

import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import { CommanderError } from "commander";
import { bytesToHex } from "viem";
import { BaseError } from "../errors/base.ts";
import { CliFileError, CliUsageError } from "../errors/cli.ts";
import { ElfMachineError } from "../errors/elf.ts";
import { errorExit } from "./errorExit.ts";
import { hex, jsonNumber, printableText, statusName } from "./formatOutput.ts";
import { exitQuietlyOnEpipe } from "./io.ts";
import { parseCount } from "./parseCount.ts";
import { createProgress } from "./progress.ts";
import { readFileArg } from "./readFileArg.ts";

describe("cli helpers", () => {
  describe("parseCount", () => {
    it("accepts decimal, underscores, hex and powers of two", () => {
      expect(parseCount("0", "--step")).to.equal(0n);
      expect(parseCount("1_000_000", "--step")).to.equal(1_000_000n);
      expect(parseCount("0x10", "--step")).to.equal(16n);
      expect(parseCount("2^32", "--step")).to.equal(1n << 32n);
      expect(parseCount(" 2**40 ", "--step")).to.equal(1n << 40n);
      expect(parseCount("18446744073709551615", "--step")).to.equal((1n << 64n) - 1n);
    });
    it("rejects negatives, fractions, garbage, overflow and values below min", () => {
      for (const bad of ["-1", "1.5", "", "abc", "1e6", "0x", "2^", "1__0", "18446744073709551616", "2^64"])
        expect(() => parseCount(bad, "--step"), bad).to.throw(CliUsageError, /--step/);
      expect(() => parseCount("0", "--max-steps", { min: 1n })).to.throw(CliUsageError, /at least 1/);
    });
  });

  describe("errorExit", () => {
    it("typed non-retryable error: exit 2, short message and details, no stack", () => {
      const { exitCode, text } = errorExit(new ElfMachineError({ machine: 62 }));
      expect(exitCode).to.equal(2);
      expect(text).to.match(/^error: ELF machine is 62 \(x86-64\); expected 243 \(RISC-V\)\.\n$/);
      expect(text).to.not.match(/at .*\.ts:\d+/);
      const withDetails = errorExit(
        new BaseError("Bad thing.", { details: "line 1\nline 2", metaMessages: ["Try: x"] }),
      );
      expect(withDetails.text).to.equal("error: Bad thing.\n  Try: x\n  line 1\n  line 2\n");
    });
    it("retryable typed error: exit 1, still no stack", () => {
      const { exitCode, text } = errorExit(new BaseError("RPC timeout.", { retryable: true }));
      expect(exitCode).to.equal(1);
      expect(text).to.equal("error: RPC timeout.\n");
    });
    it("prints a non-system cause, hides a translated system error", () => {
      expect(errorExit(new BaseError("Outer.", { cause: new Error("inner reason") })).text).to.contain(
        "cause: inner reason",
      );
      const sys = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
      expect(
        errorExit(new CliFileError({ what: "ELF file", path: "x", reason: "no such file", cause: sys })).text,
      ).to.equal("error: Cannot read ELF file x: no such file.\n");
    });
    it("commander errors: help/version exit 0, usage exit 2, nothing extra printed", () => {
      expect(errorExit(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"))).to.deep.equal({
        exitCode: 0,
        text: "",
      });
      expect(
        errorExit(new CommanderError(1, "commander.unknownOption", "error: unknown option")).exitCode,
      ).to.equal(2);
    });
    it("unexpected errors are bugs: exit 1 with the stack", () => {
      const { exitCode, text } = errorExit(new TypeError("x is undefined"));
      expect(exitCode).to.equal(1);
      expect(text).to.match(/^error: x is undefined\nTypeError: x is undefined\n\s+at /);
      expect(errorExit("a string").text).to.match(/^error: a string\n/);
    });
  });

  describe("formatting", () => {
    it("jsonNumber keeps safe integers as numbers and the rest as strings", () => {
      expect(jsonNumber(7)).to.equal(7);
      expect(jsonNumber(2 ** 53 - 1)).to.equal(2 ** 53 - 1);
      expect(jsonNumber(2 ** 53)).to.equal("9007199254740992");
      expect(jsonNumber(5n)).to.equal(5);
      expect(jsonNumber((1n << 64n) - 1n)).to.equal("18446744073709551615");
    });
    it("printableText accepts UTF-8 text with tabs and newlines only", () => {
      expect(printableText(new TextEncoder().encode("héllo\tworld\r\n"))).to.equal("héllo\tworld\r\n");
      expect(printableText(new Uint8Array([0x68, 0x00]))).to.equal(null);
      expect(printableText(new Uint8Array([0x1b, 0x5b, 0x32, 0x4a]))).to.equal(null); // ESC [2J
      expect(printableText(new Uint8Array([0xc3]))).to.equal(null); // truncated UTF-8
      expect(printableText(new Uint8Array([0xba, 0x78, 0x16, 0xbf]))).to.equal(null);
    });
    it("hex matches viem's bytesToHex, also for a subarray view", () => {
      const buf = new Uint8Array([0xff, 0x00, 0x0a, 0xbc, 0x01]);
      expect(hex(buf)).to.equal(bytesToHex(buf));
      expect(hex(buf.subarray(1, 3))).to.equal("0x000a");
      expect(hex(new Uint8Array(0))).to.equal("0x");
    });
    it("statusName maps 0..2 and refuses anything else", () => {
      expect([0, 1, 2].map(statusName)).to.deep.equal(["RUNNING", "EXITED", "TRAPPED"]);
      expect(() => statusName(3)).to.throw(RangeError);
    });
  });

  describe("exitQuietlyOnEpipe", () => {
    it("exits 0 on EPIPE and rethrows any other stream error", () => {
      const stream = new EventEmitter();
      const codes: number[] = [];
      exitQuietlyOnEpipe(stream, (c) => codes.push(c));
      stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      expect(codes).to.deep.equal([0]);
      expect(() => stream.emit("error", Object.assign(new Error("nope"), { code: "EIO" }))).to.throw("nope");
      expect(codes).to.deep.equal([0]);
    });
  });

  describe("readFileArg", () => {
    const dir = mkdtempSync(join(tmpdir(), "verdict-cli-"));
    it("reads a file", () => {
      writeFileSync(join(dir, "a.bin"), new Uint8Array([1, 2, 3]));
      expect(Array.from(readFileArg(join(dir, "a.bin"), "input file"))).to.deep.equal([1, 2, 3]);
    });
    it("names the argument and the reason", () => {
      expect(() => readFileArg(join(dir, "missing"), "input file")).to.throw(
        CliFileError,
        /input file .*missing: no such file/,
      );
      expect(() => readFileArg(dir, "ELF file")).to.throw(CliFileError, /is a directory/);
      expect(() => readFileArg(join(dir, "a.bin", "x"), "ELF file")).to.throw(
        CliFileError,
        /not a directory/,
      );
    });
  });

  describe("createProgress", () => {
    function sink(isTTY: boolean) {
      const chunks: string[] = [];
      const stream = new Writable({
        write(c, _e, cb) {
          chunks.push(String(c));
          cb();
        },
      }) as Writable & { isTTY?: boolean };
      stream.isTTY = isTTY;
      return { stream, text: () => chunks.join("") };
    }

    it("stays silent before the delay and on a non-TTY without --progress", () => {
      let t = 0;
      const tty = sink(true);
      const p = createProgress({ stream: tty.stream, totalSteps: 100, now: () => t });
      t = 999;
      p.update(10);
      p.stop();
      expect(p.shown).to.equal(false);
      expect(tty.text()).to.equal("");
      const pipe = sink(false);
      const q = createProgress({ stream: pipe.stream, totalSteps: 100, now: () => t });
      t = 5000;
      q.update(50);
      q.stop();
      expect(q.shown).to.equal(false);
      expect(pipe.text()).to.equal("");
    });

    it("draws after the delay; --progress draws on a non-TTY too", () => {
      let t = 0;
      const pipe = sink(false);
      const p = createProgress({ stream: pipe.stream, totalSteps: 1000, force: true, now: () => t });
      t = 1500;
      p.update(500);
      t = 4000;
      p.update(900);
      p.stop();
      p.stop();
      expect(p.shown).to.equal(true);
      expect(pipe.text()).to.match(/50% of budget \| 500\/1,000/);
      expect(pipe.text()).to.match(/90% of budget \| 900\/1,000/);
    });
  });
});

// A tiny guest for the proposer's tests and benchmark, assembled in place so
// no RISC-V toolchain is needed: sums the input bytes, writes the sum (u32 LE)
// as the output and exits with it. About 6 steps per input byte.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeElfFromWords } from "@verdict/shared/src/elf/writeElf.ts";
import { asm } from "@verdict/shared/src/machine/asm.ts";

const T0 = 5;
const T1 = 6;
const T2 = 7;
const T3 = 28;
const T4 = 29;
const T5 = 30;
const A0 = 10;
const A7 = 17;

export function sumProgramWords(): number[] {
  return [
    ...asm.li(T0, 0x80000000), // 0-1 input region
    asm.lw(T1, T0, 0), // 2 length (low word)
    asm.addi(T2, T0, 32), // 3 payload
    asm.addi(A0, 0, 0), // 4 sum = 0
    asm.beq(T1, 0, 24), // 5 loop: done when length is 0
    asm.lbu(T3, T2, 0), // 6
    asm.add(A0, A0, T3), // 7
    asm.addi(T2, T2, 1), // 8
    asm.addi(T1, T1, -1), // 9
    asm.jal(0, -20), // 10 back to loop
    ...asm.li(T4, 0xc0000000), // 11-12 done: output region
    asm.addi(T5, 0, 4), // 13
    asm.sw(T5, T4, 0), // 14 output length 4
    asm.sw(A0, T4, 32), // 15 output = sum
    asm.addi(A7, 0, 93), // 16 exit
    asm.ecall(), // 17
  ];
}

/** Writes the program as an ELF into `dir` and returns its path. */
export function writeSumProgram(dir: string): string {
  const path = join(dir, "sum.elf");
  writeFileSync(path, writeElfFromWords(sumProgramWords()));
  return path;
}

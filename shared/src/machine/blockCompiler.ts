// Block compiler: translates guest code into JavaScript functions (spec §1.5
// semantics unchanged; see docs/spec.md, "Implementation note: the block
// compiler"). The interpreter (machine.ts) stays the reference.
//
// Unit of translation: a *region*, the code in one aligned 1 KiB window
// (256 instruction slots). Small enough for V8 to optimize every region
// function (large functions are never optimized), large enough that hot loops
// stay inside one. A region is one JS function: the guest registers it uses
// live in locals, its basic blocks are the cases of a `switch` on a dense
// block id inside a loop, so a jump to a known block of the same region is
// `b = id; continue` and never leaves the function.
//
// Exactness: every block starts with `if (n > lim - L) exit` (L = its length),
// then counts L steps at once. A block that would cross the caller's limit is
// never started: the region returns and the caller finishes with the
// interpreter. ECALL and illegal instructions end a block and are always
// executed by the interpreter (halting lives in one place). A misaligned jump
// target leaves the region with that pc; the caller's interpreter traps on it.
//
// Self-modifying code: the words a region was built from are marked in
// PagedMemory (`markCode`); such pages stay on the store slow path, and a
// store into a marked word drops every region of that page and bumps
// `mem.codeEpoch`. Compiled code re-checks the epoch after every slow-path
// store and leaves the region right after that store, so the next instruction
// is translated again from the new memory.
//
// Cache: region functions are content-addressed (window address + the 1 KiB of
// code + the block entry points), shared by every machine in the process, so
// the checkpoint restores of one trace, and every job of one program, reuse
// them. Entry points learnt by one machine (an indirect jump into a window)
// are remembered per content, so later machines compile the fuller region once.

import { decodeInto, OP } from "./decode.ts";
import { keccak256Bytes } from "./keccak.ts";
import type { PagedMemory } from "./memory.ts";

/** log2 of the bytes per region (1 KiB). */
export const REGION_SHIFT = 10;
const REGION_BYTES = 1 << REGION_SHIFT;
const SLOTS = REGION_BYTES >> 2;

/** Why a region function returned (io[1]). */
export const EXIT_JUMP = 0;
/** The next block does not fit below the step limit; pc is its start. */
export const EXIT_LIMIT = 1;
/** pc is an ECALL or an illegal instruction: execute it in the interpreter. */
export const EXIT_INTERPRET = 2;
/** A store hit compiled code; pc is the next instruction. */
export const EXIT_CODE_WRITE = 3;

/**
 * One compiled region. `run(x, mem, io, lim, b)` enters at block `b`
 * (`entry[slot]`, nonzero), executes at most `lim` steps, writes registers
 * back to `x`, the exit pc to io[0] and the reason to io[1], and returns the
 * steps executed.
 */
export type Region = {
  readonly base: number;
  /** Block id per instruction slot (0 = not a block start). */
  readonly entry: Int32Array;
  /** Instruction slots translated (their words are marked as code). */
  readonly words: Uint8Array;
  readonly run: (x: Int32Array, mem: PagedMemory, io: Int32Array, lim: number, b: number) => number;
};

type Factory = (entry: Int32Array, mulhu: (a: number, b: number) => number) => Region["run"];

/** High 32 bits of the unsigned 64-bit product (exact in doubles via 16-bit limbs). */
function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lh = a0 * b1;
  const hl = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (a1 * b1 + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) | 0;
}

// ---- fault injection (tests only) -----------------------------------------

let faultOp = -1;

/**
 * Test hook: translate opcode `op` (decode.ts OP) wrongly (its result is
 * off by one), or `null` to translate correctly again. Clears the cache.
 * Exists so the differential tests can prove they catch a wrong translation.
 */
export function setTranslationFaultForTesting(op: number | null): void {
  faultOp = op ?? -1;
  sources.clear();
  known.clear();
}

/**
 * A fault in the compiler's bookkeeping rather than in one instruction's meaning:
 * - `limit`: a block enters when exactly one step of budget too few is left (overruns the limit by one);
 * - `count`: a block of more than one instruction counts one step too few;
 * - `codeWrite`: a slow-path store that hit compiled code does not leave the region (stale code runs on).
 */
export type StructuralFault = "limit" | "count" | "codeWrite";
let structuralFault: StructuralFault | null = null;

/** Test hook: compile with a bookkeeping fault (see StructuralFault), or `null` for none. Clears the cache. */
export function setStructuralFaultForTesting(fault: StructuralFault | null): void {
  structuralFault = fault;
  sources.clear();
  known.clear();
}

// ---- cache -----------------------------------------------------------------

/** Compiled functions by source text (the source determines the function). */
const sources = new Map<string, Region>();
/** Block entry points learnt per region content (window address + code bytes). */
const known = new Map<string, Set<number>>();
const MAX_CACHED = 8192;

/** Number of distinct compiled regions in the process-wide cache. */
export function compiledRegionCount(): number {
  return sources.size;
}

function contentKey(base: number, code: Uint8Array): string {
  const h = keccak256Bytes(code);
  let s = `${base >>> 0}:`;
  for (let i = 0; i < 16; i++) s += h[i].toString(16).padStart(2, "0");
  return s;
}

/**
 * The region holding `pc` (aligned), compiled with `pc` as a block start.
 * Uses and extends the process-wide cache.
 */
export function compileRegion(mem: PagedMemory, pc: number): Region {
  const base = (pc & ~(REGION_BYTES - 1)) | 0;
  const code = mem.readBytes(base >>> 0, REGION_BYTES);
  const key = contentKey(base, code);
  let seeds = known.get(key);
  if (seeds === undefined) {
    if (known.size >= MAX_CACHED) known.clear();
    seeds = new Set();
    known.set(key, seeds);
  }
  seeds.add((pc & (REGION_BYTES - 1)) >> 2);
  const words = new Int32Array(code.buffer, 0, SLOTS);
  const { source, entry, translated } = translate(base, words, seeds);
  let region = sources.get(source);
  if (region === undefined) {
    if (sources.size >= MAX_CACHED) sources.clear();
    const factory = new Function("entry", "mulhu", source) as Factory;
    region = { base, entry, words: translated, run: factory(entry, mulhu) };
    sources.set(source, region);
  }
  return region;
}

// ---- translation -----------------------------------------------------------

const isTerminator = (op: number) =>
  op === OP.TRAP || op === OP.ECALL || op === OP.JAL || op === OP.JALR || (op >= OP.BEQ && op <= OP.BGEU);

type Translation = { source: string; entry: Int32Array; translated: Uint8Array };

/** Pure: region source text from its words and block starts (slot indices). */
function translate(base: number, words: Int32Array, seeds: ReadonlySet<number>): Translation {
  const dec = new Int32Array(SLOTS * 2);
  for (let i = 0; i < SLOTS; i++) decodeInto(words[i], dec, i * 2);
  const opAt = (i: number) => dec[i * 2] & 0xff;
  const pcAt = (i: number) => (base + i * 4) | 0;
  /** Slot of a jump target inside this region, or -1 (other region or misaligned). */
  const slotOf = (t: number) =>
    (t & ~(REGION_BYTES - 1)) === base && (t & 3) === 0 ? (t & (REGION_BYTES - 1)) >> 2 : -1;

  // Discover blocks reachable from the seeds without leaving the region.
  const leader = new Uint8Array(SLOTS);
  const reached = new Uint8Array(SLOTS);
  const work: number[] = [];
  const addLeader = (i: number) => {
    if (i >= 0 && i < SLOTS && leader[i] === 0) {
      leader[i] = 1;
      work.push(i);
    }
  };
  for (const s of seeds) addLeader(s);
  while (work.length > 0) {
    let i = work.pop() as number;
    for (; i < SLOTS; i++) {
      // Already walked from another leader: everything up to its terminator is known.
      if (reached[i] === 1) break;
      reached[i] = 1;
      const op = opAt(i);
      if (!isTerminator(op)) continue;
      const imm = dec[i * 2 + 1];
      if (op === OP.JAL) addLeader(slotOf((pcAt(i) + imm) | 0));
      else if (op >= OP.BEQ && op <= OP.BGEU) addLeader(slotOf((pcAt(i) + imm) | 0));
      // Fall-through, return point after a call, or the instruction after an ECALL.
      if (op !== OP.TRAP) addLeader(i + 1);
      break;
    }
  }

  const entry = new Int32Array(SLOTS);
  let nb = 0;
  for (let i = 0; i < SLOTS; i++) if (leader[i] === 1) entry[i] = ++nb;

  const regsUsed = new Uint8Array(32);
  const regsWritten = new Uint8Array(32);
  const r = (k: number) => {
    if (k === 0) return "0";
    regsUsed[k] = 1;
    return `r${k}`;
  };
  /** Assignment target for rd, or null for x0 (the write is dropped). */
  const w = (rd: number) => {
    if (rd === 32 || rd === 0) return null;
    regsUsed[rd] = 1;
    regsWritten[rd] = 1;
    return `r${rd}`;
  };
  const fault = (e: string, op: number) => (op === faultOp ? `((${e}) + 1) | 0` : e);

  const out: string[] = [];
  const translated = new Uint8Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) {
    if (leader[s] === 0) continue;
    // Block [s, e): up to a terminator (included unless ECALL/TRAP), the next leader or the end.
    let e = s;
    let last = -1;
    while (e < SLOTS) {
      const op = opAt(e);
      if (op === OP.TRAP || op === OP.ECALL) {
        last = e;
        break;
      }
      e++;
      if (isTerminator(op) || (e < SLOTS && leader[e] === 1)) break;
    }
    const len = e - s;
    out.push(`case ${entry[s]}:`);
    const guard = structuralFault === "limit" && len > 0 ? len - 1 : len;
    out.push(`if (n > lim - ${guard}) { pc = ${pcAt(s)}; why = ${EXIT_LIMIT}; break loop; }`);
    const counted = structuralFault === "count" && len > 1 ? len - 1 : len;
    if (len > 0) out.push(`n = (n + ${counted}) | 0;`);
    let fallsThrough = true;
    for (let i = s; i < e; i++) {
      translated[i] = 1;
      const word = dec[i * 2];
      const op = word & 0xff;
      const rd = (word >> 8) & 63;
      const rs1 = (word >> 16) & 31;
      const rs2 = (word >>> 24) & 31;
      const imm = dec[i * 2 + 1];
      const pc = pcAt(i);
      const next = (pc + 4) | 0;
      /** Leave the region at pc `t`, or continue at its block when it has one here. */
      const goTo = (t: number) => {
        const k = slotOf(t);
        return k >= 0 && leader[k] === 1
          ? `{ b = ${entry[k]}; continue loop; }`
          : `{ pc = ${t}; why = ${EXIT_JUMP}; break loop; }`;
      };
      /** After a slow-path store: leave right after it when it hit compiled code. */
      const afterStore =
        structuralFault === "codeWrite"
          ? ""
          : `if (mem.codeEpoch !== ep) { pc = ${next}; why = ${EXIT_CODE_WRITE}; n = (n - ${e - i - 1}) | 0; break loop; }`;
      const set = (expr: string) => {
        const t = w(rd);
        if (t !== null) out.push(`${t} = ${fault(expr, op)};`);
      };
      const a = r(rs1);
      const b = r(rs2);
      const branch = (cond: string) => {
        out.push(`if (${op === faultOp ? `!(${cond})` : cond}) ${goTo((pc + imm) | 0)}`);
      };
      switch (op) {
        case OP.LUI:
          set(`${imm | 0}`);
          break;
        case OP.AUIPC:
          set(`${(pc + imm) | 0}`);
          break;
        case OP.JAL:
          set(`${next}`);
          out.push(goTo((pc + imm) | 0));
          fallsThrough = false;
          break;
        case OP.JALR: {
          out.push(`t = (${a} + ${imm}) & -2;`);
          set(`${next}`);
          out.push(
            `if ((t & ${~(REGION_BYTES - 1) | 3}) === ${base}) { b = entry[(t & ${REGION_BYTES - 1}) >> 2]; if (b !== 0) continue loop; }`,
          );
          out.push(`pc = t; why = ${EXIT_JUMP}; break loop;`);
          fallsThrough = false;
          break;
        }
        case OP.BEQ:
          branch(`${a} === ${b}`);
          break;
        case OP.BNE:
          branch(`${a} !== ${b}`);
          break;
        case OP.BLT:
          branch(`${a} < ${b}`);
          break;
        case OP.BGE:
          branch(`${a} >= ${b}`);
          break;
        case OP.BLTU:
          branch(`(${a} >>> 0) < (${b} >>> 0)`);
          break;
        case OP.BGEU:
          branch(`(${a} >>> 0) >= (${b} >>> 0)`);
          break;
        case OP.LB:
        case OP.LH:
        case OP.LW:
        case OP.LBU:
        case OP.LHU: {
          if (w(rd) === null) break; // a load into x0 has no effect (memory has no side effects)
          out.push(`t = (${a} + ${imm}) | 0;`);
          if (op === OP.LB) set(`(U8[T[t >>> 12]][t & 4095] << 24) >> 24`);
          else if (op === OP.LBU) set(`U8[T[t >>> 12]][t & 4095]`);
          else if (op === OP.LW) set(`(t & 3) === 0 ? I32[T[t >>> 12]][(t & 4095) >> 2] : mem.load32(t)`);
          else {
            out.push(
              `u = (t & 4095) !== 4095 ? (q = U8[T[t >>> 12]], q[t & 4095] | (q[(t & 4095) + 1] << 8)) : mem.load16(t);`,
            );
            set(op === OP.LH ? "(u << 16) >> 16" : "u");
          }
          break;
        }
        case OP.SB:
          out.push(`t = (${a} + ${imm}) | 0; u = t >>> 12;`);
          out.push(
            `if (W[u] === 1) U8[T[u]][t & 4095] = ${fault(b, op)}; else { mem.store8(t, ${fault(b, op)}); ${afterStore} }`,
          );
          break;
        case OP.SH:
          out.push(`t = (${a} + ${imm}) | 0; u = t >>> 12;`);
          out.push(
            `if (W[u] === 1 && (t & 4095) !== 4095) { q = U8[T[u]]; q[t & 4095] = ${fault(b, op)}; q[(t & 4095) + 1] = ${fault(b, op)} >> 8; } else { mem.store16(t, ${fault(b, op)}); ${afterStore} }`,
          );
          break;
        case OP.SW:
          out.push(`t = (${a} + ${imm}) | 0; u = t >>> 12;`);
          out.push(
            `if ((t & 3) === 0 && W[u] === 1) I32[T[u]][(t & 4095) >> 2] = ${fault(b, op)}; else { mem.store32(t, ${fault(b, op)}); ${afterStore} }`,
          );
          break;
        case OP.ADDI:
          set(`(${a} + ${imm}) | 0`);
          break;
        case OP.SLTI:
          set(`${a} < ${imm} ? 1 : 0`);
          break;
        case OP.SLTIU:
          set(`(${a} >>> 0) < ${imm >>> 0} ? 1 : 0`);
          break;
        case OP.XORI:
          set(`${a} ^ ${imm}`);
          break;
        case OP.ORI:
          set(`${a} | ${imm}`);
          break;
        case OP.ANDI:
          set(`${a} & ${imm}`);
          break;
        case OP.SLLI:
          set(`${a} << ${imm}`);
          break;
        case OP.SRLI:
          set(`(${a} >>> ${imm}) | 0`);
          break;
        case OP.SRAI:
          set(`${a} >> ${imm}`);
          break;
        case OP.ADD:
          set(`(${a} + ${b}) | 0`);
          break;
        case OP.SUB:
          set(`(${a} - ${b}) | 0`);
          break;
        case OP.SLL:
          set(`${a} << ${b}`);
          break;
        case OP.SLT:
          set(`${a} < ${b} ? 1 : 0`);
          break;
        case OP.SLTU:
          set(`(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`);
          break;
        case OP.XOR:
          set(`${a} ^ ${b}`);
          break;
        case OP.SRL:
          set(`(${a} >>> ${b}) | 0`);
          break;
        case OP.SRA:
          set(`${a} >> ${b}`);
          break;
        case OP.OR:
          set(`${a} | ${b}`);
          break;
        case OP.AND:
          set(`${a} & ${b}`);
          break;
        case OP.MUL:
          set(`Math.imul(${a}, ${b})`);
          break;
        case OP.MULH:
          set(`(mulhu(${a}, ${b}) - (${a} < 0 ? ${b} : 0) - (${b} < 0 ? ${a} : 0)) | 0`);
          break;
        case OP.MULHSU:
          set(`(mulhu(${a}, ${b}) - (${a} < 0 ? ${b} : 0)) | 0`);
          break;
        case OP.MULHU:
          set(`mulhu(${a}, ${b})`);
          break;
        case OP.DIV:
          // |0 truncates toward zero; -2^31 / -1 = 2^31 wraps to -2^31 as required.
          set(`${b} === 0 ? -1 : (${a} / ${b}) | 0`);
          break;
        case OP.DIVU:
          set(`${b} === 0 ? -1 : ((${a} >>> 0) / (${b} >>> 0)) | 0`);
          break;
        case OP.REM:
          set(`${b} === 0 ? ${a} : (${a} % ${b}) | 0`);
          break;
        case OP.REMU:
          set(`${b} === 0 ? ${a} : ((${a} >>> 0) % (${b} >>> 0)) | 0`);
          break;
        case OP.FENCE:
          break;
        default:
          throw new Error(`block compiler: no translation for op ${op}`);
      }
    }
    if (last >= 0) {
      // ECALL or illegal instruction: the interpreter executes it.
      out.push(`pc = ${pcAt(last)}; why = ${EXIT_INTERPRET}; break loop;`);
    } else if (fallsThrough && (e >= SLOTS || leader[e] !== 1)) {
      out.push(`pc = ${pcAt(e)}; why = ${EXIT_JUMP}; break loop;`);
    }
    // Otherwise control falls into the next case, the block starting at slot e.
  }

  const decl: string[] = [];
  const back: string[] = [];
  for (let k = 1; k < 32; k++) {
    if (regsUsed[k] === 1) decl.push(`let r${k} = x[${k}];`);
    if (regsWritten[k] === 1) back.push(`x[${k}] = r${k};`);
  }
  const source = `"use strict";
return function region(x, mem, io, lim, b) {
const T = mem.table, U8 = mem.u8, I32 = mem.i32, W = mem.writable, ep = mem.codeEpoch;
${decl.join("\n")}
let n = 0, pc = 0, why = 0, t = 0, u = 0, q = U8[0];
loop: for (;;) {
switch (b) {
${out.join("\n")}
default: throw new Error("block compiler: no block " + b);
}
}
${back.join("\n")}
io[0] = pc; io[1] = why;
return n;
};`;
  return { source, entry, translated };
}

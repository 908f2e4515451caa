// The RV32IM machine: registers, paged Merkle memory and the fast interpreter
// loop (spec §1.5). The loop runs on pre-decoded instructions (decode.ts),
// dispatches with a dense numeric switch, keeps pc/step in locals and never
// allocates; everything rare (misaligned or page-crossing accesses,
// copy-on-write, stores into decoded code) goes through PagedMemory's slow
// path. The one-step reference semantics live in verifyStep.ts; tests check
// both agree.

import type { Hex } from "viem";
import { asm, assemble } from "./asm.ts";
import {
  compileRegion,
  EXIT_INTERPRET,
  EXIT_JUMP,
  EXIT_LIMIT,
  REGION_SHIFT,
  type Region,
} from "./blockCompiler.ts";
import { bytesToHex } from "./bytesToHex.ts";
import type { MachineStatus } from "./constants.ts";
import { ENOSYS_U32, PAGE_SHIFT, STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "./constants.ts";
import { decodeInto } from "./decode.ts";
import { defaultEngine, type ExecutionEngine } from "./engine.ts";
import { keccak256Bytes } from "./keccak.ts";
import { type MemorySnapshot, PagedMemory } from "./memory.ts";
import { encodeState, type MachineState } from "./state.ts";

/** Everything a checkpoint needs to resume the machine (memory shared copy-on-write). */
export type MachineSnapshot = {
  readonly pc: number;
  readonly regs: Int32Array;
  readonly step: number;
  readonly status: MachineStatus;
  readonly exitCode: number;
  readonly memory: MemorySnapshot;
};

const EMPTY_DECODED: Int32Array = new Int32Array(2);
const EMPTY_U8: Uint8Array = new Uint8Array(0);
/** Steps per call of the interpreter loop inside `run` (see there). */
const RUN_CHUNK = 1 << 20;
/** Budgets below this are interpreted (single steps, proofs, short tails). */
const MIN_COMPILED_RUN = 64;
/** Compilations of one region per machine before it is left to the interpreter (bounds the cost of code that keeps rewriting itself). */
const MAX_COMPILES_PER_REGION = 32;
/** Steps interpreted at a time in a region that is no longer compiled. */
const INTERPRET_BURST = 256;
/** Step limit handed to one region call (keeps its counter an int32). */
const MAX_REGION_LIMIT = 2 ** 30;

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

export class Machine {
  /** x0..x31 plus slot 32, the sink for writes to x0 (never read). */
  readonly x = new Int32Array(33);
  /** Address of the next instruction, uint32. */
  pc = 0;
  /** Instructions executed (uint64 in the spec; exact as a double up to 2^53). */
  step = 0;
  status: MachineStatus = STATUS_RUNNING;
  /** uint32. */
  exitCode = 0;
  readonly mem: PagedMemory;
  /** Executor of `run` for budgets of MIN_COMPILED_RUN steps and more (results are identical). */
  engine: ExecutionEngine;
  /** Compiled regions by pc >>> REGION_SHIFT (dropped when a store hits their code). */
  private readonly regions = new Map<number, Region>();
  /** Compilations per region (see MAX_COMPILES_PER_REGION). */
  private readonly compiles = new Map<number, number>();
  /** Steps this machine executed inside compiled regions (a statistic; tests use it to prove the compiled path ran). */
  compiledSteps = 0;
  /** Exit pc and reason of the last region call. */
  private readonly io = new Int32Array(2);

  constructor(mem: PagedMemory = new PagedMemory(), engine: ExecutionEngine = defaultEngine()) {
    this.mem = mem;
    this.engine = engine;
    mem.onCodeWrite = (page) => {
      const per = 1 << (PAGE_SHIFT - REGION_SHIFT);
      for (let k = 0; k < per; k++) this.regions.delete(page * per + k);
    };
  }

  /**
   * The machine of a snapshot. `recycle`: a machine that will never be used
   * again, whose memory arrays the new one takes over (a cheaper restore).
   */
  static fromSnapshot(
    s: MachineSnapshot,
    engine: ExecutionEngine = defaultEngine(),
    recycle?: Machine,
  ): Machine {
    const m = new Machine(PagedMemory.fromSnapshot(s.memory, recycle?.mem), engine);
    m.x.set(s.regs);
    m.pc = s.pc;
    m.step = s.step;
    m.status = s.status;
    m.exitCode = s.exitCode;
    return m;
  }

  /** Copy-on-write snapshot (hashes nothing: page roots are computed when a restore needs them). */
  snapshot(): MachineSnapshot {
    const memory = this.mem.snapshot();
    return {
      pc: this.pc,
      regs: this.x.slice(),
      step: this.step,
      status: this.status,
      exitCode: this.exitCode,
      memory,
    };
  }

  get halted(): boolean {
    return this.status !== STATUS_RUNNING;
  }

  /** Register xi as uint32 (x0 reads 0). */
  reg(i: number): number {
    return i === 0 ? 0 : this.x[i] >>> 0;
  }

  setReg(i: number, value: number): void {
    if (i !== 0) this.x[i] = value;
  }

  /** Current memory root (rehashes dirty pages only). */
  memRoot(): Uint8Array {
    return this.mem.root();
  }

  state(): MachineState {
    const regs: number[] = [];
    for (let i = 1; i < 32; i++) regs.push(this.x[i] >>> 0);
    return {
      memRoot: this.memRoot(),
      pc: this.pc >>> 0,
      regs,
      step: BigInt(this.step),
      status: this.status,
      exitCode: this.exitCode >>> 0,
    };
  }

  /** Packed 173-byte state (spec §1.1). */
  encode(): Uint8Array {
    return encodeState(this.state());
  }

  /** keccak256 of the packed state. */
  stateHash(): Hex {
    return bytesToHex(keccak256Bytes(this.encode()));
  }

  /**
   * Executes up to `maxSteps` instructions; stops early when the machine
   * halts. Returns the number of steps taken (halting steps included).
   * Uses the block compiler when `engine` says so and the budget is not tiny;
   * the resulting state is the interpreter's, to the step.
   */
  run(maxSteps: number): number {
    if (this.engine === "compiled" && maxSteps >= MIN_COMPILED_RUN) return this.runCompiled(maxSteps);
    return this.interpret(maxSteps);
  }

  /**
   * The compiled path: region functions (blockCompiler.ts) run whole blocks;
   * the interpreter takes every step they leave to it (a block that would
   * cross the budget, ECALL, illegal instructions, misaligned pc, regions
   * that recompiled too often).
   */
  private runCompiled(maxSteps: number): number {
    let done = 0;
    const io = this.io;
    const slotMask = (1 << (REGION_SHIFT - 2)) - 1;
    // Whether pc was reached by a jump: only such pcs become new block starts.
    // A run that resumes mid-block (after a step limit, a checkpoint restore)
    // is interpreted up to the next jump instead, so stopping at arbitrary
    // steps neither splits blocks nor forces recompilation.
    let jumped = false;
    while (done < maxSteps && this.status === STATUS_RUNNING) {
      const left = maxSteps - done;
      const pc = this.pc | 0;
      let region: Region | null = null;
      if ((pc & 3) === 0) {
        const have = this.regions.get(pc >>> REGION_SHIFT);
        if (have !== undefined && have.entry[(pc >> 2) & slotMask] !== 0) region = have;
        else if (jumped) region = this.compileAt(pc);
      }
      if (region === null) {
        if ((this.compiles.get(pc >>> REGION_SHIFT) ?? 0) >= MAX_COMPILES_PER_REGION) {
          // A region that keeps rewriting itself: interpreted from now on, in bursts.
          done += this.interpret(Math.min(left, INTERPRET_BURST));
          jumped = false;
        } else {
          done += this.interpret(1);
          jumped = this.pc !== (pc + 4) >>> 0;
        }
        continue;
      }
      const n = region.run(
        this.x,
        this.mem,
        io,
        Math.min(left, MAX_REGION_LIMIT),
        region.entry[(pc >> 2) & slotMask],
      );
      this.step += n;
      this.compiledSteps += n;
      done += n;
      this.pc = io[0] >>> 0;
      const why = io[1];
      jumped = why === EXIT_JUMP;
      if (why === EXIT_LIMIT) done += this.interpret(Math.min(maxSteps - done, 4096));
      else if (why === EXIT_INTERPRET && done < maxSteps) done += this.interpret(1);
    }
    return done;
  }

  /** Compiles the region holding the aligned `pc` with a block starting there, or null when it recompiled too often. */
  private compileAt(pc: number): Region | null {
    const key = pc >>> REGION_SHIFT;
    const c = (this.compiles.get(key) ?? 0) + 1;
    if (c > MAX_COMPILES_PER_REGION) return null;
    this.compiles.set(key, c);
    const r = compileRegion(this.mem, pc);
    this.mem.markCode(r.base >>> 0, r.words);
    this.regions.set(key, r);
    return r;
  }

  /** The reference interpreter for up to `maxSteps` steps. */
  interpret(maxSteps: number): number {
    // Chunks keep each call of the hot loop bounded: V8 then optimizes the loop
    // as a whole function after a few calls instead of running one long
    // on-stack-replaced (OSR) version, which measured slower.
    let done = 0;
    while (done < maxSteps && this.status === STATUS_RUNNING) {
      const want = Math.min(maxSteps - done, RUN_CHUNK);
      const n = this.runChunk(want);
      done += n;
      if (n < want) break;
    }
    return done;
  }

  private runChunk(maxSteps: number): number {
    if (this.status !== STATUS_RUNNING || !(maxSteps > 0)) return 0;
    const x = this.x;
    const mem = this.mem;
    const T = mem.table;
    const U8 = mem.u8;
    const I32 = mem.i32;
    const W = mem.writable;
    let pc = this.pc | 0;
    // pc & 0xFFFFF003 of the page whose decode cache is in `d`; -1 never matches an aligned pc.
    let tag = -1;
    let d = EMPTY_DECODED;
    let n = 0;
    let halt = 0;
    // One-entry data "TLB": the page last loaded from (lp) and the writable page
    // last stored to (sp). Any slow-path store may allocate or copy a page, so it
    // drops lp; a code-page switch may make a page non-writable, so it drops sp.
    let lp = -1;
    let lU8: Uint8Array = EMPTY_U8;
    let lI32: Int32Array = EMPTY_DECODED;
    let sp = -1;
    let sI32: Int32Array = EMPTY_DECODED;
    loop: while (n < maxSteps) {
      if ((pc & 0xfffff003) !== tag) {
        if ((pc & 3) !== 0) {
          halt = STATUS_TRAPPED;
          n++;
          break;
        }
        tag = pc & 0xfffff000;
        d = mem.decodedPage(pc >>> PAGE_SHIFT);
        sp = -1;
      }
      const k = (pc & 0xffc) >> 1;
      const w = d[k];
      const imm = d[k + 1];
      switch (w & 0xff) {
        case 0: // not decoded yet (fresh page, or invalidated by a store): decode, then dispatch again
          decodeInto(I32[T[pc >>> PAGE_SHIFT]][(pc & 0xfff) >> 2], d, k);
          continue;
        case 1: // TRAP
          halt = STATUS_TRAPPED;
          n++;
          break loop;
        case 2: // LUI
          x[(w >> 8) & 63] = imm;
          pc = (pc + 4) | 0;
          break;
        case 3: // AUIPC
          x[(w >> 8) & 63] = pc + imm;
          pc = (pc + 4) | 0;
          break;
        case 4: // JAL
          x[(w >> 8) & 63] = pc + 4;
          pc = (pc + imm) | 0;
          break;
        case 5: {
          // JALR: target before the link write (rd may equal rs1)
          const t = (x[(w >> 16) & 31] + imm) & ~1;
          x[(w >> 8) & 63] = pc + 4;
          pc = t;
          break;
        }
        case 6: // BEQ
          pc = x[(w >> 16) & 31] === x[(w >>> 24) & 31] ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 7: // BNE
          pc = x[(w >> 16) & 31] !== x[(w >>> 24) & 31] ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 8: // BLT
          pc = x[(w >> 16) & 31] < x[(w >>> 24) & 31] ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 9: // BGE
          pc = x[(w >> 16) & 31] >= x[(w >>> 24) & 31] ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 10: // BLTU
          pc = x[(w >> 16) & 31] >>> 0 < x[(w >>> 24) & 31] >>> 0 ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 11: // BGEU
          pc = x[(w >> 16) & 31] >>> 0 >= x[(w >>> 24) & 31] >>> 0 ? (pc + imm) | 0 : (pc + 4) | 0;
          break;
        case 12: {
          // LB
          const a = (x[(w >> 16) & 31] + imm) | 0;
          x[(w >> 8) & 63] = (U8[T[a >>> 12]][a & 0xfff] << 24) >> 24;
          pc = (pc + 4) | 0;
          break;
        }
        case 13: {
          // LH
          const a = (x[(w >> 16) & 31] + imm) | 0;
          const o = a & 0xfff;
          if (o !== 0xfff) {
            const b = U8[T[a >>> 12]];
            x[(w >> 8) & 63] = ((b[o] | (b[o + 1] << 8)) << 16) >> 16;
          } else x[(w >> 8) & 63] = (mem.load16(a) << 16) >> 16;
          pc = (pc + 4) | 0;
          break;
        }
        case 14: {
          // LW
          const a = (x[(w >> 16) & 31] + imm) | 0;
          if ((a & 3) === 0) {
            if (a >>> 12 !== lp) {
              lp = a >>> 12;
              lU8 = U8[T[lp]];
              lI32 = I32[T[lp]];
            }
            x[(w >> 8) & 63] = lI32[(a & 0xfff) >> 2];
          } else x[(w >> 8) & 63] = mem.load32(a);
          pc = (pc + 4) | 0;
          break;
        }
        case 15: {
          // LBU
          const a = (x[(w >> 16) & 31] + imm) | 0;
          if (a >>> 12 !== lp) {
            lp = a >>> 12;
            lU8 = U8[T[lp]];
            lI32 = I32[T[lp]];
          }
          x[(w >> 8) & 63] = lU8[a & 0xfff];
          pc = (pc + 4) | 0;
          break;
        }
        case 16: {
          // LHU
          const a = (x[(w >> 16) & 31] + imm) | 0;
          const o = a & 0xfff;
          if (o !== 0xfff) {
            const b = U8[T[a >>> 12]];
            x[(w >> 8) & 63] = b[o] | (b[o + 1] << 8);
          } else x[(w >> 8) & 63] = mem.load16(a);
          pc = (pc + 4) | 0;
          break;
        }
        case 17: {
          // SB
          const a = (x[(w >> 16) & 31] + imm) | 0;
          const p = a >>> 12;
          if (W[p] === 1) U8[T[p]][a & 0xfff] = x[(w >>> 24) & 31];
          else {
            mem.store8(a, x[(w >>> 24) & 31]);
            lp = -1;
          }
          pc = (pc + 4) | 0;
          break;
        }
        case 18: {
          // SH
          const a = (x[(w >> 16) & 31] + imm) | 0;
          const p = a >>> 12;
          const o = a & 0xfff;
          const v = x[(w >>> 24) & 31];
          if (W[p] === 1 && o !== 0xfff) {
            const b = U8[T[p]];
            b[o] = v;
            b[o + 1] = v >> 8;
          } else {
            mem.store16(a, v);
            lp = -1;
          }
          pc = (pc + 4) | 0;
          break;
        }
        case 19: {
          // SW
          const a = (x[(w >> 16) & 31] + imm) | 0;
          const p = a >>> 12;
          if ((a & 3) === 0 && p === sp) sI32[(a & 0xfff) >> 2] = x[(w >>> 24) & 31];
          else if ((a & 3) === 0 && W[p] === 1) {
            sp = p;
            sI32 = I32[T[p]];
            sI32[(a & 0xfff) >> 2] = x[(w >>> 24) & 31];
          } else {
            mem.store32(a, x[(w >>> 24) & 31]);
            lp = -1;
          }
          pc = (pc + 4) | 0;
          break;
        }
        case 20: // ADDI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] + imm;
          pc = (pc + 4) | 0;
          break;
        case 21: // SLTI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] < imm ? 1 : 0;
          pc = (pc + 4) | 0;
          break;
        case 22: // SLTIU
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >>> 0 < imm >>> 0 ? 1 : 0;
          pc = (pc + 4) | 0;
          break;
        case 23: // XORI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] ^ imm;
          pc = (pc + 4) | 0;
          break;
        case 24: // ORI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] | imm;
          pc = (pc + 4) | 0;
          break;
        case 25: // ANDI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] & imm;
          pc = (pc + 4) | 0;
          break;
        case 26: // SLLI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] << imm;
          pc = (pc + 4) | 0;
          break;
        case 27: // SRLI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >>> imm;
          pc = (pc + 4) | 0;
          break;
        case 28: // SRAI
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >> imm;
          pc = (pc + 4) | 0;
          break;
        case 29: // ADD
          x[(w >> 8) & 63] = x[(w >> 16) & 31] + x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 30: // SUB
          x[(w >> 8) & 63] = x[(w >> 16) & 31] - x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 31: // SLL (JS masks shift amounts to 5 bits, as RISC-V does)
          x[(w >> 8) & 63] = x[(w >> 16) & 31] << x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 32: // SLT
          x[(w >> 8) & 63] = x[(w >> 16) & 31] < x[(w >>> 24) & 31] ? 1 : 0;
          pc = (pc + 4) | 0;
          break;
        case 33: // SLTU
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >>> 0 < x[(w >>> 24) & 31] >>> 0 ? 1 : 0;
          pc = (pc + 4) | 0;
          break;
        case 34: // XOR
          x[(w >> 8) & 63] = x[(w >> 16) & 31] ^ x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 35: // SRL
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >>> x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 36: // SRA
          x[(w >> 8) & 63] = x[(w >> 16) & 31] >> x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 37: // OR
          x[(w >> 8) & 63] = x[(w >> 16) & 31] | x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 38: // AND
          x[(w >> 8) & 63] = x[(w >> 16) & 31] & x[(w >>> 24) & 31];
          pc = (pc + 4) | 0;
          break;
        case 39: // MUL
          x[(w >> 8) & 63] = Math.imul(x[(w >> 16) & 31], x[(w >>> 24) & 31]);
          pc = (pc + 4) | 0;
          break;
        case 40: {
          // MULH: unsigned high word corrected for negative operands
          const a = x[(w >> 16) & 31];
          const b = x[(w >>> 24) & 31];
          x[(w >> 8) & 63] = mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0);
          pc = (pc + 4) | 0;
          break;
        }
        case 41: {
          // MULHSU: rs1 signed, rs2 unsigned
          const a = x[(w >> 16) & 31];
          const b = x[(w >>> 24) & 31];
          x[(w >> 8) & 63] = mulhu(a, b) - (a < 0 ? b : 0);
          pc = (pc + 4) | 0;
          break;
        }
        case 42: // MULHU
          x[(w >> 8) & 63] = mulhu(x[(w >> 16) & 31], x[(w >>> 24) & 31]);
          pc = (pc + 4) | 0;
          break;
        case 43: {
          // DIV: |0 truncates toward zero; -2^31 / -1 = 2^31 wraps to -2^31 as required
          const b = x[(w >>> 24) & 31];
          x[(w >> 8) & 63] = b === 0 ? -1 : x[(w >> 16) & 31] / b;
          pc = (pc + 4) | 0;
          break;
        }
        case 44: {
          // DIVU
          const b = x[(w >>> 24) & 31] >>> 0;
          x[(w >> 8) & 63] = b === 0 ? -1 : (x[(w >> 16) & 31] >>> 0) / b;
          pc = (pc + 4) | 0;
          break;
        }
        case 45: {
          // REM: JS % has the dividend's sign, as RISC-V; -2^31 % -1 = -0 -> 0
          const a = x[(w >> 16) & 31];
          const b = x[(w >>> 24) & 31];
          x[(w >> 8) & 63] = b === 0 ? a : a % b;
          pc = (pc + 4) | 0;
          break;
        }
        case 46: {
          // REMU
          const a = x[(w >> 16) & 31] >>> 0;
          const b = x[(w >>> 24) & 31] >>> 0;
          x[(w >> 8) & 63] = b === 0 ? a : a % b;
          pc = (pc + 4) | 0;
          break;
        }
        case 47: // FENCE, FENCE.I
          pc = (pc + 4) | 0;
          break;
        case 48: {
          // ECALL
          const a7 = x[17];
          if (a7 === 93 || a7 === 94) {
            halt = STATUS_EXITED;
            n++;
            break loop;
          }
          x[10] = ENOSYS_U32;
          pc = (pc + 4) | 0;
          break;
        }
      }
      n++;
    }
    this.pc = pc >>> 0;
    this.step += n;
    if (halt === STATUS_EXITED) {
      this.status = STATUS_EXITED;
      this.exitCode = x[10] >>> 0;
    } else if (halt === STATUS_TRAPPED) {
      this.status = STATUS_TRAPPED;
    }
    return n;
  }
}

/**
 * Executes every instruction, slow path and exit path of `run` once at module
 * load, while V8 still interprets it, so the optimized loop has type feedback
 * everywhere. Without this, Node 20's V8 compiles the loop on-stack (OSR)
 * before the loop exit has ever run, then deoptimizes at that exit on every
 * call and keeps reusing the stale OSR code: runs in 2^20-step chunks
 * (checkpoints) went at half speed.
 */
function warmUp(): void {
  const prog = [
    asm.li(2, 0x10000),
    asm.li(1, 0x10fff),
    asm.li(5, 0x20000),
    asm.li(17, 64),
    asm.lui(3, 0x12345),
    asm.auipc(4, 0),
    asm.jalr(6, 4, 8),
    asm.jal(6, 4),
    asm.beq(0, 0, 4),
    asm.bne(0, 0, 4),
    asm.blt(0, 3, 4),
    asm.bge(0, 3, 4),
    asm.bltu(0, 3, 4),
    asm.bgeu(0, 3, 4),
    asm.lb(7, 2, 0),
    asm.lh(7, 2, 0),
    asm.lw(7, 2, 0),
    asm.lbu(7, 2, 0),
    asm.lhu(7, 2, 0),
    asm.lw(7, 2, 1),
    asm.lh(7, 1, 0),
    asm.lhu(7, 1, 0),
    asm.sb(3, 2, 0),
    asm.sh(3, 2, 0),
    asm.sw(3, 2, 0),
    asm.sw(3, 2, 4),
    asm.sb(3, 2, 5),
    asm.sh(3, 2, 6),
    asm.lw(7, 2, 0),
    asm.lbu(7, 2, 1),
    asm.sw(3, 2, 1),
    asm.sh(3, 1, 0),
    asm.sb(3, 5, 0),
    asm.sh(3, 5, 2),
    asm.sw(3, 5, 4),
    asm.sw(0, 0, 0x7fc), // store into the code page (decode invalidation path)
    asm.addi(8, 3, -1),
    asm.slti(8, 3, 5),
    asm.sltiu(8, 3, 5),
    asm.xori(8, 3, 5),
    asm.ori(8, 3, 5),
    asm.andi(8, 3, 5),
    asm.slli(8, 3, 5),
    asm.srli(8, 3, 5),
    asm.srai(8, 3, 5),
    asm.add(8, 3, 7),
    asm.sub(8, 3, 7),
    asm.sll(8, 3, 7),
    asm.slt(8, 3, 7),
    asm.sltu(8, 3, 7),
    asm.xor(8, 3, 7),
    asm.srl(8, 3, 7),
    asm.sra(8, 3, 7),
    asm.or(8, 3, 7),
    asm.and(8, 3, 7),
    asm.mul(8, 3, 7),
    asm.mulh(8, 3, 7),
    asm.mulhsu(8, 3, 7),
    asm.mulhu(8, 3, 7),
    asm.div(8, 3, 7),
    asm.divu(8, 3, 7),
    asm.rem(8, 3, 7),
    asm.remu(8, 3, 7),
    asm.div(8, 3, 0),
    asm.divu(8, 3, 0),
    asm.rem(8, 3, 0),
    asm.remu(8, 3, 0),
    asm.fence(),
    asm.ecall(),
    asm.li(17, 93),
    asm.ecall(),
  ];
  const load = (words: readonly (number | readonly number[])[]): Machine => {
    const m = new Machine(new PagedMemory(), "interpreter");
    m.mem.writeBytes(0x1000, assemble(words));
    m.pc = 0x1000;
    return m;
  };
  for (let k = 0; k < 2; k++) {
    const m = load(prog);
    m.run(7); // budget exit
    m.run(2 ** 40); // ECALL exit (a budget that is not a small integer, as callers pass)
    load([0]).run(10); // illegal-instruction trap
    load([asm.jal(0, 2)]).run(10); // misaligned-pc trap
  }
}
warmUp();

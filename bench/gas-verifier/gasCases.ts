// One realistic step per instruction class for the verifier gas table: the
// sha256 example guest is run to the middle of its work (code, data, stack and
// input pages populated, so proofs carry the sibling counts a real dispute
// has), then the instruction at pc is replaced by the class's instruction with
// operands aimed at real memory (the stack for loads and stores).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadElf } from "../../shared/src/elf/loadElf.ts";
import { asm } from "../../shared/src/machine/asm.ts";
import { createMachine } from "../../shared/src/machine/createMachine.ts";
import { Machine } from "../../shared/src/machine/machine.ts";
import { generateStepProof } from "../../shared/src/machine/stepProof.ts";
import { type StepVector, VectorKind, VectorTag } from "../../shared/src/vectors/format.ts";

export type GasCase = { name: string; vector: StepVector; crossing: boolean };

const SP = 2;

/** The classes of the gas table, in its order. */
export function gasCases(repoRoot: string, warmupSteps = 20_000): GasCase[] {
  const elf = join(repoRoot, "guest/examples/sha256/sha256.elf");
  const input = new Uint8Array(1024).map((_, k) => (k * 131 + 7) & 0xff);
  const base = createMachine(loadElf(new Uint8Array(readFileSync(elf))), input);
  base.run(warmupSteps);
  if (base.halted) throw new Error(`sha256 guest halted within ${warmupSteps} steps`);
  const snap = base.snapshot();

  const make = (
    name: string,
    tag: VectorTag,
    word: number,
    setup: (m: Machine) => void = () => {},
    crossing = false,
  ): GasCase => {
    const m = Machine.fromSnapshot(snap);
    setup(m);
    m.mem.store32(m.pc | 0, word | 0);
    const d = generateStepProof(m);
    return {
      name,
      crossing,
      vector: {
        kind: VectorKind.Post,
        tag,
        preState: d.preState,
        proof: d.proof,
        postStateHash: Uint8Array.from(Buffer.from(d.postStateHash.slice(2), "hex")),
      },
    };
  };
  const sp = (m: Machine) => m.reg(SP);
  return [
    make("ALU (add)", VectorTag.Alu, asm.add(10, 11, 12), (m) => {
      m.setReg(11, 0x12345678);
      m.setReg(12, 0x0fedcba9);
    }),
    make("MUL/DIV (divu)", VectorTag.MulDiv, asm.divu(10, 11, 12), (m) => {
      m.setReg(11, 0xfedcba98 | 0);
      m.setReg(12, 12345);
    }),
    make("branch (bne, taken)", VectorTag.Branch, asm.bne(11, 12, -64), (m) => {
      m.setReg(11, 1);
      m.setReg(12, 2);
    }),
    make("JAL", VectorTag.Jal, asm.jal(1, 2048)),
    make("JALR", VectorTag.Jalr, asm.jalr(1, 11, 16), (m) => m.setReg(11, m.pc + 0x100)),
    make("aligned load (lw, stack)", VectorTag.Load, asm.lw(10, SP, 8)),
    make("aligned store (sw, stack)", VectorTag.Store, asm.sw(10, SP, 8), (m) =>
      m.setReg(10, 0xdeadbeef | 0),
    ),
    make(
      "misaligned store across two leaves (sw)",
      VectorTag.StoreCross,
      asm.sw(10, 11, 0),
      (m) => {
        m.setReg(10, 0xdeadbeef | 0);
        m.setReg(11, ((sp(m) & ~31) - 32 + 30) | 0);
      },
      true,
    ),
    make(
      "misaligned load across two leaves (lw)",
      VectorTag.LoadCross,
      asm.lw(10, 11, 0),
      (m) => m.setReg(11, ((sp(m) & ~31) - 32 + 29) | 0),
      true,
    ),
    make("ECALL exit", VectorTag.EcallExit, asm.ecall(), (m) => {
      m.setReg(17, 93);
      m.setReg(10, 0);
    }),
    make("trap (invalid encoding)", VectorTag.InvalidEncoding, 0x00000000),
  ];
}

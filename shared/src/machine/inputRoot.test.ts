import { expect } from "chai";
import { bytesToHex } from "viem";
import { asm, imageFromWords } from "./asm.ts";
import {
  createMachine,
  initialState,
  initialStateHash,
  outputBytes,
  outputRoot,
  programRoot,
} from "./createMachine.ts";
import { MachineInputError, NoOutputError } from "./errors.ts";
import { initialMemRoot, inputRoot, inputRootBytes, subtreeRoot } from "./inputRoot.ts";
import { decodeState } from "./state.ts";
import { zeroHashes } from "./zeroHashes.ts";

describe("input root and initial memory root (spec §1.3)", () => {
  it("matches the machine's input subtree for many lengths", () => {
    const image = imageFromWords([asm.nop()]);
    for (const n of [0, 1, 31, 32, 33, 63, 64, 65, 100, 4064, 4065, 10000]) {
      const input = new Uint8Array(n).map((_, i) => (i * 7 + 1) & 0xff);
      const m = createMachine(image, input);
      m.memRoot();
      expect(inputRoot(input), `length ${n}`).to.equal(bytesToHex(m.mem.upperNode(25, 2)));
    }
  });
  it("initial memRoot = H(programRoot, H(inputRoot, Z25)) and the initial state is pc = entry, all else zero", () => {
    const image = imageFromWords([asm.addi(1, 1, 1), asm.ecall()], 0x2000);
    const input = new TextEncoder().encode("hello");
    const m = createMachine(image, input);
    const s = decodeState(m.encode());
    const pr = Uint8Array.from(Buffer.from(programRoot(image).slice(2), "hex"));
    expect(s.memRoot).to.deep.equal(initialMemRoot(pr, inputRootBytes(input)));
    expect(s.pc).to.equal(0x2000);
    expect(s.regs.every((r) => r === 0)).to.equal(true);
    expect(s.step).to.equal(0n);
    expect(s.status).to.equal(0);
    expect(outputRoot(m)).to.equal(bytesToHex(zeroHashes[25]));
    expect(initialState(image, input)).to.deep.equal(m.encode());
    expect(initialStateHash(image, input)).to.equal(m.stateHash());
  });
  it("empty input still has its header leaf (length 0) = Z25", () => {
    // le64(0) ‖ 0^24 is an all-zero leaf, so the empty input's root is Z25.
    expect(inputRootBytes(new Uint8Array(0))).to.deep.equal(zeroHashes[25]);
    expect(subtreeRoot(new Uint8Array(0), 3)).to.deep.equal(zeroHashes[3]);
  });
  it("reads output bytes only from a region that is their exact image (§1.2)", () => {
    const m = createMachine(imageFromWords([asm.nop()]));
    m.mem.store32(0xc0000000 | 0, 3);
    m.mem.writeBytes(0xc0000020, new Uint8Array([9, 8, 7]));
    expect(Array.from(outputBytes(m))).to.deep.equal([9, 8, 7]);
    // The output root is then the root publishOutput recomputes from the bytes.
    expect(outputRoot(m)).to.equal(inputRoot(new Uint8Array([9, 8, 7])));
    // A nonzero byte after the payload: no byte string has this region as its image.
    m.mem.store8(0xc0000023 | 0, 6);
    expect(() => outputBytes(m)).to.throw(NoOutputError, /after the 3-byte payload/);
    m.mem.store8(0xc0000023 | 0, 0);
    // Far after the payload counts too, up to the last byte of the region.
    m.mem.store8(0xffffffff | 0, 1);
    expect(() => outputBytes(m)).to.throw(NoOutputError);
    m.mem.store8(0xffffffff | 0, 0);
    // Header bytes 8..31 must be zero.
    for (const at of [8, 31]) {
      m.mem.store8((0xc0000000 + at) | 0, 1);
      expect(() => outputBytes(m), `header byte ${at}`).to.throw(NoOutputError);
      m.mem.store8((0xc0000000 + at) | 0, 0);
    }
    expect(Array.from(outputBytes(m))).to.deep.equal([9, 8, 7]);
    // A length beyond the region (2^30 - 32 bytes) is no output; within it but above the
    // reader's limit is a local refusal, not a verdict on the output.
    m.mem.store32(0xc0000004 | 0, 1);
    expect(() => outputBytes(m)).to.throw(NoOutputError, /more than the region/);
    m.mem.store32(0xc0000004 | 0, 0);
    m.mem.store32(0xc0000000 | 0, 2 ** 30 - 31);
    expect(() => outputBytes(m)).to.throw(NoOutputError, /more than the region/);
    m.mem.store32(0xc0000000 | 0, 2 ** 20);
    expect(() => outputBytes(m, 1024)).to.throw(MachineInputError, /reader's limit/);
    // Empty output: all-zero region.
    const e = createMachine(imageFromWords([asm.nop()]));
    expect(outputBytes(e).length).to.equal(0);
  });
  it("rejects segments outside the program region", () => {
    const bad = {
      entry: 0,
      segments: [{ vaddr: 0x7ffffff0, data: new Uint8Array(32), memSize: 32, flags: 5 }],
    };
    expect(() => createMachine(bad)).to.throw(MachineInputError);
  });
});

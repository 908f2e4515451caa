// Builds the machine at step 0 of a job (spec §1.7): program image loaded into
// the program region, input region header + bytes, pc = entry, registers 0.

import type { Hex } from "viem";
import type { ProgramImage } from "../elf/types.ts";
import { bytesToHex } from "./bytesToHex.ts";
import { INPUT_BASE, IO_HEADER_SIZE, IO_REGION_SIZE, OUTPUT_BASE } from "./constants.ts";
import { MachineInputError, NoOutputError } from "./errors.ts";
import { IO_REGION_HEIGHT, ioRegionBytes, subtreeRoot } from "./inputRoot.ts";
import { Machine } from "./machine.ts";

/** A machine at step 0 of the job (image, input). */
export function createMachine(image: ProgramImage, input: Uint8Array = new Uint8Array(0)): Machine {
  if (!Number.isInteger(image.entry) || image.entry < 0 || image.entry > 0xffffffff)
    throw new MachineInputError(`Entry point ${image.entry} is not a uint32.`);
  const m = new Machine();
  for (const seg of image.segments) {
    const end = seg.vaddr + seg.memSize;
    if (!Number.isInteger(seg.vaddr) || seg.vaddr < 0 || seg.memSize < seg.data.length || end > INPUT_BASE)
      throw new MachineInputError(
        `Segment at 0x${seg.vaddr.toString(16)} (${seg.memSize} bytes) is not inside the program region.`,
        "Loadable segments must lie in [0, 0x80000000) with memSize >= file size.",
      );
    m.mem.writeBytes(seg.vaddr, seg.data);
  }
  m.mem.writeBytes(INPUT_BASE, ioRegionBytes(input));
  m.pc = image.entry >>> 0;
  return m;
}

/** Packed initial state (173 bytes, spec §1.1) of the job (image, input). */
export function initialState(image: ProgramImage, input: Uint8Array = new Uint8Array(0)): Uint8Array {
  return createMachine(image, input).encode();
}

/** State hash T(0) of the job (image, input). */
export function initialStateHash(image: ProgramImage, input: Uint8Array = new Uint8Array(0)): Hex {
  return createMachine(image, input).stateHash();
}

/** Root of the program region after loading `image` (height-26 node 0). */
export function programRoot(image: ProgramImage): Hex {
  const m = createMachine({ ...image }, new Uint8Array(0));
  m.memRoot();
  return bytesToHex(m.mem.upperNode(26, 0));
}

/** Output root: height-25 node 3 of the machine's memory tree. */
export function outputRoot(m: Machine): Hex {
  m.memRoot();
  return bytesToHex(m.mem.upperNode(IO_REGION_HEIGHT, 3));
}

/**
 * The output bytes of a (final) machine state (spec §1.2): the byte string b
 * whose region image le64(len(b)) ‖ 0^24 ‖ b, zero after, is exactly the
 * output subtree, i.e. the b with inputRoot-style root equal to the output
 * root, which is what `Outputs.publishOutput` checks onchain. Throws
 * NoOutputError when no such b exists (length beyond the region, nonzero
 * header bytes 8..31, nonzero bytes after the payload), and MachineInputError
 * when the length is within the region but above this reader's `maxBytes`
 * (default 64 MiB), rather than allocating a huge buffer.
 */
export function outputBytes(m: Machine, maxBytes = 1 << 26): Uint8Array {
  const lo = m.mem.load32(OUTPUT_BASE | 0) >>> 0;
  const hi = m.mem.load32((OUTPUT_BASE + 4) | 0) >>> 0;
  const len = hi * 2 ** 32 + lo;
  const capacity = IO_REGION_SIZE - IO_HEADER_SIZE;
  if (len > capacity)
    throw new NoOutputError(`the header claims ${len} bytes, more than the region's ${capacity}`);
  if (len > maxBytes)
    throw new MachineInputError(
      `Output header claims ${len} bytes, more than this reader's limit of ${maxBytes}.`,
      "Raise maxBytes to read it; the output itself is well within the region.",
    );
  const out = m.mem.readBytes(OUTPUT_BASE + IO_HEADER_SIZE, len);
  // One root comparison covers header bytes 8..31 and every byte after the payload.
  m.memRoot();
  const canonical = subtreeRoot(ioRegionBytes(out), IO_REGION_HEIGHT);
  const actual = m.mem.upperNode(IO_REGION_HEIGHT, 3);
  for (let k = 0; k < 32; k++)
    if (canonical[k] !== actual[k])
      throw new NoOutputError(
        `header bytes 8..31 or bytes after the ${len}-byte payload are not zero, so no byte string has this region as its image`,
      );
  return out;
}

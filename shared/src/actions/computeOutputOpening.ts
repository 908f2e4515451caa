// computeOutputOpening: executes a job locally to its final state (2^D steps,
// a halted machine steps to itself) and returns what Outputs.openOutput needs:
// the packed final state, the program and input subroots, the output root, and
// the output bytes publishOutput checks against it. Pure: no chain access.

import { bytesToHex, type Hex, hexToBytes } from "viem";
import { loadElf } from "../elf/loadElf.ts";
import { createMachine, outputBytes, outputRoot } from "../machine/createMachine.ts";
import { IO_REGION_HEIGHT } from "../machine/inputRoot.ts";

export type ComputeOutputOpeningParameters = {
  elf: Uint8Array;
  input: Hex | Uint8Array;
  /** The program's trace exponent D. */
  depth: number;
};

export type OutputOpening = {
  stateData: Hex;
  stateHash: Hex;
  programSubroot: Hex;
  inputSubroot: Hex;
  outputRoot: Hex;
  /** The output bytes, null when the output region holds none (NoOutputError). */
  output: Hex | null;
  halted: boolean;
};
export type ComputeOutputOpeningReturnType = OutputOpening;
export type ComputeOutputOpeningErrorType = Error;

/** Height of the program region's subtree (2^31 bytes of 32-byte leaves). */
const PROGRAM_REGION_HEIGHT = 26;

export function computeOutputOpening(p: ComputeOutputOpeningParameters): ComputeOutputOpeningReturnType {
  const input = typeof p.input === "string" ? hexToBytes(p.input) : p.input;
  const m = createMachine(loadElf(p.elf), input);
  let budget = 2 ** p.depth;
  while (budget > 0 && !m.halted) {
    const n = m.run(Math.min(budget, 1 << 24));
    if (n === 0) break;
    budget -= n;
  }
  m.memRoot();
  let output: Hex | null = null;
  try {
    output = bytesToHex(outputBytes(m));
  } catch {
    // no well-formed output in the region: the root can be opened, no bytes published
  }
  return {
    stateData: bytesToHex(m.encode()),
    stateHash: m.stateHash(),
    programSubroot: bytesToHex(m.mem.upperNode(PROGRAM_REGION_HEIGHT, 0)),
    inputSubroot: bytesToHex(m.mem.upperNode(IO_REGION_HEIGHT, 2)),
    outputRoot: outputRoot(m),
    output,
    halted: m.halted,
  };
}

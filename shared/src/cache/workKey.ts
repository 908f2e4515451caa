// The content address of a piece of work: what a job's execution depends on
// and nothing else. Two jobs with the same machine version, program (root and
// entry), input root and trace exponent D run the same trace, whatever their
// job ids, chains or submitters; both daemons key their caches and in-flight
// runs by this, so such jobs are executed once.

import { encodeAbiParameters, type Hex, isHex, keccak256, size, stringToHex } from "viem";
import { WorkKeyError } from "./errors.ts";

/** Everything a job's trace depends on. */
export type WorkContent = {
  /** Version of the machine semantics (machine/constants.ts MACHINE_VERSION). */
  machineVersion: number | bigint;
  /** Root of the program region after loading the image (machine/createMachine.ts programRoot). */
  programRoot: Hex;
  /** Entry point, uint32 (an int32 reading of the same bits is accepted). */
  entry: number;
  /** Root of the input region (machine/inputRoot.ts inputRoot). */
  inputRoot: Hex;
  /** Trace exponent D: the trace is T(0..2^D). */
  depth: number;
};

/** keccak256 of the domain tag and the ABI-encoded content; lowercase hex. */
export type WorkKey = Hex;

export type WorkKeyErrorType = WorkKeyError & { name: "WorkKeyError" };

const DOMAIN = stringToHex("verdict/work/v1", { size: 32 });

function bytes32(what: string, v: Hex): Hex {
  if (!isHex(v, { strict: true }) || size(v) !== 32)
    throw new WorkKeyError(`${what} ${v} is not 32 bytes of hex`);
  return v;
}

export function workKey({ machineVersion, programRoot, entry, inputRoot, depth }: WorkContent): WorkKey {
  const version = BigInt(machineVersion);
  if (version < 0n) throw new WorkKeyError(`machine version ${machineVersion} is negative`);
  if (!Number.isInteger(entry) || entry < -(2 ** 31) || entry >= 2 ** 32)
    throw new WorkKeyError(`entry ${entry} is not a uint32`);
  if (!Number.isInteger(depth) || depth < 0 || depth > 53)
    throw new WorkKeyError(`depth ${depth} is not an integer in [0, 53]`);
  return keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "uint256" },
        { type: "bytes32" },
        { type: "uint32" },
        { type: "bytes32" },
        { type: "uint8" },
      ],
      [
        DOMAIN,
        version,
        bytes32("program root", programRoot),
        entry >>> 0,
        bytes32("input root", inputRoot),
        depth,
      ],
    ),
  );
}

// Binary format of the one-step test vectors (docs/spec.md §1.8), shared by the
// generator, the anvil replay and the forge replay (RV32IMVectors.t.sol):
//
//   file   = magic "VDV1" ‖ uint32 count ‖ record*count
//   record = uint8 kind ‖ uint8 tag ‖ uint16 stateLen ‖ state ‖ uint32 proofLen ‖ proof
//            ‖ bytes32 postStateHash        (present only when kind = 0)
//
// Integers big-endian. kind 0: step(state, proof) must return postStateHash;
// kind 1: step(state, proof) must revert. `tag` says which case class the
// vector exercises (VectorTag), for statistics and the gas table only.

import { BaseError } from "../errors/base.ts";

export const VECTOR_MAGIC = "VDV1";

export const VectorKind = { Post: 0, Revert: 1 } as const;
export type VectorKind = (typeof VectorKind)[keyof typeof VectorKind];

/** Case classes; the numbers are part of the file format. */
export const VectorTag = {
  Alu: 1,
  MulDiv: 2,
  AluImm: 3,
  Upper: 4,
  Jal: 5,
  Jalr: 6,
  Branch: 7,
  Load: 8,
  LoadCross: 9,
  Store: 10,
  StoreCross: 11,
  EcallExit: 12,
  EcallOther: 13,
  Fence: 14,
  InvalidEncoding: 15,
  RandomWord: 16,
  Halted: 17,
  MisalignedPc: 18,
  BadInput: 19,
  Guest: 20,
  /** A named rule vector (ruleVectors.ts; names in the manifest). */
  Rule: 21,
} as const;
export type VectorTag = (typeof VectorTag)[keyof typeof VectorTag];

export const vectorTagName: Record<number, string> = Object.fromEntries(
  Object.entries(VectorTag).map(([k, v]) => [v, k]),
);

export type StepVector = {
  kind: VectorKind;
  tag: VectorTag;
  preState: Uint8Array;
  proof: Uint8Array;
  /** 32 bytes for kind 0, empty for kind 1. */
  postStateHash: Uint8Array;
};

export type VectorFormatErrorType = VectorFormatError & { name: "VectorFormatError" };
export class VectorFormatError extends BaseError {
  override name = "VectorFormatError";
  constructor(details: string) {
    super("Malformed test vector file.", { details });
  }
}

/** Bytes of one encoded record. */
export function vectorSize(v: StepVector): number {
  return 1 + 1 + 2 + v.preState.length + 4 + v.proof.length + (v.kind === VectorKind.Post ? 32 : 0);
}

/** Encodes vectors into the file format. */
export function encodeVectors(vectors: readonly StepVector[]): Uint8Array {
  let size = 8;
  for (const v of vectors) size += vectorSize(v);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[k] = VECTOR_MAGIC.charCodeAt(k);
  view.setUint32(4, vectors.length);
  let o = 8;
  for (const v of vectors) {
    if (v.preState.length > 0xffff) throw new VectorFormatError(`state of ${v.preState.length} bytes`);
    if (v.kind === VectorKind.Post && v.postStateHash.length !== 32)
      throw new VectorFormatError(`post-state hash of ${v.postStateHash.length} bytes`);
    out[o] = v.kind;
    out[o + 1] = v.tag;
    view.setUint16(o + 2, v.preState.length);
    out.set(v.preState, o + 4);
    o += 4 + v.preState.length;
    view.setUint32(o, v.proof.length);
    out.set(v.proof, o + 4);
    o += 4 + v.proof.length;
    if (v.kind === VectorKind.Post) {
      out.set(v.postStateHash, o);
      o += 32;
    }
  }
  return out;
}

/** Decodes a vector file; throws VectorFormatError on any inconsistency. */
export function decodeVectors(bytes: Uint8Array): StepVector[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (o: number, n: number) => {
    if (o + n > bytes.length) throw new VectorFormatError(`record truncated at byte ${o} (need ${n} more)`);
  };
  need(0, 8);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== VECTOR_MAGIC) throw new VectorFormatError(`magic "${magic}", expected "${VECTOR_MAGIC}"`);
  const count = view.getUint32(4);
  const out: StepVector[] = [];
  let o = 8;
  for (let k = 0; k < count; k++) {
    need(o, 4);
    const kind = bytes[o] as VectorKind;
    if (kind !== VectorKind.Post && kind !== VectorKind.Revert)
      throw new VectorFormatError(`record ${k}: kind ${kind}`);
    const tag = bytes[o + 1] as VectorTag;
    const stateLen = view.getUint16(o + 2);
    o += 4;
    need(o, stateLen + 4);
    const preState = bytes.slice(o, o + stateLen);
    o += stateLen;
    const proofLen = view.getUint32(o);
    o += 4;
    need(o, proofLen);
    const proof = bytes.slice(o, o + proofLen);
    o += proofLen;
    let postStateHash = new Uint8Array(0);
    if (kind === VectorKind.Post) {
      need(o, 32);
      postStateHash = bytes.slice(o, o + 32);
      o += 32;
    }
    out.push({ kind, tag, preState, proof, postStateHash });
  }
  if (o !== bytes.length)
    throw new VectorFormatError(`${bytes.length - o} trailing bytes after ${count} records`);
  return out;
}

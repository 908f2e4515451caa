// Byte encoding of a trace's checkpoint set (trace.ts TraceCheckpoints), so a
// daemon can keep it on disk and answer game queries after a restart without
// running the job again. Page buffers shared between checkpoints are written
// once. Little-endian throughout:
//
//   magic "VTCK" | u32 version = 2 | u32 depth | f64 interval | f64 steps
//   | bytes32 final state hash | u32 pages | u32 snapshots
//   | pages × (4096 page bytes, bytes32 page root or 32 zero bytes: not known)
//   | snapshots × (i32 pc, 33 × i32 registers (x0..x31 and the x0 sink),
//                  f64 step, u32 status, u32 exit code, u32 n,
//                  n × (u32 page number, u32 page index))
//
// A page's root is stored when it is known already and never computed here:
// snapshots carry no roots (memory.ts), and hashing every page of every
// checkpoint (127 hashes each) to save a set cost more than the game's queries,
// which hash only the pages of the checkpoints they restore, once per buffer.
// A stored root is taken as is (the cache's SHA-256 guards the bytes); a
// missing one is computed on first use. traceFromCheckpoints replays the last
// interval against the recorded end.
// decodeTraceCheckpoints checks every bound and throws InvalidCheckpointsError.

import { bytesToHex, type Hex, hexToBytes } from "viem";
import { type MachineStatus, PAGE_COUNT, PAGE_SIZE } from "./constants.ts";
import { InvalidCheckpointsError } from "./errors.ts";
import type { MachineSnapshot } from "./machine.ts";
import { knownFrozenPageRoot, setFrozenPageRoot } from "./memory.ts";
import type { TraceCheckpoints } from "./trace.ts";

const MAGIC = 0x4b435456; // "VTCK" read as a little-endian u32
const VERSION = 2;
const UNKNOWN_ROOT = new Uint8Array(32);
const HEADER = 4 + 4 + 4 + 8 + 8 + 32 + 4 + 4;
const REGS = 33;
const PAGE_ENTRY = PAGE_SIZE + 32;

export function encodeTraceCheckpoints(cp: TraceCheckpoints): Uint8Array {
  const index = new Map<Uint8Array, number>();
  const pages: { buf: Uint8Array; root: Uint8Array | undefined }[] = [];
  let snapBytes = 0;
  for (const s of cp.snapshots) {
    const { bufs } = s.memory;
    for (let k = 0; k < bufs.length; k++)
      if (!index.has(bufs[k])) {
        index.set(bufs[k], pages.length);
        pages.push({ buf: bufs[k], root: knownFrozenPageRoot(bufs[k]) });
      }
    snapBytes += 4 + REGS * 4 + 8 + 4 + 4 + 4 + bufs.length * 8;
  }
  const out = new Uint8Array(HEADER + pages.length * PAGE_ENTRY + snapBytes);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, VERSION, true);
  v.setUint32(8, cp.depth, true);
  v.setFloat64(12, cp.checkpointInterval, true);
  v.setFloat64(20, cp.steps, true);
  out.set(hexToBytes(cp.stateHash), 28);
  v.setUint32(60, pages.length, true);
  v.setUint32(64, cp.snapshots.length, true);
  let o = HEADER;
  for (const p of pages) {
    out.set(p.buf, o);
    if (p.root) out.set(p.root, o + PAGE_SIZE);
    o += PAGE_ENTRY;
  }
  for (const s of cp.snapshots) {
    v.setInt32(o, s.pc | 0, true);
    o += 4;
    for (let i = 0; i < REGS; i++, o += 4) v.setInt32(o, s.regs[i] | 0, true);
    v.setFloat64(o, s.step, true);
    v.setUint32(o + 8, s.status, true);
    v.setUint32(o + 12, s.exitCode >>> 0, true);
    v.setUint32(o + 16, s.memory.pages.length, true);
    o += 20;
    for (let k = 0; k < s.memory.pages.length; k++, o += 8) {
      v.setUint32(o, s.memory.pages[k], true);
      v.setUint32(o + 4, index.get(s.memory.bufs[k]) as number, true);
    }
  }
  return out;
}

export function decodeTraceCheckpoints(bytes: Uint8Array): TraceCheckpoints {
  const bad = (reason: string) => new InvalidCheckpointsError(reason);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const need = (n: number, what: string) => {
    if (o + n > bytes.length)
      throw bad(`truncated in ${what} (needs ${n} byte(s) at ${o} of ${bytes.length})`);
  };
  need(HEADER, "the header");
  if (v.getUint32(0, true) !== MAGIC) throw bad("bad magic");
  if (v.getUint32(4, true) !== VERSION) throw bad(`unknown format version ${v.getUint32(4, true)}`);
  const depth = v.getUint32(8, true);
  const checkpointInterval = v.getFloat64(12, true);
  const steps = v.getFloat64(20, true);
  const stateHash: Hex = bytesToHex(bytes.subarray(28, 60));
  const pageCount = v.getUint32(60, true);
  const snapCount = v.getUint32(64, true);
  o = HEADER;
  const bufs: Uint8Array[] = [];
  need(pageCount * PAGE_ENTRY, "the pages");
  for (let i = 0; i < pageCount; i++, o += PAGE_ENTRY) {
    // A copy per page: aligned for the machine's int32 view, and freed page by page.
    const buf = bytes.slice(o, o + PAGE_SIZE);
    bufs.push(buf);
    // A stored root becomes the buffer's root for every later restore (not recomputed, see above).
    const root = bytes.subarray(o + PAGE_SIZE, o + PAGE_ENTRY);
    if (!equalBytes(root, UNKNOWN_ROOT)) setFrozenPageRoot(buf, root.slice());
  }
  const snapshots: MachineSnapshot[] = [];
  for (let s = 0; s < snapCount; s++) {
    need(4 + REGS * 4 + 20, `snapshot ${s}`);
    const pc = v.getInt32(o, true);
    o += 4;
    const regs = new Int32Array(REGS);
    for (let i = 0; i < REGS; i++, o += 4) regs[i] = v.getInt32(o, true);
    const step = v.getFloat64(o, true);
    const status = v.getUint32(o + 8, true);
    const exitCode = v.getUint32(o + 12, true);
    const n = v.getUint32(o + 16, true);
    o += 20;
    if (!Number.isSafeInteger(step) || step < 0) throw bad(`snapshot ${s} has step ${step}`);
    if (status > 2) throw bad(`snapshot ${s} has status ${status}`);
    need(n * 8, `snapshot ${s}'s page table`);
    const pages = new Int32Array(n);
    const sBufs: Uint8Array[] = new Array(n);
    const seen = new Set<number>();
    for (let k = 0; k < n; k++, o += 8) {
      const p = v.getUint32(o, true);
      const i = v.getUint32(o + 4, true);
      if (p >= PAGE_COUNT || seen.has(p)) throw bad(`snapshot ${s} maps page ${p} twice or out of range`);
      if (i >= pageCount) throw bad(`snapshot ${s} refers to page buffer ${i} of ${pageCount}`);
      seen.add(p);
      pages[k] = p;
      sBufs[k] = bufs[i];
    }
    snapshots.push({
      pc,
      regs,
      step,
      status: status as MachineStatus,
      exitCode,
      memory: { pages, bufs: sBufs },
    });
  }
  if (o !== bytes.length) throw bad(`${bytes.length - o} trailing byte(s)`);
  return { depth, checkpointInterval, snapshots, steps, stateHash };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

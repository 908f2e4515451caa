// Saved checkpoints answer exactly what the first pass answered, and a saved
// set that is damaged or does not replay to its recorded end is refused.

import { expect } from "chai";
import { asm, imageFromWords } from "./asm.ts";
import { decodeTraceCheckpoints, encodeTraceCheckpoints } from "./checkpointCodec.ts";
import { PAGE_SIZE } from "./constants.ts";
import { InvalidCheckpointsError } from "./errors.ts";
import { frozenPageRoot } from "./memory.ts";
import { rng } from "./testUtil.ts";
import { buildTrace, type CheckpointedTrace, traceFromCheckpoints } from "./trace.ts";

/** Writes across several pages, reads its input, exits with a checksum and writes an output. */
const program = imageFromWords([
  asm.li(5, 3000),
  asm.li(6, 0x40000),
  asm.li(7, 0x80000020),
  asm.lbu(8, 7, 0),
  asm.add(9, 9, 8),
  asm.mul(10, 9, 5),
  asm.sw(10, 6, 0),
  asm.sh(9, 6, 1023),
  asm.addi(6, 6, 260),
  asm.addi(5, 5, -1),
  asm.bne(5, 0, -28),
  asm.addi(10, 9, 0),
  asm.li(17, 93),
  asm.ecall(),
]);
const input = new Uint8Array([5, 4, 3]);

async function sameAnswers(a: CheckpointedTrace, b: CheckpointedTrace, seed: number) {
  expect(b.depth).to.equal(a.depth);
  expect(b.checkpoints).to.equal(a.checkpoints);
  expect(b.checkpointInterval).to.equal(a.checkpointInterval);
  expect(b.result).to.deep.equal(a.result);
  expect(await b.absolutePrestate()).to.deep.equal(await a.absolutePrestate());
  const max = 2 ** a.depth;
  const steps = Number(a.result.steps);
  const r = rng(seed);
  const ts = [0, 1, a.checkpointInterval, steps - 1, Math.min(steps, max - 1), max - 1];
  for (let k = 0; k < 10; k++) ts.push(r() % max);
  for (const t of ts) {
    expect(await b.get(BigInt(t)), `T(${t})`).to.equal(await a.get(BigInt(t)));
    const [da, db] = [await a.getStepData(BigInt(t)), await b.getStepData(BigInt(t))];
    expect(db, `step data ${t}`).to.deep.equal(da);
  }
  expect(await b.get(BigInt(max))).to.equal(a.result.stateHash);
}

// The encoding's page table (see checkpointCodec.ts): a 68-byte header, then per page 4096 bytes and
// a 32-byte root (zeros: not known).
const HEADER = 68;
const pageCountOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(60, true);
const pageOf = (b: Uint8Array, i: number) =>
  b.slice(HEADER + i * (PAGE_SIZE + 32), HEADER + i * (PAGE_SIZE + 32) + PAGE_SIZE);
const rootSlot = (b: Uint8Array, i: number) =>
  b.subarray(HEADER + i * (PAGE_SIZE + 32) + PAGE_SIZE, HEADER + (i + 1) * (PAGE_SIZE + 32));
const storedRoots = (b: Uint8Array) =>
  Array.from({ length: pageCountOf(b) }, (_, i) => {
    const r = rootSlot(b, i);
    return r.some((x) => x !== 0) ? r.slice() : undefined;
  });
const withoutRoots = (b: Uint8Array) => {
  const c = b.slice();
  for (let i = 0; i < pageCountOf(c); i++) rootSlot(c, i).fill(0);
  return c;
};

describe("machine/checkpointCodec", () => {
  it("round-trips a halting trace: every query answers as the first pass did, pages shared once", async () => {
    const built = await buildTrace({ image: program, input, depth: 16, checkpointInterval: 1000 });
    const bytes = encodeTraceCheckpoints(built.exportCheckpoints());
    // Pages unchanged between checkpoints are written once, not once per checkpoint.
    const perCheckpoint = built.exportCheckpoints().snapshots.reduce((n, s) => n + s.memory.bufs.length, 0);
    expect(bytes.length).to.be.lessThan(perCheckpoint * PAGE_SIZE);
    // Saving hashes nothing: only the roots the first pass computed anyway (where it hashed a state)
    // are stored, each right; the other pages' are left to the queries.
    const first = storedRoots(bytes);
    expect(first.filter((r) => r === undefined).length).to.be.greaterThan(0);
    for (const [i, r] of first.entries()) if (r) expect(r).to.deep.equal(frozenPageRoot(pageOf(bytes, i)));
    const restored = traceFromCheckpoints(decodeTraceCheckpoints(bytes));
    await sameAnswers(built, restored, 1);
    // Restored sets save again to the same pages and snapshots, now with the roots the queries
    // computed, each the root of its page.
    const again = encodeTraceCheckpoints(restored.exportCheckpoints());
    expect(withoutRoots(again)).to.deep.equal(withoutRoots(bytes));
    const roots = storedRoots(again);
    expect(roots.filter((r) => r !== undefined).length).to.be.greaterThan(0);
    for (const [i, r] of roots.entries()) if (r) expect(r).to.deep.equal(frozenPageRoot(pageOf(again, i)));
    // A stored root is used as is on restore: a second round trip answers the same.
    await sameAnswers(built, traceFromCheckpoints(decodeTraceCheckpoints(again)), 3);
  });

  it("round-trips a trace cut by its budget with a checkpoint at 2^D, and a thinned one", async () => {
    const cut = await buildTrace({ image: program, input, depth: 12, checkpointInterval: 512 });
    expect(cut.result.status).to.equal(0);
    await sameAnswers(
      cut,
      traceFromCheckpoints(decodeTraceCheckpoints(encodeTraceCheckpoints(cut.exportCheckpoints()))),
      2,
    );
    const rewriter = imageFromWords([
      asm.li(5, 4000),
      asm.li(6, 0x40000),
      asm.andi(7, 5, 15),
      asm.slli(7, 7, 12),
      asm.add(7, 7, 6),
      asm.sw(5, 7, 0),
      asm.addi(5, 5, -1),
      asm.bne(5, 0, -20),
      asm.li(17, 93),
      asm.ecall(),
    ]);
    const thinned = await buildTrace({
      image: rewriter,
      depth: 15,
      checkpointInterval: 60,
      maxCheckpointBytes: 256 * 1024,
    });
    expect(thinned.checkpointInterval).to.be.greaterThan(60);
    await sameAnswers(
      thinned,
      traceFromCheckpoints(decodeTraceCheckpoints(encodeTraceCheckpoints(thinned.exportCheckpoints()))),
      3,
    );
  });

  it("refuses damaged bytes and sets that do not replay to their recorded end", async () => {
    const built = await buildTrace({ image: program, input, depth: 16, checkpointInterval: 1000 });
    const cp = built.exportCheckpoints();
    const bytes = encodeTraceCheckpoints(cp);
    const refuses = (f: () => unknown, why: RegExp) => expect(f).to.throw(InvalidCheckpointsError, why);
    refuses(() => decodeTraceCheckpoints(bytes.subarray(0, bytes.length - 1)), /truncated/);
    refuses(() => decodeTraceCheckpoints(new Uint8Array([...bytes, 0])), /trailing/);
    refuses(() => decodeTraceCheckpoints(new Uint8Array(bytes.length)), /magic/);
    // The final state hash recorded in the header: the replay of the last interval disagrees.
    const lying = bytes.slice();
    lying[40] ^= 1;
    refuses(() => traceFromCheckpoints(decodeTraceCheckpoints(lying)), /replay ends at/);
    // A register of the last snapshot (its entry sits at the end of the file).
    const last = cp.snapshots[cp.snapshots.length - 1];
    const regAt = bytes.length - (4 + 33 * 4 + 20 + last.memory.pages.length * 8) + 4 + 9 * 4;
    const reg = bytes.slice();
    reg[regAt] ^= 0x40;
    refuses(() => traceFromCheckpoints(decodeTraceCheckpoints(reg)), /replay/);
    refuses(() => traceFromCheckpoints({ ...cp, steps: cp.steps + 1 }), /replay stops|does not follow/);
    refuses(() => traceFromCheckpoints({ ...cp, snapshots: cp.snapshots.slice(1) }), /snapshot 0 is at step/);
    refuses(() => traceFromCheckpoints({ ...cp, snapshots: [] }), /no snapshots/);
  });
});

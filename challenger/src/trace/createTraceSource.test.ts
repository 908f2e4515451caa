// Work is shared by content, not job id: identical jobs run once (in flight,
// later, and after a restart through the disk cache), and a damaged cache
// entry costs one run, never a wrong answer.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointsKind } from "@verdict/shared/src/cache/createCheckpointStore.ts";
import { createTraceCache } from "@verdict/shared/src/cache/createTraceCache.ts";
import type { WorkContent } from "@verdict/shared/src/cache/workKey.ts";
import { asm, imageFromWords } from "@verdict/shared/src/machine/asm.ts";
import { MACHINE_VERSION } from "@verdict/shared/src/machine/constants.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { setSnapshotFaultForTesting } from "@verdict/shared/src/machine/memory.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { createTraceSource, type JobSpec } from "./createTraceSource.ts";

/** Sums its input bytes into a0 (a few thousand steps), then exits. */
const words = [
  asm.li(5, 0x80000020),
  asm.li(6, 600),
  asm.lbu(7, 5, 0),
  asm.add(10, 10, 7),
  asm.addi(5, 5, 1),
  asm.addi(6, 6, -1),
  asm.bne(6, 0, -16),
  asm.li(17, 93),
  asm.ecall(),
];
const input = new Uint8Array(600).map((_, i) => (i * 13) & 0xff);
const DEPTH = 13;
const INTERVAL = 256;
/** Same content each time, but a new image object and input buffer: nothing rides on identity. */
const job = (jobId: bigint, over: Partial<JobSpec> = {}): JobSpec => ({
  jobId,
  image: imageFromWords(words),
  input: input.slice(),
  depth: DEPTH,
  ...over,
});
const content: WorkContent = {
  machineVersion: MACHINE_VERSION,
  programRoot: programRoot(imageFromWords(words)),
  entry: imageFromWords(words).entry,
  inputRoot: inputRoot(input),
  depth: DEPTH,
};

describe("challenger/createTraceSource", function () {
  this.timeout(120_000);
  let honest: Awaited<ReturnType<typeof buildTrace>>;
  before(async () => {
    honest = await buildTrace({
      image: imageFromWords(words),
      input,
      depth: DEPTH,
      checkpointInterval: INTERVAL,
    });
  });

  it("three jobs with the same content run once; a restarted source with the same cacheDir runs none", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "traces-"));
    const runs: string[] = [];
    const a = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir,
      onRun: (kind, j) => runs.push(`${kind}:${j.jobId}`),
    });
    const rs = await Promise.all([a.recompute(job(1n)), a.recompute(job(2n)), a.recompute(job(3n))]);
    for (const r of rs) expect(r.stateHash).to.equal(honest.result.stateHash);
    expect(a.keyOf(job(1n))).to.equal(a.keyOf(job(3n)));
    expect(a.executions()).to.equal(1);
    const ts = await Promise.all([a.trace(job(1n)), a.trace(job(2n)), a.trace(job(3n))]);
    expect(ts[0]).to.equal(ts[2]);
    expect(await ts[1].get(1000n)).to.equal(await honest.get(1000n));
    // The game trace replays from the check's checkpoints: no second run of the job.
    expect(a.executions()).to.equal(1);
    expect(runs).to.deep.equal(["recompute:1"]);
    await a.close();

    const b = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir,
      onRun: (k) => runs.push(k),
    });
    const r4 = await b.recompute(job(4n));
    expect(r4).to.deep.equal(rs[0]);
    const t4 = await b.trace(job(4n));
    for (const t of [0n, 1n, 255n, 256n, 1000n, 2500n, 8191n, 8192n])
      expect(await t4.get(t), `T(${t})`).to.equal(await honest.get(t));
    expect(await t4.getStepData(700n)).to.deep.equal(await honest.getStepData(700n));
    expect(await t4.absolutePrestate()).to.deep.equal(await honest.absolutePrestate());
    expect(b.executions()).to.equal(0);
    expect(runs).to.have.length(1);

    // Other content is other work: a different D, input or entry runs.
    await b.recompute(job(5n, { depth: DEPTH + 1 }));
    await b.recompute(job(6n, { input: new Uint8Array([1]) }));
    expect(b.executions()).to.equal(2);
    await b.close();
  });

  it("a worker-pool result is saved with its final state and read back by an inline source", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "traces-pool-"));
    const a = createTraceSource({ workers: 1, cacheDir });
    try {
      const r = await a.recompute(job(1n));
      expect(r.stateHash).to.equal(honest.result.stateHash);
      expect(a.executions()).to.equal(1);
    } finally {
      await a.close();
    }
    const outcomes: string[] = [];
    const b = createTraceSource({ workers: 0, cacheDir, onCache: (o) => outcomes.push(o) });
    expect((await b.recompute(job(2n))).stateHash).to.equal(honest.result.stateHash);
    expect(b.executions()).to.equal(0);
    expect(outcomes).to.deep.equal(["hit"]);
  });

  it("forget frees memory only once no job holds the content; the disk still answers", async () => {
    const mem = createTraceSource({ workers: 0, checkpointInterval: INTERVAL });
    await mem.recompute(job(1n));
    await mem.recompute(job(2n));
    mem.forget(1n);
    await mem.recompute(job(2n));
    expect(mem.executions()).to.equal(1);
    mem.forget(2n);
    await mem.recompute(job(2n));
    expect(mem.executions()).to.equal(2);

    const cached = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir: mkdtempSync(join(tmpdir(), "traces-")),
    });
    await cached.trace(job(1n));
    cached.forget(1n);
    await cached.trace(job(1n));
    await cached.recompute(job(1n));
    expect(cached.executions()).to.equal(1);
  });

  it("a corrupt or inconsistent cache entry costs one run and never changes an answer", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "traces-"));
    const warm = createTraceSource({ workers: 0, checkpointInterval: INTERVAL, cacheDir });
    const good = await warm.recompute(job(1n));
    await warm.trace(job(1n));
    const cache = createTraceCache({ dir: cacheDir });
    const resultFile = cache.pathOf({ ...content, kind: "recompute" });
    const checkpointFile = cache.pathOf({ ...content, kind: checkpointsKind(INTERVAL) });
    const flip = (file: string, at: number) => {
      const buf = readFileSync(file);
      buf[buf.length - at] ^= 0x10;
      writeFileSync(file, buf);
    };

    // Bit rot in the result: the checksum catches it.
    flip(resultFile, 3);
    const outcomes: string[] = [];
    const s1 = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir,
      onCache: (o) => outcomes.push(o),
    });
    expect(await s1.recompute(job(2n))).to.deep.equal(good);
    expect(s1.executions()).to.equal(1);
    expect(outcomes).to.deep.equal(["corrupt"]);

    // A well-formed entry that lies: its final state does not hash to its claim.
    cache.put(
      { ...content, kind: "recompute" },
      Buffer.from(
        JSON.stringify({ ...good, steps: good.steps.toString(), stateHash: `0x${"11".repeat(32)}` }),
      ),
    );
    outcomes.length = 0;
    const s2 = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir,
      onCache: (o) => outcomes.push(o),
    });
    expect(await s2.recompute(job(3n))).to.deep.equal(good);
    expect(s2.executions()).to.equal(1);
    expect(outcomes).to.deep.equal(["hit", "corrupt"]);

    // Bit rot in the checkpoints: one rebuild, the same answers.
    flip(checkpointFile, 1000);
    outcomes.length = 0;
    const s3 = createTraceSource({
      workers: 0,
      checkpointInterval: INTERVAL,
      cacheDir,
      onCache: (o) => outcomes.push(o),
    });
    const t = await s3.trace(job(4n));
    expect(s3.executions()).to.equal(1);
    expect(outcomes[0]).to.equal("corrupt");
    for (const p of [0n, 300n, 2000n, 8192n]) expect(await t.get(p)).to.equal(await honest.get(p));
    // ...and the rebuilt set is good again.
    const s4 = createTraceSource({ workers: 0, checkpointInterval: INTERVAL, cacheDir });
    expect(await (await s4.trace(job(5n))).get(2000n)).to.equal(await honest.get(2000n));
    expect(s4.executions()).to.equal(0);
  });

  describe("a game reuses the check's checkpoints", () => {
    afterEach(() => setSnapshotFaultForTesting(null));
    /** Adds a counter into one memory word 900 times (the memory changes every interval), then exits. */
    const accumulate = () =>
      imageFromWords([
        asm.li(5, 0x20000),
        asm.li(6, 900),
        asm.lw(7, 5, 0),
        asm.add(7, 7, 6),
        asm.sw(7, 5, 0),
        asm.addi(6, 6, -1),
        asm.bne(6, 0, -16),
        asm.li(17, 93),
        asm.ecall(),
      ]);
    const accJob = (jobId: bigint): JobSpec => ({
      jobId,
      image: accumulate(),
      input: new Uint8Array(0),
      depth: 13,
    });

    it("a worker-pool check hands its checkpoints over: the game runs nothing and answers as a fresh build", async () => {
      const src = createTraceSource({ workers: 1, checkpointInterval: INTERVAL });
      try {
        await src.recompute(job(1n));
        const t = await src.trace(job(1n));
        expect(src.executions()).to.equal(1);
        for (const p of [0n, 1n, 255n, 256n, 777n, 2500n, 8192n])
          expect(await t.get(p), `T(${p})`).to.equal(await honest.get(p));
        expect(await t.getStepData(700n)).to.deep.equal(await honest.getStepData(700n));
      } finally {
        await src.close();
      }
    });

    it("with maxCheckedBytes 0, or beyond it, the game runs the job again", async () => {
      const none = createTraceSource({ workers: 0, checkpointInterval: INTERVAL, maxCheckedBytes: 0 });
      await none.recompute(job(1n));
      await none.trace(job(1n));
      expect(none.executions()).to.equal(2);
      // Room for one set: the older check's set is dropped, the newer one is used.
      const acc = await buildTrace({ image: accumulate(), depth: 13, checkpointInterval: INTERVAL });
      expect(acc.checkpointBytes).to.be.greaterThan(honest.checkpointBytes);
      const one = createTraceSource({
        workers: 0,
        checkpointInterval: INTERVAL,
        maxCheckedBytes: acc.checkpointBytes + honest.checkpointBytes - 1,
      });
      await one.recompute(job(1n));
      await one.recompute(accJob(2n));
      await one.trace(accJob(2n));
      expect(one.executions()).to.equal(2);
      await one.trace(job(1n));
      expect(one.executions()).to.equal(3);
    });

    it("a wrong checkpoint set from a check is refused (its last interval does not replay to its end)", async () => {
      const want = await buildTrace({ image: accumulate(), depth: 13, checkpointInterval: INTERVAL });
      const outcomes: string[] = [];
      const src = createTraceSource({
        workers: 0,
        checkpointInterval: INTERVAL,
        onCache: (o, kind) => outcomes.push(`${o}:${kind}`),
      });
      // Snapshots that are not copy-on-write: later stores change what they hold.
      setSnapshotFaultForTesting("shareNothing");
      await src.recompute(accJob(1n));
      setSnapshotFaultForTesting(null);
      const t = await src.trace(accJob(1n));
      expect(outcomes).to.deep.equal(["corrupt:checked-checkpoints"]);
      expect(src.executions()).to.equal(2);
      for (const p of [0n, 300n, 2000n, 3000n, 8192n]) expect(await t.get(p)).to.equal(await want.get(p));
    });
  });
});

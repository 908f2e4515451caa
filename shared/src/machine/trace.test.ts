import { expect } from "chai";
import { asm, imageFromWords } from "./asm.ts";
import { createMachine } from "./createMachine.ts";
import { TraceQueryError } from "./errors.ts";
import { setSnapshotFaultForTesting } from "./memory.ts";
import { hashState } from "./state.ts";
import { rng } from "./testUtil.ts";
import { buildTrace, createToyTraceProvider, withFault } from "./trace.ts";
import { verifyStepTs } from "./verifyStep.ts";

/** A loop that writes across several pages and reads its input, then exits with a checksum. */
const program = imageFromWords([
  asm.li(5, 3000), // 0x1000 counter
  asm.li(6, 0x40000), // 0x1008 write pointer
  asm.li(7, 0x80000020), // 0x1010 input payload
  // loop @ 0x1018
  asm.lbu(8, 7, 0),
  asm.add(9, 9, 8),
  asm.mul(10, 9, 5),
  asm.sw(10, 6, 0),
  asm.sh(9, 6, 1023), // misaligned, crosses leaves
  asm.addi(6, 6, 260),
  asm.addi(5, 5, -1),
  asm.bne(5, 0, -28),
  asm.addi(10, 9, 0),
  asm.li(17, 93),
  asm.ecall(),
]);
const input = new Uint8Array([5, 4, 3]);

describe("trace provider with checkpoints (spec §1.7)", () => {
  it("state hash at t via checkpoints equals a straight run, for random t", async () => {
    const trace = await buildTrace({ image: program, input, depth: 16, checkpointInterval: 1000 });
    expect(trace.result.status).to.equal(1);
    const steps = Number(trace.result.steps);
    expect(steps).to.equal(6 + 3000 * 8 + 4);
    expect(trace.checkpoints).to.equal(Math.floor(steps / 1000) + 1);
    const r = rng(3);
    const ts = [0, 1, 999, 1000, 1001, steps - 1, steps, steps + 1, 2 ** 16];
    for (let k = 0; k < 12; k++) ts.push(r() % steps);
    // Non-monotonic order exercises both cursor reuse and restore.
    for (const t of ts) {
      const m = createMachine(program, input);
      m.run(t);
      expect(await trace.get(BigInt(t)), `t = ${t}`).to.equal(m.stateHash());
    }
    expect(await trace.get(0n)).to.equal(hashState(await trace.absolutePrestate()));
    expect(await trace.get(2n ** 16n)).to.equal(trace.result.stateHash);
  });

  it("bounds checkpoint memory by thinning checkpoints, still answering every t exactly", async () => {
    // Rewrites the same 16 pages over and over: each checkpoint would keep its own copies.
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
    const bounded = await buildTrace({
      image: rewriter,
      depth: 15,
      checkpointInterval: 60,
      maxCheckpointBytes: 256 * 1024,
    });
    const unbounded = await buildTrace({ image: rewriter, depth: 15, checkpointInterval: 60 });
    expect(unbounded.checkpointBytes).to.be.greaterThan(4 * 1024 * 1024);
    expect(bounded.checkpointBytes).to.be.at.most(256 * 1024);
    expect(bounded.checkpointInterval).to.be.greaterThan(60);
    const steps = Number(bounded.result.steps);
    expect(bounded.checkpoints).to.equal(Math.floor(steps / bounded.checkpointInterval) + 1);
    const r = rng(21);
    for (let k = 0; k < 8; k++) {
      const t = r() % steps;
      const m = createMachine(rewriter);
      m.run(t);
      expect(await bounded.get(BigInt(t)), `t = ${t}`).to.equal(m.stateHash());
    }
    expect(bounded.result.stateHash).to.equal(unbounded.result.stateHash);
  });

  it("step data for any t verifies and links T(t) to T(t+1)", async () => {
    const trace = await buildTrace({ image: program, input, depth: 15, checkpointInterval: 512 });
    const steps = Number(trace.result.steps);
    const r = rng(11);
    const ts = [0, 5, 6, 7, 10, steps - 1, steps, 2 ** 15 - 1];
    for (let k = 0; k < 10; k++) ts.push(r() % steps);
    for (const t of ts) {
      const d = await trace.getStepData(BigInt(t));
      expect(hashState(d.preState)).to.equal(await trace.get(BigInt(t)));
      expect(verifyStepTs(d.preState, d.proof)).to.equal(d.postStateHash);
      expect(d.postStateHash).to.equal(await trace.get(BigInt(t + 1)));
    }
  });

  it("a budget smaller than the run pads nothing: T(2^D) is a RUNNING state", async () => {
    const trace = await buildTrace({ image: program, input, depth: 10, checkpointInterval: 100 });
    expect(trace.result.status).to.equal(0);
    expect(trace.result.steps).to.equal(1024n);
    const m = createMachine(program, input);
    m.run(1024);
    expect(trace.result.stateHash).to.equal(m.stateHash());
  });

  it("the first pass can be aborted", async () => {
    const spin = imageFromWords([asm.jal(0, 0)]);
    const ac = new AbortController();
    const p = buildTrace({
      image: spin,
      depth: 40,
      checkpointInterval: 1000,
      onProgress: (s) => s >= 5000 && ac.abort(),
      signal: ac.signal,
    });
    try {
      await p;
      expect.fail("no error");
    } catch (e) {
      expect((e as Error).name).to.equal("AbortError");
    }
  });

  describe("the result's output (spec §1.2)", () => {
    /** Writes the 32-bit words `words` at OUTPUT_BASE + offsets, then exits. */
    const writer = (words: [number, number][]) =>
      imageFromWords([
        asm.li(6, 0xc0000000),
        ...words.flatMap(([off, v]) => [asm.li(7, v), asm.sw(7, 6, off)]),
        asm.li(17, 93),
        asm.ecall(),
      ]);

    it("an empty output is an empty array, not null", async () => {
      const r = (await buildTrace({ image: writer([]), depth: 8 })).result;
      expect(r.output).to.deep.equal(new Uint8Array(0));
      expect(r.noOutput).to.equal(undefined);
    });

    it("a region that is no byte string's image gives null and says why, distinct from empty", async () => {
      // Length 0, but a nonzero byte after the payload.
      const r = (await buildTrace({ image: writer([[40, 1]]), depth: 8 })).result;
      expect(r.output).to.equal(null);
      expect(r.noOutput?.kind).to.equal("none");
      expect(r.noOutput?.reason).to.match(/after the 0-byte payload/);
      // Length beyond the region.
      const big = (await buildTrace({ image: writer([[4, 0x40]]), depth: 8 })).result;
      expect(big.output).to.equal(null);
      expect(big.noOutput?.kind).to.equal("none");
    });

    it("an output beyond the read limit gives null with kind tooLarge, not no output", async () => {
      // 2^27 bytes claimed, all zero: a valid output, just not read into memory.
      const r = (await buildTrace({ image: writer([[0, 1 << 27]]), depth: 8 })).result;
      expect(r.output).to.equal(null);
      expect(r.noOutput?.kind).to.equal("tooLarge");
    });

    it("a written output is read back", async () => {
      const r = (
        await buildTrace({
          image: writer([
            [0, 4],
            [32, 0x04030201],
          ]),
          depth: 8,
        })
      ).result;
      expect(r.output).to.deep.equal(new Uint8Array([1, 2, 3, 4]));
      expect(r.noOutput).to.equal(undefined);
    });
  });

  describe("a wrong snapshot is caught (fault injection)", () => {
    afterEach(() => setSnapshotFaultForTesting(null));
    /** T(t) from straight runs, computed with the real mechanism. */
    const straight = (ts: number[]) =>
      ts.map((t) => {
        const m = createMachine(program, input);
        m.run(t);
        return m.stateHash();
      });
    const ts = [0, 999, 1000, 5003, 5500, 12_000, 17_777, 24_009];

    it("the checkpointed trace agrees with straight runs when nothing is injected", async () => {
      const want = straight(ts);
      const trace = await buildTrace({ image: program, input, depth: 16, checkpointInterval: 1000 });
      for (const [i, t] of ts.entries()) expect(await trace.get(BigInt(t)), `t = ${t}`).to.equal(want[i]);
    });

    for (const fault of ["shareNothing", "staleRoot"] as const)
      it(`a trace built with snapshot fault ${fault} disagrees with straight runs`, async () => {
        const want = straight(ts);
        setSnapshotFaultForTesting(fault);
        const trace = await buildTrace({ image: program, input, depth: 16, checkpointInterval: 1000 });
        const got = await Promise.all(ts.map((t) => trace.get(BigInt(t))));
        expect(
          got.some((h, i) => h !== want[i]),
          `${fault} not detected`,
        ).to.equal(true);
      });
  });

  it("rejects positions outside the trace with TraceQueryError", async () => {
    const trace = await buildTrace({ image: program, input, depth: 8 });
    for (const t of [-1n, 257n]) {
      try {
        await trace.get(t);
        expect.fail("no error");
      } catch (e) {
        expect(e).to.be.instanceOf(TraceQueryError);
      }
    }
    try {
      await trace.getStepData(256n);
      expect.fail("no error");
    } catch (e) {
      expect(e).to.be.instanceOf(TraceQueryError);
    }
  });

  it("fault injection corrupts exactly the positions >= f; the toy provider is deterministic", async () => {
    const toy = createToyTraceProvider({ depth: 6, haltAt: 40n });
    const bad = withFault(toy, { fromStep: 17n });
    for (const t of [0n, 1n, 16n]) expect(await bad.get(t)).to.equal(await toy.get(t));
    for (const t of [17n, 40n, 64n]) expect(await bad.get(t)).to.not.equal(await toy.get(t));
    expect(await toy.get(41n)).to.equal(await toy.get(64n));
    expect(await toy.get(39n)).to.not.equal(await toy.get(40n));
  });
});

// The executor's cache is only a shortcut: an entry that is corrupt on disk,
// or well-formed but inconsistent (its final state does not hash to its
// result), is detected, dropped and recomputed on worker threads. Game traces
// outlive the process: a restarted executor answers from the saved checkpoints
// without running the job.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointsKind } from "@verdict/shared/src/cache/createCheckpointStore.ts";
import { createTraceCache } from "@verdict/shared/src/cache/createTraceCache.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { bytesToHex, type Hex } from "viem";
import { createExecutor, type ExecJob } from "./createExecutor.ts";
import { writeSumProgram } from "./testing/sumProgram.ts";

describe("proposer/createExecutor", function () {
  this.timeout(120_000);

  it("executes on workers, caches, and recomputes corrupt or inconsistent cache entries; traces answer games", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-"));
    const programPath = writeSumProgram(dir);
    const image = loadElf(new Uint8Array(readFileSync(programPath)));
    const input = new Uint8Array([1, 2, 3, 250]);
    const job: ExecJob = {
      programPath,
      programRoot: programRoot(image) as Hex,
      entry: image.entry,
      machineVersion: 1n,
      input: bytesToHex(input),
      inputRoot: inputRoot(input),
      depth: 8,
    };
    const honest = await buildTrace({ image, input, depth: 8 });
    const outcomes: string[] = [];
    const ex = createExecutor({
      workers: 1,
      cacheDir: join(dir, "cache"),
      logger: createLogger({ level: "silent" }),
      onCache: (o) => outcomes.push(o),
    });
    try {
      const r1 = await ex.execute(job);
      expect(r1.stateHash).to.equal(honest.result.stateHash);
      expect(r1.exitCode).to.equal(256);
      expect(outcomes).to.deep.equal(["miss"]);
      expect((await ex.execute(job)).stateHash).to.equal(r1.stateHash);
      expect(outcomes).to.deep.equal(["miss", "hit"]);

      // Bit rot: caught by the checksum.
      const cache = createTraceCache({ dir: join(dir, "cache") });
      const key = {
        machineVersion: 1n,
        programRoot: job.programRoot,
        entry: job.entry,
        inputRoot: job.inputRoot,
        depth: 8,
        kind: "result",
      };
      const file = cache.pathOf(key);
      const buf = readFileSync(file);
      buf[buf.length - 5] ^= 0x20;
      writeFileSync(file, buf);
      expect((await ex.execute(job)).stateHash).to.equal(honest.result.stateHash);
      expect(outcomes.slice(2)).to.deep.equal(["corrupt"]);

      // Well-formed but lying entry: caught by the final-state hash check.
      const lie = { ...r1, stateHash: `0x${"11".repeat(32)}`, honestStateHash: `0x${"11".repeat(32)}` };
      cache.put(key, Buffer.from(JSON.stringify(lie)));
      expect((await ex.execute(job)).stateHash).to.equal(honest.result.stateHash);
      expect(outcomes.slice(3)).to.deep.equal(["hit", "corrupt"]);
      // The entry is part of the work's content: another entry point is other work.
      await ex.execute({ ...job, entry: job.entry + 4 });
      expect(outcomes.slice(5)).to.deep.equal(["miss"]);
      expect(ex.executions()).to.equal(4); // miss, bit rot, lie, other entry

      // Game traces come from the trace worker and match the machine.
      const trace = ex.traceFor(job);
      expect(await trace.get(17n)).to.equal(await honest.get(17n));
      expect(await trace.get(256n)).to.equal(honest.result.stateHash);
      const sd = await trace.getStepData(5n);
      expect(sd.postStateHash).to.equal(await honest.get(6n));
      expect(ex.executions()).to.equal(5); // the game trace: built once for all three queries
    } finally {
      await ex.close();
    }
  });

  it("a restarted executor answers game queries from saved checkpoints with no run; a corrupt set is rebuilt once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-restart-"));
    const cacheDir = join(dir, "cache");
    const programPath = writeSumProgram(dir);
    const image = loadElf(new Uint8Array(readFileSync(programPath)));
    const input = new Uint8Array([9, 8, 7, 6, 5]);
    const job: ExecJob = {
      programPath,
      programRoot: programRoot(image) as Hex,
      entry: image.entry,
      machineVersion: 1n,
      input: bytesToHex(input),
      inputRoot: inputRoot(input),
      depth: 8,
      checkpointInterval: 16,
    };
    const honest = await buildTrace({ image, input, depth: 8, checkpointInterval: 16 });
    const positions = [0n, 1n, 16n, 17n, 40n, 100n, 255n, 256n];
    const outcomes: string[] = [];
    const start = () =>
      createExecutor({
        workers: 1,
        cacheDir,
        logger: createLogger({ level: "silent" }),
        onCache: (o) => outcomes.push(o),
      });
    /** Every answer a game can ask for, from `ex`, checked against the machine. */
    const answersMatch = async (ex: ReturnType<typeof createExecutor>) => {
      const trace = ex.traceFor(job);
      for (const t of positions) expect(await trace.get(t), `T(${t})`).to.equal(await honest.get(t));
      for (const t of [0n, 5n, 31n]) {
        const [sd, want] = [await trace.getStepData(t), await honest.getStepData(t)];
        expect(sd, `step data ${t}`).to.deep.equal(want);
      }
      expect(await trace.absolutePrestate()).to.deep.equal(await honest.absolutePrestate());
    };

    const first = start();
    try {
      await answersMatch(first);
      expect(first.executions()).to.equal(1);
      expect(outcomes).to.deep.equal(["miss"]);
    } finally {
      await first.close();
    }

    outcomes.length = 0;
    const restarted = start();
    try {
      await answersMatch(restarted);
      // Fault injection wraps the restored honest trace: same set, no run either.
      const faulty = restarted.traceFor({ ...job, injectFault: "100" });
      expect(await faulty.get(99n)).to.equal(await honest.get(99n));
      expect(await faulty.get(100n)).to.not.equal(await honest.get(100n));
      expect(restarted.executions()).to.equal(0);
      expect(outcomes).to.deep.equal(["hit", "hit"]);
    } finally {
      await restarted.close();
    }

    const file = createTraceCache({ dir: cacheDir }).pathOf({
      machineVersion: 1n,
      programRoot: job.programRoot,
      entry: job.entry,
      inputRoot: job.inputRoot,
      depth: 8,
      kind: checkpointsKind(16),
    });
    const buf = readFileSync(file);
    buf[buf.length - 200] ^= 0x08;
    writeFileSync(file, buf);
    outcomes.length = 0;
    const afterRot = start();
    try {
      await answersMatch(afterRot);
      expect(afterRot.executions()).to.equal(1);
      expect(outcomes).to.deep.equal(["corrupt"]);
    } finally {
      await afterRot.close();
    }

    outcomes.length = 0;
    const again = start();
    try {
      await answersMatch(again);
      expect(again.executions()).to.equal(0);
      expect(outcomes).to.deep.equal(["hit"]);
    } finally {
      await again.close();
    }
  });
});

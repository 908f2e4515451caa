// The executor's cache is only a shortcut: an entry that is corrupt on disk,
// or well-formed but inconsistent (its final state does not hash to its
// result), is detected, dropped and recomputed on worker threads.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
        programRoot: job.programRoot,
        inputRoot: job.inputRoot,
        machineVersion: 1n,
        kind: "result-d8",
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

      // Game traces come from the trace worker and match the machine.
      const trace = ex.traceFor(job);
      expect(await trace.get(17n)).to.equal(await honest.get(17n));
      expect(await trace.get(256n)).to.equal(honest.result.stateHash);
      const sd = await trace.getStepData(5n);
      expect(sd.postStateHash).to.equal(await honest.get(6n));
    } finally {
      await ex.close();
    }
  });
});

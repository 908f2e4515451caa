import { expect } from "chai";
import { createWorkerPool } from "./createWorkerPool.ts";
import { PoolBusyError, PoolClosedError, PoolTaskError, WorkerCrashedError } from "./errors.ts";

type In = { n: number; mode?: "throw" | "die" | "slow" };

describe("pool/createWorkerPool", function () {
  this.timeout(30_000);
  const workerUrl = new URL("./testdata/echoWorker.ts", import.meta.url);

  it("runs tasks on worker threads and returns results in order of the promises", async () => {
    const pool = createWorkerPool<In, number>({ workerUrl, size: 2 });
    try {
      const out = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run({ n })));
      expect(out).to.deep.equal([1, 4, 9, 16, 25]);
    } finally {
      await pool.close();
    }
  });

  it("reports task errors by name, replaces a crashed worker, says busy when the queue is full", async () => {
    const pool = createWorkerPool<In, number>({ workerUrl, size: 1, maxQueue: 1 });
    try {
      const e1 = await pool.run({ n: 1, mode: "throw" }).catch((e) => e);
      expect(e1).to.be.instanceOf(PoolTaskError);
      expect(e1.remoteName).to.equal("RangeError");
      const e2 = await pool.run({ n: 1, mode: "die" }).catch((e) => e);
      expect(e2).to.be.instanceOf(WorkerCrashedError);
      expect(e2.retryable).to.equal(true);
      expect(await pool.run({ n: 3 })).to.equal(9);
      const slow = pool.run({ n: 2, mode: "slow" });
      const queued = pool.run({ n: 4 });
      const e3 = await pool.run({ n: 5 }).catch((e) => e);
      expect(e3).to.be.instanceOf(PoolBusyError);
      expect(await slow).to.equal(4);
      expect(await queued).to.equal(16);
    } finally {
      await pool.close();
    }
    expect(await pool.run({ n: 1 }).catch((e) => e)).to.be.instanceOf(PoolClosedError);
  });
});

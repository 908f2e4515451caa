// The challenger's broker path against a real redis-server and real
// `verdict worker` processes: one execution per content however many ask,
// deadline order, and the faults a distributed queue must survive — a worker
// killed mid-job, a worker frozen past its lock (the job is delivered twice),
// a broker restart with checks pending, a job whose image does not match its
// key.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { workKey } from "@verdict/shared/src/cache/workKey.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { MACHINE_VERSION } from "@verdict/shared/src/machine/constants.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { type RedisInstance, startRedis } from "@verdict/shared/src/testing/startRedis.ts";
import { until } from "@verdict/shared/src/testing/until.ts";
import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { startTestWorker, type TestWorker } from "../testing/startTestWorker.ts";
import { recomputeResultOf } from "../trace/recomputeTypes.ts";
import { encodeImage, executionsKey, imageKey } from "./brokerProtocol.ts";
import { createBrokerPool, type RemoteRecompute } from "./createBrokerPool.ts";
import { BrokerJobFailedError } from "./errors.ts";

const examples = resolve(import.meta.dirname, "../../../guest/examples");
const elf = (name: string) => loadElf(new Uint8Array(readFileSync(join(examples, name, `${name}.elf`))));

describe("broker: challenger and `verdict worker` processes over BullMQ on a real redis-server", function () {
  this.timeout(300_000);
  let redis: RedisInstance;
  const sha256 = elf("sha256");
  const cpubench = elf("cpubench"); // ~2.2e8 steps whatever the input: an expensive job per distinct input
  const workers: TestWorker[] = [];
  const pools: RemoteRecompute[] = [];
  let n = 0;
  let queue = "";

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    queue = `test-${process.pid}-${++n}`;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await Promise.all(pools.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  const pool = async () => {
    const p = await createBrokerPool({ redisUrl: redis.url, queue, pollMs: 250 });
    pools.push(p);
    return p;
  };
  const worker = async (o: { lockSeconds?: number; threads?: number } = {}) => {
    const w = await startTestWorker({ redisUrl: redis.url, queue, ...o });
    workers.push(w);
    return w;
  };
  const content = (image: ProgramImage, input: Uint8Array, depth: number) => {
    const c = {
      machineVersion: MACHINE_VERSION,
      programRoot: programRoot(image),
      entry: image.entry,
      inputRoot: inputRoot(input),
      depth,
    };
    return { key: workKey(c), content: c };
  };
  const ask = (
    p: RemoteRecompute,
    image: ProgramImage,
    input: Uint8Array,
    depth: number,
    deadline?: bigint,
  ) => p.run({ image, input, depth }, { ...content(image, input, depth), deadline });
  const local = async (image: ProgramImage, input: Uint8Array, depth: number) =>
    recomputeResultOf((await buildTrace({ image, input, depth, checkpointInterval: 2 ** 30 })).result);
  const executions = async () => {
    const r = new Redis(redis.url);
    r.on("error", () => undefined);
    try {
      return Number((await r.get(executionsKey(queue))) ?? 0);
    } finally {
      r.disconnect();
    }
  };
  const inspect = () =>
    // Connection options, not a client: the queue then owns its connection and closes it.
    new Queue(queue, { connection: { host: "127.0.0.1", port: redis.port } });

  it("runs a job asked for by two challengers, three times, once; its result equals the in-process one", async () => {
    const [a, b] = [await pool(), await pool()];
    await worker();
    const input = new Uint8Array(5000).map((_, i) => (i * 13) & 0xff);
    const [r1, r2] = await Promise.all([ask(a, sha256, input, 20), ask(b, sha256, input, 20)]);
    const r3 = await ask(a, sha256, input, 20);
    const ref = await local(sha256, input, 20);
    for (const r of [r1, r2, r3]) expect(r).to.deep.equal(ref);
    expect(await executions()).to.equal(1);
    // Other content is other work.
    const input2 = input.map((x) => x ^ 1);
    expect(await ask(b, sha256, input2, 20)).to.deep.equal(await local(sha256, input2, 20));
    expect(await executions()).to.equal(2);
  });

  it("serves the earliest deadline first", async () => {
    const p = await pool();
    const now = BigInt(Math.floor(Date.now() / 1000));
    const inputs = [3, 1, 2].map((h) => ({ h, input: new Uint8Array(64).fill(h) }));
    // Queued before any worker exists: the order is the broker's, not the arrival's.
    const runs = inputs.map(({ h, input }) => ask(p, sha256, input, 16, now + BigInt(h) * 3600n));
    const q = inspect();
    try {
      await until("three jobs queued", async () => (await q.getPrioritizedCount()) === 3, 30_000, 50);
    } finally {
      await q.close();
    }
    const w = await worker({ threads: 1 });
    await Promise.all(runs);
    await until("the worker's log", async () => w.logged("recomputation done").length === 3);
    const order = w.logged("recomputation done").map((l) => l.work);
    const keyOf = (h: number) => content(sha256, new Uint8Array(64).fill(h), 16).key;
    expect(order).to.deep.equal([keyOf(1), keyOf(2), keyOf(3)]);
  });

  it("a worker killed mid-job loses nothing: the job goes to another worker and finishes", async () => {
    const p = await pool();
    const first = await worker({ lockSeconds: 2 });
    const input = Uint8Array.from([1, 2, 3, 4]);
    const run = ask(p, cpubench, input, 28);
    const q = inspect();
    try {
      await until(
        "the job running on the first worker",
        async () => (await q.getActiveCount()) === 1,
        30_000,
        50,
      );
      first.signal("SIGKILL");
      await until("the first worker gone", async () => first.exited(), 10_000, 50);
      expect(first.logged("recomputation done")).to.deep.equal([]);
      const second = await worker({ lockSeconds: 2 });
      const r = await run;
      expect(r).to.deep.equal(await local(cpubench, input, 28));
      await until("the second worker's log", async () => second.logged("recomputation done").length === 1);
      expect(second.logged("recomputation done").map((l) => l.work)).to.deep.equal([
        content(cpubench, input, 28).key,
      ]);
      expect(await q.getCompletedCount()).to.equal(1);
    } finally {
      await q.close();
    }
  });

  it("a worker frozen past its lock: the job is delivered twice, and that does no harm", async () => {
    const p = await pool();
    const frozen = await worker({ lockSeconds: 2 });
    const input = Uint8Array.from([9, 9, 9]);
    const run = ask(p, cpubench, input, 28);
    const q = inspect();
    try {
      await until(
        "the job running on the first worker",
        async () => (await q.getActiveCount()) === 1,
        30_000,
        50,
      );
      frozen.signal("SIGSTOP");
      const other = await worker({ lockSeconds: 2 });
      const r = await run;
      const ref = await local(cpubench, input, 28);
      expect(r).to.deep.equal(ref);
      await until("the other worker's log", async () => other.logged("recomputation done").length === 1);
      // The frozen one wakes up and finishes its copy: its completion is refused (it lost the
      // lock), it keeps serving, and the stored result is still the right one.
      frozen.signal("SIGCONT");
      await until(
        "the frozen worker's copy ends",
        async () => frozen.logged("executed").length === 1,
        60_000,
      );
      expect(frozen.exited()).to.equal(false);
      expect(await ask(p, cpubench, input, 28)).to.deep.equal(ref);
      expect(await q.getCompletedCount()).to.equal(1);
      expect(await executions()).to.be.within(1, 2);
    } finally {
      await q.close();
    }
  });

  it("a broker restart loses no pending check", async () => {
    const p = await pool();
    const inputs = [11, 12, 13].map((v) => new Uint8Array(300).fill(v));
    const runs = inputs.map((input) => ask(p, sha256, input, 18));
    const q = inspect();
    try {
      await until("three jobs queued", async () => (await q.count()) === 3, 30_000, 50);
    } finally {
      await q.close();
    }
    await redis.restart();
    await worker();
    const results = await Promise.all(runs);
    for (const [i, input] of inputs.entries())
      expect(results[i]).to.deep.equal(await local(sha256, input, 18));
  });

  it("a job whose program image does not load to its root fails for good, with a typed error", async () => {
    const p = await pool();
    const w = await worker();
    const input = new Uint8Array(10);
    // Someone with broker access swaps the image blob of sha256 for another program.
    const r = new Redis(redis.url);
    try {
      await r.set(imageKey(queue, programRoot(sha256), sha256.entry), encodeImage(cpubench));
    } finally {
      r.disconnect();
    }
    // The pool uploads only when absent (NX), so the swapped blob is what workers see.
    const err = await ask(p, sha256, input, 16).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(BrokerJobFailedError);
    expect((err as Error).message).to.match(/not to the job's key/);
    // The worker logs after it fails the job, so the line may land after our rejection.
    await until("the worker's log", () => w.logged("recomputation failed").length > 0, 10_000, 20);
    expect(w.logged("recomputation failed")).to.have.length(1); // not retried: the same on every worker
    expect(w.exited()).to.equal(false);
  });
});

// Watchtower capacity (issue 10), measured on real processes: a redis-server
// broker, `verdict worker` processes, the challenger's broker pool, and for
// the starvation case the whole chain (anvil, contracts, challenger daemon).
//
//   npx tsx bench/watchtower/run.ts [--json] [--jobs N]
//
// dedupe      12 recomputation requests from two challengers over 4 distinct
//             (program, input, D): executions counted by the workers.
// scaling     N distinct expensive jobs (cpubench, ~2.2e8 steps each, block
//             compiler) on 1 and then 2 worker processes; checks per minute of
//             wall time from the first request to the last result (workers
//             started and warmed up before the clock starts).
// starvation  test/support/starvation.ts: with 2 workers (one killed mid-job)
//             the wrong proposal behind a flood is defeated inside its window;
//             with 1 worker and a short window, the capacity alarm's lead time.
//
// --json prints exactly one JSON object:
// {"dedupe":{"jobs","executions"},"scaling":[{"workers":1,"checksPerMinute"},
//  {"workers":2,"checksPerMinute"}],"starvation":{"wrongProposalDefeated","alarmLeadSeconds"}}

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { workKey } from "@verdict/shared/src/cache/workKey.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { MACHINE_VERSION } from "@verdict/shared/src/machine/constants.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { startRedis } from "@verdict/shared/src/testing/startRedis.ts";
import { probeBroker } from "../../challenger/src/testing/brokerProbe.ts";
import { startTestWorker, type TestWorker } from "../../challenger/src/testing/startTestWorker.ts";
import { createBrokerPool, type RemoteRecompute } from "../../challenger/src/work/createBrokerPool.ts";
import { runStarvation } from "../../test/support/starvation.ts";

const json = process.argv.includes("--json");
const jobsArg = process.argv.indexOf("--jobs");
const SCALING_JOBS = jobsArg > 0 ? Number(process.argv[jobsArg + 1]) : 24;
const log = (s: string) => {
  if (!json) console.log(s);
};

const examples = resolve(import.meta.dirname, "../../guest/examples");
const elf = (name: string) => loadElf(new Uint8Array(readFileSync(join(examples, name, `${name}.elf`))));

function ask(pool: RemoteRecompute, image: ProgramImage, input: Uint8Array, depth: number) {
  const content = {
    machineVersion: MACHINE_VERSION,
    programRoot: programRoot(image),
    entry: image.entry,
    inputRoot: inputRoot(input),
    depth,
  };
  return pool.run({ image, input, depth }, { key: workKey(content), content });
}

async function withBroker<T>(
  workers: number,
  body: (p: { pools: RemoteRecompute[]; queue: string; url: string }) => Promise<T>,
): Promise<T> {
  const redis = await startRedis();
  const queue = `bench-${process.pid}-${workers}-${Date.now()}`;
  const started: TestWorker[] = [];
  const pools: RemoteRecompute[] = [];
  try {
    for (let i = 0; i < workers; i++) started.push(await startTestWorker({ redisUrl: redis.url, queue }));
    pools.push(await createBrokerPool({ redisUrl: redis.url, queue, pollMs: 200 }));
    pools.push(await createBrokerPool({ redisUrl: redis.url, queue, pollMs: 200 }));
    return await body({ pools, queue, url: redis.url });
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    await Promise.all(started.map((w) => w.stop()));
    await redis.stop();
  }
}

async function dedupe() {
  const sha256 = elf("sha256");
  return withBroker(1, async ({ pools, queue, url }) => {
    const inputs = [1, 2, 3, 4].map((v) => new Uint8Array(20_000).fill(v));
    const requests = [0, 1, 2].flatMap((round) =>
      inputs.map((input, i) => ask(pools[(round + i) % 2], sha256, input, 22)),
    );
    await Promise.all(requests);
    const probe = probeBroker(url, queue);
    try {
      return { jobs: requests.length, executions: await probe.executions() };
    } finally {
      await probe.close();
    }
  });
}

async function scaling(workers: number) {
  const cpubench = elf("cpubench");
  return withBroker(workers, async ({ pools }) => {
    // Warm-up: one job per worker (module load, block compilation), not timed.
    await Promise.all(
      Array.from({ length: workers }, (_, i) => ask(pools[0], cpubench, Uint8Array.from([0xff, i]), 28)),
    );
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: SCALING_JOBS }, (_, i) =>
        ask(pools[i % 2], cpubench, Uint8Array.from([i & 0xff, i >> 8, workers]), 28),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { workers, checksPerMinute: Math.round((SCALING_JOBS / seconds) * 60 * 10) / 10 };
  });
}

const d = await dedupe();
log(`dedupe: ${d.jobs} requests, ${d.executions} executions`);
const scale = [];
for (const w of [1, 2]) {
  const s = await scaling(w);
  log(`scaling: ${w} worker(s): ${s.checksPerMinute} checks/min (${SCALING_JOBS} cpubench jobs)`);
  scale.push(s);
}
log(`scaling ratio 2 vs 1: ${(scale[1].checksPerMinute / scale[0].checksPerMinute).toFixed(2)}x`);
const enough = await runStarvation({
  workers: 2,
  floodJobs: 6,
  perProposal: 2,
  windowSeconds: 240,
  interpreter: true,
  killOneWorker: true,
});
log(`starvation, 2 workers (one killed mid-job): wrong proposal defeated = ${enough.wrongProposalDefeated}`);
const few = await runStarvation({
  workers: 1,
  floodJobs: 48,
  perProposal: 8,
  windowSeconds: 60,
  interpreter: true,
  checkConcurrency: 1,
});
log(`starvation, 1 worker, 60 s window: capacity alarm ${few.alarmLeadSeconds} s before the deadline`);
const out = {
  dedupe: d,
  scaling: scale,
  starvation: { wrongProposalDefeated: enough.wrongProposalDefeated, alarmLeadSeconds: few.alarmLeadSeconds },
};
console.log(JSON.stringify(out));
process.exit(0);

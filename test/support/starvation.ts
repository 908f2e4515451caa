// The starvation attack on a watchtower, end to end (issue 10): an attacker
// floods the chain with expensive CORRECT jobs (cpubench, ~2.2e8 steps each,
// a distinct input per job so no cache helps) in several proposals, then posts
// one WRONG proposal behind them. The challenger recomputes through a real
// broker (redis-server) on `verdict worker` processes. With enough workers it
// opens the game on the wrong leaf inside the window and the proposal is
// defeated; with too few it raises the capacity alarm naming the wrong
// proposal, long before its window closes (the lead time is measured).
// Shared by test/watchtower.test.ts and bench/watchtower/run.ts.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { startRedis } from "@verdict/shared/src/testing/startRedis.ts";
import { type Hex, keccak256, toHex } from "viem";
import { probeBroker } from "../../challenger/src/testing/brokerProbe.ts";
import { startTestWorker, type TestWorker } from "../../challenger/src/testing/startTestWorker.ts";
import { startAlertSink, startChallenger } from "./daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./fixture.ts";

const DEFEATED = 3;

export type StarvationParameters = {
  /** `verdict worker` processes (one thread each). */
  workers: number;
  /** Expensive correct jobs in the flood. */
  floodJobs: number;
  /** Leaves per flood proposal. */
  perProposal: number;
  /** Challenge window. Unit: seconds. */
  windowSeconds: number;
  /** Workers run the reference interpreter (slower: fewer jobs make a flood). */
  interpreter?: boolean;
  /** Kill one worker (SIGKILL) as soon as it is mid-job. */
  killOneWorker?: boolean;
  /** Proposals checked at once; default: twice the workers. */
  checkConcurrency?: number;
};

export type StarvationOutcome = {
  wrongProposalId: bigint;
  /** The game on the wrong leaf was opened inside its window and the proposal ended Defeated. */
  wrongProposalDefeated: boolean;
  /** Window left when the first capacity alarm naming the wrong proposal arrived; null: none. Unit: s. */
  alarmLeadSeconds: number | null;
  /** Window left when the first capacity alarm (any proposal) arrived; null: none. Unit: s. */
  firstAlarmLeadSeconds: number | null;
  /** Proposals the challenger checked. */
  proposalsChecked: number;
  /** Machine runs done by the workers (the broker's counter). */
  executions: number;
  /** Jobs finished by each worker. */
  perWorker: number[];
  killedMidJob: boolean;
  alerts: { kind: string; data: Record<string, unknown> }[];
};

export async function runStarvation(p: StarvationParameters): Promise<StarvationOutcome> {
  const depth = 28;
  const clockSeconds = 600;
  const fx: E2EFixture = await setupE2E({
    programs: { cpubench: depth },
    challengeWindowSeconds: p.windowSeconds,
    clockSeconds,
    // Chain time must follow wall time (automine would leave the head's timestamp stale while the
    // challenger computes, and its window arithmetic with it).
    blockTimeSeconds: 1,
  });
  const redis = await startRedis();
  const queue = `starvation-${process.pid}-${Date.now()}`;
  const sink = await startAlertSink();
  const probe = probeBroker(redis.url, queue);
  const workers: TestWorker[] = [];
  let challenger: Awaited<ReturnType<typeof startChallenger>> | undefined;
  try {
    for (let i = 0; i < p.workers; i++)
      workers.push(
        await startTestWorker({ redisUrl: redis.url, queue, lockSeconds: 3, interpreter: p.interpreter }),
      );
    // Chain time minus wall time, to date the alarms in chain time (automine: blocks only on txs).
    const chainNow = async () => {
      const b = await fx.publicClient.getBlock({ blockTag: "latest" });
      return Number(b.timestamp);
    };
    const offset = (await chainNow()) - Date.now() / 1000;
    const alarmTimes: number[] = [];
    const seen = new Set<number>();

    challenger = await startChallenger(fx, {
      keyIndex: KEYS.challenger,
      alertWebhook: sink.url,
      over: {
        redisUrl: redis.url,
        queue,
        workers: "0",
        // A fresh work cache: a result kept from an earlier run would spare the workers the flood.
        cacheDir: mkdtempSync(join(tmpdir(), "verdict-starvation-cache-")),
        checkConcurrency: String(p.checkConcurrency ?? Math.max(1, 2 * p.workers)),
      },
    });
    const stampAlerts = setInterval(() => {
      for (let i = 0; i < sink.alerts.length; i++)
        if (!seen.has(i)) {
          seen.add(i);
          alarmTimes[i] = Date.now() / 1000 + offset;
        }
    }, 20);

    // Kill one worker as soon as every worker is mid-job (in the background: the flood is being
    // checked while the attacker is still posting it).
    let killedMidJob = false;
    const killer = p.killOneWorker
      ? until(
          "every worker running a job",
          async () => (await probe.active()) === p.workers,
          300_000,
          20,
        ).then(() => {
          workers[0].signal("SIGKILL");
          killedMidJob = true;
        })
      : Promise.resolve();

    // The flood: correct results the attacker computed (it pays the same execution once each).
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.cpubench)));
    const inputs = Array.from({ length: p.floodJobs }, (_, i) =>
      new Uint8Array(32).map((_, j) => (i * 31 + j) & 0xff),
    );
    const hashes: Hex[] = [];
    for (const input of inputs)
      hashes.push((await buildTrace({ image, input, depth, checkpointInterval: 2 ** 30 })).result.stateHash);
    const leaves: ResultLeaf[] = [];
    for (const [i, input] of inputs.entries())
      leaves.push({ jobId: await fx.submitJob("cpubench", input), finalStateHash: hashes[i] });
    const wrongJob = await fx.submitJob("cpubench", new Uint8Array(32).fill(0xee));
    for (let i = 0; i < leaves.length; i += p.perProposal)
      await fx.propose(leaves.slice(i, i + p.perProposal), KEYS.dishonest);
    const wrongProposalId = await fx.propose(
      [{ jobId: wrongJob, finalStateHash: keccak256(toHex("a wrong result")) as Hex }],
      KEYS.dishonest2,
    );
    const { deadline } = await fx.read<{ deadline: bigint }>("getProposal", [wrongProposalId]);

    await killer;

    // Until the wrong proposal is either challenged or out of its window.
    const opened = await until(
      "the wrong leaf's game opened, or the window closed",
      async () => {
        const logs = await fx.events("GameOpened", {
          contract: "game",
          args: { proposalId: wrongProposalId },
        });
        if (logs.length > 0) return { at: logs[0].blockNumber };
        return Date.now() / 1000 + offset > Number(deadline) + 5 ? { at: undefined } : undefined;
      },
      (p.windowSeconds + 120) * 1000,
      100,
    );
    let defeated = false;
    if (opened.at !== undefined) {
      const block = await fx.publicClient.getBlock({ blockNumber: opened.at });
      if (block.timestamp <= deadline) {
        // The attacker does not defend its lie: its clock runs out, the challenger resolves the game.
        await fx.advance(clockSeconds + 60);
        await until(
          "the wrong proposal defeated",
          async () =>
            Number((await fx.read<{ status: number }>("getProposal", [wrongProposalId])).status) === DEFEATED,
          120_000,
          100,
        );
        defeated = true;
      }
    }
    clearInterval(stampAlerts);
    const alarmIndex = sink.alerts.findIndex(
      (a) => a.kind === "capacity_shortfall" && a.data.proposalId === wrongProposalId.toString(),
    );
    const executions = await probe.executions();
    return {
      wrongProposalId,
      wrongProposalDefeated: defeated,
      alarmLeadSeconds: alarmIndex < 0 ? null : Math.round(Number(deadline) - alarmTimes[alarmIndex]),
      firstAlarmLeadSeconds: (() => {
        const i = sink.alerts.findIndex((a) => a.kind === "capacity_shortfall");
        return i < 0 ? null : Math.round(Number(sink.alerts[i].data.deadline) - alarmTimes[i]);
      })(),
      proposalsChecked: challenger.challenger.status().proposalsChecked,
      executions,
      perWorker: workers.map((w) => w.logged("recomputation done").length),
      killedMidJob,
      alerts: sink.alerts.map((a) => ({ kind: a.kind, data: a.data })),
    };
  } finally {
    await challenger?.stop();
    await Promise.all(workers.map((w) => w.stop()));
    await sink.close();
    await probe.close();
    await redis.stop();
    await fx.stop();
  }
}

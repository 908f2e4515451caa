// A `verdict worker` as a real OS process (what an operator runs), for the
// broker tests, the e2e tests and the watchtower bench: started with its
// options as environment variables, ready once it takes jobs, killable with
// any signal (SIGKILL mid-job, SIGSTOP to freeze it past its lock).

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../..");

export type TestWorker = {
  pid: number;
  /** Everything the process printed so far. */
  output: () => string;
  /** Lines of its JSON log with this message. */
  logged: (msg: string) => Record<string, unknown>[];
  signal: (sig: NodeJS.Signals) => void;
  /** SIGTERM (graceful), SIGKILL after 10 s; resolves once it is gone. */
  stop: () => Promise<void>;
  exited: () => boolean;
};

export async function startTestWorker(p: {
  redisUrl: string;
  queue?: string;
  threads?: number;
  lockSeconds?: number;
  cacheDir?: string;
  /** Reference interpreter instead of the block compiler: several times slower, for expensive-job tests. */
  interpreter?: boolean;
  startTimeoutMs?: number;
}): Promise<TestWorker> {
  const env = {
    ...process.env,
    VERDICT_REDIS_URL: p.redisUrl,
    VERDICT_QUEUE: p.queue ?? "verdict-recompute",
    VERDICT_WORKER_THREADS: String(p.threads ?? 1),
    VERDICT_LOCK_SECONDS: String(p.lockSeconds ?? 30),
    VERDICT_CACHE_DIR: p.cacheDir ?? mkdtempSync(join(tmpdir(), "verdict-worker-test-")),
    VERDICT_LOG_FORMAT: "json",
    VERDICT_LOG_LEVEL: "info",
    VERDICT_INTERPRETER: p.interpreter ? "true" : "false",
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "challenger/src/worker.ts")],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  let gone = false;
  const exit = new Promise<void>((r) =>
    child.once("exit", () => {
      gone = true;
      r();
    }),
  );
  const logged = (msg: string) =>
    out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      })
      .filter((j) => j.msg === msg);
  const deadline = Date.now() + (p.startTimeoutMs ?? 60_000);
  while (logged("worker taking jobs").length === 0) {
    if (gone) throw new Error(`verdict worker exited at startup:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`verdict worker did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid ?? 0,
    output: () => out,
    logged,
    signal: (sig) => child.kill(sig),
    exited: () => gone,
    stop: async () => {
      if (gone) return;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(t);
    },
  };
}

// Starts a real redis-server (the Debian package, installed by
// .ci/install-toolchain.sh) on 127.0.0.1 and a free port, with its data in a
// fresh temporary directory and the append-only file on (fsync always), so a
// restart keeps every queued job: what the broker fault tests rely on and what
// operators should run. Used by the broker tests and the watchtower bench.
//
//   const redis = await startRedis();
//   redis.url                     // redis://127.0.0.1:PORT
//   await redis.restart();        // stop (SIGTERM, data kept) and start again on the same port
//   await redis.stop();           // and remove the data directory

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisStartError } from "./errors.ts";

export type RedisInstance = {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Stops the server (its data stays) and starts it again on the same port. */
  restart: () => Promise<void>;
  /** Stops the server and deletes its data directory. */
  stop: () => Promise<void>;
};

export type StartRedisParameters = {
  /** Executable; default: redis-server on PATH. */
  binary?: string;
  /** Give up after this long; default 10 000 ms. */
  startTimeoutMs?: number;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const alive = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of alive) c.kill("SIGKILL");
});

export function redisAvailable(binary = "redis-server"): boolean {
  try {
    execFileSync(binary, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function startRedis({
  binary = "redis-server",
  startTimeoutMs = 10_000,
}: StartRedisParameters = {}): Promise<RedisInstance> {
  if (!redisAvailable(binary))
    throw new RedisStartError(
      `${binary} not found: run .ci/install-toolchain.sh (Debian package redis-server)`,
    );
  const dir = mkdtempSync(join(tmpdir(), "verdict-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const c = spawn(
      binary,
      [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
        // A queue must never lose a job to eviction.
        "--maxmemory-policy",
        "noeviction",
        "--protected-mode",
        "yes",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    alive.add(c);
    c.once("exit", () => alive.delete(c));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RedisStartError(`redis-server did not start in ${startTimeoutMs} ms:\n${out}`)),
        startTimeoutMs,
      );
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      };
      c.stdout?.on("data", onData);
      c.stderr?.on("data", onData);
      c.once("exit", (code) => {
        clearTimeout(timer);
        reject(new RedisStartError(`redis-server exited with ${code}:\n${out}`));
      });
    });
    child = c;
  }

  async function halt(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => c.kill("SIGKILL"), 5000);
      c.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      c.kill("SIGTERM");
    });
  }

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

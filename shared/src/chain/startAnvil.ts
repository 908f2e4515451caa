// Starts a real anvil from the @foundry-rs/anvil npm package (no separate
// install) on a free port, and stops it cleanly. Used by the end-to-end tests,
// the daemons' tests, the benchmarks and the demo.
//
// Usage:
//   const anvil = await startAnvil();            // automine, chain id 31337
//   const client = createPublicClient({ transport: http(anvil.rpcUrl) });
//   const key = anvil.privateKeys[0];             // funded dev accounts
//   ...
//   await anvil.stop();                           // SIGTERM, then SIGKILL after a grace period
//
// The native binary is spawned directly (not the package's node wrapper), so
// killing it never leaves an orphan behind; every instance still alive when the
// process exits is killed synchronously on 'exit'.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hex } from "viem";
import { AnvilBinaryNotFoundError, AnvilStartError } from "./errors.ts";

export type StartAnvilParameters = {
  /** TCP port; 0 (default) lets the OS pick a free one. */
  port?: number;
  /** Chain id; default 31337. */
  chainId?: number;
  /** Interval mining in seconds; undefined (default) = automine (one block per transaction). */
  blockTimeSeconds?: number;
  /** Number of funded dev accounts; default 10. */
  accounts?: number;
  /** Balance of each dev account in ETH; default 10000. */
  balanceEth?: number;
  /** Block gas limit; default: anvil's (30M). */
  gasLimit?: bigint;
  /** Genesis timestamp (seconds). */
  timestamp?: bigint;
  /** Extra raw anvil flags. */
  extraArgs?: string[];
  /** Give up after this long; default 20 000 ms. */
  startTimeoutMs?: number;
};

export type AnvilInstance = {
  /** http://127.0.0.1:PORT */
  rpcUrl: string;
  port: number;
  pid: number;
  chainId: number;
  /** Private keys of the funded dev accounts, in anvil's order. */
  privateKeys: Hex[];
  /** The last lines anvil printed (for failure messages). */
  output(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3000); resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
};

export type StartAnvilReturnType = AnvilInstance;
export type StartAnvilErrorType = AnvilStartError | AnvilBinaryNotFoundError;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain SIGKILL is the only safe thing.
  process.on("exit", () => {
    for (const child of live) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

const PLATFORM: Record<string, string> = {
  "linux-x64": "linux-amd64",
  "linux-arm64": "linux-arm64",
  "darwin-x64": "darwin-amd64",
  "darwin-arm64": "darwin-arm64",
  "win32-x64": "win32-amd64",
};

/** Path of the native anvil binary shipped by @foundry-rs/anvil's platform package. */
export function resolveAnvilBinary(): string {
  const tried: string[] = [];
  const suffix = PLATFORM[`${process.platform}-${process.arch}`];
  const exe = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    // The platform package is a dependency of @foundry-rs/anvil, so resolve from there
    // (pnpm does not hoist it to the root).
    const require = createRequire(import.meta.url);
    const wrapperPkg = require.resolve("@foundry-rs/anvil/package.json", {
      paths: [process.cwd(), import.meta.dirname],
    });
    if (suffix) {
      const fromWrapper = createRequire(wrapperPkg);
      try {
        const bin = fromWrapper.resolve(`@foundry-rs/anvil-${suffix}/bin/${exe}`);
        tried.push(bin);
        if (existsSync(bin)) return bin;
      } catch (err) {
        tried.push(`@foundry-rs/anvil-${suffix}/bin/${exe} (${(err as Error).message.split("\n")[0]})`);
      }
    }
    const dist = join(dirname(wrapperPkg), "..", "dist", exe);
    tried.push(dist);
    if (existsSync(dist)) return dist;
  } catch (err) {
    tried.push(`@foundry-rs/anvil (${(err as Error).message.split("\n")[0]})`);
  }
  throw new AnvilBinaryNotFoundError({ tried });
}

/** Starts anvil and resolves once it accepts JSON-RPC requests. */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilReturnType> {
  const {
    port = 0,
    chainId = 31337,
    blockTimeSeconds,
    accounts = 10,
    balanceEth = 10000,
    gasLimit,
    timestamp,
    extraArgs = [],
    startTimeoutMs = 20_000,
  } = parameters;
  const bin = resolveAnvilBinary();
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--chain-id",
    String(chainId),
    "--accounts",
    String(accounts),
    "--balance",
    String(balanceEth),
  ];
  if (blockTimeSeconds !== undefined) args.push("--block-time", String(blockTimeSeconds));
  if (gasLimit !== undefined) args.push("--gas-limit", gasLimit.toString());
  if (timestamp !== undefined) args.push("--timestamp", timestamp.toString());
  args.push(...extraArgs);

  installExitHook();
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      live.delete(child);
      resolve();
    });
  });

  // Keep only a tail of the output: anvil logs every request, and the pipes must
  // be drained forever or anvil blocks on a full pipe.
  const tail: string[] = [];
  const privateKeys: Hex[] = [];
  let inKeys = false;
  let boundPort: number | undefined;
  let pending = "";
  let onListening: ((port: number) => void) | undefined;
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 200) tail.shift();
    if (boundPort !== undefined) return;
    if (line.startsWith("Private Keys")) inKeys = true;
    else if (line.startsWith("Wallet")) inKeys = false;
    const key = inKeys ? /^\(\d+\)\s+(0x[0-9a-fA-F]{64})\s*$/.exec(line) : null;
    if (key) privateKeys.push(key[1] as Hex);
    const listening = /^Listening on [^\s]*:(\d+)\s*$/.exec(line);
    if (listening) {
      boundPort = Number(listening[1]);
      onListening?.(boundPort);
    }
  };
  const onData = (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ""));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const output = () => tail.join("\n");
  const stop = async (graceMs = 3000) => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (!exited) child.kill("SIGKILL");
    }, graceMs);
    await exitPromise;
    clearTimeout(timer);
  };

  let actualPort: number;
  try {
    actualPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new AnvilStartError({ reason: `not listening after ${startTimeoutMs} ms`, output: output() }),
          ),
        startTimeoutMs,
      );
      onListening = (p) => {
        clearTimeout(timer);
        resolve(p);
      };
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(new AnvilStartError({ reason: `spawn failed (${err.message})`, cause: err }));
      });
      exitPromise.then(() => {
        clearTimeout(timer);
        reject(new AnvilStartError({ reason: `exited with code ${child.exitCode}`, output: output() }));
      });
    });
  } catch (err) {
    await stop(500);
    throw err;
  }

  const rpcUrl = `http://127.0.0.1:${actualPort}`;
  return {
    rpcUrl,
    port: actualPort,
    pid: child.pid as number,
    chainId,
    privateKeys,
    output,
    exited: () => exited,
    stop,
  };
}

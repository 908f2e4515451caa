// `pnpm run demo`: the whole Verdict story on an embedded chain, in about a
// minute. Starts anvil from the npm package, deploys the protocol, registers
// the example guests (one whose inputs must be signed by a data source),
// submits jobs, and runs three real daemons in this process: an honest
// proposer, a DISHONEST proposer (fault injection: its traces are corrupted
// from one step on) and a challenger. A narrator follows the chain's events
// and tells what happens; anvil's clock is moved forward so the challenge
// window passes in seconds. Ends with a summary table; exits 0 only when the
// story went as the protocol promises (the lie defeated, the truth final).
//
// Flags: --verbose shows the daemons' own logs; --keep-going leaves nothing
// running either way (anvil is always stopped).

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { programRegistryAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { deploy } from "@verdict/shared/src/deploy/deploy.ts";
import { parseDeployConfig } from "@verdict/shared/src/deploy/parseDeployConfig.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { startAnvil } from "@verdict/shared/src/testing/startAnvil.ts";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  hashTypedData,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildChallengerConfig } from "../challenger/src/config.ts";
import type { Challenger } from "../challenger/src/createChallenger.ts";
import { runChallenger } from "../challenger/src/runChallenger.ts";
import { decodeMedianOutput, encodePriceReports, type PriceReport } from "../guest/reference.ts";
import { buildProposerConfig } from "../proposer/src/config.ts";
import { runProposer } from "../proposer/src/runProposer.ts";
import { createNarrator } from "./createNarrator.ts";
import { c, eth, short, table } from "./format.ts";

const root = resolve(import.meta.dirname, "..");
const verbose = process.argv.includes("--verbose");
const t0 = Date.now();
const say = (line: string) =>
  process.stdout.write(`${c.dim(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const WINDOW_SECONDS = 600;
const CLOCK_SECONDS = 1800;
/** The dishonest proposer's traces are wrong from this step on. */
const FAULT_STEP = 5_000n;

const KEYS = { deployer: 0, requester: 1, challenger: 2, dataSource: 3, honest: 4, dishonest: 5 } as const;

type Guest = { name: string; elf: string; depth: number; image?: ProgramImage };
const GUESTS: Guest[] = [
  { name: "sha256", elf: "guest/examples/sha256/sha256.elf", depth: 20 },
  { name: "median", elf: "guest/examples/median/median.elf", depth: 15 },
  { name: "echo", elf: "guest/examples/echo/echo.elf", depth: 12 },
];

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  poll: () => Promise<void>,
  timeoutMs: number,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    await poll();
    const v = await fn();
    if (v) return v as T;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(150);
  }
}

async function main(): Promise<number> {
  say(c.bold("Verdict demo: verifiable offchain computation with optimistic disputes"));
  say("starting an embedded chain (anvil from the npm package)…");
  const anvil = await startAnvil({ accounts: 8 });
  const stops: (() => Promise<void>)[] = [];
  try {
    return await story(anvil.rpcUrl, anvil.chainId, anvil.privateKeys, stops);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await anvil.stop();
  }
}

async function story(
  rpcUrl: string,
  chainId: number,
  keys: Hex[],
  stops: (() => Promise<void>)[],
): Promise<number> {
  const chain: Chain = defineChain({
    id: chainId,
    name: "anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({
    chain,
    transport: http(rpcUrl),
    pollingInterval: 100,
  }) as PublicClient<Transport, Chain>;
  const wallet = (i: number): WalletClient<Transport, Chain, Account> =>
    createWalletClient({
      chain,
      account: privateKeyToAccount(keys[i]),
      transport: http(rpcUrl),
      pollingInterval: 100,
    });
  const addr = (i: number) => privateKeyToAccount(keys[i]).address;
  const names = new Map<string, string>([
    [addr(KEYS.deployer).toLowerCase(), "governance"],
    [addr(KEYS.requester).toLowerCase(), "requester"],
    [addr(KEYS.challenger).toLowerCase(), "challenger"],
    [addr(KEYS.dataSource).toLowerCase(), "price data source"],
    [addr(KEYS.honest).toLowerCase(), "honest proposer"],
    [addr(KEYS.dishonest).toLowerCase(), "dishonest proposer"],
  ]);

  // 1. Deploy.
  const deployment = await deploy({
    publicClient,
    walletClient: wallet(KEYS.deployer),
    config: parseDeployConfig({
      k: 16,
      params: {
        proposerBond: String(10n ** 18n),
        challengerBond: String(5n * 10n ** 17n),
        challengeWindowSeconds: WINDOW_SECONDS,
        clockSeconds: CLOCK_SECONDS,
        burnBps: 1000,
        maxInputBytes: 1 << 16,
        maxBatchSize: 64,
      },
    }),
  });
  say(
    `deployed: RV32IM verifier ${short(deployment.verifier)}, registry ${short(deployment.registry)}, Verdict ${short(deployment.verdict)} (k = 16, window ${WINDOW_SECONDS}s, bonds 1 / 0.5 ETH)`,
  );
  const programNames = new Map<bigint, string>();
  const narrator = createNarrator({
    publicClient,
    verdict: deployment.verdict,
    registry: deployment.registry,
    fromBlock: deployment.deployedAtBlock,
    names,
    programNames,
    print: say,
  });
  const poll = () => narrator.poll();
  const actors = [KEYS.requester, KEYS.challenger, KEYS.honest, KEYS.dishonest];
  const balancesBefore = await Promise.all(actors.map((i) => publicClient.getBalance({ address: addr(i) })));

  // 2. Register the example guests; median inputs must be attested by the data source.
  const write = async (
    i: number,
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ) => {
    const hash = await wallet(i).writeContract({ address, abi, functionName, args, value });
    const r = await publicClient.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`${functionName} reverted`);
    return r;
  };
  for (const [i, g] of GUESTS.entries()) {
    g.image = loadElf(new Uint8Array(readFileSync(join(root, g.elf))));
    programNames.set(BigInt(i + 1), g.name);
    const signers = g.name === "median" ? [addr(KEYS.dataSource)] : [];
    await write(KEYS.deployer, deployment.registry, programRegistryAbi as Abi, "registerProgram", [
      programRoot(g.image) as Hex,
      g.image.entry,
      g.depth,
      `0x${"00".repeat(32)}`,
      signers,
      deployment.verifier,
    ]);
  }
  await poll();

  // 3. Submit jobs: a hash, a signed price feed aggregation, an echo.
  const fee = 10n ** 16n;
  const text = new TextEncoder().encode("Verdict: results you do not have to trust. ".repeat(200));
  await write(
    KEYS.requester,
    deployment.verdict,
    verdictAbi as Abi,
    "submitJob",
    [1n, `0x${Buffer.from(text).toString("hex")}`],
    fee,
  );
  const reports: PriceReport[] = Array.from({ length: 64 }, (_, i) => ({
    sourceId: 100 + i,
    price: 3_000_00n + BigInt((i * 7919) % 1000) - 500n,
    timestamp: 1_767_225_600n + BigInt(i * 3),
  }));
  const feed = encodePriceReports(reports);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const message = { programId: 2n, inputRoot: inputRoot(feed), nonce: 1n, deadline };
  const domain = { name: "Verdict", version: "1", chainId, verifyingContract: deployment.verdict } as const;
  const types = {
    InputAttestation: [
      { name: "programId", type: "uint256" },
      { name: "inputRoot", type: "bytes32" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  } as const;
  const onchainDigest = await publicClient.readContract({
    address: deployment.verdict,
    abi: verdictAbi,
    functionName: "attestationDigest",
    args: [message.programId, message.inputRoot, message.nonce, message.deadline],
  });
  if (onchainDigest !== hashTypedData({ domain, types, primaryType: "InputAttestation", message }))
    throw new Error("EIP-712 digest mismatch between viem and the contract");
  const signature = await privateKeyToAccount(keys[KEYS.dataSource]).signTypedData({
    domain,
    types,
    primaryType: "InputAttestation",
    message,
  });
  await write(
    KEYS.requester,
    deployment.verdict,
    verdictAbi as Abi,
    "submitSignedJob",
    [2n, `0x${Buffer.from(feed).toString("hex")}`, addr(KEYS.dataSource), 1n, deadline, signature],
    fee,
  );
  await write(
    KEYS.requester,
    deployment.verdict,
    verdictAbi as Abi,
    "submitJob",
    [3n, `0x${Buffer.from("hello, verdict").toString("hex")}`],
    fee,
  );
  await poll();

  // 4. The daemons: real configuration, real startup paths, in this process.
  const programs = GUESTS.map((g) => join(root, g.elf)).join(",");
  const common = {
    rpcUrl,
    verdict: deployment.verdict,
    programs,
    confirmations: "0",
    pollMs: "100",
    startBlock: deployment.deployedAtBlock.toString(),
    metricsPort: "0",
    logLevel: verbose ? "info" : "silent",
    logFormat: "pretty",
  };
  const stopper = () => {
    const ac = new AbortController();
    return ac;
  };
  const startProposer = (keyIndex: number, extra: Record<string, string>) => {
    const ac = stopper();
    const config = buildProposerConfig({
      cli: {
        ...common,
        batchSize: "8",
        maxWaitSeconds: "1",
        dataDir: join(root, ".data", `demo-proposer-${keyIndex}`),
        ...extra,
      },
      env: {},
    });
    const done = runProposer({
      config,
      env: { VERDICT_PROPOSER_KEY: keys[keyIndex] },
      manageProcess: false,
      signal: ac.signal,
    }).catch((err) => say(c.red(`proposer ${keyIndex} stopped: ${(err as Error).message}`)));
    const stop = async () => {
      ac.abort();
      await done;
    };
    stops.push(stop);
    return stop;
  };
  say(
    `starting the ${c.bold("challenger")} (watchtower): it recomputes every proposed result on its own machine`,
  );
  let challenger: Challenger | undefined;
  {
    const ac = stopper();
    const config = buildChallengerConfig({ cli: { ...common, workers: "1" }, env: {} });
    const done = runChallenger({
      config,
      env: { VERDICT_CHALLENGER_KEY: keys[KEYS.challenger] },
      manageProcess: false,
      signal: ac.signal,
      onStarted: (ch) => {
        challenger = ch;
      },
    }).catch((err) => say(c.red(`challenger stopped: ${(err as Error).message}`)));
    stops.push(async () => {
      ac.abort();
      await done;
    });
  }
  say(`starting the ${c.bold("honest proposer")}`);
  startProposer(KEYS.honest, {});
  say(
    `starting a ${c.red(c.bold("dishonest proposer"))}: every trace it computes is corrupted from step ${FAULT_STEP} on (fault injection)`,
  );
  const stopDishonest = startProposer(KEYS.dishonest, {
    injectFault: FAULT_STEP.toString(),
    openOutputs: "false",
  });

  // 5. The dishonest proposal must be defeated, every game on it settled.
  const dishonest = addr(KEYS.dishonest).toLowerCase();
  await until(
    "the dishonest proposal to be defeated",
    async () =>
      [...narrator.proposals.values()].some(
        (pr) => pr.proposer.toLowerCase() === dishonest && pr.status === "defeated",
      ),
    poll,
    90_000,
  );
  await until(
    "every game to settle",
    async () => [...narrator.games.values()].every((g) => g.result !== "in play"),
    poll,
    60_000,
  );
  say("the dishonest proposer gives up (stopped)");
  await stopDishonest();
  await until(
    "the honest proposals to cover every job",
    async () => {
      const honestIds = [...narrator.proposals.values()].filter(
        (pr) => pr.proposer.toLowerCase() === addr(KEYS.honest).toLowerCase(),
      );
      return honestIds.reduce((n, pr) => n + pr.leaves, 0) >= 3;
    },
    poll,
    60_000,
  );
  await sleep(1500);
  await poll();

  // Every pending dishonest proposal (it may have re-proposed before it stopped) is under challenge.
  const isDishonest = (a: string) => a.toLowerCase() === dishonest;
  await until(
    "every dishonest proposal to be challenged",
    async () =>
      [...narrator.proposals.values()]
        .filter((pr) => isDishonest(pr.proposer) && pr.status === "pending")
        .every((pr) => [...narrator.games.values()].some((g) => g.proposalId === pr.id)),
    poll,
    60_000,
  );

  // 6. Time passes: the challenge window closes.
  say(c.magenta(`⏩ advancing the chain's clock by ${WINDOW_SECONDS + 1}s: the challenge window closes`));
  await publicClient.request({ method: "evm_increaseTime" as never, params: [WINDOW_SECONDS + 1] as never });
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
  await until(
    "results to be recorded and outputs opened",
    async () => narrator.outputs.size >= 3,
    poll,
    60_000,
  );
  if ([...narrator.games.values()].some((g) => g.result === "in play")) {
    say(
      c.magenta(
        `⏩ the dishonest proposer went silent in its open games: advancing ${CLOCK_SECONDS + 1}s, its chess clock runs out`,
      ),
    );
    await publicClient.request({ method: "evm_increaseTime" as never, params: [CLOCK_SECONDS + 1] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    await until(
      "the silent proposer's games to end",
      async () => [...narrator.games.values()].every((g) => g.result !== "in play"),
      poll,
      60_000,
    );
  }

  // 7. A consumer publishes the output bytes; the contract checks them against the opened roots.
  for (const [i, g] of GUESTS.entries()) {
    const jobId = BigInt(i + 1);
    const input = i === 0 ? text : i === 1 ? feed : new TextEncoder().encode("hello, verdict");
    const run = await buildTrace({
      image: g.image as ProgramImage,
      input,
      depth: g.depth,
      checkpointInterval: 2 ** 30,
    });
    await write(KEYS.requester, deployment.verdict, verdictAbi as Abi, "publishOutput", [
      jobId,
      `0x${Buffer.from(run.result.output).toString("hex")}`,
    ]);
  }
  await poll();
  await until(
    "winnings withdrawn",
    async () => {
      const credits = await Promise.all(
        actors.map((i) =>
          publicClient.readContract({
            address: deployment.verdict,
            abi: verdictAbi,
            functionName: "credit",
            args: [addr(i)],
          }),
        ),
      );
      return credits.every((x) => x === 0n);
    },
    poll,
    30_000,
  ).catch(() => undefined);
  await poll();

  // 8. Summary.
  const balancesAfter = await Promise.all(actors.map((i) => publicClient.getBalance({ address: addr(i) })));
  process.stdout.write("\n");
  say(c.bold("Summary"));
  const decode = (program: string, bytes: Uint8Array | undefined) => {
    if (!bytes) return "(not published)";
    if (program === "sha256") return `sha256 = ${Buffer.from(bytes).toString("hex").slice(0, 24)}…`;
    if (program === "median") {
      const m = decodeMedianOutput(bytes);
      return `median ${m.median}, mean ${m.mean} of ${m.count} reports`;
    }
    return JSON.stringify(new TextDecoder().decode(bytes));
  };
  const jobRows = [...narrator.jobs.values()].map((j) => {
    const o = narrator.outputs.get(j.jobId);
    return [
      `#${j.jobId}`,
      j.program + (j.signed ? " (signed)" : ""),
      narrator.recorded.has(j.jobId) ? c.green("final") : c.red("not final"),
      o ? String(o.steps) : "-",
      o ? String(o.exitCode) : "-",
      decode(j.program, o?.bytes),
    ];
  });
  process.stdout.write(`\n${table(["job", "program", "result", "steps", "exit", "output"], jobRows)}\n\n`);
  const propRows = [...narrator.proposals.values()].map((pr) => [
    `#${pr.id}`,
    names.get(pr.proposer.toLowerCase()) ?? pr.proposer,
    String(pr.leaves),
    pr.status === "finalized" ? c.green(pr.status) : pr.status === "defeated" ? c.red(pr.status) : pr.status,
  ]);
  process.stdout.write(`${table(["proposal", "by", "results", "status"], propRows)}\n\n`);
  const gameRows = [...narrator.games.values()].map((g) => [
    `#${g.id}`,
    `#${g.proposalId}`,
    `#${g.jobId}`,
    String(g.rounds),
    g.stepAt !== undefined ? String(g.stepAt) : "-",
    g.result,
  ]);
  process.stdout.write(
    `${table(["game", "proposal", "job", "rounds", "proof at step", "outcome"], gameRows)}\n\n`,
  );
  const moneyRows = actors.map((i, k) => {
    const d = balancesAfter[k] - balancesBefore[k];
    return [
      names.get(addr(i).toLowerCase()) ?? "",
      (d >= 0n ? c.green("+") : c.red("-")) + eth(d < 0n ? -d : d),
    ];
  });
  moneyRows.push(["burned (bond share)", eth(narrator.burnedWei())]);
  process.stdout.write(`${table(["account", "balance change (incl. gas)"], moneyRows)}\n\n`);

  const st = challenger?.status();
  const defeated = [...narrator.proposals.values()].filter((pr) => pr.status === "defeated").length;
  const ok =
    defeated >= 1 &&
    narrator.recorded.size === 3 &&
    [...narrator.games.values()].some((g) => g.result.startsWith("challenger won")) &&
    [...narrator.games.values()].every((g) => !g.result.startsWith("proposer won")) &&
    balancesAfter[1] > balancesBefore[1];
  say(
    ok
      ? c.green(
          c.bold(
            `done: the lie was caught and defeated (${st?.gamesWon ?? "?"} game(s) won by the challenger), the honest results are final.`,
          ),
        )
      : c.red(c.bold("done, but the story did not go as the protocol promises (see above)")),
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${c.red("demo failed:")} ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);

// `pnpm run demo`: the whole Verdict story on an embedded chain, in about a
// minute. Starts anvil from the npm package, deploys the protocol
// (DisputeGame → Verdict → Outputs), registers the example guests (one whose
// inputs must be signed by a data source), submits jobs, and runs three real
// daemons in this process: an honest proposer, a DISHONEST proposer (fault
// injection: its traces are corrupted from one step on) and a challenger. A
// narrator follows the chain's events and tells what happens, node by node of
// each game's claim tree, down to the one instruction the chain executes;
// anvil's clock is moved forward so windows and clocks pass in seconds. Ends
// with summary tables and the claim trees; exits 0 only when the story went as
// the protocol promises (the lie defeated, the truth final, the fees paid).
//
// Flags: --verbose shows the daemons' own logs; --explore starts the dispute
// explorer (shared/src/explorer/) right after the deployment, so the games can
// be watched in a browser as they are played, and after the story keeps the
// chain, the daemons and the explorer running until Ctrl-C (--port N picks the
// explorer's port on 127.0.0.1; default 7070, any free one if it is taken).
// --rpc-url URL plays the story on an anvil you started (its default dev
// accounts: the demo moves its clock) instead of an embedded one, so the chain
// outlives the demo and can be checked afterwards; --summary FILE writes what
// that check needs (chain id, addresses, the story's verdict) as JSON.

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { auditJob } from "@verdict/shared/src/audit/auditJob.ts";
import { verdictLine } from "@verdict/shared/src/audit/formatAudit.ts";
import {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  verdictAbi,
} from "@verdict/shared/src/bindings/abis.ts";
import { startAnvil } from "@verdict/shared/src/chain/startAnvil.ts";
import { waitForReceipt } from "@verdict/shared/src/chain/waitForReceipt.ts";
import { deploy } from "@verdict/shared/src/deploy/deploy.ts";
import { parseDeployConfig } from "@verdict/shared/src/deploy/parseDeployConfig.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { createExplorer, type Explorer } from "@verdict/shared/src/explorer/createExplorer.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { IO_REGION_HEIGHT, inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import {
  type Abi,
  type Account,
  type Address,
  bytesToHex,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  hashTypedData,
  http,
  type PublicClient,
  type Transport,
  testActions,
  type WalletClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
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
const explore = process.argv.includes("--explore");
/** Value of a `--name value` flag, if given. */
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name} wants a value`);
  return v;
};
const externalRpcUrl = flag("--rpc-url");
const summaryPath = flag("--summary");
/** anvil's default dev accounts come from this mnemonic (what --rpc-url expects). */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
const explorerPort = (() => {
  const i = process.argv.indexOf("--port");
  const v = i >= 0 ? Number(process.argv[i + 1]) : 7070;
  if (!Number.isInteger(v) || v < 0 || v > 65_535) throw new Error("--port wants an integer in 0..65535");
  return v;
})();
const t0 = Date.now();
const say = (line: string) =>
  process.stdout.write(`${c.dim(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const K = 16;
const WINDOW_SECONDS = 600;
const CLOCK_SECONDS = 1800;
const FEE_MARGIN_SECONDS = 600;
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
  const stops: (() => Promise<void>)[] = [];
  try {
    if (externalRpcUrl) {
      say(`using the chain at ${externalRpcUrl} (anvil's default dev accounts)`);
      const chainId = await createPublicClient({ transport: http(externalRpcUrl) }).getChainId();
      const keys = Array.from({ length: Object.keys(KEYS).length }, (_, i) =>
        bytesToHex(
          mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).getHdKey().privateKey as Uint8Array,
        ),
      );
      return await story(externalRpcUrl, chainId, keys, stops);
    }
    say("starting an embedded chain (anvil from the npm package)…");
    const anvil = await startAnvil({ accounts: 8 });
    stops.push(() => anvil.stop());
    return await story(anvil.rpcUrl, anvil.chainId, anvil.privateKeys, stops);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
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
  const advance = async (seconds: number, why: string) => {
    say(c.magenta(`⏩ advancing the chain's clock by ${seconds}s: ${why}`));
    const anvil = publicClient.extend(testActions({ mode: "anvil" }));
    await anvil.increaseTime({ seconds });
    await anvil.mine({ blocks: 1 });
  };

  // 1. Deploy, in the one order the contracts allow.
  const deployment = await deploy({
    publicClient,
    walletClient: wallet(KEYS.deployer),
    config: parseDeployConfig({
      k: K,
      params: {
        proposerBond: String(10n ** 18n),
        claimBond: String(10n ** 17n),
        challengeWindowSeconds: WINDOW_SECONDS,
        clockSeconds: CLOCK_SECONDS,
        burnBps: 1000,
        maxInputBytes: 1 << 16,
        maxBatchSize: 64,
      },
    }),
  });
  say(
    `deployed: RV32IM verifier ${short(deployment.verifier)}, registry ${short(deployment.registry)}, DisputeGame ${short(deployment.disputeGame)} → Verdict ${short(deployment.verdict)} → Outputs ${short(deployment.outputs)}`,
  );
  let explorer: Explorer | undefined;
  if (explore) {
    const start = (port: number) =>
      createExplorer({
        publicClient,
        verdict: deployment.verdict,
        outputs: deployment.outputs,
        fromBlock: deployment.deployedAtBlock,
        port,
        pollMs: 200,
      });
    explorer = await start(explorerPort).catch(() => start(0));
    const ex = explorer;
    stops.push(() => ex.close());
    say(`${c.bold("explorer")}: ${c.bold(ex.url)} (open it to watch the games as they are played)`);
  }
  say(
    `  k = ${K} (each dissection posts 15 hashes), window ${WINDOW_SECONDS}s, ${CLOCK_SECONDS}s per side per path of a game, stake 1 ETH, 0.1 ETH per claim, 10 % of every forfeit burned`,
  );
  const programNames = new Map<bigint, string>();
  const narrator = createNarrator({
    publicClient,
    verdict: deployment.verdict,
    game: deployment.disputeGame,
    outputs: deployment.outputs,
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
    const r = await waitForReceipt(publicClient, { hash });
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
  // The attestation binds the requester and the fee: nobody can submit it first with another fee.
  const message = {
    programId: 2n,
    inputRoot: inputRoot(feed),
    requester: addr(KEYS.requester),
    fee,
    nonce: 1n,
    deadline,
  };
  const domain = { name: "Verdict", version: "1", chainId, verifyingContract: deployment.verdict } as const;
  const types = {
    InputAttestation: [
      { name: "programId", type: "uint256" },
      { name: "inputRoot", type: "bytes32" },
      { name: "requester", type: "address" },
      { name: "fee", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  } as const;
  const onchainDigest = await publicClient.readContract({
    address: deployment.verdict,
    abi: verdictAbi,
    functionName: "attestationDigest",
    args: [message.programId, message.inputRoot, message.requester, message.fee, message.nonce, deadline],
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
  const startProposer = (keyIndex: number, extra: Record<string, string>) => {
    const ac = new AbortController();
    const config = buildProposerConfig({
      cli: {
        ...common,
        outputs: deployment.outputs,
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
    const ac = new AbortController();
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

  // 5. The dishonest proposal must be defeated: one failed claim, proven by one instruction onchain.
  const dishonest = addr(KEYS.dishonest).toLowerCase();
  const isDishonest = (a: string) => a.toLowerCase() === dishonest;
  await until(
    "the dishonest proposal to be defeated",
    async () =>
      [...narrator.proposals.values()].some((pr) => isDishonest(pr.proposer) && pr.status === "defeated"),
    poll,
    120_000,
  );
  say("the dishonest proposer gives up (stopped)");
  await stopDishonest();
  await until(
    "the honest proposals to cover every job",
    async () => {
      const honest = [...narrator.proposals.values()].filter(
        (pr) => pr.proposer.toLowerCase() === addr(KEYS.honest).toLowerCase(),
      );
      return honest.reduce((n, pr) => n + pr.leaves, 0) >= 3;
    },
    poll,
    60_000,
  );
  // Every dishonest proposal still pending (it may have re-proposed before it stopped) is under challenge.
  await until(
    "every dishonest proposal to be challenged",
    async () =>
      [...narrator.proposals.values()]
        .filter((pr) => isDishonest(pr.proposer) && pr.status === "pending")
        .every((pr) => [...narrator.games.values()].some((g) => g.proposalId === pr.id)),
    poll,
    90_000,
  );
  await sleep(1000);
  await poll();

  // 6. Time passes: the window closes, the honest results finalize and are recorded.
  await advance(WINDOW_SECONDS + 1, "the challenge window closes");
  await until("results to be recorded", async () => narrator.recorded.size >= 3, poll, 60_000);

  // 7. The claim trees resolve bottom-up once the pick windows close; a silent proposer loses on its clock.
  await advance(
    CLOCK_SECONDS + 1,
    "every path clock of the games runs out: the claim trees resolve bottom-up and pay their bonds",
  );
  await until(
    "every game to be decided",
    async () => [...narrator.games.values()].every((g) => g.result !== "in play"),
    poll,
    90_000,
  );

  // 8. The fee lock passes (the reveal plus the longest window + 3 clocks ever in force, plus a margin):
  //    the honest proposer is paid.
  const maxSpan = await publicClient.readContract({
    address: deployment.verdict,
    abi: verdictAbi,
    functionName: "maxSpan",
  });
  await advance(
    Number(maxSpan) + FEE_MARGIN_SECONDS,
    "the fee lock passes (an earlier-committed copy of the same result could have taken the fees until now)",
  );
  await until("the fees to be claimed", async () => narrator.feesClaimed.size >= 3, poll, 60_000);

  // 9. Outputs: opened from the recorded final states (by the honest proposer, or here by a consumer),
  //    then the bytes published and checked against the opened roots.
  for (const [i, g] of GUESTS.entries()) {
    const jobId = BigInt(i + 1);
    const input = i === 0 ? text : i === 1 ? feed : new TextEncoder().encode("hello, verdict");
    const run = await buildTrace({
      image: g.image as ProgramImage,
      input,
      depth: g.depth,
      checkpointInterval: 2 ** 30,
    });
    await poll();
    if (!narrator.outputs.has(jobId)) {
      say(`a consumer opens the output of job #${jobId} from its final state (anyone may)`);
      const m = run.machineAt(1n << BigInt(g.depth));
      m.memRoot();
      await write(KEYS.requester, deployment.outputs, outputsAbi as Abi, "openOutput", [
        jobId,
        bytesToHex(m.encode()),
        bytesToHex(m.mem.upperNode(26, 0)),
        bytesToHex(m.mem.upperNode(IO_REGION_HEIGHT, 2)),
        run.result.outputRoot,
      ]);
    }
    // A result without output bytes has nothing to publish (the contract would refuse any).
    if (run.result.output === null) {
      say(`job #${jobId} has no output bytes to publish (${run.result.noOutput?.reason})`);
      continue;
    }
    await write(KEYS.requester, deployment.outputs, outputsAbi as Abi, "publishOutput", [
      jobId,
      `0x${Buffer.from(run.result.output).toString("hex")}`,
    ]);
  }
  await poll();
  const credit = (i: number) =>
    Promise.all([
      publicClient.readContract({
        address: deployment.verdict,
        abi: verdictAbi,
        functionName: "credit",
        args: [addr(i)],
      }),
      publicClient.readContract({
        address: deployment.disputeGame,
        abi: disputeGameAbi,
        functionName: "credit",
        args: [addr(i)],
      }),
    ]);
  await until(
    "winnings withdrawn from both ledgers",
    async () =>
      (await Promise.all([KEYS.challenger, KEYS.honest].map(credit))).every(([a, b]) => a === 0n && b === 0n),
    poll,
    30_000,
  ).catch(() => undefined);
  await poll();

  // 10. Summary.
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
      narrator.feesClaimed.has(j.jobId) ? "paid" : "-",
      o ? String(o.steps) : "-",
      o ? String(o.exitCode) : "-",
      decode(j.program, o?.bytes),
    ];
  });
  process.stdout.write(
    `\n${table(["job", "program", "result", "fee", "steps", "exit", "output"], jobRows)}\n\n`,
  );
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
    String(g.nodes.size),
    g.stepAt !== undefined ? String(g.stepAt) : "-",
    g.result,
  ]);
  process.stdout.write(
    `${table(["game", "proposal", "job", "claims", "proof at step", "outcome"], gameRows)}\n\n`,
  );
  for (const g of narrator.games.values()) {
    process.stdout.write(
      `${c.bold(`claim tree of game #${g.id}`)} (job #${g.jobId}, trace of 2^${g.depth} steps, k = ${K}):\n`,
    );
    for (const line of narrator.drawTree(g.id)) process.stdout.write(`  ${line}\n`);
    process.stdout.write("\n");
  }
  const moneyRows = actors.map((i, k) => {
    const d = balancesAfter[k] - balancesBefore[k];
    return [
      names.get(addr(i).toLowerCase()) ?? "",
      (d >= 0n ? c.green("+") : c.red("-")) + eth(d < 0n ? -d : d),
    ];
  });
  moneyRows.push(["burned (forfeit share)", eth(narrator.burnedWei())]);
  process.stdout.write(`${table(["account", "balance change (incl. gas)"], moneyRows)}\n\n`);

  // 11. Anyone can check: audit one honest job from the chain alone (plus its ELF) and re-execute it.
  const audited = await auditJob({
    publicClient,
    verdict: deployment.verdict,
    outputs: deployment.outputs,
    jobId: 2n,
    elf: new Uint8Array(readFileSync(join(root, GUESTS[1].elf))),
    fromBlock: deployment.deployedAtBlock,
  });
  say(
    `${audited.verdict === "verified" ? c.green(verdictLine(audited)) : c.red(verdictLine(audited))} (${audited.checks.filter((x) => x.ok).length} checks passed, ${audited.timeline.length} events in its history; run \`verdict audit 2 --elf ${GUESTS[1].elf} …\` for the timeline)`,
  );

  const st = challenger?.status();
  const games = [...narrator.games.values()];
  const defeated = [...narrator.proposals.values()].filter((pr) => pr.status === "defeated").length;
  const ok =
    defeated >= 1 &&
    narrator.recorded.size === 3 &&
    narrator.feesClaimed.size === 3 &&
    games.some((g) => g.result === "challenger won by the one-step proof") &&
    games.every((g) => g.result !== "proposer won") &&
    balancesAfter[1] > balancesBefore[1] &&
    audited.verdict === "verified";
  say(
    ok
      ? c.green(
          c.bold(
            `done: the lie was caught and defeated (${st?.gamesWon ?? games.filter((g) => g.result.startsWith("challenger won")).length} game(s) won by the challenger), the honest results are final and paid.`,
          ),
        )
      : c.red(c.bold("done, but the story did not go as the protocol promises (see above)")),
  );
  if (summaryPath)
    writeFileSync(
      summaryPath,
      `${JSON.stringify(
        {
          ok,
          chainId,
          rpcUrl,
          deployment: { ...deployment, deployedAtBlock: deployment.deployedAtBlock.toString() },
          accounts: Object.fromEntries(Object.entries(KEYS).map(([role, i]) => [role, addr(i)])),
        },
        null,
        2,
      )}\n`,
    );
  if (explorer) {
    say(
      `${c.bold("explorer")}: ${c.bold(explorer.url)} — the chain, the honest proposer, the challenger and the explorer keep running; Ctrl-C to stop`,
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    say("stopping…");
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${c.red("demo failed:")} ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);

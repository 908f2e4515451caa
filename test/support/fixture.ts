// End-to-end fixture: a real anvil (from the npm package; automine, or
// interval mining with a block gas limit), the protocol deployed with the
// shared deploy function (DisputeGame → Verdict → Outputs), the example guests registered,
// helpers to submit jobs, move anvil's clock, and start proposers and
// challengers in-process the way their CLIs do (so a test can "kill" one at
// any moment and start a fresh one on the same chain). Everything goes
// through JSON-RPC like production; the RPC fault proxy can sit in between.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  verdictAbi,
} from "@verdict/shared/src/bindings/abis.ts";
import { type AnvilInstance, startAnvil } from "@verdict/shared/src/chain/startAnvil.ts";
import { waitForReceipt } from "@verdict/shared/src/chain/waitForReceipt.ts";
import { deploy } from "@verdict/shared/src/deploy/deploy.ts";
import { parseDeployConfig } from "@verdict/shared/src/deploy/parseDeployConfig.ts";
import type { Deployment } from "@verdict/shared/src/deploy/types.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import {
  advanceTime,
  contractEvents,
  proposeBatchAndWait,
  submitJobAndWait,
} from "@verdict/shared/src/testing/chainActions.ts";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

const root = resolve(import.meta.dirname, "..", "..");
export const EXAMPLES = {
  sha256: join(root, "guest/examples/sha256/sha256.elf"),
  median: join(root, "guest/examples/median/median.elf"),
  echo: join(root, "guest/examples/echo/echo.elf"),
  cpubench: join(root, "guest/examples/cpubench/cpubench.elf"),
} as const;
export type ExampleName = keyof typeof EXAMPLES;

/** Dev-account roles (anvil key indexes). */
export const KEYS = {
  deployer: 0,
  requester: 1,
  challenger: 2,
  challenger2: 3,
  proposer: 4,
  proposer2: 5,
  dishonest: 6,
  dishonest2: 7,
  signer: 8,
} as const;

export type E2EFixture = {
  anvil: AnvilInstance;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  deployment: Deployment;
  dir: string;
  programIds: Partial<Record<ExampleName, bigint>>;
  depths: Partial<Record<ExampleName, number>>;
  wallet: (keyIndex: number) => WalletClient<Transport, Chain, Account>;
  address: (keyIndex: number) => Address;
  submitJob: (
    program: ExampleName,
    input: Uint8Array,
    opts?: { fee?: bigint; keyIndex?: number },
  ) => Promise<bigint>;
  /** A scripted proposal (commit, then reveal) with the current stake; returns its id. */
  propose: (leaves: readonly ResultLeaf[], keyIndex: number) => Promise<bigint>;
  /** Moves anvil's clock forward and mines a block. */
  advance: (seconds: number) => Promise<void>;
  /** Reads Verdict. */
  read: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>;
  /** Reads DisputeGame. */
  readGame: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>;
  /** Reads Outputs. */
  readOutputs: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>;
  /** Sends a Verdict transaction and waits for it (throws if it reverted). */
  write: (keyIndex: number, functionName: string, args?: readonly unknown[], value?: bigint) => Promise<void>;
  /** Sends a DisputeGame transaction and waits for it (throws if it reverted). */
  writeGame: (
    keyIndex: number,
    functionName: string,
    args?: readonly unknown[],
    value?: bigint,
  ) => Promise<void>;
  /** Events of Verdict ("verdict", default), DisputeGame ("game") or Outputs ("outputs") since the deployment. */
  events: (
    eventName: string,
    opts?: { contract?: "verdict" | "game" | "outputs"; args?: Record<string, unknown> },
  ) => Promise<{ args: Record<string, never>; blockNumber: bigint }[]>;
  stop: () => Promise<void>;
};

export type SetupE2EParameters = {
  k?: number;
  programs?: Partial<Record<ExampleName, number>>;
  /** Another build of an example to register under its name (e.g. cpubench with more rounds); default EXAMPLES. */
  elfPaths?: Partial<Record<ExampleName, string>>;
  proposerBond?: bigint;
  /** Bond of every claim in a game. Unit: wei. */
  claimBond?: bigint;
  challengeWindowSeconds?: number;
  clockSeconds?: number;
  burnBps?: number;
  maxBatchSize?: number;
  /** Interval mining (seconds); default automine. */
  blockTimeSeconds?: number;
  /** Block gas limit; default anvil's (30M). */
  gasLimit?: bigint;
  /** The registry's largest D for new programs; default the deploy default (32). */
  maxDepth?: number;
};

export async function setupE2E(p: SetupE2EParameters = {}): Promise<E2EFixture> {
  const anvil = await startAnvil({
    accounts: 10,
    blockTimeSeconds: p.blockTimeSeconds,
    gasLimit: p.gasLimit,
  });
  try {
    return await build(anvil, p);
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

async function build(anvil: AnvilInstance, p: SetupE2EParameters): Promise<E2EFixture> {
  const chain = defineChain({
    id: anvil.chainId,
    name: "anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  });
  const publicClient = createPublicClient({
    chain,
    transport: http(anvil.rpcUrl),
    pollingInterval: 50,
  }) as PublicClient<Transport, Chain>;
  const wallet = (i: number) =>
    createWalletClient({
      chain,
      account: privateKeyToAccount(anvil.privateKeys[i]),
      transport: http(anvil.rpcUrl),
      pollingInterval: 50,
    });
  const deployment = await deploy({
    publicClient,
    walletClient: wallet(KEYS.deployer),
    config: parseDeployConfig({
      k: p.k ?? 16,
      ...(p.maxDepth !== undefined ? { maxDepth: p.maxDepth } : {}),
      params: {
        proposerBond: String(p.proposerBond ?? 10n ** 18n),
        claimBond: String(p.claimBond ?? 10n ** 17n),
        challengeWindowSeconds: p.challengeWindowSeconds ?? 600,
        clockSeconds: p.clockSeconds ?? 3600,
        burnBps: p.burnBps ?? 1000,
        maxInputBytes: 1 << 18,
        maxBatchSize: p.maxBatchSize ?? 256,
      },
    }),
  });
  const reader =
    (address: Address, abi: Abi) =>
    <T>(functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
  const writer =
    (address: Address, abi: Abi) =>
    async (keyIndex: number, functionName: string, args: readonly unknown[] = [], value?: bigint) => {
      const hash = await wallet(keyIndex).writeContract({ address, abi, functionName, args, value });
      const r = await waitForReceipt(publicClient, { hash });
      if (r.status !== "success") throw new Error(`${functionName} reverted`);
    };
  const read = reader(deployment.verdict, verdictAbi as Abi);
  const contracts = {
    verdict: { address: deployment.verdict, abi: verdictAbi as Abi },
    game: { address: deployment.disputeGame, abi: disputeGameAbi as Abi },
    outputs: { address: deployment.outputs, abi: outputsAbi as Abi },
  } as const;

  const programIds: E2EFixture["programIds"] = {};
  const depths: E2EFixture["depths"] = {};
  const programs = p.programs ?? { sha256: 21 };
  for (const [name, depth] of Object.entries(programs) as [ExampleName, number][]) {
    const image = loadElf(new Uint8Array(readFileSync(p.elfPaths?.[name] ?? EXAMPLES[name])));
    const hash = await wallet(KEYS.deployer).writeContract({
      address: deployment.registry,
      abi: programRegistryAbi,
      functionName: "registerProgram",
      args: [programRoot(image) as Hex, image.entry, depth, `0x${"ab".repeat(32)}`, [], deployment.verifier],
    });
    const receipt = await waitForReceipt(publicClient, { hash });
    for (const l of receipt.logs) {
      try {
        const ev = decodeEventLog({
          abi: programRegistryAbi as Abi,
          data: l.data,
          topics: l.topics,
        }) as unknown as {
          eventName: string;
          args: { programId: bigint };
        };
        if (ev.eventName === "ProgramRegistered") programIds[name] = ev.args.programId;
      } catch {
        // not ours
      }
    }
    depths[name] = depth;
  }

  return {
    anvil,
    chain,
    publicClient,
    deployment,
    dir: mkdtempSync(join(tmpdir(), "verdict-e2e-")),
    programIds,
    depths,
    wallet,
    address: (i) => privateKeyToAccount(anvil.privateKeys[i]).address,
    read,
    readGame: reader(deployment.disputeGame, disputeGameAbi as Abi),
    readOutputs: reader(deployment.outputs, outputsAbi as Abi),
    write: writer(deployment.verdict, verdictAbi as Abi),
    writeGame: writer(deployment.disputeGame, disputeGameAbi as Abi),
    events: (eventName, opts = {}) =>
      contractEvents(publicClient, {
        ...contracts[opts.contract ?? "verdict"],
        eventName,
        args: opts.args,
        fromBlock: deployment.deployedAtBlock,
      }),
    async propose(leaves, keyIndex) {
      const { proposerBond } = await read<{ proposerBond: bigint }>("params");
      return proposeBatchAndWait({
        publicClient,
        wallet: wallet(keyIndex),
        verdict: deployment.verdict,
        leaves,
        bondWei: proposerBond,
      });
    },
    async submitJob(program, input, opts = {}) {
      const programId = programIds[program];
      if (programId === undefined) throw new Error(`program ${program} is not registered in this fixture`);
      return submitJobAndWait({
        publicClient,
        wallet: wallet(opts.keyIndex ?? KEYS.requester),
        verdict: deployment.verdict,
        programId,
        input: `0x${Buffer.from(input).toString("hex")}`,
        feeWei: opts.fee ?? 10n ** 16n,
      });
    },
    advance: (seconds) => advanceTime(publicClient, seconds),
    stop: () => anvil.stop(),
  };
}

export { until } from "@verdict/shared/src/testing/until.ts";

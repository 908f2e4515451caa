// Test and benchmark fixture: a real anvil with the protocol deployed (shared
// deploy: DisputeGame → Verdict → Outputs), the sum program registered, and
// helpers to submit jobs, make scripted proposals, move time and read the
// contracts. Everything goes through JSON-RPC like production.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { writeSumProgram } from "./sumProgram.ts";

export type ChainFixture = {
  anvil: AnvilInstance;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  deployment: Deployment;
  programId: bigint;
  programPath: string;
  depth: number;
  dir: string;
  wallet: (keyIndex: number) => WalletClient<Transport, Chain, Account>;
  submitJob: (input: Uint8Array | Hex, opts?: { fee?: bigint; keyIndex?: number }) => Promise<bigint>;
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
  stop: () => Promise<void>;
};

export type SetupChainParameters = {
  k?: number;
  depth?: number;
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
  anvilArgs?: string[];
};

export async function setupChain(p: SetupChainParameters = {}): Promise<ChainFixture> {
  const anvil = await startAnvil({
    accounts: 12,
    blockTimeSeconds: p.blockTimeSeconds,
    gasLimit: p.gasLimit,
    extraArgs: p.anvilArgs,
  });
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
    walletClient: wallet(0),
    config: parseDeployConfig({
      k: p.k ?? 4,
      params: {
        proposerBond: String(p.proposerBond ?? 10n ** 18n),
        claimBond: String(p.claimBond ?? 10n ** 17n),
        challengeWindowSeconds: p.challengeWindowSeconds ?? 600,
        clockSeconds: p.clockSeconds ?? 3600,
        burnBps: p.burnBps ?? 1000,
        maxInputBytes: 4096,
        maxBatchSize: p.maxBatchSize ?? 256,
      },
    }),
  });
  const dir = mkdtempSync(join(tmpdir(), "verdict-proposer-"));
  const programPath = writeSumProgram(dir);
  const image = loadElf(new Uint8Array(readFileSync(programPath)));
  const depth = p.depth ?? 10;
  const w0 = wallet(0);
  const regHash = await w0.writeContract({
    address: deployment.registry,
    abi: programRegistryAbi,
    functionName: "registerProgram",
    args: [programRoot(image) as Hex, image.entry, depth, `0x${"ab".repeat(32)}`, [], deployment.verifier],
  });
  const regReceipt = await waitForReceipt(publicClient, { hash: regHash });
  let programId = 0n;
  for (const l of regReceipt.logs) {
    try {
      const ev = decodeEventLog({
        abi: programRegistryAbi as Abi,
        data: l.data,
        topics: l.topics,
      }) as unknown as {
        eventName: string;
        args: { programId: bigint };
      };
      if (ev.eventName === "ProgramRegistered") programId = ev.args.programId;
    } catch {
      // not ours
    }
  }

  const reader =
    (address: Address, abi: Abi) =>
    <T>(functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
  const read = reader(deployment.verdict, verdictAbi as Abi);

  return {
    anvil,
    chain,
    publicClient,
    deployment,
    programId,
    programPath,
    depth,
    dir,
    wallet,
    read,
    readGame: reader(deployment.disputeGame, disputeGameAbi as Abi),
    readOutputs: reader(deployment.outputs, outputsAbi as Abi),
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
    async submitJob(input, opts = {}) {
      const data = typeof input === "string" ? input : (`0x${Buffer.from(input).toString("hex")}` as Hex);
      return submitJobAndWait({
        publicClient,
        wallet: wallet(opts.keyIndex ?? 1),
        verdict: deployment.verdict,
        programId,
        input: data,
        feeWei: opts.fee ?? 10n ** 16n,
      });
    },
    advance: (seconds) => advanceTime(publicClient, seconds),
    stop: () => anvil.stop(),
  };
}

export { until } from "@verdict/shared/src/testing/until.ts";

export type { Address };

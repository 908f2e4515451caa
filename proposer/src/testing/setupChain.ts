// Test and benchmark fixture: a real anvil with the protocol deployed (shared
// deploy), the sum program registered, and helpers to submit jobs, move time
// and read the contract. Everything goes through JSON-RPC like production.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { programRegistryAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { deploy } from "@verdict/shared/src/deploy/deploy.ts";
import { parseDeployConfig } from "@verdict/shared/src/deploy/parseDeployConfig.ts";
import type { Deployment } from "@verdict/shared/src/deploy/types.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { advanceTime, submitJobAndWait } from "@verdict/shared/src/testing/chainActions.ts";
import { type AnvilInstance, startAnvil } from "@verdict/shared/src/testing/startAnvil.ts";
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
  /** Moves anvil's clock forward and mines a block. */
  advance: (seconds: number) => Promise<void>;
  read: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>;
  stop: () => Promise<void>;
};

export type SetupChainParameters = {
  k?: number;
  depth?: number;
  proposerBond?: bigint;
  challengerBond?: bigint;
  challengeWindowSeconds?: number;
  clockSeconds?: number;
  maxBatchSize?: number;
  anvilArgs?: string[];
};

export async function setupChain(p: SetupChainParameters = {}): Promise<ChainFixture> {
  const anvil = await startAnvil({ accounts: 12, extraArgs: p.anvilArgs });
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
        challengerBond: String(p.challengerBond ?? 5n * 10n ** 17n),
        challengeWindowSeconds: p.challengeWindowSeconds ?? 600,
        clockSeconds: p.clockSeconds ?? 3600,
        burnBps: 1000,
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
  const regReceipt = await publicClient.waitForTransactionReceipt({ hash: regHash });
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

  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({
      address: deployment.verdict,
      abi: verdictAbi as Abi,
      functionName,
      args,
    }) as Promise<T>;

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

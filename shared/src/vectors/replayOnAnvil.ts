// Replays step vectors through the compiled Solidity verifier on a real anvil:
// RV32IM and the test-only StepBatch contract are deployed from forge's
// artifacts (protocol/out), and each batch of vectors is one eth_call to
// StepBatch.run, which calls RV32IM.step per vector and reports post-state
// hash, revert flag and revert selector.

import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Abi,
  type Account,
  type Address,
  bytesToHex,
  type Chain,
  createPublicClient,
  createWalletClient,
  decodeFunctionResult,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";
import { BaseError } from "../errors/base.ts";
import { type StepVector, VectorKind, type VectorTag } from "./format.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Sources the replay compiles (the verifier and the batch helper). */
export const REPLAY_SOURCES = ["protocol/src/riscv", "protocol/test/riscv/helpers/StepBatch.sol"];

export type ReplayErrorType = ReplayError & { name: "ReplayError" };
export class ReplayError extends BaseError {
  override name = "ReplayError";
}

export type Artifact = { abi: Abi; bytecode: { object: Hex } };

const REPLAY_ARTIFACTS = ["RV32IM.sol/RV32IM.json", "StepBatch.sol/StepBatch.json"];

function hasBytecode(path: string): boolean {
  try {
    const a = JSON.parse(readFileSync(join(REPO_ROOT, "protocol/out", path), "utf8")) as Partial<Artifact>;
    return typeof a.bytecode?.object === "string" && a.bytecode.object.length > 2;
  } catch {
    return false;
  }
}

function runForgeBuild(): void {
  try {
    // tools/forge.mjs: the npm wrapper exits 0 even when the build fails.
    execFileSync(process.execPath, [join(REPO_ROOT, "tools/forge.mjs"), "build", ...REPLAY_SOURCES], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (cause) {
    throw new ReplayError("forge build of the verifier failed.", {
      cause,
      details: String((cause as { stderr?: Buffer }).stderr ?? ""),
    });
  }
}

/**
 * Compiles the verifier and StepBatch with forge (incremental: fast when nothing
 * changed). `forge lint` leaves ABI-only artifacts that the build cache then
 * considers current; such artifacts are deleted and rebuilt.
 */
export function buildReplayArtifacts(): void {
  runForgeBuild();
  const stale = REPLAY_ARTIFACTS.filter((p) => !hasBytecode(p));
  if (stale.length === 0) return;
  for (const p of stale) rmSync(join(REPO_ROOT, "protocol/out", p), { force: true });
  runForgeBuild();
  const still = REPLAY_ARTIFACTS.filter((p) => !hasBytecode(p));
  if (still.length > 0) throw new ReplayError(`forge produced no bytecode for ${still.join(", ")}.`);
}

export function readArtifact(path: string): Artifact {
  const full = join(REPO_ROOT, "protocol/out", path);
  try {
    return JSON.parse(readFileSync(full, "utf8")) as Artifact;
  } catch (cause) {
    throw new ReplayError(`Cannot read forge artifact ${full}.`, {
      cause,
      metaMessages: ["Run: npx forge build"],
    });
  }
}

export type VerifierOnAnvil = {
  anvil: AnvilInstance;
  client: PublicClient;
  wallet: WalletClient<Transport, Chain, Account>;
  verifier: Address;
  batch: Address;
  /** Deploys another artifact (no constructor arguments) from the funded dev account. */
  deploy(artifact: Artifact): Promise<Address>;
  stop(): Promise<void>;
};

/** Starts anvil (Prague, no block gas limit) and deploys RV32IM and StepBatch. */
export async function deployVerifierOnAnvil(): Promise<VerifierOnAnvil> {
  const rv = readArtifact("RV32IM.sol/RV32IM.json");
  const sb = readArtifact("StepBatch.sol/StepBatch.json");
  const anvil = await startAnvil({
    extraArgs: ["--hardfork", "prague", "--disable-block-gas-limit"],
  });
  try {
    const chain = defineChain({
      id: anvil.chainId,
      name: "anvil",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [anvil.rpcUrl] } },
    });
    const account = privateKeyToAccount(anvil.privateKeys[0]);
    const transport = http(anvil.rpcUrl, { timeout: 120_000 });
    const client = createPublicClient({ chain, transport });
    const wallet = createWalletClient({ account, chain, transport });
    const deploy = async (a: Artifact): Promise<Address> => {
      const hash = await wallet.deployContract({ abi: a.abi, bytecode: a.bytecode.object });
      const receipt = await waitForReceipt(client, { hash });
      if (!receipt.contractAddress) throw new ReplayError("deployment produced no contract");
      return receipt.contractAddress;
    };
    const verifier = await deploy(rv);
    const batch = await deploy(sb);
    return { anvil, client, wallet, verifier, batch, deploy, stop: () => anvil.stop() };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

export type StepOutcome = { reverted: boolean; post: Hex; selector: Hex };

const batchAbi = [
  {
    type: "function",
    name: "run",
    stateMutability: "view",
    inputs: [
      { name: "_verifier", type: "address" },
      { name: "_states", type: "bytes[]" },
      { name: "_proofs", type: "bytes[]" },
    ],
    outputs: [
      { name: "posts_", type: "bytes32[]" },
      { name: "reverted_", type: "bool[]" },
      { name: "selectors_", type: "bytes4[]" },
    ],
  },
] as const;

/** Runs RV32IM.step on each (state, proof) in one eth_call. */
export async function stepBatchOnAnvil(
  ctx: VerifierOnAnvil,
  cases: readonly StepVector[],
): Promise<StepOutcome[]> {
  const data = encodeFunctionData({
    abi: batchAbi,
    functionName: "run",
    args: [ctx.verifier, cases.map((c) => bytesToHex(c.preState)), cases.map((c) => bytesToHex(c.proof))],
  });
  // eth_call with an explicit gas allowance: a batch needs far more than a block's worth.
  const res = await ctx.client.call({ to: ctx.batch, data, gas: 5_000_000_000n });
  if (!res.data) throw new ReplayError("StepBatch.run returned no data");
  const [posts, reverted, selectors] = decodeFunctionResult({
    abi: batchAbi,
    functionName: "run",
    data: res.data,
  });
  return posts.map((post, k) => ({ post, reverted: reverted[k], selector: selectors[k] }));
}

export type Mismatch = {
  /** Index of the vector in the replayed sequence. */
  index: number;
  tag: VectorTag;
  expected: string;
  got: string;
  preState: Hex;
  proof: Hex;
};

export type ReplayResult = { replayed: number; mismatches: Mismatch[] };

/** Compares one batch of outcomes with the vectors' expectations. */
export function compareOutcomes(
  vectors: readonly StepVector[],
  outcomes: readonly StepOutcome[],
  firstIndex: number,
): Mismatch[] {
  const out: Mismatch[] = [];
  vectors.forEach((v, k) => {
    const o = outcomes[k];
    const expected = v.kind === VectorKind.Post ? bytesToHex(v.postStateHash) : "revert";
    const got = o.reverted ? `revert ${o.selector}` : o.post;
    const ok = v.kind === VectorKind.Post ? !o.reverted && o.post === expected : o.reverted;
    if (!ok)
      out.push({
        index: firstIndex + k,
        tag: v.tag,
        expected,
        got,
        preState: bytesToHex(v.preState),
        proof: bytesToHex(v.proof),
      });
  });
  return out;
}

/**
 * Replays `vectors` in batches of `batchSize` (default 250) and collects every
 * mismatch. One batch is in flight on anvil while the next is generated, so a
 * lazy generator and the EVM run side by side.
 */
export async function replayVectors(
  ctx: VerifierOnAnvil,
  vectors: Iterable<StepVector>,
  { batchSize = 250, onBatch }: { batchSize?: number; onBatch?: (done: number) => void } = {},
): Promise<ReplayResult> {
  const mismatches: Mismatch[] = [];
  let replayed = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let batch: StepVector[] = [];
  const send = (cases: StepVector[], first: number): Promise<void> =>
    stepBatchOnAnvil(ctx, cases).then((outcomes) => {
      mismatches.push(...compareOutcomes(cases, outcomes, first));
      onBatch?.(first + cases.length);
    });
  for (const v of vectors) {
    batch.push(v);
    if (batch.length >= batchSize) {
      await inFlight;
      inFlight = send(batch, replayed);
      replayed += batch.length;
      batch = [];
      // Let the request go out before generating the next batch synchronously.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await inFlight;
  if (batch.length > 0) {
    await send(batch, replayed);
    replayed += batch.length;
  }
  return { replayed, mismatches: mismatches.sort((a, b) => a.index - b.index) };
}

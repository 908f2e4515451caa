// The protocol as the benches use it: deployment in the documented order (RV32IM, ProgramRegistry,
// DisputeGame at Verdict's predicted address, Verdict, Outputs), the echo guest's real trace and
// step proofs (protocol/test/fixtures/echo.json), jobs, result trees and commit-reveal proposals.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Address,
  concat,
  decodeEventLog,
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  keccak256,
  type PrivateKeyAccount,
} from "viem";
import type { GovernanceParams } from "../../../shared/src/actions/encodeGovernanceCall.ts";
import {
  disputeGameAbi,
  disputeGameBytecode,
  outputsAbi,
  outputsBytecode,
  programRegistryAbi,
  programRegistryBytecode,
  rv32imAbi,
  rv32imBytecode,
  verdictAbi,
  verdictBytecode,
} from "../../../shared/src/bindings/abis.ts";
import { DEFAULT_MAX_DEPTH } from "../../../shared/src/deploy/parseDeployConfig.ts";
import type { BenchChain } from "./chain.ts";

const ROOT = join(import.meta.dirname, "../../..");

/** Verdict's `Params`: the library's type, one definition for both. */
export type Params = GovernanceParams;

/** The example deployment's economics (protocol/script/deploy.example.json), with the new fields. */
export const EXAMPLE_PARAMS: Params = {
  proposerBond: 10n ** 18n,
  claimBond: 5n * 10n ** 17n,
  challengeWindow: 3600n,
  clockSeconds: 1800n,
  burnBps: 2000,
  maxInputBytes: 1 << 18,
  maxBatchSize: 4096,
  feeTimeout: 86_400n,
};

export type Leaf = { jobId: bigint; finalStateHash: Hex };

export type Deployment = {
  verifier: Address;
  registry: Address;
  game: Address;
  verdict: Address;
  outputs: Address;
  k: number;
  params: Params;
};

export type Roles = {
  deployer: PrivateKeyAccount;
  admin: Address;
  guardian: Address;
  setter: Address;
};

/**
 * Deploys RV32IM, ProgramRegistry (the deploy default maxDepth, 32), DisputeGame(predicted Verdict, k),
 * Verdict and Outputs.
 */
export async function deployProtocol(
  c: BenchChain,
  roles: Roles,
  k: number,
  params: Params,
): Promise<Deployment> {
  const d = roles.deployer;
  const create = async (data: Hex, what: string): Promise<Address> => {
    const r = await c.send(d, { data });
    if (!r.ok || !r.receipt.contractAddress) throw new Error(`deploying ${what} failed: ${r.error}`);
    return r.receipt.contractAddress;
  };
  const verifier = await create(encodeDeployData({ abi: rv32imAbi, bytecode: rv32imBytecode }), "RV32IM");
  const registry = await create(
    encodeDeployData({
      abi: programRegistryAbi,
      bytecode: programRegistryBytecode,
      args: [roles.admin, roles.guardian, [verifier], DEFAULT_MAX_DEPTH],
    }),
    "ProgramRegistry",
  );
  const nonce = await c.publicClient.getTransactionCount({ address: d.address });
  const predicted = getContractAddress({ from: d.address, nonce: BigInt(nonce + 1) });
  const game = await create(
    encodeDeployData({ abi: disputeGameAbi, bytecode: disputeGameBytecode, args: [predicted, BigInt(k)] }),
    "DisputeGame",
  );
  const verdict = await create(
    encodeDeployData({
      abi: verdictAbi,
      bytecode: verdictBytecode,
      args: [registry, game, roles.admin, roles.guardian, roles.setter, params],
    }),
    "Verdict",
  );
  if (verdict.toLowerCase() !== predicted.toLowerCase()) throw new Error("Verdict address misprediction");
  const outputs = await create(
    encodeDeployData({ abi: outputsAbi, bytecode: outputsBytecode, args: [verdict] }),
    "Outputs",
  );
  return { verifier, registry, game, verdict, outputs, k, params };
}

////////////////////////////////////////////////////////////////
//                       Echo guest trace                     //
////////////////////////////////////////////////////////////////

type EchoFixture = {
  programRoot: Hex;
  entry: number;
  input: Hex;
  halt: number;
  finalHash: Hex;
  finalState: Hex;
  trace: Hex[];
  preStates: Hex[];
  proofs: Hex[];
};

export const echo = JSON.parse(
  readFileSync(join(ROOT, "protocol/test/fixtures/echo.json"), "utf8"),
) as EchoFixture;

/** The honest trace's state hash at position t (a halted machine stays halted). */
export const T = (t: bigint): Hex => (t >= BigInt(echo.halt) ? echo.finalHash : echo.trace[Number(t)]);

/** A dishonest trace: right up to `fault`, garbage after it (so the transition fault → fault+1 is wrong). */
export const faulty =
  (fault: bigint) =>
  (t: bigint): Hex =>
    t <= fault ? T(t) : keccak256(encodeAbiParameters([{ type: "string" }, { type: "uint256" }], ["bad", t]));

/** Pre-state and proof of the honest step from position t. */
export function stepData(t: bigint): { stateData: Hex; proof: Hex } {
  if (t >= BigInt(echo.halt)) return { stateData: echo.finalState, proof: "0x" };
  return { stateData: echo.preStates[Number(t)], proof: echo.proofs[Number(t)] };
}

/** Registers the echo guest at depth `depth` (optionally as a signed program). */
export async function registerEcho(
  c: BenchChain,
  d: Deployment,
  from: PrivateKeyAccount,
  depth: number,
  signers: Address[] = [],
  salt = 1,
): Promise<bigint> {
  await c.must(
    from,
    {
      to: d.registry,
      data: encodeFunctionData({
        abi: programRegistryAbi,
        functionName: "registerProgram",
        args: [echo.programRoot, echo.entry, depth, keccak256(`0x0${salt}`), signers, d.verifier],
      }),
    },
    "registerProgram",
  );
  return (await c.publicClient.readContract({
    address: d.registry,
    abi: programRegistryAbi,
    functionName: "programCount",
  })) as bigint;
}

/** Submits an echo job (the fixture's input) with `feeWei`; returns its id. */
export async function submitJob(
  c: BenchChain,
  d: Deployment,
  from: PrivateKeyAccount,
  programId: bigint,
  feeWei = 0n,
): Promise<bigint> {
  await c.must(
    from,
    {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "submitJob", args: [programId, echo.input] }),
      value: feeWei,
    },
    "submitJob",
  );
  return c.publicClient.readContract({ address: d.verdict, abi: verdictAbi, functionName: "jobCount" });
}

////////////////////////////////////////////////////////////////
//                      Result trees                          //
////////////////////////////////////////////////////////////////

export const leafHash = (l: Leaf): Hex =>
  keccak256(
    keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "bytes32" }], [l.jobId, l.finalStateHash])),
  );

/** Sorted-pair tree, odd node promoted (as Verdict._merkleRoot): the root and every leaf's proof. */
export function resultTree(leaves: Leaf[]): { root: Hex; proofs: Hex[][] } {
  let layer = leaves.map(leafHash);
  let index = leaves.map((_, i) => i);
  const proofs: Hex[][] = leaves.map(() => []);
  while (layer.length > 1) {
    for (let i = 0; i < leaves.length; i++) {
      const sib = index[i] ^ 1;
      if (sib < layer.length) proofs[i].push(layer[sib]);
    }
    const next: Hex[] = [];
    for (let i = 0; i + 1 < layer.length; i += 2) {
      const [a, b] =
        BigInt(layer[i]) < BigInt(layer[i + 1]) ? [layer[i], layer[i + 1]] : [layer[i + 1], layer[i]];
      next.push(keccak256(concat([a, b])));
    }
    if (layer.length % 2 === 1) next.push(layer[layer.length - 1]);
    layer = next;
    index = index.map((x) => x >> 1);
  }
  return { root: layer[0], proofs };
}

/** commitProposal, then (next block) propose with the stake; returns the proposal id. */
export async function propose(
  c: BenchChain,
  d: Deployment,
  from: PrivateKeyAccount,
  leaves: Leaf[],
  salt: Hex = keccak256("0x5a17"),
): Promise<bigint> {
  const { root } = resultTree(leaves);
  const commitment = keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [from.address, root, salt],
    ),
  );
  await c.must(
    from,
    {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "commitProposal", args: [commitment] }),
    },
    "commitProposal",
  );
  const stake = (await c.publicClient.readContract({
    address: d.verdict,
    abi: verdictAbi,
    functionName: "params",
  })) as { proposerBond: bigint };
  await c.must(
    from,
    {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "propose", args: [leaves, salt] }),
      value: stake.proposerBond,
    },
    "propose",
  );
  return c.publicClient.readContract({ address: d.verdict, abi: verdictAbi, functionName: "proposalCount" });
}

export async function getProposal(c: BenchChain, d: Deployment, pid: bigint) {
  return c.publicClient.readContract({
    address: d.verdict,
    abi: verdictAbi,
    functionName: "getProposal",
    args: [pid],
  });
}

/** ProposalStatus as numbered in Types.sol. */
export const ProposalStatus = {
  None: 0,
  Pending: 1,
  Finalized: 2,
  Defeated: 3,
  Invalidated: 4,
  RolledBack: 5,
} as const;

/** NodeStatus as numbered in Types.sol. */
export const NodeStatus = {
  None: 0,
  Challenged: 1,
  Dissected: 2,
  Defeated: 3,
  Upheld: 4,
  Refunded: 5,
} as const;

/** What an account holds: its balance plus its pull credits in Verdict and in DisputeGame. Unit: wei. */
export async function holdings(c: BenchChain, d: Deployment, account: Address): Promise<bigint> {
  const [bal, v, g] = await Promise.all([
    c.balance(account),
    c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "credit",
      args: [account],
    }),
    c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "credit",
      args: [account],
    }),
  ]);
  return bal + v + g;
}

/** Encoded Verdict calls the benches send. */
export const vcall = {
  finalize: (pid: bigint): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "finalize", args: [pid] }),
  recordResult: (pid: bigint, leaf: Leaf, proof: Hex[]): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "recordResult", args: [pid, leaf, proof] }),
  claimFee: (jobId: bigint): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "claimFee", args: [jobId] }),
  reclaimFee: (jobId: bigint): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "reclaimFee", args: [jobId] }),
  withdraw: (): Hex => encodeFunctionData({ abi: verdictAbi, functionName: "withdraw" }),
  setParams: (p: Params): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "setParams", args: [p] }),
  invalidateProposal: (pid: bigint): Hex =>
    encodeFunctionData({ abi: verdictAbi, functionName: "invalidateProposal", args: [pid] }),
};

/** A job's valid result: (final, finalStateHash, proposalId). */
export async function resultOf(c: BenchChain, d: Deployment, jobId: bigint) {
  return c.publicClient.readContract({
    address: d.verdict,
    abi: verdictAbi,
    functionName: "result",
    args: [jobId],
  });
}

export type VerdictEvent = { eventName: string; args: Record<string, unknown>; blockNumber: bigint };

/** Every Verdict event since `fromBlock`. */
export async function readVerdictEvents(
  c: BenchChain,
  d: Deployment,
  fromBlock = 0n,
): Promise<VerdictEvent[]> {
  const logs = await c.publicClient.getLogs({ address: d.verdict, fromBlock, toBlock: "latest" });
  const out: VerdictEvent[] = [];
  for (const l of logs) {
    try {
      const e = decodeEventLog({ abi: verdictAbi, data: l.data, topics: l.topics });
      out.push({
        eventName: e.eventName,
        args: e.args as unknown as Record<string, unknown>,
        blockNumber: l.blockNumber,
      });
    } catch {
      // not decodable
    }
  }
  return out;
}

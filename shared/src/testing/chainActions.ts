// Chain actions shared by the test fixtures (proposer tests, end-to-end tests,
// benches): submit a job and read its id back (through the library action), commit and reveal a scripted
// batch, read a contract's events, and move anvil's clock.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type PublicClient,
  parseEventLogs,
  type Transport,
  testActions,
  toHex,
  type WalletClient,
} from "viem";
import { submitJob } from "../actions/submitJob.ts";
import { verdictAbi } from "../bindings/abis.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";
import { buildResultTree, type ResultLeaf } from "../game/resultTree.ts";

export type SubmitJobParameters = {
  publicClient: PublicClient;
  wallet: WalletClient;
  verdict: Address;
  programId: bigint;
  input: Hex;
  feeWei: bigint;
};

/** Sends `submitJob` and returns the job id (a thin wrapper over the library's submitJob action). */
export async function submitJobAndWait(p: SubmitJobParameters): Promise<bigint> {
  const { jobId } = await submitJob(
    {
      publicClient: p.publicClient,
      walletClient: p.wallet as WalletClient<Transport, Chain | undefined, Account>,
    },
    { verdict: p.verdict, programId: p.programId, input: p.input, feeWei: p.feeWei },
  );
  return jobId;
}

export type ProposeBatchParameters = {
  publicClient: PublicClient;
  wallet: WalletClient;
  verdict: Address;
  leaves: readonly ResultLeaf[];
  /** The proposal stake (`params().proposerBond`). Unit: wei. */
  bondWei: bigint;
  /** Default: derived from the leaves and the wallet. */
  salt?: Hex;
};

/**
 * A scripted proposal: `commitProposal(keccak256(abi.encode(proposer, root, salt)))`,
 * then `propose(leaves, salt)` once a block after the commitment's is the head
 * (with automine the reveal simply lands in the next block). Returns the proposal id.
 */
export async function proposeBatchAndWait(p: ProposeBatchParameters): Promise<bigint> {
  const account = p.wallet.account!;
  const root = buildResultTree(p.leaves).root;
  const salt = p.salt ?? keccak256(toHex(`salt:${account.address}:${root}`));
  const commitment = keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [account.address, root, salt],
    ),
  );
  const send = async (functionName: string, args: readonly unknown[], value?: bigint) => {
    const hash = await p.wallet.writeContract({
      address: p.verdict,
      abi: verdictAbi as Abi,
      functionName,
      args,
      value,
      account,
      chain: p.wallet.chain,
    });
    const r = await waitForReceipt(p.publicClient, { hash });
    if (r.status !== "success") throw new Error(`${functionName} reverted`);
    return r;
  };
  const committed = await send("commitProposal", [commitment]);
  // viem simulates at `latest`: wait for a head past the commitment when blocks come by interval.
  while ((await p.publicClient.getBlockNumber({ cacheTime: 0 })) <= committed.blockNumber) {
    const automine = await p.publicClient
      .extend(testActions({ mode: "anvil" }))
      .getAutomine()
      .catch(() => false);
    if (automine) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await send("propose", [p.leaves, salt], p.bondWei);
  const proposed = parseEventLogs({ abi: verdictAbi, logs: r.logs, eventName: "Proposed" })[0];
  if (!proposed) throw new Error("no Proposed event");
  return proposed.args.proposalId;
}

/** Decoded events of one contract since `fromBlock` (args as a plain record). */
export async function contractEvents(
  publicClient: PublicClient,
  p: { address: Address; abi: Abi; eventName: string; fromBlock: bigint; args?: Record<string, unknown> },
): Promise<{ args: Record<string, never>; blockNumber: bigint; transactionHash: Hex }[]> {
  const logs = await publicClient.getContractEvents({
    address: p.address,
    abi: p.abi,
    eventName: p.eventName,
    args: p.args,
    fromBlock: p.fromBlock,
  });
  return logs.map((l) => ({
    args: l.args as Record<string, never>,
    blockNumber: l.blockNumber,
    transactionHash: l.transactionHash,
  }));
}

/** Advances anvil's clock by `seconds` and mines a block. */
export async function advanceTime(publicClient: PublicClient, seconds: number): Promise<void> {
  const anvil = publicClient.extend(testActions({ mode: "anvil" }));
  await anvil.increaseTime({ seconds });
  await anvil.mine({ blocks: 1 });
}

// The proposer's propose path (docs/spec.md §2.2): commit to a batch, then
// reveal it once the commitment is mined, so a copier who learns the leaves
// from the reveal always commits later and earns none of their fees.
//
// The reveal needs `commitBlock < block.number`. A node that simulates at the
// pending block (anvil) accepts it right after the commitment's receipt; one
// that simulates at `latest` (geth) refuses it with NotCommitted until the
// next block is mined, so on that refusal we wait for a later head and retry.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import { buildResultTree, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import {
  type Address,
  bytesToHex,
  encodeAbiParameters,
  type Hex,
  keccak256,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";

/** `keccak256(abi.encode(proposer, root, salt))`: what `commitProposal` takes. */
export function proposalCommitment(proposer: Address, root: Hex, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [proposer, root, salt],
    ),
  );
}

export type CommitAndProposeParameters = {
  sender: Pick<TxSender, "send" | "address">;
  /** Reads the head (only when a node refused the reveal in the commitment's block). */
  getBlockNumber: () => Promise<bigint>;
  verdict: Address;
  leaves: readonly ResultLeaf[];
  /** The proposal stake. Unit: wei. */
  bond: bigint;
  /** Secret salt; default: 32 random bytes. */
  salt?: Hex;
  /** Head polling while waiting for a block after the commitment. Unit: milliseconds. */
  pollMs?: number;
  /** Give up waiting for that block after this long. Unit: milliseconds. */
  waitBlockMs?: number;
};

export type CommitAndProposeReturnType = {
  proposalId: bigint;
  /** Block of the commitment (the proposal's fee priority). */
  commitBlock: bigint;
  receipt: TransactionReceipt;
};

export async function commitAndPropose(p: CommitAndProposeParameters): Promise<CommitAndProposeReturnType> {
  const salt = p.salt ?? bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  const root = buildResultTree(p.leaves).root;
  const commit = await p.sender.send({
    address: p.verdict,
    abi: verdictAbi,
    functionName: "commitProposal",
    args: [proposalCommitment(p.sender.address, root, salt)],
  });
  const reveal = () =>
    p.sender.send({
      address: p.verdict,
      abi: verdictAbi,
      functionName: "propose",
      args: [p.leaves, salt],
      value: p.bond,
    });
  let receipt: TransactionReceipt;
  try {
    receipt = await reveal();
  } catch (err) {
    if (!(err instanceof ContractRevertError && err.errorName === "NotCommitted")) throw err;
    const deadline = Date.now() + (p.waitBlockMs ?? 120_000);
    while ((await p.getBlockNumber()) <= commit.blockNumber) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, p.pollMs ?? 500));
    }
    receipt = await reveal();
  }
  // Verdict's Proposed event (logs of other contracts, or other events, are skipped).
  const proposalId = parseEventLogs({ abi: verdictAbi, logs: receipt.logs, eventName: "Proposed" }).find(
    (e) => e.address.toLowerCase() === p.verdict.toLowerCase(),
  )?.args.proposalId;
  if (proposalId === undefined) throw new Error("propose receipt has no Proposed event");
  return { proposalId, commitBlock: commit.blockNumber, receipt };
}

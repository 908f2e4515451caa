// The challenger's own transactions outside game moves (game moves go through
// the shared player/respond): opening a game with its bond, and withdrawing
// won bonds. Both go through the shared tx sender (simulate first, nonce
// lock, retries, fee bumps). A revert that only means "too late, or the
// protocol is paused" is reported as stale: the next tick re-reads the chain.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import type { Address, Hex, TransactionReceipt } from "viem";

/** Reverts after which re-reading the chain is the right reaction. */
export const STALE_REVERTS = new Set([
  "ProtocolPaused",
  "ProposalNotPending",
  "WindowClosed",
  "NothingToWithdraw",
]);

export type Responder = {
  sender: TxSender;
  openGame: (p: {
    proposalId: bigint;
    leaf: ResultLeaf;
    proof: Hex[];
    bond: bigint;
  }) => Promise<TransactionReceipt | "stale">;
  withdraw: () => Promise<TransactionReceipt | "stale">;
};

export function createResponder({ sender, verdict }: { sender: TxSender; verdict: Address }): Responder {
  const send = async (functionName: string, args: readonly unknown[], value?: bigint) => {
    try {
      return await sender.send({ address: verdict, abi: verdictAbi, functionName, args, value });
    } catch (err) {
      if (err instanceof ContractRevertError && STALE_REVERTS.has(err.errorName)) return "stale" as const;
      throw err;
    }
  };
  return {
    sender,
    openGame: ({ proposalId, leaf, proof, bond }) =>
      send("openGame", [proposalId, { jobId: leaf.jobId, finalStateHash: leaf.finalStateHash }, proof], bond),
    withdraw: () => send("withdraw", []),
  };
}

// The real chain behind the responder: DisputeGame's credit, multicall
// simulation (eth_estimateGas, reverts decoded to the custom error), and
// sending through the daemon's TxSender (nonce lock, retries, fee bumps).

import type { Address, Chain, Hex, PublicClient, Transport } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import type { TxSender } from "../chain/createTxSender.ts";
import { decodeRevert } from "../chain/decodeRevert.ts";
import type { ResponderChain } from "./createResponder.ts";

export type CreateResponderChainParameters = {
  publicClient: PublicClient<Transport, Chain>;
  sender: TxSender;
  /** The DisputeGame contract. */
  game: Address;
};

export function createResponderChain({
  publicClient,
  sender,
  game,
}: CreateResponderChainParameters): ResponderChain {
  return {
    credit: () =>
      publicClient.readContract({
        address: game,
        abi: disputeGameAbi,
        functionName: "credit",
        args: [sender.address],
      }),
    estimate: async (calls: Hex[], value: bigint) => {
      try {
        return await publicClient.estimateContractGas({
          address: game,
          abi: disputeGameAbi,
          functionName: "multicall",
          args: [calls],
          value,
          account: sender.address,
        });
      } catch (err) {
        throw decodeRevert(err, disputeGameAbi, "multicall");
      }
    },
    send: (calls: Hex[], value: bigint) =>
      sender.send({ address: game, abi: disputeGameAbi, functionName: "multicall", args: [calls], value }),
    withdraw: () => sender.send({ address: game, abi: disputeGameAbi, functionName: "withdraw", args: [] }),
  };
}

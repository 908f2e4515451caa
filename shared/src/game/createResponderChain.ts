// The real chain behind the responder: DisputeGame's credit, simulation
// (eth_estimateGas, reverts decoded to the custom error), and sending through
// the daemon's TxSender (nonce lock, retries, fee bumps). Several moves go as
// one `multicall`; a single move is sent as the call itself, which costs less
// (no delegatecall, and a bond paid exactly never touches the credit slot).

import { type Address, type Chain, encodeFunctionData, type PublicClient, type Transport } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import type { TxSender } from "../chain/createTxSender.ts";
import { decodeRevert } from "../chain/decodeRevert.ts";
import type { ResponderChain } from "./createResponder.ts";
import { callOf, encodeAction, type GameCall } from "./encodeAction.ts";
import type { Action } from "./types.ts";

export type CreateResponderChainParameters = {
  publicClient: PublicClient<Transport, Chain>;
  sender: TxSender;
  /** The DisputeGame contract. */
  game: Address;
  /** Gas kept back from the balance for the batch's own fees (the responder's gas budget). */
  reserveGas?: bigint;
};

export function createResponderChain({
  publicClient,
  sender,
  game,
  reserveGas = 10_000_000n,
}: CreateResponderChainParameters): ResponderChain {
  const callFor = (actions: Action[]): GameCall =>
    actions.length === 1
      ? callOf(actions[0])
      : { functionName: "multicall", args: [actions.map(encodeAction)] };
  return {
    credit: () =>
      publicClient.readContract({
        address: game,
        abi: disputeGameAbi,
        functionName: "credit",
        args: [sender.address],
      }),
    estimate: async (actions, value) => {
      const call = callFor(actions);
      try {
        // Estimated from the encoded call: the value rides on payable moves and on a multicall alike.
        return await publicClient.estimateGas({
          account: sender.address,
          to: game,
          data: encodeFunctionData({ abi: disputeGameAbi, ...call }),
          value,
        });
      } catch (err) {
        throw decodeRevert(err, disputeGameAbi, call.functionName);
      }
    },
    send: (actions, value) => sender.send({ address: game, abi: disputeGameAbi, ...callFor(actions), value }),
    withdraw: () => sender.send({ address: game, abi: disputeGameAbi, functionName: "withdraw", args: [] }),
    funds: async () => {
      const [balance, gasPrice] = await Promise.all([
        publicClient.getBalance({ address: sender.address }),
        publicClient.getGasPrice(),
      ]);
      // Twice the current price: room for the sender's fee bumps.
      const left = balance - 2n * gasPrice * reserveGas;
      return left > 0n ? left : 0n;
    },
  };
}

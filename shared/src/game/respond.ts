// The responder: turns a solver action into the one contract call that makes
// it. Kept apart from the solver so the solver stays pure and this stays dumb.

import type { Abi, Address, TransactionReceipt } from "viem";
import type { TxSender } from "../chain/createTxSender.ts";
import type { Action } from "./types.ts";

export type RespondParameters = {
  sender: TxSender;
  verdict: Address;
  abi: Abi;
  gameId: bigint;
  action: Action;
};

/** Sends the action's transaction; undefined for "wait". */
export async function respond({
  sender,
  verdict,
  abi,
  gameId,
  action,
}: RespondParameters): Promise<TransactionReceipt | undefined> {
  const call = (functionName: string, args: readonly unknown[]) =>
    sender.send({ address: verdict, abi, functionName, args });
  switch (action.type) {
    case "dissect":
      return call("dissect", [gameId, action.interior]);
    case "pick":
      return call("pick", [gameId, action.interior, BigInt(action.index)]);
    case "step":
      return call("step", [gameId, action.stateData, action.proof]);
    case "claimTimeout":
      return call("claimTimeout", [gameId]);
    case "close":
      return call("closeGame", [gameId]);
    case "wait":
      return undefined;
  }
}

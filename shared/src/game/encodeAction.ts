// One action → the calldata of its DisputeGame call (an element of
// `multicall`'s argument). Typed against the generated ABI, so a signature
// change in the contract fails the typecheck here.

import { type ContractFunctionArgs, type ContractFunctionName, encodeFunctionData, type Hex } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import type { Action } from "./types.ts";

export function encodeAction(a: Action): Hex {
  switch (a.type) {
    case "openGame":
      return encodeFunctionData({
        abi: disputeGameAbi,
        functionName: "openGame",
        args: [a.proposalId, { jobId: a.leaf.jobId, finalStateHash: a.leaf.finalStateHash }, a.proof],
      });
    case "dissect":
      return encodeFunctionData({
        abi: disputeGameAbi,
        functionName: "dissect",
        args: [a.gameId, a.position, a.interior],
      });
    case "challenge":
      return encodeFunctionData({
        abi: disputeGameAbi,
        functionName: "challenge",
        args: [a.gameId, a.parent, BigInt(a.index)],
      });
    case "step":
      return encodeFunctionData({
        abi: disputeGameAbi,
        functionName: "step",
        args: [a.gameId, a.position, a.ancestry, a.stateData, a.proof],
      });
    case "resolveNode":
      return encodeFunctionData({
        abi: disputeGameAbi,
        functionName: "resolveNode",
        args: [a.gameId, a.position],
      });
  }
}

type GameWrite = ContractFunctionName<typeof disputeGameAbi, "nonpayable" | "payable">;

/** A DisputeGame state-changing call, its arguments typed by the function (a union over the functions). */
export type GameCall = {
  [F in GameWrite]: {
    functionName: F;
    args: ContractFunctionArgs<typeof disputeGameAbi, "nonpayable" | "payable", F>;
  };
}[GameWrite];

/** The DisputeGame function and arguments of an action (for sending it alone, without multicall). */
export function callOf(a: Action): GameCall {
  switch (a.type) {
    case "openGame":
      return {
        functionName: "openGame",
        args: [a.proposalId, { jobId: a.leaf.jobId, finalStateHash: a.leaf.finalStateHash }, a.proof],
      };
    case "dissect":
      return { functionName: "dissect", args: [a.gameId, a.position, a.interior] };
    case "challenge":
      return { functionName: "challenge", args: [a.gameId, a.parent, BigInt(a.index)] };
    case "step":
      return { functionName: "step", args: [a.gameId, a.position, a.ancestry, a.stateData, a.proof] };
    case "resolveNode":
      return { functionName: "resolveNode", args: [a.gameId, a.position] };
  }
}

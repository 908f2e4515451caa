// encodeGovernanceCall: turns one governance action (docs/spec.md §2.5) into
// the call that performs it (target contract, calldata) and the role the
// caller must hold. The same call is sent directly by a role holder, or
// scheduled and executed through the TimelockController, so the three
// governance actions (send, schedule, execute) share this one description.

import { type Address, encodeFunctionData, type Hex, keccak256, toHex } from "viem";
import { disputeGameAbi, programRegistryAbi, verdictAbi } from "../bindings/abis.ts";

/** Verdict's `Params` (docs/spec.md §2.5), as `setParams` takes them. */
export type GovernanceParams = {
  /** Unit: wei. */
  proposerBond: bigint;
  /** Unit: wei. */
  claimBond: bigint;
  /** Unit: seconds of active time. */
  challengeWindow: bigint;
  /** Unit: seconds. */
  clockSeconds: bigint;
  /** Unit: basis points. */
  burnBps: number;
  /** Unit: bytes. */
  maxInputBytes: number;
  /** Unit: leaves. */
  maxBatchSize: number;
  /** Unit: seconds. */
  feeTimeout: bigint;
};

/** One governance action and its arguments. */
export type GovernanceAction =
  | { action: "pause" }
  | { action: "unpause" }
  | { action: "invalidateProposal"; proposalId: bigint }
  | { action: "invalidateGame"; gameId: bigint }
  | { action: "rollback"; afterTimestamp: bigint; maxProposals: bigint }
  | { action: "retireVerifier"; verifier: Address }
  | { action: "setParams"; params: GovernanceParams }
  | { action: "approveVerifier"; verifier: Address }
  | { action: "setMaxDepth"; maxDepth: number };

/** The roles of Verdict and the registry (OpenZeppelin AccessControl; DisputeGame asks Verdict). */
export const GOVERNANCE_ROLES = {
  DEFAULT_ADMIN_ROLE: `0x${"00".repeat(32)}` as Hex,
  GUARDIAN_ROLE: keccak256(toHex("GUARDIAN_ROLE")),
  PARAMETER_SETTER_ROLE: keccak256(toHex("PARAMETER_SETTER_ROLE")),
} as const;
export type GovernanceRoleName = keyof typeof GOVERNANCE_ROLES;

export type EncodeGovernanceCallParameters = {
  verdict: Address;
  registry: Address;
  disputeGame: Address;
} & GovernanceAction;

export type GovernanceCall = {
  action: GovernanceAction["action"];
  /** The contract the call goes to. */
  target: Address;
  data: Hex;
  /** The function called on `target` (for messages and revert decoding). */
  functionName: string;
  /** The role `msg.sender` must hold. */
  roleName: GovernanceRoleName;
  role: Hex;
  /** Where the role is held: Verdict for its own and DisputeGame's actions, else the registry. */
  roleContract: Address;
};
export type EncodeGovernanceCallReturnType = GovernanceCall;
export type EncodeGovernanceCallErrorType = Error;

export function encodeGovernanceCall(p: EncodeGovernanceCallParameters): EncodeGovernanceCallReturnType {
  const onVerdict = (functionName: string, data: Hex, roleName: GovernanceRoleName): GovernanceCall => ({
    action: p.action,
    target: p.verdict,
    data,
    functionName,
    roleName,
    role: GOVERNANCE_ROLES[roleName],
    roleContract: p.verdict,
  });
  const onRegistry = (functionName: string, data: Hex, roleName: GovernanceRoleName): GovernanceCall => ({
    action: p.action,
    target: p.registry,
    data,
    functionName,
    roleName,
    role: GOVERNANCE_ROLES[roleName],
    roleContract: p.registry,
  });
  switch (p.action) {
    case "pause":
      return onVerdict(
        "pause",
        encodeFunctionData({ abi: verdictAbi, functionName: "pause" }),
        "GUARDIAN_ROLE",
      );
    case "unpause":
      return onVerdict(
        "unpause",
        encodeFunctionData({ abi: verdictAbi, functionName: "unpause" }),
        "GUARDIAN_ROLE",
      );
    case "invalidateProposal":
      return onVerdict(
        "invalidateProposal",
        encodeFunctionData({ abi: verdictAbi, functionName: "invalidateProposal", args: [p.proposalId] }),
        "GUARDIAN_ROLE",
      );
    case "invalidateGame":
      // DisputeGame checks GUARDIAN_ROLE on Verdict.
      return {
        action: p.action,
        target: p.disputeGame,
        data: encodeFunctionData({ abi: disputeGameAbi, functionName: "invalidateGame", args: [p.gameId] }),
        functionName: "invalidateGame",
        roleName: "GUARDIAN_ROLE",
        role: GOVERNANCE_ROLES.GUARDIAN_ROLE,
        roleContract: p.verdict,
      };
    case "rollback":
      return onVerdict(
        "rollback",
        encodeFunctionData({
          abi: verdictAbi,
          functionName: "rollback",
          args: [p.afterTimestamp, p.maxProposals],
        }),
        "GUARDIAN_ROLE",
      );
    case "retireVerifier":
      return onRegistry(
        "retireVerifier",
        encodeFunctionData({ abi: programRegistryAbi, functionName: "retireVerifier", args: [p.verifier] }),
        "GUARDIAN_ROLE",
      );
    case "setParams":
      return onVerdict(
        "setParams",
        encodeFunctionData({ abi: verdictAbi, functionName: "setParams", args: [p.params] }),
        "PARAMETER_SETTER_ROLE",
      );
    case "approveVerifier":
      return onRegistry(
        "approveVerifier",
        encodeFunctionData({ abi: programRegistryAbi, functionName: "approveVerifier", args: [p.verifier] }),
        "DEFAULT_ADMIN_ROLE",
      );
    case "setMaxDepth":
      return onRegistry(
        "setMaxDepth",
        encodeFunctionData({ abi: programRegistryAbi, functionName: "setMaxDepth", args: [p.maxDepth] }),
        "DEFAULT_ADMIN_ROLE",
      );
  }
}

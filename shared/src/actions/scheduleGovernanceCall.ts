// scheduleGovernanceCall: a timelock proposer schedules a governance call on
// the TimelockController (docs/spec.md §2.5); it can be executed once the
// delay has passed (executeGovernanceCall). Checked before sending: the
// timelock itself holds the role the call needs (else executing would revert,
// e.g. a guardian action when the guardian is a separate key), the signer is
// a proposer, and the operation (same call and salt) does not exist yet.

import { type Address, type Hex, zeroHash } from "viem";
import { timelockControllerAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import type { GovernanceCall } from "./encodeGovernanceCall.ts";
import { GovernanceRoleError, OperationStateError } from "./errors.ts";
import { hasRole, operationIdOf, TIMELOCK_ROLES } from "./governance.ts";

export type ScheduleGovernanceCallParameters = {
  timelock: Address;
  call: GovernanceCall;
  /** Distinguishes otherwise identical operations (a second pause after an unpause). Default: zero. */
  salt?: Hex;
  /** Operation that must be executed first. Default: none (zero). */
  predecessor?: Hex;
  /** Default: the timelock's minimum delay. Unit: seconds. */
  delaySeconds?: bigint;
};
export type ScheduleGovernanceCallReturnType = {
  action: GovernanceCall["action"];
  operationId: Hex;
  /** Earliest chain time the operation can be executed. Unit: unix seconds. */
  readyAt: bigint;
  /** Unit: seconds. */
  delaySeconds: bigint;
  target: Address;
  data: Hex;
  salt: Hex;
  predecessor: Hex;
  txHash: Hex;
};
export type ScheduleGovernanceCallErrorType =
  | GovernanceRoleError
  | OperationStateError
  | ContractRevertError
  | Error;

export async function scheduleGovernanceCall(
  clients: WriteClients,
  { timelock, call, salt = zeroHash, predecessor = zeroHash, delaySeconds }: ScheduleGovernanceCallParameters,
): Promise<ScheduleGovernanceCallReturnType> {
  const account = clients.walletClient.account.address;
  const read = clients.publicClient;
  if (!(await hasRole(clients, call.roleContract, call.role, timelock)))
    throw new GovernanceRoleError({
      account: timelock,
      who: "the timelock",
      roleName: call.roleName,
      contract: call.roleContract,
      functionName: call.functionName,
      hint: `Executing it through the timelock would revert. ${call.roleName === "GUARDIAN_ROLE" ? "It is an emergency action: the guardian calls it directly (without --schedule)." : "Its holder calls it directly (without --schedule)."}`,
    });
  if (!(await hasRole(clients, timelock, TIMELOCK_ROLES.PROPOSER_ROLE, account)))
    throw new GovernanceRoleError({
      account,
      who: "the signer",
      roleName: "PROPOSER_ROLE",
      contract: timelock,
      functionName: "schedule",
      hint: "Only the timelock's proposers may schedule (the deploy config's timelock.proposers).",
    });
  const operationId = await operationIdOf(clients, timelock, call, predecessor, salt);
  const state = await read.readContract({
    address: timelock,
    abi: timelockControllerAbi,
    functionName: "getOperationState",
    args: [operationId],
  });
  // OperationState: 0 Unset, 1 Waiting, 2 Ready, 3 Done.
  if (state !== 0)
    throw new OperationStateError({
      operationId,
      state: state === 3 ? "executed" : "scheduled",
      hint:
        state === 3
          ? "To do the same again, schedule it with another --salt."
          : "Run it with --execute once ready (same arguments and --salt).",
    });
  const minDelay = await read.readContract({
    address: timelock,
    abi: timelockControllerAbi,
    functionName: "getMinDelay",
  });
  const delay = delaySeconds ?? minDelay;
  const receipt = await sendAndWait(clients, timelockControllerAbi, "schedule", () =>
    clients.walletClient.writeContract({
      address: timelock,
      abi: timelockControllerAbi,
      functionName: "schedule",
      args: [call.target, 0n, call.data, predecessor, salt, delay],
      account: clients.walletClient.account,
      chain: chainOf(clients),
    }),
  );
  const readyAt = await read.readContract({
    address: timelock,
    abi: timelockControllerAbi,
    functionName: "getTimestamp",
    args: [operationId],
    blockNumber: receipt.blockNumber,
  });
  return {
    action: call.action,
    operationId,
    readyAt,
    delaySeconds: delay,
    target: call.target,
    data: call.data,
    salt,
    predecessor,
    txHash: receipt.transactionHash,
  };
}

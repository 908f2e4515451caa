// Shared pieces of the governance actions: role look-ups made before
// anything is sent (so a missing role is a GovernanceRoleError that says who holds what, not a bare
// AccessControlUnauthorizedAccount revert; the contracts still enforce every
// rule, these reads only explain it early), the timelock's operation id, and
// the outcome of a rollback from its receipt.

import { type Address, type Hex, keccak256, parseEventLogs, toHex, zeroAddress } from "viem";
import { timelockControllerAbi, verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";

/** The TimelockController's roles (OpenZeppelin). */
export const TIMELOCK_ROLES = {
  PROPOSER_ROLE: keccak256(toHex("PROPOSER_ROLE")),
  EXECUTOR_ROLE: keccak256(toHex("EXECUTOR_ROLE")),
} as const;

/** hasRole on any AccessControl contract (Verdict, the registry and the timelock share the signature). */
export async function hasRole(
  clients: ReadClients,
  contract: Address,
  role: Hex,
  account: Address,
): Promise<boolean> {
  return clients.publicClient.readContract({
    address: contract,
    abi: verdictAbi,
    functionName: "hasRole",
    args: [role, account],
  });
}

/** True when `account` may execute on the timelock (it holds EXECUTOR_ROLE, or the role is open to all). */
export async function mayExecute(
  clients: ReadClients,
  timelock: Address,
  account: Address,
): Promise<boolean> {
  const [own, open] = await Promise.all([
    hasRole(clients, timelock, TIMELOCK_ROLES.EXECUTOR_ROLE, account),
    hasRole(clients, timelock, TIMELOCK_ROLES.EXECUTOR_ROLE, zeroAddress),
  ]);
  return own || open;
}

/** The id the timelock gives an operation (hashOperation, read from the contract itself). */
export async function operationIdOf(
  clients: ReadClients,
  timelock: Address,
  call: { target: Address; data: Hex },
  predecessor: Hex,
  salt: Hex,
): Promise<Hex> {
  return clients.publicClient.readContract({
    address: timelock,
    abi: timelockControllerAbi,
    functionName: "hashOperation",
    args: [call.target, 0n, call.data, predecessor, salt],
  });
}

/** The RollbackProgress event of a rollback's receipt, if any. */
export function rollbackOutcome(logs: Parameters<typeof parseEventLogs>[0]["logs"]): {
  rolledBack?: bigint;
  done?: boolean;
} {
  const ev = parseEventLogs({ abi: verdictAbi, eventName: "RollbackProgress", logs })[0];
  return ev ? { rolledBack: ev.args.rolledBack, done: ev.args.done } : {};
}

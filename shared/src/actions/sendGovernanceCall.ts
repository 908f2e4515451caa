// sendGovernanceCall: a role holder calls a governance function directly (the
// guardian's emergency actions: pause, unpause, invalidate, rollback, retire a
// verifier; or any action on a deployment without a timelock). The signer's
// role is checked first; a missing one is a GovernanceRoleError naming the
// role, so the caller learns to go through the timelock instead.

import type { Hex } from "viem";
import { decodeRevert, protocolErrorsAbi } from "../chain/decodeRevert.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import type { GovernanceCall } from "./encodeGovernanceCall.ts";
import { GovernanceRoleError } from "./errors.ts";
import { hasRole, rollbackOutcome } from "./governance.ts";

export type SendGovernanceCallParameters = {
  call: GovernanceCall;
  /** Set when the deployment has a timelock, to say so when the signer lacks the role. */
  timelock?: `0x${string}` | null;
};
export type SendGovernanceCallReturnType = {
  action: GovernanceCall["action"];
  txHash: Hex;
  /** rollback only: proposals rolled back by this call, and whether the rollback is complete. */
  rolledBack?: bigint;
  done?: boolean;
};
export type SendGovernanceCallErrorType = GovernanceRoleError | ContractRevertError | Error;

export async function sendGovernanceCall(
  clients: WriteClients,
  { call, timelock }: SendGovernanceCallParameters,
): Promise<SendGovernanceCallReturnType> {
  const account = clients.walletClient.account.address;
  if (!(await hasRole(clients, call.roleContract, call.role, account))) {
    const timelockHolds = timelock ? await hasRole(clients, call.roleContract, call.role, timelock) : false;
    throw new GovernanceRoleError({
      account,
      who: "the signer",
      roleName: call.roleName,
      contract: call.roleContract,
      functionName: call.functionName,
      hint: timelockHolds
        ? `The timelock ${timelock} holds it: schedule the action with --schedule, then run it with --execute once the delay has passed.`
        : "Sign with a key that holds the role.",
    });
  }
  // Simulate first so a revert is decoded before anything is signed.
  try {
    await clients.publicClient.call({ account, to: call.target, data: call.data });
  } catch (err) {
    throw decodeRevert(err, protocolErrorsAbi(), call.functionName);
  }
  const receipt = await sendAndWait(clients, protocolErrorsAbi(), call.functionName, () =>
    clients.walletClient.sendTransaction({
      account: clients.walletClient.account,
      chain: chainOf(clients),
      to: call.target,
      data: call.data,
    }),
  );
  return { action: call.action, txHash: receipt.transactionHash, ...rollbackOutcome(receipt.logs) };
}

// executeGovernanceCall: executes a governance call scheduled on the
// TimelockController once its delay has passed. Checked before sending, each
// with its own typed error: the operation exists (OperationNotScheduledError),
// is not done (OperationStateError), is ready by the latest block's time
// (OperationNotReadyError, naming when it will be), and the signer may
// execute (GovernanceRoleError).

import { type Address, type Hex, zeroHash } from "viem";
import { timelockControllerAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import type { GovernanceCall } from "./encodeGovernanceCall.ts";
import {
  GovernanceRoleError,
  OperationNotReadyError,
  OperationNotScheduledError,
  OperationStateError,
} from "./errors.ts";
import { mayExecute, operationIdOf, rollbackOutcome } from "./governance.ts";

export type ExecuteGovernanceCallParameters = {
  timelock: Address;
  call: GovernanceCall;
  /** The salt it was scheduled with. Default: zero. */
  salt?: Hex;
  /** The predecessor it was scheduled with. Default: zero. */
  predecessor?: Hex;
};
export type ExecuteGovernanceCallReturnType = {
  action: GovernanceCall["action"];
  operationId: Hex;
  txHash: Hex;
  /** rollback only: proposals rolled back by this call, and whether the rollback is complete. */
  rolledBack?: bigint;
  done?: boolean;
};
export type ExecuteGovernanceCallErrorType =
  | OperationNotScheduledError
  | OperationNotReadyError
  | OperationStateError
  | GovernanceRoleError
  | ContractRevertError
  | Error;

/** getTimestamp's marker of an executed operation (OpenZeppelin's _DONE_TIMESTAMP). */
const DONE_TIMESTAMP = 1n;

export async function executeGovernanceCall(
  clients: WriteClients,
  { timelock, call, salt = zeroHash, predecessor = zeroHash }: ExecuteGovernanceCallParameters,
): Promise<ExecuteGovernanceCallReturnType> {
  const account = clients.walletClient.account.address;
  const operationId = await operationIdOf(clients, timelock, call, predecessor, salt);
  const [readyAt, latest] = await Promise.all([
    clients.publicClient.readContract({
      address: timelock,
      abi: timelockControllerAbi,
      functionName: "getTimestamp",
      args: [operationId],
    }),
    clients.publicClient.getBlock({ blockTag: "latest" }),
  ]);
  if (readyAt === 0n) throw new OperationNotScheduledError({ operationId });
  if (readyAt === DONE_TIMESTAMP)
    throw new OperationStateError({
      operationId,
      state: "executed",
      hint: "To do the same again, schedule it anew with another --salt.",
    });
  if (readyAt > latest.timestamp)
    throw new OperationNotReadyError({ operationId, readyAt, now: latest.timestamp });
  if (!(await mayExecute(clients, timelock, account)))
    throw new GovernanceRoleError({
      account,
      who: "the signer",
      roleName: "EXECUTOR_ROLE",
      contract: timelock,
      functionName: "execute",
      hint: "Only the timelock's executors may execute (the deploy config's timelock.executors).",
    });
  const receipt = await sendAndWait(clients, timelockControllerAbi, "execute", () =>
    clients.walletClient.writeContract({
      address: timelock,
      abi: timelockControllerAbi,
      functionName: "execute",
      args: [call.target, 0n, call.data, predecessor, salt],
      account: clients.walletClient.account,
      chain: chainOf(clients),
    }),
  );
  return {
    action: call.action,
    operationId,
    txHash: receipt.transactionHash,
    ...rollbackOutcome(receipt.logs),
  };
}

// Deploys the whole protocol to any RPC, in the one order the contracts allow:
// verifier (RV32IM unless an address is given), optional TimelockController,
// ProgramRegistry(admin, guardian, [verifier], maxDepth), then
// DisputeGame(predicted Verdict address, k) →
// Verdict(registry, game, admin, guardian, setter, params) → Outputs(verdict).
// The game and Verdict name each other (Verdict's constructor checks
// `game.VERDICT() == this`), so Verdict's address is predicted from the
// deployer's nonce and both are sent with explicit nonces. With a timelock,
// every role but the guardian's goes to it (admin and parameter setter).
// Used by the demo (embedded anvil), the daemons' tests and the benches.

import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  getContractAddress,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import {
  disputeGameAbi,
  disputeGameBytecode,
  outputsAbi,
  outputsBytecode,
  programRegistryAbi,
  programRegistryBytecode,
  rv32imAbi,
  rv32imBytecode,
  timelockControllerAbi,
  timelockControllerBytecode,
  verdictAbi,
  verdictBytecode,
} from "../bindings/abis.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";
import { DeployError } from "./errors.ts";
import type { DeployConfig, Deployment } from "./types.ts";

export type DeployParameters = {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  config: DeployConfig;
};

export type DeployReturnType = Deployment;
export type DeployErrorType = DeployError;

/** Who holds each role of a deployment (docs/spec.md §2.5). */
export type DeployRoles = { admin: Address; guardian: Address; parameterSetter: Address };

/** The role holders a config gives: with a timelock, every role but the guardian's is the timelock's. */
export function deployRoles(config: DeployConfig, deployer: Address, timelock: Address | null): DeployRoles {
  return {
    admin: timelock ?? config.admin ?? deployer,
    guardian: config.guardian ?? deployer,
    parameterSetter: timelock ?? config.parameterSetter ?? deployer,
  };
}

export async function deploy({
  publicClient,
  walletClient,
  config,
}: DeployParameters): Promise<DeployReturnType> {
  const deployer = walletClient.account.address;
  let firstBlock: bigint | undefined;

  async function send(contract: string, hashPromise: Promise<Hex>): Promise<Address> {
    let hash: Hex;
    try {
      hash = await hashPromise;
    } catch (cause) {
      throw new DeployError({ contract, cause, retryable: true });
    }
    const receipt = await waitForReceipt(publicClient, { hash }).catch((cause: unknown) => {
      throw new DeployError({ contract, cause, retryable: true });
    });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new DeployError({ contract, cause: new Error(`transaction ${hash} reverted`) });
    }
    firstBlock ??= receipt.blockNumber;
    return getAddress(receipt.contractAddress);
  }

  const verifier =
    config.verifier ??
    (await send("RV32IM", walletClient.deployContract({ abi: rv32imAbi, bytecode: rv32imBytecode })));

  let timelock: Address | null = null;
  if (config.timelock) {
    timelock = await send(
      "TimelockController",
      walletClient.deployContract({
        abi: timelockControllerAbi,
        bytecode: timelockControllerBytecode,
        // No extra admin: the timelock administers itself (OpenZeppelin's recommended setup).
        args: [
          config.timelock.minDelaySeconds,
          config.timelock.proposers,
          config.timelock.executors,
          "0x0000000000000000000000000000000000000000",
        ],
      }),
    );
  }
  const { admin, guardian, parameterSetter } = deployRoles(config, deployer, timelock);

  const registry = await send(
    "ProgramRegistry",
    walletClient.deployContract({
      abi: programRegistryAbi,
      bytecode: programRegistryBytecode,
      args: [admin, guardian, [verifier], config.maxDepth],
    }),
  );

  // DisputeGame at nonce n is bound to the Verdict deployed at nonce n + 1.
  const nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: "pending" });
  const predicted = getContractAddress({ from: deployer, nonce: BigInt(nonce + 1) });
  const disputeGame = await send(
    "DisputeGame",
    walletClient.deployContract({
      abi: disputeGameAbi,
      bytecode: disputeGameBytecode,
      args: [predicted, BigInt(config.k)],
      nonce,
    }),
  );
  const p = config.params;
  const verdict = await send(
    "Verdict",
    walletClient.deployContract({
      abi: verdictAbi,
      bytecode: verdictBytecode,
      args: [
        registry,
        disputeGame,
        admin,
        guardian,
        parameterSetter,
        {
          proposerBond: p.proposerBond,
          claimBond: p.claimBond,
          challengeWindow: p.challengeWindowSeconds,
          clockSeconds: p.clockSeconds,
          burnBps: p.burnBps,
          maxInputBytes: p.maxInputBytes,
          maxBatchSize: p.maxBatchSize,
          feeTimeout: p.feeTimeoutSeconds,
        },
      ],
      nonce: nonce + 1,
    }),
  );
  if (verdict !== getAddress(predicted))
    throw new DeployError({
      contract: "Verdict",
      cause: new Error(`deployed at ${verdict}, but DisputeGame was bound to ${predicted}`),
    });
  const outputs = await send(
    "Outputs",
    walletClient.deployContract({ abi: outputsAbi, bytecode: outputsBytecode, args: [verdict] }),
  );
  return {
    chainId: publicClient.chain.id,
    verifier,
    registry,
    disputeGame,
    verdict,
    outputs,
    timelock,
    k: config.k,
    deployedAtBlock: firstBlock ?? 0n,
  };
}

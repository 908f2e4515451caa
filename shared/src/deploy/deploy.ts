// Deploys the whole protocol to any RPC: verifier (RV32IM unless an address is
// given), optional TimelockController as admin, ProgramRegistry and Verdict,
// with roles wired from the config. Used by the demo (embedded anvil), the
// daemons' tests and `verdict deploy`.

import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import {
  programRegistryAbi,
  programRegistryBytecode,
  rv32imAbi,
  rv32imBytecode,
  timelockControllerAbi,
  timelockControllerBytecode,
  verdictAbi,
  verdictBytecode,
} from "../bindings/abis.ts";
import { DeployError } from "./errors.ts";
import type { DeployConfig, Deployment } from "./types.ts";

export type DeployParameters = {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  config: DeployConfig;
};

export type DeployReturnType = Deployment;
export type DeployErrorType = DeployError;

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
    const receipt = await publicClient.waitForTransactionReceipt({ hash }).catch((cause: unknown) => {
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
  const admin = timelock ?? config.admin ?? deployer;
  const guardian = config.guardian ?? deployer;
  const parameterSetter = config.parameterSetter ?? deployer;

  const registry = await send(
    "ProgramRegistry",
    walletClient.deployContract({
      abi: programRegistryAbi,
      bytecode: programRegistryBytecode,
      args: [admin, guardian, [verifier]],
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
        admin,
        guardian,
        parameterSetter,
        BigInt(config.k),
        {
          proposerBond: p.proposerBond,
          challengerBond: p.challengerBond,
          challengeWindow: p.challengeWindowSeconds,
          clockSeconds: p.clockSeconds,
          burnBps: p.burnBps,
          maxInputBytes: p.maxInputBytes,
          maxBatchSize: p.maxBatchSize,
        },
      ],
    }),
  );
  return {
    chainId: publicClient.chain.id,
    verifier,
    registry,
    verdict,
    timelock,
    k: config.k,
    deployedAtBlock: firstBlock ?? 0n,
  };
}

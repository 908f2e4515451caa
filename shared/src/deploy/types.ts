// The deployment configuration of the protocol (JSON on disk, typed here). The
// same JSON shape is read by protocol/script/Deploy.s.sol.

import type { Address } from "viem";

/** Protocol parameters (docs/spec.md §2.5 `Params`). */
export type DeployParams = {
  /** Unit: wei. */
  proposerBond: bigint;
  /** Unit: wei. */
  challengerBond: bigint;
  /** Unit: seconds (active time). */
  challengeWindowSeconds: bigint;
  /** Unit: seconds per side per game. */
  clockSeconds: bigint;
  /** Share of each lost bond burned. Unit: basis points, 1..9999. */
  burnBps: number;
  /** Unit: bytes. */
  maxInputBytes: number;
  /** Unit: leaves. */
  maxBatchSize: number;
};

export type DeployTimelockConfig = {
  /** Unit: seconds. */
  minDelaySeconds: bigint;
  proposers: Address[];
  executors: Address[];
};

export type DeployConfig = {
  /** Dissection branching factor: a power of two in 2..64. */
  k: number;
  params: DeployParams;
  /** DEFAULT_ADMIN_ROLE; ignored when `timelock` is set (the timelock becomes admin). Default: deployer. */
  admin?: Address;
  /** GUARDIAN_ROLE on both contracts. Default: deployer. */
  guardian?: Address;
  /** PARAMETER_SETTER_ROLE. Default: deployer. */
  parameterSetter?: Address;
  /** Deploy a TimelockController and make it the admin. */
  timelock?: DeployTimelockConfig;
  /** An already deployed verifier; default: deploy RV32IM. */
  verifier?: Address;
};

/** Addresses of a deployment, as written to the deployment JSON. */
export type Deployment = {
  chainId: number;
  verifier: Address;
  registry: Address;
  verdict: Address;
  timelock: Address | null;
  k: number;
  /** Block of the first deployment transaction: daemons scan events from here. */
  deployedAtBlock: bigint;
};

// The deployment configuration of the protocol (JSON on disk, typed here). The
// same JSON shape is read by protocol/script/Deploy.s.sol.

import type { Address } from "viem";

/** Protocol parameters (docs/spec.md §2.5 `Params`; bounds are Verdict's constants). */
export type DeployParams = {
  /** Stake of each proposal. Unit: wei, in [1 gwei, 1000 ether]. */
  proposerBond: bigint;
  /** Bond of every claim in a game (opening, challenge, dissection). Unit: wei, in [1 gwei, 1000 ether]. */
  claimBond: bigint;
  /** Unit: seconds of active time, in [60, 30 days]. */
  challengeWindowSeconds: bigint;
  /** Each side's time along each path of a game. Unit: seconds, in [60, 7 days]. */
  clockSeconds: bigint;
  /** Share of each forfeited bond burned (rounded up). Unit: basis points, 1..5000. */
  burnBps: number;
  /** Unit: bytes. */
  maxInputBytes: number;
  /** Unit: leaves, 1..4096. */
  maxBatchSize: number;
  /**
   * A fee whose job has no recorded result this long after submission is
   * reclaimable by its requester. Unit: seconds, at least
   * window + 4·clock + 600 and at most 365 days.
   */
  feeTimeoutSeconds: bigint;
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
  /** DEFAULT_ADMIN_ROLE of Verdict and the registry. Default: deployer. Not allowed with `timelock`. */
  admin?: Address;
  /** GUARDIAN_ROLE on Verdict and the registry (the only role never behind the timelock). Default: deployer. */
  guardian?: Address;
  /** PARAMETER_SETTER_ROLE. Default: deployer. Not allowed with `timelock`. */
  parameterSetter?: Address;
  /**
   * Deploy a TimelockController and give it every role but the guardian's:
   * admin of Verdict and the registry, and parameter setter (docs/spec.md §2.5).
   */
  timelock?: DeployTimelockConfig;
  /** An already deployed verifier; default: deploy RV32IM. */
  verifier?: Address;
  /**
   * Largest trace exponent D the registry accepts for a new program, so the
   * most steps a program can ask of every watchtower per job is 2^maxDepth.
   * In 1..48 (the registry's MAX_DEPTH); default 32. Changed later only by the
   * registry's admin (the timelock) with `setMaxDepth` (docs/spec.md §2.1).
   */
  maxDepth: number;
};

/** Addresses of a deployment, as written to the deployment JSON. */
export type Deployment = {
  chainId: number;
  verifier: Address;
  registry: Address;
  /** The dispute games (claim trees, claim bonds); deployed first, bound to `verdict`. */
  disputeGame: Address;
  verdict: Address;
  /** Output opening and publishing; reads results from `verdict`. */
  outputs: Address;
  timelock: Address | null;
  k: number;
  /** Block of the first deployment transaction: daemons scan events from here. */
  deployedAtBlock: bigint;
};

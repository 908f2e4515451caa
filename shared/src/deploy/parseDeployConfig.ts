// Validates an untyped deploy config (parsed JSON) into a DeployConfig, with
// the same bounds Verdict and ProgramRegistry enforce (their MIN_/MAX_
// constants), so a bad file fails before any transaction is sent. Amounts may
// be JSON numbers or decimal strings.

import { type Address, isAddress } from "viem";
import { DeployConfigError } from "./errors.ts";
import type { DeployConfig, DeployParams, DeployTimelockConfig } from "./types.ts";

export type ParseDeployConfigErrorType = DeployConfigError;

const DAY = 86_400n;

/** Verdict's parameter bounds (protocol/src/Verdict.sol), mirrored for early errors. */
export const PARAM_BOUNDS = {
  /** Unit: wei. */
  minBond: 10n ** 9n,
  /** Unit: wei. */
  maxBond: 1000n * 10n ** 18n,
  /** Unit: seconds. */
  minWindowSeconds: 60n,
  maxWindowSeconds: 30n * DAY,
  minClockSeconds: 60n,
  maxClockSeconds: 7n * DAY,
  /** Unit: basis points. */
  maxBurnBps: 5000n,
  /** Unit: leaves. */
  maxBatchSize: 4096n,
  /** Unit: seconds. */
  maxFeeTimeoutSeconds: 365n * DAY,
  /** Extra lock of a recorded fee beyond two clocks. Unit: seconds. */
  feeMarginSeconds: 600n,
  /** Unit: bytes. */
  inputRegionCapacity: (1n << 30n) - 32n,
  /** Largest settable maxInputBytes (MAX_INPUT_BYTES): a job at it must fit a 30M-gas block. Unit: bytes. */
  maxInputBytes: 1n << 19n,
} as const;

/** ProgramRegistry's bound on its governance limit `maxDepth` (protocol/src/ProgramRegistry.sol). */
export const REGISTRY_BOUNDS = {
  /** Hard cap on `maxDepth` (MAX_DEPTH). Unit: log2 of trace steps. */
  maxDepth: 48,
} as const;

/**
 * Default `maxDepth`: 2^32 steps per job at most, above every example guest and
 * test program. Same default as protocol/script/Deploy.s.sol.
 */
export const DEFAULT_MAX_DEPTH = 32;

/** The shortest fee timeout Verdict accepts for a window and a clock. Unit: seconds. */
export function minFeeTimeoutSeconds(windowSeconds: bigint, clockSeconds: bigint): bigint {
  return windowSeconds + 4n * clockSeconds + PARAM_BOUNDS.feeMarginSeconds;
}

function fail(path: string, problem: string): never {
  throw new DeployConfigError({ path, problem });
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object");
  return v as Record<string, unknown>;
}

function big(v: unknown, path: string, min: bigint, max: bigint): bigint {
  let b: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && /^[0-9]+$/.test(v)) b = BigInt(v);
  else fail(path, "expected a non-negative integer (number or decimal string)");
  if (b < min || b > max) fail(path, `must be in [${min}, ${max}], got ${b}`);
  return b;
}

function addr(v: unknown, path: string): Address {
  if (typeof v !== "string" || !isAddress(v, { strict: false })) fail(path, "expected a 0x address");
  return v as Address;
}

function optAddr(v: unknown, path: string): Address | undefined {
  return v === undefined || v === null ? undefined : addr(v, path);
}

const U64 = (1n << 64n) - 1n;

export function parseDeployConfig(json: unknown): DeployConfig {
  const o = obj(json, "$");
  const B = PARAM_BOUNDS;
  const k = Number(big(o.k, "k", 2n, 64n));
  if ((k & (k - 1)) !== 0) fail("k", `must be a power of two, got ${k}`);
  const p = obj(o.params, "params");
  if (p.challengerBond !== undefined)
    fail("params.challengerBond", "renamed to claimBond (the bond of every claim in a game)");
  const challengeWindowSeconds = big(
    p.challengeWindowSeconds,
    "params.challengeWindowSeconds",
    B.minWindowSeconds,
    B.maxWindowSeconds,
  );
  const clockSeconds = big(p.clockSeconds, "params.clockSeconds", B.minClockSeconds, B.maxClockSeconds);
  const minTimeout = minFeeTimeoutSeconds(challengeWindowSeconds, clockSeconds);
  // Default: a week, or the shortest Verdict accepts if that is longer. A longer timeout gives a
  // proposal made late in a job's life time to finalize before its requester may take the fee back.
  const defaultTimeout = minTimeout > 7n * DAY ? minTimeout : 7n * DAY;
  const params: DeployParams = {
    proposerBond: big(p.proposerBond, "params.proposerBond", B.minBond, B.maxBond),
    claimBond: big(p.claimBond, "params.claimBond", B.minBond, B.maxBond),
    challengeWindowSeconds,
    clockSeconds,
    burnBps: Number(big(p.burnBps, "params.burnBps", 1n, B.maxBurnBps)),
    maxInputBytes: Number(big(p.maxInputBytes, "params.maxInputBytes", 1n, B.maxInputBytes)),
    maxBatchSize: Number(big(p.maxBatchSize, "params.maxBatchSize", 1n, B.maxBatchSize)),
    feeTimeoutSeconds:
      p.feeTimeoutSeconds === undefined
        ? defaultTimeout
        : big(p.feeTimeoutSeconds, "params.feeTimeoutSeconds", minTimeout, B.maxFeeTimeoutSeconds),
  };
  let timelock: DeployTimelockConfig | undefined;
  if (o.timelock !== undefined && o.timelock !== null) {
    const t = obj(o.timelock, "timelock");
    const list = (v: unknown, path: string): Address[] => {
      if (!Array.isArray(v) || v.length === 0) fail(path, "expected a non-empty array of addresses");
      return v.map((a, i) => addr(a, `${path}[${i}]`));
    };
    timelock = {
      minDelaySeconds: big(t.minDelaySeconds, "timelock.minDelaySeconds", 0n, U64),
      proposers: list(t.proposers, "timelock.proposers"),
      executors: list(t.executors, "timelock.executors"),
    };
    // Every role but the guardian's belongs to the timelock: naming another holder is a mistake
    // (silently ignoring it, or honouring it, would put a role outside the timelock).
    for (const role of ["admin", "parameterSetter"] as const)
      if (o[role] !== undefined && o[role] !== null)
        fail(role, "must not be set with timelock: the timelock holds every role but the guardian's");
  }
  return {
    k,
    params,
    admin: optAddr(o.admin, "admin"),
    guardian: optAddr(o.guardian, "guardian"),
    parameterSetter: optAddr(o.parameterSetter, "parameterSetter"),
    timelock,
    verifier: optAddr(o.verifier, "verifier"),
    maxDepth:
      o.maxDepth === undefined
        ? DEFAULT_MAX_DEPTH
        : Number(big(o.maxDepth, "maxDepth", 1n, BigInt(REGISTRY_BOUNDS.maxDepth))),
  };
}

// Validates an untyped deploy config (parsed JSON) into a DeployConfig, with
// the same ranges the contracts enforce, so a bad file fails before any
// transaction is sent. Amounts may be JSON numbers or decimal strings.

import { type Address, isAddress } from "viem";
import { DeployConfigError } from "./errors.ts";
import type { DeployConfig, DeployParams, DeployTimelockConfig } from "./types.ts";

export type ParseDeployConfigErrorType = DeployConfigError;

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
const U96 = (1n << 96n) - 1n;

export function parseDeployConfig(json: unknown): DeployConfig {
  const o = obj(json, "$");
  const k = Number(big(o.k, "k", 2n, 64n));
  if ((k & (k - 1)) !== 0) fail("k", `must be a power of two, got ${k}`);
  const p = obj(o.params, "params");
  const params: DeployParams = {
    proposerBond: big(p.proposerBond, "params.proposerBond", 1n, U96),
    challengerBond: big(p.challengerBond, "params.challengerBond", 1n, U96),
    challengeWindowSeconds: big(p.challengeWindowSeconds, "params.challengeWindowSeconds", 1n, U64),
    clockSeconds: big(p.clockSeconds, "params.clockSeconds", 1n, U64),
    burnBps: Number(big(p.burnBps, "params.burnBps", 1n, 9999n)),
    maxInputBytes: Number(big(p.maxInputBytes, "params.maxInputBytes", 1n, (1n << 30n) - 32n)),
    maxBatchSize: Number(big(p.maxBatchSize, "params.maxBatchSize", 1n, (1n << 32n) - 1n)),
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
  }
  return {
    k,
    params,
    admin: optAddr(o.admin, "admin"),
    guardian: optAddr(o.guardian, "guardian"),
    parameterSetter: optAddr(o.parameterSetter, "parameterSetter"),
    timelock,
    verifier: optAddr(o.verifier, "verifier"),
  };
}

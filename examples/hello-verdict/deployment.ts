// Reads the deployment file `verdict deploy` writes (addresses of the
// contracts, the chain id, the deployment block as a decimal string) and keeps
// what this app talks to: Verdict (jobs, results), the registry (a program's
// depth, to re-execute it) and Outputs (opened and published outputs).

import { readFileSync } from "node:fs";
import { type Address, getAddress, isAddress } from "viem";
import { FileError } from "./errors.ts";

export type AppDeployment = {
  chainId: number;
  verdict: Address;
  registry: Address;
  outputs: Address;
  /** First block to search for events (published outputs). */
  deployedAtBlock: bigint;
};

export function readDeployment(path: string): AppDeployment {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    const missing = (cause as { code?: string }).code === "ENOENT";
    throw new FileError({
      what: "deployment file",
      path,
      reason: missing ? "no such file (`verdict deploy --out FILE` writes one)" : "not valid JSON",
      cause,
    });
  }
  const address = (name: string): Address => {
    const v = json[name];
    if (typeof v !== "string" || !isAddress(v, { strict: false }))
      throw new FileError({
        what: "deployment file",
        path,
        reason: `"${name}" is missing or not an address`,
      });
    return getAddress(v);
  };
  if (typeof json.chainId !== "number")
    throw new FileError({ what: "deployment file", path, reason: '"chainId" is missing' });
  const block = String(json.deployedAtBlock ?? "0");
  if (!/^\d+$/.test(block))
    throw new FileError({ what: "deployment file", path, reason: '"deployedAtBlock" is not a block number' });
  return {
    chainId: json.chainId,
    verdict: address("verdict"),
    registry: address("registry"),
    outputs: address("outputs"),
    deployedAtBlock: BigInt(block),
  };
}

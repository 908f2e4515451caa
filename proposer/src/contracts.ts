// ABIs of the contracts the proposer talks to. Read from forge's output
// (protocol/out, `npx forge build`) until shared/src/bindings exports them;
// a missing build is a clear error, not a crash deep inside viem.

import { readFileSync } from "node:fs";
import type { Abi } from "viem";
import { BaseError } from "@verdict/shared/src/errors/base.ts";

export class MissingArtifactError extends BaseError {
  override name = "MissingArtifactError";
  constructor({ path, cause }: { path: string; cause: unknown }) {
    super(`Contract artifact ${path} is missing or unreadable.`, {
      cause,
      metaMessages: ["Try: npx forge build (from the repository root)."],
    });
  }
}

const OUT = new URL("../../protocol/out/", import.meta.url);

/** Full forge artifact (abi + bytecode) of `Contract` in `File.sol`. */
export function artifact(file: string, contract: string): { abi: Abi; bytecode: `0x${string}` } {
  const url = new URL(`${file}/${contract}.json`, OUT);
  try {
    const j = JSON.parse(readFileSync(url, "utf8"));
    return { abi: j.abi as Abi, bytecode: j.bytecode.object as `0x${string}` };
  } catch (cause) {
    throw new MissingArtifactError({ path: url.pathname, cause });
  }
}

let cache: { verdict: Abi; registry: Abi; verifier: Abi } | undefined;

export function abis(): { verdict: Abi; registry: Abi; verifier: Abi } {
  cache ??= {
    verdict: artifact("Verdict.sol", "Verdict").abi,
    registry: artifact("ProgramRegistry.sol", "ProgramRegistry").abi,
    verifier: artifact("RV32IM.sol", "RV32IM").abi,
  };
  return cache;
}

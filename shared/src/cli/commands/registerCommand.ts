// `verdict register ELF --depth D`: registers a program; its root and entry
// come from the ELF, its manifest hash from --manifest (or manifest.json
// beside the ELF).

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Address, getAddress, isAddress } from "viem";
import { registerProgram } from "../../actions/registerProgram.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { manifestHash } from "../../manifest/manifestHash.ts";
import { parseManifest } from "../../manifest/parseManifest.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";
import { printResult } from "./printResult.ts";

export type RegisterCommandOptions = ConnectionOptions & {
  depth: string;
  signer?: string[];
  manifest?: string;
  verifier?: string;
  json?: boolean;
};

export async function registerCommand(elfPath: string, opts: RegisterCommandOptions, io: CliIo) {
  const depthBig = parseCount(opts.depth, "--depth", { min: 1n });
  if (depthBig > 48n)
    throw new CliUsageError({ option: "--depth", value: opts.depth, reason: "at most 48 (2^48 steps)" });
  const depth = Number(depthBig);
  const signers: Address[] = (opts.signer ?? []).map((s) => {
    if (!isAddress(s, { strict: false }))
      throw new CliUsageError({ option: "--signer", value: s, reason: "not a 20-byte 0x address" });
    return getAddress(s);
  });
  const elf = readFileArg(elfPath, "ELF file");
  let manifestPath = opts.manifest ?? null;
  if (manifestPath === null && existsSync(join(dirname(elfPath), "manifest.json")))
    manifestPath = join(dirname(elfPath), "manifest.json");
  const mHash =
    manifestPath === null
      ? undefined
      : manifestHash(
          parseManifest(new TextDecoder().decode(readFileArg(manifestPath, "manifest file")), manifestPath),
        );
  const c = await connectSigner(opts);
  const verifier = opts.verifier ?? c.contracts.verifier;
  if (!verifier || !isAddress(verifier, { strict: false }))
    throw new CliUsageError({
      option: "--verifier",
      value: verifier ?? "",
      reason: "required: the deployment names no verifier",
    });
  const r = await registerProgram(c, {
    registry: c.contracts.registry,
    verifier: getAddress(verifier),
    depth,
    elf,
    manifestHash: mHash,
    signers,
  });
  const out = { ...r, depth, manifestHash: mHash ?? null, signers };
  printResult(io, opts.json, out);
  return out;
}

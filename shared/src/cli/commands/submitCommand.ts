// `verdict submit --program ID --input FILE`: submits a job (with a data
// source's attestation from `verdict attest` when the program needs one),
// and with --wait waits for its final result.

import { readFileSync } from "node:fs";
import { type Address, type Hex, isAddress, isHex, parseEther } from "viem";
import type { Attestation } from "../../actions/attestInput.ts";
import { submitJob } from "../../actions/submitJob.ts";
import { waitForResult } from "../../actions/waitForResult.ts";
import { CliFileError, CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";
import { printResult } from "./printResult.ts";

export type SubmitCommandOptions = ConnectionOptions & {
  program: string;
  input: string;
  fee?: string;
  attestation?: string;
  wait?: boolean;
  timeout?: string;
  json?: boolean;
};

/** An amount of ether ("0.01") as wei. */
export function parseEth(value: string, option: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(value.trim()))
    throw new CliUsageError({ option, value, reason: "not an amount of ETH such as 0.01" });
  return parseEther(value.trim());
}

export function readAttestation(path: string): Attestation {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new CliFileError({ what: "attestation file", path, reason: "unreadable or not JSON", cause });
  }
  const bad = (field: string) =>
    new CliFileError({ what: "attestation file", path, reason: `bad or missing "${field}"` });
  if (typeof j.signer !== "string" || !isAddress(j.signer, { strict: false })) throw bad("signer");
  if (typeof j.signature !== "string" || !isHex(j.signature)) throw bad("signature");
  if (typeof j.nonce !== "string" && typeof j.nonce !== "number") throw bad("nonce");
  if (typeof j.deadline !== "string" && typeof j.deadline !== "number") throw bad("deadline");
  return {
    signer: j.signer as Address,
    signature: j.signature as Hex,
    nonce: BigInt(j.nonce),
    deadline: BigInt(j.deadline),
  };
}

export async function submitCommand(opts: SubmitCommandOptions, io: CliIo) {
  const programId = parseCount(opts.program, "--program", { min: 1n });
  const input = readFileArg(opts.input, "input file");
  const feeWei = opts.fee === undefined ? 0n : parseEth(opts.fee, "--fee");
  const attestation = opts.attestation === undefined ? undefined : readAttestation(opts.attestation);
  const c = await connectSigner(opts);
  const r = await submitJob(c, { verdict: c.contracts.verdict, programId, input, feeWei, attestation });
  let result = null;
  if (opts.wait) {
    const timeoutMs =
      opts.timeout === undefined
        ? undefined
        : Number(parseCount(opts.timeout, "--timeout", { min: 1n })) * 1000;
    result = await waitForResult(c, { verdict: c.contracts.verdict, jobId: r.jobId, timeoutMs });
  }
  const out = {
    ...r,
    programId,
    feeWei,
    finalStateHash: result?.finalStateHash ?? null,
    proposalId: result?.proposalId ?? null,
  };
  printResult(io, opts.json, out);
  return out;
}

// `verdict attest`: a data source signs (EIP-712) that an input may be
// submitted to a program by one requester with one fee; writes the
// attestation JSON that `verdict submit --attestation` reads (--out), and
// prints it (--json) or says what was signed. The default deadline counts from
// the chain's latest block, whose clock Verdict checks, not from ours.

import { writeFileSync } from "node:fs";
import { formatEther, getAddress, isAddress } from "viem";
import { attestationToJson, attestInput } from "../../actions/attestInput.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";
import { formatPairs } from "./printResult.ts";
import { parseEth } from "./submitCommand.ts";

export type AttestCommandOptions = ConnectionOptions & {
  program: string;
  input: string;
  requester: string;
  fee?: string;
  nonce?: string;
  deadline?: string;
  out?: string;
  json?: boolean;
};

export async function attestCommand(opts: AttestCommandOptions, io: CliIo) {
  const programId = parseCount(opts.program, "--program", { min: 1n });
  const input = readFileArg(opts.input, "input file");
  if (!isAddress(opts.requester, { strict: false }))
    throw new CliUsageError({
      option: "--requester",
      value: opts.requester,
      reason: "not a 20-byte 0x address",
    });
  const feeWei = opts.fee === undefined ? 0n : parseEth(opts.fee, "--fee");
  const c = await connectSigner(opts);
  const a = await attestInput(c, {
    verdict: c.contracts.verdict,
    programId,
    input,
    requester: getAddress(opts.requester),
    feeWei,
    nonce: opts.nonce === undefined ? undefined : parseCount(opts.nonce, "--nonce", { min: 0n }),
    deadline: opts.deadline === undefined ? undefined : parseCount(opts.deadline, "--deadline", { min: 1n }),
  });
  const text = `${attestationToJson(a)}\n`;
  if (opts.out) writeFileSync(opts.out, text);
  if (opts.json) {
    io.stdout.write(text);
    return a;
  }
  const { timestamp } = await c.publicClient.getBlock({ blockTag: "latest" });
  const left = a.deadline - timestamp;
  io.stdout.write(
    formatPairs({
      signer: a.signer,
      program: programId,
      requester: getAddress(opts.requester),
      fee: `${formatEther(feeWei)} ETH`,
      inputRoot: a.inputRoot,
      nonce: a.nonce,
      deadline: `${a.deadline} (${new Date(Number(a.deadline) * 1000).toISOString()}, ${left >= 0n ? `${left} s after` : `${-left} s before`} the latest block)`,
      signature: a.signature,
      written: opts.out ?? "(not written: give --out FILE for `verdict submit --attestation`, or use --json)",
    }),
  );
  return a;
}

// Flags and environment in, checked options out: everything the app needs is
// validated (and every file read) before it dials the node, so bad input fails
// fast with a UsageError or FileError and nothing is sent. The private key is
// taken from the environment only: a key on the command line shows up in `ps`
// and in shell history.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Hex, isHex, parseEther } from "viem";
import { type AppDeployment, readDeployment } from "./deployment.ts";
import { FileError, UsageError } from "./errors.ts";

export const USAGE = `Usage: npx tsx examples/hello-verdict/main.ts --program ID (--input TEXT | --input-file FILE) [options]

Submits a job to Verdict, waits until its result is final, publishes the
output if nobody has (with --elf) and prints the output bytes.

  --rpc-url URL        JSON-RPC endpoint (or VERDICT_RPC_URL)
  --deployment FILE    deployment file written by \`verdict deploy\` (or VERDICT_DEPLOYMENT)
  --program ID         registered program id (\`verdict register\` prints it)
  --input TEXT         the job's input, as UTF-8 text
  --input-file FILE    the job's input, the file's bytes
  --fee ETH            fee paid to the proposer whose result is recorded (default 0.01)
  --elf FILE           the program's ELF: publish the output ourselves if nobody has
  --timeout SECONDS    give up waiting after this long (default 900)
  --help               this text

The signing key comes from VERDICT_PRIVATE_KEY (0x + 64 hex digits).
`;

export type AppOptions = {
  rpcUrl: string;
  deployment: AppDeployment;
  privateKey: Hex;
  programId: bigint;
  input: Uint8Array;
  /** Unit: wei. */
  feeWei: bigint;
  /** The program's ELF, when given (publishing needs it). */
  elf: Uint8Array | null;
  /** Unit: milliseconds. */
  timeoutMs: number;
};

export type ReadOptionsReturnType = { help: true } | ({ help: false } & AppOptions);

export function readOptions(argv: string[], env: Record<string, string | undefined>): ReadOptionsReturnType {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "rpc-url": { type: "string" },
        deployment: { type: "string" },
        program: { type: "string" },
        input: { type: "string" },
        "input-file": { type: "string" },
        fee: { type: "string", default: "0.01" },
        elf: { type: "string" },
        timeout: { type: "string", default: "900" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (cause) {
    throw new UsageError({ option: "arguments", value: argv.join(" "), reason: (cause as Error).message });
  }
  if (values.help) return { help: true };
  const str = (name: string) => values[name] as string | undefined;

  const rpcUrl = str("rpc-url") ?? env.VERDICT_RPC_URL;
  if (!rpcUrl) throw new UsageError({ option: "--rpc-url", reason: "required (or set VERDICT_RPC_URL)" });
  if (!/^https?:\/\//.test(rpcUrl))
    throw new UsageError({ option: "--rpc-url", value: rpcUrl, reason: "not an http(s) URL" });

  const deploymentPath = str("deployment") ?? env.VERDICT_DEPLOYMENT;
  if (!deploymentPath)
    throw new UsageError({ option: "--deployment", reason: "required (or set VERDICT_DEPLOYMENT)" });

  const key = env.VERDICT_PRIVATE_KEY?.trim();
  if (!key)
    throw new UsageError({ option: "VERDICT_PRIVATE_KEY", reason: "not set: the key that signs the job" });
  if (!isHex(key) || key.length !== 66)
    // Never echo the value: it is (almost) a secret key.
    throw new UsageError({ option: "VERDICT_PRIVATE_KEY", reason: "not 0x followed by 64 hex digits" });

  const program = str("program");
  if (program === undefined) throw new UsageError({ option: "--program", reason: "required" });
  if (!/^[1-9]\d*$/.test(program))
    throw new UsageError({ option: "--program", value: program, reason: "not a program id (1, 2, …)" });

  const text = str("input");
  const inputFile = str("input-file");
  if ((text === undefined) === (inputFile === undefined))
    throw new UsageError({
      option: "--input",
      reason: "give exactly one of --input TEXT and --input-file FILE",
    });
  const input = inputFile === undefined ? new TextEncoder().encode(text) : readBytes("input file", inputFile);

  const fee = str("fee")!;
  if (!/^\d+(\.\d{1,18})?$/.test(fee))
    throw new UsageError({ option: "--fee", value: fee, reason: "not an amount of ETH (0.01, 1, …)" });
  const feeWei = parseEther(fee);

  const timeout = str("timeout")!;
  if (!/^[1-9]\d*$/.test(timeout))
    throw new UsageError({ option: "--timeout", value: timeout, reason: "not a whole number of seconds" });

  const elfPath = str("elf");
  return {
    help: false,
    rpcUrl,
    deployment: readDeployment(deploymentPath),
    privateKey: key,
    programId: BigInt(program),
    input,
    feeWei,
    elf: elfPath === undefined ? null : readBytes("ELF file", elfPath),
    timeoutMs: Number(timeout) * 1000,
  };
}

function readBytes(what: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (cause) {
    throw new FileError({ what, path, reason: (cause as { code?: string }).code ?? "unreadable", cause });
  }
}

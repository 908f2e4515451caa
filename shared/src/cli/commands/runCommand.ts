// `verdict run <elf>`: execute a job to halt (or to the step budget) and
// report status, exit code, steps, final state hash, output root and output.

import { outputBytes, outputRoot } from "../../machine/createMachine.ts";
import { NoOutputError } from "../../machine/errors.ts";
import { DEFAULT_MAX_STEPS } from "../defaults.ts";
import { executeSteps } from "../executeSteps.ts";
import { hex, hex32, jsonNumber, printableText, type StatusName, statusName } from "../formatOutput.ts";
import type { CliIo } from "../io.ts";
import { loadJob } from "../loadJob.ts";
import { parseCount } from "../parseCount.ts";
import { createProgress } from "../progress.ts";

export type RunCommandOptions = {
  input?: string;
  maxSteps?: string;
  json?: boolean;
  progress?: boolean;
  /** Run on the reference interpreter (default: the block compiler; results are identical). */
  interpreter?: boolean;
};

/** The `--json` object. Numbers are JSON numbers when <= 2^53 - 1, else decimal strings. */
export type RunJson = {
  status: StatusName;
  exitCode: number | string;
  steps: number | string;
  stateHash: string;
  outputRoot: string;
  /** The output bytes (spec §1.2), or null when the output region holds none (NoOutputError). */
  outputHex: string | null;
  /** The output as text when there is one and it is printable UTF-8, else null. */
  outputText: string | null;
  /** Final pc (where a trap happened, for TRAPPED). */
  pc: number;
  /** True when --max-steps ran out before the program halted (status RUNNING); a warning goes to stderr. */
  stepBudgetExhausted: boolean;
};

export function runCommand(elfPath: string, opts: RunCommandOptions, io: CliIo): RunJson {
  const maxSteps = parseCount(opts.maxSteps ?? DEFAULT_MAX_STEPS, "--max-steps", { min: 1n });
  const { machine } = loadJob(elfPath, opts.input);
  if (opts.interpreter) machine.engine = "interpreter";
  const progress = createProgress({
    stream: io.stderr,
    totalSteps: Number(
      maxSteps > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : maxSteps,
    ),
    force: opts.progress === true,
  });
  try {
    executeSteps(machine, maxSteps, progress);
  } finally {
    progress.stop();
  }
  let out: Uint8Array | null = null;
  let noOutput = "";
  try {
    out = outputBytes(machine);
  } catch (err) {
    // A guest that leaves a malformed output region still has a result; it just has no output.
    if (!(err instanceof NoOutputError)) throw err;
    noOutput = err.shortMessage;
  }
  const result: RunJson = {
    status: statusName(machine.status),
    exitCode: jsonNumber(machine.exitCode >>> 0),
    steps: jsonNumber(machine.step),
    stateHash: machine.stateHash(),
    outputRoot: outputRoot(machine),
    outputHex: out === null ? null : hex(out),
    outputText: out === null ? null : printableText(out),
    pc: machine.pc >>> 0,
    stepBudgetExhausted: statusName(machine.status) === "RUNNING",
  };
  // A warning, not a result: stderr in both modes, so stdout stays the answer (one JSON object with --json).
  if (result.stepBudgetExhausted)
    io.stderr.write(
      `warning: the step budget (${maxSteps}) ran out before the program halted; raise --max-steps\n`,
    );
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result;
  }
  const lines = [
    `status       ${result.status}${result.status === "TRAPPED" ? ` at pc ${hex32(result.pc)}` : ""}`,
    `exit code    ${result.exitCode}`,
    `steps        ${result.steps}`,
    `state hash   ${result.stateHash}`,
    `output root  ${result.outputRoot}`,
    out === null ? `output       none: ${noOutput}` : `output       ${out.length} byte(s)`,
  ];
  if (out !== null && out.length > 0) {
    lines.push(`output hex   ${result.outputHex}`);
    if (result.outputText !== null) lines.push(`output text  ${JSON.stringify(result.outputText)}`);
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return result;
}

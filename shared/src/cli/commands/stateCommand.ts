// `verdict state <elf> --step N`: the state (hash, packed bytes and decoded
// fields) at trace position N of a job. A halted machine steps to itself, so
// N beyond the halting step gives the final state, as the trace does.

import { executeSteps } from "../executeSteps.ts";
import { hex, hex32, jsonNumber, type StatusName, statusName } from "../formatOutput.ts";
import type { CliIo } from "../io.ts";
import { loadJob } from "../loadJob.ts";
import { parseCount } from "../parseCount.ts";
import { createProgress } from "../progress.ts";

export type StateCommandOptions = {
  input?: string;
  step: string;
  json?: boolean;
  progress?: boolean;
  /** Run on the reference interpreter (default: the block compiler; results are identical). */
  interpreter?: boolean;
};

const ABI = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

/** The `--json` object. Numbers are JSON numbers when <= 2^53 - 1, else decimal strings. */
export type StateJson = {
  /** The trace position asked for. */
  position: number | string;
  stateHash: string;
  /** The 173-byte packed state (spec §1.1), what the one-step verifier takes. */
  packed: string;
  state: {
    pc: number;
    /** x0..x31 as uint32 (x0 is always 0). */
    registers: number[];
    memRoot: string;
    /** Instructions executed; frozen at the halting step, so it can be below `position`. */
    step: number | string;
    status: StatusName;
    exitCode: number;
  };
};

export function stateCommand(elfPath: string, opts: StateCommandOptions, io: CliIo): StateJson {
  const position = parseCount(opts.step, "--step");
  const { machine } = loadJob(elfPath, opts.input);
  if (opts.interpreter) machine.engine = "interpreter";
  const progress = createProgress({
    stream: io.stderr,
    totalSteps: Number(
      position > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : position,
    ),
    force: opts.progress === true,
  });
  try {
    executeSteps(machine, position, progress);
  } finally {
    progress.stop();
  }
  const s = machine.state();
  const packed = machine.encode();
  const result: StateJson = {
    position: jsonNumber(position),
    stateHash: machine.stateHash(),
    packed: hex(packed),
    state: {
      pc: s.pc,
      registers: [0, ...s.regs],
      memRoot: hex(s.memRoot),
      step: jsonNumber(s.step),
      status: statusName(s.status),
      exitCode: s.exitCode,
    },
  };
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result;
  }
  const st = result.state;
  const lines = [
    `position     ${result.position}`,
    `state hash   ${result.stateHash}`,
    `status       ${st.status}`,
    `step         ${st.step}`,
    `exit code    ${st.exitCode}`,
    `pc           ${hex32(st.pc)}`,
    `mem root     ${st.memRoot}`,
  ];
  for (let i = 0; i < 32; i += 4) {
    const row = [];
    for (let j = i; j < i + 4; j++) row.push(`${`x${j}/${ABI[j]}`.padStart(8)} ${hex32(st.registers[j])}`);
    lines.push(row.join("  "));
  }
  lines.push(`packed       ${result.packed}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return result;
}

// `verdict publish-output JOB --elf FILE`: re-executes the job from its input
// on the chain, checks it reaches the recorded final state, then opens the
// output (if nobody has) and publishes its bytes.

import { computeOutputOpening } from "../../actions/computeOutputOpening.ts";
import { OutputUnavailableError, ResultMismatchError } from "../../actions/errors.ts";
import { getJob } from "../../actions/getJob.ts";
import { getJobInput } from "../../actions/getJobInput.ts";
import { publishOutput } from "../../actions/publishOutput.ts";
import { programRegistryAbi } from "../../bindings/abis.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";
import { printResult } from "./printResult.ts";

export type PublishOutputCommandOptions = ConnectionOptions & { elf: string; json?: boolean };

export async function publishOutputCommand(job: string, opts: PublishOutputCommandOptions, io: CliIo) {
  const jobId = parseCount(job, "job id", { min: 1n });
  const elf = readFileArg(opts.elf, "ELF file");
  const c = await connectSigner(opts);
  const { verdict, outputs, registry, fromBlock } = c.contracts;
  if (!outputs)
    throw new CliUsageError({ option: "--outputs", value: "", reason: "required: the Outputs contract" });
  const j = await getJob(c, { verdict, jobId });
  if (!j.final || !j.resultHash)
    throw new OutputUnavailableError({
      jobId,
      reason: "no final result yet",
      hint: "Wait for its proposal to finalize (`verdict show job`).",
    });
  const { input } = await getJobInput(c, { verdict, jobId, fromBlock });
  const program = await c.publicClient.readContract({
    address: registry,
    abi: programRegistryAbi,
    functionName: "getProgram",
    args: [j.programId],
  });
  const opening = computeOutputOpening({ elf, input, depth: program.depth });
  if (opening.stateHash.toLowerCase() !== j.resultHash.toLowerCase())
    throw new ResultMismatchError({ jobId, local: opening.stateHash, onchain: j.resultHash });
  const r = await publishOutput(c, { outputs, jobId, opening });
  const out = { jobId, ...r, outputRoot: opening.outputRoot, output: opening.output };
  printResult(io, opts.json, out);
  return out;
}

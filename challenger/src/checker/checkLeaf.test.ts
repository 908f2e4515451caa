// checkLeaf on in-memory programs and traces: which leaves it judges, which it
// cannot, and that "wrong" means our recomputed T(2^D) differs from the claim.

import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { expect } from "chai";
import type { Hex } from "viem";
import type { ProgramImages } from "../programs/loadProgramImages.ts";
import type { JobSpec, TraceSource } from "../trace/createTraceSource.ts";
import { checkLeaf } from "./checkLeaf.ts";

const ROOT = `0x${"ab".repeat(32)}` as Hex;
const OURS = `0x${"11".repeat(32)}` as Hex;
const OTHER = `0x${"22".repeat(32)}` as Hex;
const image = { entry: 0x1000 } as unknown as LocalImage;
type LocalImage = ProgramImages["list"][number]["image"];

function setup(opts: { depth?: number; local?: boolean } = {}) {
  const asked: JobSpec[] = [];
  const programs: ProgramImages = {
    list: [],
    find: (root, entry) =>
      opts.local !== false && root === ROOT && entry === 0x1000
        ? { path: "p.elf", image, programRoot: ROOT, entry }
        : undefined,
  };
  const traces = {
    recompute: async (job: JobSpec) => {
      asked.push(job);
      return {
        stateHash: OURS,
        status: 1,
        exitCode: 0,
        steps: 5n,
        outputRoot: OTHER,
        finalState: "0x" as Hex,
      };
    },
  } as unknown as TraceSource;
  const program = async (id: bigint) => {
    expect(id).to.equal(7n);
    return { programRoot: ROOT, entry: 0x1000, depth: opts.depth ?? 12 };
  };
  return { asked, programs, traces, program };
}

const job = { programId: 7n, input: new Uint8Array([1, 2, 3]) };
const leaf = (jobId: bigint, finalStateHash: Hex): ResultLeaf => ({ jobId, finalStateHash });

describe("challenger/checkLeaf", () => {
  it("finds a leaf wrong when its claim differs from our T(2^D), and says what to replay", async () => {
    const s = setup();
    const v = await checkLeaf({ leaf: leaf(3n, OTHER), jobCount: 3n, job, ...s, deadline: 99n });
    expect(v.outcome).to.equal("wrong");
    if (v.outcome !== "wrong") return;
    expect(v.ours).to.equal(OURS);
    expect(v.job).to.deep.equal({ jobId: 3n, image, input: job.input, depth: 12, deadline: 99n });
    expect(s.asked).to.have.length(1);
  });

  it("finds a leaf correct when the claim is our hash, in any letter case", async () => {
    const s = setup();
    const v = await checkLeaf({
      leaf: leaf(1n, OURS.toUpperCase().replace("0X", "0x") as Hex),
      jobCount: 1n,
      job,
      ...s,
    });
    expect(v.outcome).to.equal("correct");
  });

  it("ignores job 0 and jobs beyond the proposal's job count (they can never be recorded), but not the last one in scope", async () => {
    const s = setup();
    expect((await checkLeaf({ leaf: leaf(0n, OTHER), jobCount: 3n, job, ...s })).outcome).to.equal("ignored");
    expect((await checkLeaf({ leaf: leaf(4n, OTHER), jobCount: 3n, job, ...s })).outcome).to.equal("ignored");
    expect(s.asked).to.have.length(0);
    expect((await checkLeaf({ leaf: leaf(3n, OTHER), jobCount: 3n, job, ...s })).outcome).to.equal("wrong");
  });

  it("cannot tell without the job's event or a local image of its program", async () => {
    const s = setup({ local: false });
    const noJob = await checkLeaf({ leaf: leaf(1n, OTHER), jobCount: 1n, job: undefined, ...s });
    expect(noJob.outcome).to.equal("unknown");
    const noImage = await checkLeaf({ leaf: leaf(1n, OTHER), jobCount: 1n, job, ...s });
    expect(noImage.outcome).to.equal("unknown");
    if (noImage.outcome === "unknown") expect(noImage.overCap).to.equal(undefined);
    expect(s.asked).to.have.length(0);
  });

  it("reports a program above the depth cap as unchecked (overCap), and checks one at the cap", async () => {
    const s = setup({ depth: 20 });
    const over = await checkLeaf({ leaf: leaf(1n, OTHER), jobCount: 1n, job, ...s, depthCap: () => 19 });
    expect(over.outcome).to.equal("unknown");
    if (over.outcome === "unknown") expect(over.overCap).to.deep.equal({ depth: 20, cap: 19 });
    const at = await checkLeaf({ leaf: leaf(1n, OTHER), jobCount: 1n, job, ...s, depthCap: () => 20 });
    expect(at.outcome).to.equal("wrong");
    expect(s.asked).to.have.length(1);
  });
});

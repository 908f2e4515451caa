// The machine on a real gcc-built guest (guest/examples/sha256): output equals
// node's SHA-256, checkpointed hashes equal a straight run, and step proofs at
// random positions verify with the TS verifier twin.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { expect } from "chai";
import { loadElf } from "../elf/loadElf.ts";
import { STATUS_EXITED } from "./constants.ts";
import { createMachine, outputBytes } from "./createMachine.ts";
import { rng } from "./testUtil.ts";
import { buildTrace } from "./trace.ts";
import { verifyStepTs } from "./verifyStep.ts";

const elfPath = new URL("../../../guest/examples/sha256/sha256.elf", import.meta.url);

describe("machine on the sha256 example guest", () => {
  if (!existsSync(elfPath)) {
    it.skip("guest/examples/sha256/sha256.elf not built");
    return;
  }
  const image = loadElf(readFileSync(elfPath));
  const input = new TextEncoder().encode("The quick brown fox jumps over the lazy dog. ".repeat(40));

  it("computes the SHA-256 of its input and exits 0", () => {
    const m = createMachine(image, input);
    m.run(2 ** 30);
    expect(m.status).to.equal(STATUS_EXITED);
    expect(m.exitCode).to.equal(0);
    expect(Buffer.from(outputBytes(m)).toString("hex")).to.equal(
      createHash("sha256").update(input).digest("hex"),
    );
  });

  it("one long run equals single steps (interpreter caches carry no stale state across calls)", () => {
    const long = createMachine(image, input);
    const single = createMachine(image, input);
    const r = rng(99);
    let t = 0;
    while (!long.halted) {
      const n = 1 + (r() % 5000);
      long.run(n);
      for (let k = 0; k < n && !single.halted; k++) single.run(1);
      t += n;
      expect(single.stateHash(), `after ${t} steps`).to.equal(long.stateHash());
    }
  });

  it("checkpointed state hashes and step proofs agree with a straight run", async () => {
    const trace = await buildTrace({ image, input, depth: 24, checkpointInterval: 4096 });
    const steps = Number(trace.result.steps);
    const r = rng(77);
    for (let k = 0; k < 12; k++) {
      const t = r() % steps;
      const m = createMachine(image, input);
      m.run(t);
      expect(await trace.get(BigInt(t))).to.equal(m.stateHash());
      const d = await trace.getStepData(BigInt(t));
      expect(verifyStepTs(d.preState, d.proof)).to.equal(d.postStateHash);
      expect(d.postStateHash).to.equal(await trace.get(BigInt(t + 1)));
    }
  });
});

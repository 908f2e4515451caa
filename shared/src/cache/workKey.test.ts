import { expect } from "chai";
import { asm, imageFromWords } from "../machine/asm.ts";
import { MACHINE_VERSION } from "../machine/constants.ts";
import { programRoot } from "../machine/createMachine.ts";
import { inputRoot } from "../machine/inputRoot.ts";
import { WorkKeyError } from "./errors.ts";
import { type WorkContent, workKey } from "./workKey.ts";

const image = imageFromWords([asm.li(10, 7), asm.li(17, 93), asm.ecall()]);

/** The content of a job as a daemon sees it: its own image and the job's input. */
function contentOf(job: { jobId: bigint; input: Uint8Array; depth: number; entry?: number }): WorkContent {
  return {
    machineVersion: MACHINE_VERSION,
    programRoot: programRoot(image),
    entry: job.entry ?? image.entry,
    inputRoot: inputRoot(job.input),
    depth: job.depth,
  };
}

describe("cache/workKey", () => {
  const base = contentOf({ jobId: 1n, input: new Uint8Array([1, 2, 3]), depth: 10 });

  it("is the same for the same content under different job ids, and a 32-byte hex id", () => {
    const a = workKey(contentOf({ jobId: 1n, input: new Uint8Array([1, 2, 3]), depth: 10 }));
    const b = workKey(contentOf({ jobId: 2n, input: new Uint8Array([1, 2, 3]), depth: 10 }));
    const c = workKey(contentOf({ jobId: 3n, input: Uint8Array.from([1, 2, 3]), depth: 10 }));
    expect(a).to.equal(b).and.to.equal(c);
    expect(a).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("differs when the entry, D, the input, the program or the machine version differ", () => {
    const k = workKey(base);
    const others = [
      workKey({ ...base, entry: base.entry + 4 }),
      workKey({ ...base, depth: 11 }),
      workKey({ ...base, inputRoot: inputRoot(new Uint8Array([1, 2, 4])) }),
      workKey({ ...base, inputRoot: inputRoot(new Uint8Array([1, 2, 3, 0])) }),
      workKey({
        ...base,
        programRoot: programRoot(imageFromWords([asm.li(10, 8), asm.li(17, 93), asm.ecall()])),
      }),
      workKey({ ...base, machineVersion: 2 }),
    ];
    for (const o of others) expect(o).to.not.equal(k);
    expect(new Set(others).size).to.equal(others.length);
  });

  it("ignores how the same content is spelled: hex case, int32 vs uint32 entry, number vs bigint version", () => {
    const k = workKey({ ...base, entry: 0x80001000 });
    expect(workKey({ ...base, entry: 0x80001000 | 0 })).to.equal(k);
    expect(
      workKey({
        ...base,
        entry: 0x80001000,
        programRoot: base.programRoot.toUpperCase().replace("0X", "0x") as `0x${string}`,
      }),
    ).to.equal(k);
    expect(workKey({ ...base, machineVersion: BigInt(MACHINE_VERSION) })).to.equal(workKey(base));
  });

  it("refuses content that does not name one piece of work", () => {
    expect(() => workKey({ ...base, programRoot: "0x1234" })).to.throw(WorkKeyError, /program root/);
    expect(() => workKey({ ...base, inputRoot: "0xzz" as `0x${string}` })).to.throw(
      WorkKeyError,
      /input root/,
    );
    expect(() => workKey({ ...base, entry: 2 ** 32 })).to.throw(WorkKeyError, /entry/);
    expect(() => workKey({ ...base, entry: 1.5 })).to.throw(WorkKeyError, /entry/);
    expect(() => workKey({ ...base, depth: 54 })).to.throw(WorkKeyError, /depth/);
    expect(() => workKey({ ...base, machineVersion: -1 })).to.throw(WorkKeyError, /machine version/);
  });
});

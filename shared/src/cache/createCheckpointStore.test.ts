// A checkpoint set saved by one daemon is restored by another (same content,
// same interval); anything that fails a check is dropped, never answered from.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { asm, imageFromWords } from "../machine/asm.ts";
import { encodeTraceCheckpoints } from "../machine/checkpointCodec.ts";
import { MACHINE_VERSION } from "../machine/constants.ts";
import { initialState, programRoot } from "../machine/createMachine.ts";
import { inputRoot } from "../machine/inputRoot.ts";
import { buildTrace } from "../machine/trace.ts";
import { checkpointsKind, createCheckpointStore } from "./createCheckpointStore.ts";
import { createTraceCache } from "./createTraceCache.ts";
import type { WorkContent } from "./workKey.ts";

/** Sums its input bytes into a0 over a few hundred steps. */
const image = imageFromWords([
  asm.li(5, 0x80000020),
  asm.li(6, 200),
  asm.lbu(7, 5, 0),
  asm.add(10, 10, 7),
  asm.addi(5, 5, 1),
  asm.addi(6, 6, -1),
  asm.bne(6, 0, -16),
  asm.li(17, 93),
  asm.ecall(),
]);
const input = new Uint8Array(200).map((_, i) => i * 7);
const work: WorkContent = {
  machineVersion: MACHINE_VERSION,
  programRoot: programRoot(image),
  entry: image.entry,
  inputRoot: inputRoot(input),
  depth: 12,
};

describe("cache/createCheckpointStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "ckpt-store-"));
  const lookups: string[] = [];
  const dropped: string[] = [];
  const cache = createTraceCache({ dir, onLookup: (o) => lookups.push(o) });
  const store = createCheckpointStore({ cache, onCorrupt: (_k, reason) => dropped.push(reason) });
  const prestate = initialState(image, input);

  beforeEach(() => {
    lookups.length = 0;
    dropped.length = 0;
  });

  it("restores a saved set under the same content and interval only", async () => {
    const built = await buildTrace({ image, input, depth: 12, checkpointInterval: 64 });
    expect(store.load(work, 64, prestate)).to.equal(undefined);
    expect(store.save(work, 64, built)).to.equal(true);
    const restored = store.load(work, 64, prestate);
    expect(restored?.result.stateHash).to.equal(built.result.stateHash);
    expect(await restored?.get(300n)).to.equal(await built.get(300n));
    expect(store.load(work, 128, prestate)).to.equal(undefined);
    expect(store.load({ ...work, depth: 13 }, 64, prestate)).to.equal(undefined);
    expect(lookups).to.deep.equal(["miss", "hit", "miss", "miss"]);
    expect(dropped).to.deep.equal([]);
  });

  it("drops a set whose initial state is not the caller's program and input", async () => {
    const built = await buildTrace({ image, input, depth: 12, checkpointInterval: 64 });
    store.save(work, 64, built);
    expect(store.load(work, 64, initialState(image, new Uint8Array([1])))).to.equal(undefined);
    expect(dropped).to.have.length(1);
    expect(dropped[0]).to.match(/initial state/);
    expect(store.load(work, 64, prestate)).to.equal(undefined); // gone from disk
  });

  it("drops a well-formed set that does not replay to its recorded end, and a flipped byte", async () => {
    const built = await buildTrace({ image, input, depth: 12, checkpointInterval: 64 });
    const cp = built.exportCheckpoints();
    const key = { ...work, kind: checkpointsKind(64) };
    cache.put(key, encodeTraceCheckpoints({ ...cp, stateHash: `0x${"11".repeat(32)}` }));
    expect(store.load(work, 64, prestate)).to.equal(undefined);
    expect(dropped[0]).to.match(/replay ends at/);
    store.save(work, 64, built);
    const buf = readFileSync(cache.pathOf(key));
    buf[buf.length - 100] ^= 4;
    writeFileSync(cache.pathOf(key), buf);
    expect(store.load(work, 64, prestate)).to.equal(undefined);
    expect(lookups).to.deep.equal(["hit", "corrupt"]);
  });

  it("does not save a set larger than maxBytes", async () => {
    const built = await buildTrace({ image, input, depth: 12, checkpointInterval: 64 });
    const small = createCheckpointStore({ cache, maxBytes: built.checkpointBytes - 1 });
    expect(small.save({ ...work, depth: 12 }, 32, built)).to.equal(false);
    expect(small.load(work, 32, prestate)).to.equal(undefined);
  });
});

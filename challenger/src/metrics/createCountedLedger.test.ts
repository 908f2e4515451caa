// The counted record on its own (a fake chain of block hashes, a temp file):
// a second ledger on the same file and chain counts nothing the first one
// counted, and still counts what is new; a record of another chain (or of a
// branch a reorg replaced) or an unreadable one is dropped, and settled
// proposals' keys leave the file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import type { Hex } from "viem";
import { createCountedLedger } from "./createCountedLedger.ts";

const logger = createLogger({ level: "silent" });
const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

describe("challenger/createCountedLedger", () => {
  let dir: string;
  let file: string;
  /** The chain: block number → hash. */
  let chain: Map<bigint, Hex>;
  const open = () => createCountedLedger({ file, blockHash: async (b) => chain.get(b), logger });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "verdict-counted-"));
    file = join(dir, "counted", "v-a.json");
    chain = new Map([...Array(30).keys()].map((i) => [BigInt(i), h(i)]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a restart on the same chain counts nothing again, and still counts what is new", async () => {
    const first = await open();
    expect(first.uncounted(0n)).to.equal(true);
    expect(first.once(1n, "proposal:1")).to.equal(true);
    expect(first.once(1n, "proposal:1")).to.equal(false);
    expect(first.once(2n, "leaf:2:0")).to.equal(true);
    first.countedThrough(20n, { block: 17n, hash: h(17) });

    const second = await open();
    expect(second.uncounted(20n), "a block the first run counted through").to.equal(false);
    expect(second.uncounted(21n)).to.equal(true);
    expect(second.once(1n, "proposal:1")).to.equal(false);
    expect(second.once(2n, "leaf:2:0")).to.equal(false);
    expect(second.once(2n, "leaf:2:1"), "a leaf not counted before").to.equal(true);
    // The start's watermark holds for the whole run: blocks counted now are told apart by the caller.
    second.countedThrough(25n, { block: 25n, hash: h(25) });
    expect(second.uncounted(22n)).to.equal(true);
    const third = await open();
    expect(third.uncounted(25n)).to.equal(false);
    expect(third.once(2n, "leaf:2:1")).to.equal(false);
  });

  it("nothing is saved before a block with our logs anchors it", async () => {
    const first = await open();
    first.countedThrough(10n);
    expect((await open()).uncounted(5n)).to.equal(true);
  });

  it("drops a record of another chain, of a replaced branch, or one it cannot read", async () => {
    const first = await open();
    first.once(1n, "proposal:1");
    first.countedThrough(20n, { block: 17n, hash: h(17) });
    // A reorg replaced block 17 while we were down (or this is a fresh chain with the same addresses).
    chain.set(17n, h(1017));
    const other = await open();
    expect(other.uncounted(3n)).to.equal(true);
    expect(other.once(1n, "proposal:1")).to.equal(true);
    // A chain that has no block 17 at all.
    chain = new Map([[0n, h(0)]]);
    expect((await open()).uncounted(3n)).to.equal(true);
    writeFileSync(file, "{not json");
    expect((await open()).uncounted(3n)).to.equal(true);
  });

  it("forgets the keys of settled proposals", async () => {
    const first = await open();
    first.once(1n, "proposal:1");
    first.once(2n, "proposal:2");
    first.countedThrough(20n, { block: 17n, hash: h(17) });
    first.prune((id) => id === 1n);
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).checks)).to.deep.equal(["2"]);
    const second = await open();
    expect(second.once(2n, "proposal:2")).to.equal(false);
  });

  it("without a file, counts once per process", async () => {
    const mem = await createCountedLedger({ blockHash: async () => undefined, logger });
    expect(mem.once(1n, "k")).to.equal(true);
    expect(mem.once(1n, "k")).to.equal(false);
    mem.countedThrough(9n, { block: 9n, hash: h(9) });
    expect(mem.uncounted(0n)).to.equal(true);
  });
});

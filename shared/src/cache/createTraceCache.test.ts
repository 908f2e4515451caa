import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type CacheOutcome, createTraceCache, type TraceCacheKey } from "./createTraceCache.ts";

const key: TraceCacheKey = {
  machineVersion: 1,
  programRoot: `0x${"AA".repeat(32)}`,
  entry: 0x1000,
  inputRoot: `0x${"bb".repeat(32)}`,
  depth: 20,
  kind: "checkpoints",
};

describe("cache/createTraceCache", () => {
  const dir = mkdtempSync(join(tmpdir(), "cache-"));
  const outcomes: string[] = [];
  const cache = createTraceCache({
    dir,
    onLookup: (o: CacheOutcome, _k, reason) => outcomes.push(reason ? `${o}:${reason}` : o),
  });
  const payload = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

  beforeEach(() => {
    outcomes.length = 0;
  });

  it("round-trips, keyed by the work's content (machine version, program root, entry, input root, D) and kind", () => {
    expect(cache.get(key)).to.equal(undefined);
    cache.put(key, payload);
    expect(cache.get(key)).to.deep.equal(payload);
    expect(cache.get({ ...key, programRoot: `0x${"aa".repeat(32)}` })).to.deep.equal(payload); // hex case does not matter
    expect(cache.get({ ...key, machineVersion: 2 })).to.equal(undefined);
    expect(cache.get({ ...key, inputRoot: `0x${"cc".repeat(32)}` })).to.equal(undefined);
    expect(cache.get({ ...key, entry: 0x1004 })).to.equal(undefined);
    expect(cache.get({ ...key, depth: 21 })).to.equal(undefined);
    expect(cache.get({ ...key, kind: "result" })).to.equal(undefined);
    expect(outcomes).to.deep.equal(["miss", "hit", "hit", "miss", "miss", "miss", "miss", "miss"]);
  });

  it("detects a flipped payload byte, drops the entry and reports corrupt", () => {
    cache.put(key, payload);
    const buf = readFileSync(cache.pathOf(key));
    buf[buf.length - 1] ^= 1;
    writeFileSync(cache.pathOf(key), buf);
    expect(cache.get(key)).to.equal(undefined);
    expect(cache.get(key)).to.equal(undefined);
    expect(outcomes).to.deep.equal(["corrupt:checksum mismatch", "miss"]);
  });

  it("detects truncation, garbage and an entry written for another key", () => {
    cache.put(key, payload);
    const buf = readFileSync(cache.pathOf(key));
    writeFileSync(cache.pathOf(key), buf.subarray(0, buf.length - 3));
    expect(cache.get(key)).to.equal(undefined);
    writeFileSync(cache.pathOf(key), "garbage");
    expect(cache.get(key)).to.equal(undefined);
    const other = { ...key, kind: "result" };
    cache.put(other, payload);
    writeFileSync(cache.pathOf(key), readFileSync(cache.pathOf(other)));
    expect(cache.get(key)).to.equal(undefined);
    expect(outcomes).to.deep.equal([
      "corrupt:length 5, header says 8",
      "corrupt:bad magic",
      "corrupt:entry is for another key",
    ]);
  });
});

// Differential tests of the Solidity verifier against the TypeScript machine
// (docs/spec.md §1.8), on a real anvil. Default run: a sample of random
// vectors and of every example guest, the published set's reproducibility, and
// a control that a wrong expectation is caught. VERDICT_FULL=1 adds the full
// run: 200,000 random vectors and the first 100,000 steps of every guest.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { bytesToHex, hexToBytes } from "viem";
import { loadElf } from "../elf/loadElf.ts";
import { createMachine, outputBytes, outputRoot, programRoot } from "../machine/createMachine.ts";
import { inputRoot } from "../machine/inputRoot.ts";
import { Machine } from "../machine/machine.ts";
import type { ElfVector } from "./elfVectors.ts";
import {
  decodeVectors,
  encodeVectors,
  type StepVector,
  VectorFormatError,
  VectorKind,
  VectorTag,
} from "./format.ts";
import { guestInput, guestVectors, listExampleGuests } from "./guestVectors.ts";
import type { OutputVector } from "./outputVectors.ts";
import { createPrng } from "./prng.ts";
import {
  elfVectorsJson,
  gasEntry,
  generatePublishedSet,
  outputVectorsJson,
  PUBLISHED_DIR,
  PUBLISHED_ELF_FILE,
  PUBLISHED_GUESTS_FILE,
  PUBLISHED_MANIFEST_FILE,
  PUBLISHED_OUTPUTS_FILE,
  PUBLISHED_RANDOM_FILE,
  PUBLISHED_RULES_FILE,
  type PublishedManifest,
  sha256Hex,
} from "./publishedSet.ts";
import { createRandomVectorStats, randomVectors } from "./randomVectors.ts";
import {
  buildReplayArtifacts,
  deployVerifierOnAnvil,
  readArtifact,
  replayVectors,
  type VerifierOnAnvil,
} from "./replayOnAnvil.ts";

const FULL = process.env.VERDICT_FULL === "1";

describe("vectors: prng", () => {
  it("is a pure function of the seed", () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xs = Array.from({ length: 64 }, () => a.u32());
    expect(Array.from({ length: 64 }, () => b.u32())).to.deep.equal(xs);
    expect(Array.from({ length: 64 }, () => c.u32())).to.not.deep.equal(xs);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).to.equal(true);
  });

  it("below(n) stays in range and covers it", () => {
    const r = createPrng(1);
    const seen = new Set<number>();
    for (let k = 0; k < 2000; k++) {
      const x = r.below(7);
      expect(x).to.be.within(0, 6);
      seen.add(x);
    }
    expect(seen.size).to.equal(7);
    expect(() => r.below(0)).to.throw(RangeError);
  });
});

describe("vectors: format", () => {
  it("round-trips and rejects malformed files", () => {
    const vs: StepVector[] = [
      {
        kind: VectorKind.Post,
        tag: VectorTag.Alu,
        preState: new Uint8Array(173).fill(1),
        proof: new Uint8Array([1, 2, 3]),
        postStateHash: new Uint8Array(32).fill(9),
      },
      {
        kind: VectorKind.Revert,
        tag: VectorTag.BadInput,
        preState: new Uint8Array(5),
        proof: new Uint8Array(0),
        postStateHash: new Uint8Array(0),
      },
    ];
    const bytes = encodeVectors(vs);
    expect(decodeVectors(bytes)).to.deep.equal(vs);
    expect(() => decodeVectors(bytes.slice(0, bytes.length - 1))).to.throw(VectorFormatError);
    expect(() => decodeVectors(new Uint8Array([...bytes, 0]))).to.throw(VectorFormatError);
    const badMagic = bytes.slice();
    badMagic[0] = 0x58;
    expect(() => decodeVectors(badMagic)).to.throw(VectorFormatError);
  });
});

describe("vectors: generation", () => {
  it("is reproducible from the seed and covers every class", () => {
    const stats = createRandomVectorStats();
    const a = encodeVectors([...randomVectors({ seed: 9, count: 600, stats })]);
    const b = encodeVectors([...randomVectors({ seed: 9, count: 600 })]);
    expect(sha256Hex(a)).to.equal(sha256Hex(b));
    for (const tag of Object.values(VectorTag)) {
      if (tag === VectorTag.Guest || tag === VectorTag.Rule) continue;
      expect(stats.byTag[tag] ?? 0, `class ${tag}`).to.be.greaterThan(0);
    }
    // The fast interpreter and the TS verifier twin agree on every vector.
    expect(stats.twinDisagreements).to.deep.equal([]);
  });

  it("the committed published set regenerates bit for bit", function () {
    this.timeout(300_000);
    const manifest = JSON.parse(
      readFileSync(join(PUBLISHED_DIR, PUBLISHED_MANIFEST_FILE), "utf8"),
    ) as PublishedManifest;
    const randomBytes = new Uint8Array(readFileSync(join(PUBLISHED_DIR, PUBLISHED_RANDOM_FILE)));
    const guestBytes = new Uint8Array(readFileSync(join(PUBLISHED_DIR, PUBLISHED_GUESTS_FILE)));
    expect(sha256Hex(randomBytes)).to.equal(manifest.random.sha256);
    expect(sha256Hex(guestBytes)).to.equal(manifest.guests.sha256);
    expect(decodeVectors(randomBytes).length).to.equal(manifest.random.count);
    const set = generatePublishedSet();
    expect(sha256Hex(encodeVectors(set.random)), "random part").to.equal(manifest.random.sha256);
    const elfsUnchanged = JSON.stringify(set.elfs) === JSON.stringify(manifest.guests.elfs);
    // A rebuilt example ELF legitimately changes the guest part; forge still replays the old one.
    if (elfsUnchanged)
      expect(sha256Hex(encodeVectors(set.guests)), "guest part").to.equal(manifest.guests.sha256);
    else console.warn("      (example ELFs changed since the published set: run generate.ts --publish)");
    // Rule vectors, ELF and output cases, guest inputs and the gas file's digest.
    const read = (f: string) => new Uint8Array(readFileSync(join(PUBLISHED_DIR, f)));
    expect(sha256Hex(read(PUBLISHED_RULES_FILE)), "rules file").to.equal(manifest.rules.sha256);
    expect(sha256Hex(encodeVectors(set.rules)), "rule vectors").to.equal(manifest.rules.sha256);
    expect(set.rules.map((v) => v.name)).to.deep.equal(manifest.rules.vectors.map((v) => v.name));
    expect(elfVectorsJson(set.elf), "ELF cases").to.equal(
      readFileSync(join(PUBLISHED_DIR, PUBLISHED_ELF_FILE), "utf8"),
    );
    expect(sha256Hex(read(PUBLISHED_ELF_FILE))).to.equal(manifest.elf.sha256);
    expect(outputVectorsJson(set.outputs), "output cases").to.equal(
      readFileSync(join(PUBLISHED_DIR, PUBLISHED_OUTPUTS_FILE), "utf8"),
    );
    expect(sha256Hex(read(PUBLISHED_OUTPUTS_FILE))).to.equal(manifest.outputs.sha256);
    expect(gasEntry(), "gas file").to.deep.equal(manifest.gas);
    for (const g of manifest.guests.elfs) {
      const input = read(g.inputFile);
      expect(sha256Hex(input), g.inputFile).to.equal(g.inputSha256);
      expect(input.length).to.equal(g.inputBytes);
      expect(bytesToHex(input), `${g.name} input regenerates`).to.equal(
        bytesToHex(set.inputs.get(g.name) ?? new Uint8Array(1)),
      );
    }
  });

  it("the published guest inputs alone regenerate the guest vectors (independent of the seed)", function () {
    this.timeout(300_000);
    const manifest = JSON.parse(
      readFileSync(join(PUBLISHED_DIR, PUBLISHED_MANIFEST_FILE), "utf8"),
    ) as PublishedManifest;
    const guests = listExampleGuests();
    const all = [];
    for (const g of manifest.guests.elfs) {
      const elf = guests.find((x) => x.name === g.name);
      expect(elf, g.name).to.not.equal(undefined);
      if (!elf || sha256Hex(readFileSync(elf.elfPath)) !== g.sha256) return this.skip();
      const input = new Uint8Array(readFileSync(join(PUBLISHED_DIR, g.inputFile)));
      all.push(
        ...guestVectors({
          elfPath: elf.elfPath,
          input,
          maxSteps: manifest.guests.steps,
          every: manifest.guests.every,
        }),
      );
    }
    expect(sha256Hex(encodeVectors(all))).to.equal(manifest.guests.sha256);
  });
});

describe("vectors: published ELF and output cases (§1.9, §1.2)", () => {
  it("every committed ELF case loads, or fails with its typed error", () => {
    const { cases } = JSON.parse(readFileSync(join(PUBLISHED_DIR, PUBLISHED_ELF_FILE), "utf8")) as {
      cases: ElfVector[];
    };
    expect(cases.length).to.be.greaterThan(40);
    for (const c of cases) {
      let got: unknown;
      try {
        const image = loadElf(hexToBytes(c.elf));
        got = { programRoot: programRoot(image), entry: image.entry };
      } catch (err) {
        got = { error: (err as Error).name };
      }
      expect(got, c.name).to.deep.equal(c.expect);
    }
    // An attacker's view: no rejected case may load under any other name, and the freedoms
    // (RVE, TSO, unaligned e_phoff, corrupt section headers) leave the minimal image unchanged.
    const minimal = cases.find((c) => c.name === "minimal")?.expect;
    for (const name of [
      "flags-rve",
      "flags-tso",
      "unaligned-phoff",
      "corrupt-section-headers",
      "paddr-align-flags-ignored",
    ])
      expect(cases.find((c) => c.name === name)?.expect, name).to.deep.equal(minimal);
  });

  it("every committed output case reads as published", () => {
    const { cases } = JSON.parse(readFileSync(join(PUBLISHED_DIR, PUBLISHED_OUTPUTS_FILE), "utf8")) as {
      cases: OutputVector[];
    };
    for (const c of cases) {
      const m = new Machine();
      for (const w of c.writes) m.mem.writeBytes(w.at, hexToBytes(w.bytes));
      expect(outputRoot(m), c.name).to.equal(c.outputRoot);
      let got: string | null = null;
      try {
        got = bytesToHex(outputBytes(m));
      } catch (err) {
        expect((err as Error).name, c.name).to.equal("NoOutputError");
      }
      expect(got, c.name).to.equal(c.output);
      expect(c.hasOutput).to.equal(c.output !== null);
      if (c.output !== null) expect(inputRoot(hexToBytes(c.output)), c.name).to.equal(c.outputRoot);
      if (c.naive !== undefined) expect(inputRoot(hexToBytes(c.naive)), c.name).to.not.equal(c.outputRoot);
    }
  });
});

describe("vectors: replay through the Solidity verifier on anvil", function () {
  this.timeout(FULL ? 3_600_000 : 300_000);
  let ctx: VerifierOnAnvil;

  before(async () => {
    buildReplayArtifacts();
    ctx = await deployVerifierOnAnvil();
  });
  after(async () => {
    await ctx?.stop();
  });

  it("agrees on a sample of random vectors", async () => {
    const stats = createRandomVectorStats();
    const res = await replayVectors(ctx, randomVectors({ seed: 0xc0ffee, count: 1500, stats }));
    expect(res.replayed).to.equal(1500);
    expect(res.mismatches).to.deep.equal([]);
    expect(stats.twinDisagreements).to.deep.equal([]);
  });

  it("agrees on the published set", async () => {
    for (const file of [PUBLISHED_RANDOM_FILE, PUBLISHED_GUESTS_FILE, PUBLISHED_RULES_FILE]) {
      const vs = decodeVectors(new Uint8Array(readFileSync(join(PUBLISHED_DIR, file))));
      const res = await replayVectors(ctx, vs);
      expect(res.mismatches, file).to.deep.equal([]);
    }
  });

  it("agrees on the first steps of every example guest", async () => {
    const guests = listExampleGuests();
    expect(guests.length).to.be.greaterThan(0);
    for (const g of guests) {
      const vs = guestVectors({ elfPath: g.elfPath, input: guestInput(g.name, 1), maxSteps: 2000 });
      const res = await replayVectors(ctx, vs);
      expect(res.replayed, g.name).to.be.greaterThan(0);
      expect(res.mismatches, g.name).to.deep.equal([]);
    }
  });

  it("inputRoot, initialStateHash and openFinalState agree with the TS machine", async () => {
    const rv = readArtifact("RV32IM.sol/RV32IM.json");
    const call = async (functionName: string, args: readonly unknown[]) =>
      ctx.client.readContract({ address: ctx.verifier, abi: rv.abi, functionName, args });
    const r = createPrng(77);
    for (const n of [0, 1, 8, 24, 31, 32, 33, 63, 64, 65, 1000, 4096, 10_000]) {
      const input = r.bytes(n);
      expect(await call("inputRoot", [bytesToHex(input)]), `input of ${n} bytes`).to.equal(inputRoot(input));
    }
    const guest = listExampleGuests().find((g) => g.name === "sha256") ?? listExampleGuests()[0];
    const image = loadElf(new Uint8Array(readFileSync(guest.elfPath)));
    const input = guestInput(guest.name, 3);
    const m = createMachine(image, input);
    expect(await call("initialStateHash", [programRoot(image), image.entry, inputRoot(input)])).to.equal(
      m.stateHash(),
    );
    m.run(5_000_000);
    expect(m.halted, "guest halts").to.equal(true);
    m.memRoot();
    const opened = (await call("openFinalState", [
      m.stateHash(),
      bytesToHex(m.encode()),
      bytesToHex(m.mem.upperNode(26, 0)),
      bytesToHex(m.mem.upperNode(25, 2)),
      outputRoot(m),
    ])) as readonly [number, number, bigint];
    expect(opened).to.deep.equal([m.status, m.exitCode, BigInt(m.step)]);
  });

  it("catches a wrong expectation (the replay can fail)", async () => {
    const vs = [...randomVectors({ seed: 5, count: 40 })];
    const k = vs.findIndex((v) => v.kind === VectorKind.Post);
    const wrong = vs.map((v, i) =>
      i === k ? { ...v, postStateHash: v.postStateHash.map((b, j) => (j === 0 ? b ^ 1 : b)) } : v,
    );
    const r = vs.findIndex((v) => v.kind === VectorKind.Post && v.tag !== VectorTag.Halted);
    const mustRevert = vs.map((v, i) =>
      i === r ? { ...v, kind: VectorKind.Revert, postStateHash: new Uint8Array(0) } : v,
    );
    const a = await replayVectors(ctx, wrong);
    expect(a.mismatches.map((m) => m.index)).to.deep.equal([k]);
    expect(a.mismatches[0].got).to.equal(bytesToHex(vs[k].postStateHash));
    const b = await replayVectors(ctx, mustRevert);
    expect(b.mismatches.map((m) => m.index)).to.deep.equal([r]);
  });

  (FULL ? it : it.skip)(
    "full run: 200,000 random vectors and 100,000 steps of every guest (VERDICT_FULL=1)",
    async () => {
      const stats = createRandomVectorStats();
      const res = await replayVectors(ctx, randomVectors({ seed: 0x5eed, count: 200_000, stats }));
      expect(res.replayed).to.equal(200_000);
      expect(res.mismatches.slice(0, 5)).to.deep.equal([]);
      expect(stats.twinDisagreements.slice(0, 5)).to.deep.equal([]);
      for (const g of listExampleGuests()) {
        const gr = await replayVectors(
          ctx,
          guestVectors({ elfPath: g.elfPath, input: guestInput(g.name, 0x5eed), maxSteps: 100_000 }),
        );
        expect(gr.mismatches.slice(0, 5), g.name).to.deep.equal([]);
      }
    },
  );
});

// Tests of canonical JSON, manifest parsing and the manifest hash.

import { expect } from "chai";
import { keccak256, stringToBytes } from "viem";
import { BaseError } from "../errors/base.ts";
import { ManifestCanonicalError, ManifestParseError } from "../errors/manifest.ts";
import { canonicalJson } from "./canonicalJson.ts";
import { manifestHash } from "./manifestHash.ts";
import { parseManifest } from "./parseManifest.ts";

describe("canonicalJson", () => {
  it("sorts keys recursively and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, { y: "x", x: 2.5 }], "": -0 })).to.equal(
      '{"":0,"a":[true,null,{"x":2.5,"y":"x"}],"b":1}',
    );
  });
  it("orders keys by UTF-16 code units (RFC 8785), not locale", () => {
    expect(canonicalJson({ b: 0, B: 0, "\u00e9": 0, a: 0, "10": 0, "9": 0 })).to.equal(
      '{"10":0,"9":0,"B":0,"a":0,"b":0,"\u00e9":0}',
    );
  });
  it("matches the RFC 8785 number and string forms", () => {
    expect(canonicalJson([1e21, 1e-7, 0.1, 100, '\u2028\n"\\'])).to.equal(
      '[1e+21,1e-7,0.1,100,"\u2028\\n\\"\\\\"]',
    );
  });
  it("rejects values JSON cannot carry, naming the path", () => {
    const cases: [unknown, RegExp][] = [
      [{ a: [1, Number.NaN] }, /\$\.a\[1\].*NaN/],
      [{ a: undefined }, /\$\.a.*undefined/],
      [{ a: 1n }, /bigint/],
      [{ d: new Date(0) }, /Date/],
      [Number.POSITIVE_INFINITY, /Infinity/],
    ];
    for (const [v, re] of cases) {
      expect(() => canonicalJson(v)).to.throw(ManifestCanonicalError, re);
    }
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => canonicalJson(cyc)).to.throw(ManifestCanonicalError, /cyclic/);
  });
  it("allows a shared (non-cyclic) sub-object twice", () => {
    const s = { k: 1 };
    expect(canonicalJson({ a: s, b: s })).to.equal('{"a":{"k":1},"b":{"k":1}}');
  });
});

describe("manifestHash", () => {
  const text = `{
    "name": "sha256",
    "sourceHash": "0x${"ab".repeat(32)}",
    "compiler": "clang 19.1.7",
    "flags": ["-march=rv32im", "-mabi=ilp32", "-O2"],
    "buildCommand": "guest/build.sh sha256"
  }`;

  it("is keccak256 of the canonical UTF-8 bytes", () => {
    const m = parseManifest(text);
    const canonical = `{"buildCommand":"guest/build.sh sha256","compiler":"clang 19.1.7","flags":["-march=rv32im","-mabi=ilp32","-O2"],"name":"sha256","sourceHash":"0x${"ab".repeat(32)}"}`;
    expect(canonicalJson(m)).to.equal(canonical);
    expect(manifestHash(m)).to.equal(keccak256(stringToBytes(canonical)));
  });
  it("ignores key order and whitespace but not values", () => {
    const a = manifestHash(parseManifest(text));
    const reordered = parseManifest(
      `{"flags":["-march=rv32im","-mabi=ilp32","-O2"],"compiler":"clang 19.1.7","buildCommand":"guest/build.sh sha256","sourceHash":"0x${"ab".repeat(32)}","name":"sha256"}`,
    );
    expect(manifestHash(reordered)).to.equal(a);
    const flagOrder = parseManifest(text.replace('"-O2"]', '"-O2", "-g"]'));
    expect(manifestHash(flagOrder)).to.not.equal(a);
  });
  it("hashes non-ASCII text as UTF-8", () => {
    expect(manifestHash({ n: "é" })).to.equal(
      keccak256(new Uint8Array([...stringToBytes('{"n":"'), 0xc3, 0xa9, ...stringToBytes('"}')])),
    );
  });
});

describe("parseManifest", () => {
  it("rejects non-JSON, non-objects and mistyped known fields", () => {
    const bad: [string, RegExp][] = [
      ["{", /m.json: not JSON/],
      ["[1]", /an array/],
      ["null", /null/],
      ['"x"', /string/],
      ['{"compiler": 19}', /"compiler" must be a string/],
      ['{"flags": "-O2"}', /"flags" must be an array of strings/],
      ['{"flags": [1]}', /"flags"/],
    ];
    for (const [t, re] of bad) {
      let caught: unknown;
      try {
        parseManifest(t, "m.json");
      } catch (err) {
        caught = err;
      }
      expect(caught, t).to.be.instanceOf(ManifestParseError).and.instanceOf(BaseError);
      expect((caught as BaseError).shortMessage, t).to.match(re);
    }
  });
  it("keeps extra fields (they are part of the hash)", () => {
    const m = parseManifest('{"sdkVersion":"0.1.0"}');
    expect(m.sdkVersion).to.equal("0.1.0");
    expect(manifestHash(m)).to.not.equal(manifestHash({}));
  });
});

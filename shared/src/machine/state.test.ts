import { expect } from "chai";
import { keccak256 } from "viem";
import { InvalidStateError } from "./errors.ts";
import { decodeState, encodeState, hashState } from "./state.ts";

describe("packed state (spec §1.1)", () => {
  const state = {
    memRoot: new Uint8Array(32).map((_, i) => i),
    pc: 0x80001234,
    regs: Array.from({ length: 31 }, (_, i) => (0x01010101 * (i + 1)) >>> 0),
    step: 0x0123456789abcdefn,
    status: 1 as const,
    exitCode: 0xfffffffe,
  };
  it("lays fields out big-endian at the fixed offsets", () => {
    const p = encodeState(state);
    expect(p.length).to.equal(173);
    expect(Array.from(p.slice(0, 4))).to.deep.equal([0, 1, 2, 3]);
    expect(Array.from(p.slice(32, 36))).to.deep.equal([0x80, 0x00, 0x12, 0x34]);
    expect(Array.from(p.slice(36, 40))).to.deep.equal([1, 1, 1, 1]); // x1
    expect(Array.from(p.slice(156, 160))).to.deep.equal([31, 31, 31, 31]); // x31
    expect(Array.from(p.slice(160, 168))).to.deep.equal([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
    expect(p[168]).to.equal(1);
    expect(Array.from(p.slice(169, 173))).to.deep.equal([0xff, 0xff, 0xff, 0xfe]);
    expect(hashState(p)).to.equal(keccak256(p));
  });
  it("round-trips", () => {
    expect(decodeState(encodeState(state))).to.deep.equal(state);
  });
  it("rejects wrong lengths and status > 2 with InvalidStateError", () => {
    const p = encodeState(state);
    expect(() => decodeState(p.slice(0, 172))).to.throw(InvalidStateError);
    expect(() => decodeState(new Uint8Array(174))).to.throw(InvalidStateError);
    p[168] = 3;
    expect(() => decodeState(p)).to.throw(InvalidStateError);
    expect(() => hashState(p)).to.throw(InvalidStateError);
    expect(() => encodeState({ ...state, regs: [1] })).to.throw(InvalidStateError);
    expect(() => encodeState({ ...state, step: 1n << 64n })).to.throw(InvalidStateError);
  });
  it("only an EXITED state carries an exit code: RUNNING or TRAPPED with one is invalid (§1.1)", () => {
    for (const status of [0, 2] as const) {
      expect(() => encodeState({ ...state, status }), `encode status ${status}`).to.throw(
        InvalidStateError,
        /exit code/,
      );
      const p = encodeState({ ...state, status, exitCode: 0 });
      for (const bit of [0, 7, 31]) {
        const bad = p.slice();
        new DataView(bad.buffer).setUint32(169, 2 ** bit);
        expect(() => decodeState(bad), `decode status ${status} bit ${bit}`).to.throw(InvalidStateError);
        expect(() => hashState(bad)).to.throw(InvalidStateError);
      }
    }
    expect(decodeState(encodeState(state)).exitCode).to.equal(0xfffffffe);
  });
});

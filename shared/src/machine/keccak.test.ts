import { expect } from "chai";
import { bytesToHex, keccak256 } from "viem";
import { hash2, keccak256Bytes } from "./keccak.ts";
import { zeroHashes } from "./zeroHashes.ts";

describe("keccak (hash-wasm) vs viem", () => {
  it("agrees on random inputs of many lengths", () => {
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (const len of [0, 1, 31, 32, 33, 64, 135, 136, 137, 173, 272, 1000]) {
      const b = new Uint8Array(len).map(() => rnd());
      expect(bytesToHex(keccak256Bytes(b))).to.equal(keccak256(b));
    }
  });

  it("hash2 is keccak of the concatenation and the zero hashes chain", () => {
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const ab = new Uint8Array(64);
    ab.set(a);
    ab.set(b, 32);
    expect(bytesToHex(hash2(a, b))).to.equal(keccak256(ab));
    expect(zeroHashes.length).to.equal(28);
    // Z1 = keccak256(64 zero bytes), a well-known constant.
    expect(bytesToHex(zeroHashes[1])).to.equal(
      "0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5",
    );
    for (let h = 0; h < 27; h++) {
      const c = new Uint8Array(64);
      c.set(zeroHashes[h]);
      c.set(zeroHashes[h], 32);
      expect(bytesToHex(zeroHashes[h + 1])).to.equal(keccak256(c));
    }
  });
});

import { expect } from "chai";
import { bytesToHex as viemBytesToHex } from "viem";
import { bytesToHex } from "./bytesToHex.ts";

describe("machine/bytesToHex", () => {
  it("equals viem's encoding, also for views into a larger buffer", () => {
    const big = new Uint8Array(300);
    for (let i = 0; i < big.length; i++) big[i] = (i * 97 + 13) & 0xff;
    for (const [from, to] of [
      [0, 0],
      [0, 32],
      [5, 37],
      [299, 300],
      [0, 300],
    ]) {
      const view = big.subarray(from, to);
      expect(bytesToHex(view), `${from}..${to}`).to.equal(viemBytesToHex(view));
    }
  });
});

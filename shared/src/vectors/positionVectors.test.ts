import { readFileSync } from "node:fs";
import { expect } from "chai";
import { child, parentOf, rootPosition } from "../game/position.ts";
import { encodePositionVectors, generatePositionVectors, POSITION_VECTORS_FILE } from "./positionVectors.ts";

// The forge half of this differential test is protocol/test/lib/LibPosition.t.sol, which replays the
// committed file through LibPosition and DisputeGame. This half pins the file to what the TS position
// code computes today, so neither side can change alone.
describe("vectors/positionVectors (TS vs Solidity positions)", () => {
  it("the committed position-v1.bin is what the TS position code produces", () => {
    const committed = readFileSync(POSITION_VECTORS_FILE);
    const fresh = encodePositionVectors(generatePositionVectors());
    expect(
      Buffer.compare(committed, Buffer.from(fresh)),
      "regenerate with `npx tsx shared/src/vectors/positionVectors.ts --publish` and run the forge test",
    ).to.equal(0);
  });

  it("covers every k and the edge depths, down to single steps", () => {
    const vs = generatePositionVectors();
    expect(new Set(vs.map((v) => v.log2K))).to.deep.equal(new Set([1, 2, 3, 4, 5, 6]));
    for (const d of [1, 48]) expect(vs.some((v) => v.depth === d && v.log2Len === 0)).to.equal(true);
    expect(vs.filter((v) => v.log2Len === 0).length).to.be.greaterThan(100);
  });

  it("each path is a chain of parentOf / child steps from the root", () => {
    for (const v of generatePositionVectors()) {
      const nodes = [...v.path, v.position];
      expect(nodes[0]).to.equal(rootPosition(v.depth));
      for (let l = 1; l < nodes.length; l++) {
        expect(parentOf(nodes[l], v.depth, v.log2K)).to.equal(nodes[l - 1]);
        const parts = Math.min(v.log2K, Number(nodes[l - 1] & 0xffn));
        expect(child(nodes[l - 1], v.indices[l - 1], parts)).to.equal(nodes[l]);
      }
    }
  });
});

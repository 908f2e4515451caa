import { expect } from "chai";
import { parseDepthCaps } from "./fields.ts";
import { showDefault } from "./schemaOptions.ts";

const ROOT_A = `0x${"ab".repeat(32)}` as const;
const ROOT_B = `0x${"cd".repeat(32)}` as const;

describe("config/parseDepthCaps", () => {
  it("a bare number caps every program", () => {
    const c = parseDepthCaps("32");
    expect(c.capFor(ROOT_A)).to.equal(32);
    expect(c.byRoot.size).to.equal(0);
    expect(parseDepthCaps(24).capFor(ROOT_B)).to.equal(24);
  });

  it("a program root gets its own cap (case-insensitive), others the default", () => {
    const c = parseDepthCaps(` 30 , ${ROOT_A.toUpperCase().replace("0X", "0x")}=40`);
    expect(c.capFor(ROOT_A)).to.equal(40);
    expect(c.capFor(ROOT_B)).to.equal(30);
  });

  it("refuses what it cannot mean", () => {
    for (const bad of [
      "",
      "0",
      "49",
      "3.5",
      "32,33",
      `${ROOT_A}=20`,
      `32,${ROOT_A}=0`,
      `32,0x12=20`,
      `32,${ROOT_A}=20,${ROOT_A}=21`,
    ])
      expect(() => parseDepthCaps(bad), bad).to.throw(Error);
  });

  it("prints as it is written, so --help shows its default (not [object Object])", () => {
    expect(String(parseDepthCaps("32"))).to.equal("32");
    expect(String(parseDepthCaps(` 40 , ${ROOT_A.toUpperCase().replace("0X", "0x")}=20`))).to.equal(
      `40,${ROOT_A}=20`,
    );
    expect(showDefault(parseDepthCaps("32"))).to.equal("32");
    expect(showDefault({ a: 1 })).to.equal('{"a":1}');
    expect(showDefault(0n)).to.equal("0");
  });
});

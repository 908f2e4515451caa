import { expect } from "chai";
import type { Hex } from "viem";
import { child, end, interiorPositions, log2Parts, rootPosition, start } from "../game/position.ts";
import { createToyTraceProvider, type TraceProvider, withFault } from "../machine/trace.ts";
import { locateDivergence } from "./locateDivergence.ts";

const DEPTH = 12;
const LOG2K = 2;

/** The dissections a liar posts along the path a challenger follows down to one step. */
async function liarDissections(liar: TraceProvider, honest: TraceProvider, levels: number) {
  const out = new Map<bigint, Hex[]>();
  let pos = rootPosition(DEPTH);
  for (let l = 0; l < levels && end(pos) - start(pos) > 1n; l++) {
    const interior = await Promise.all(interiorPositions(pos, LOG2K).map((t) => liar.get(t)));
    out.set(pos, interior);
    const lp = log2Parts(pos, LOG2K);
    let i = 0;
    for (; i < interior.length; i++)
      if (interior[i] !== (await honest.get(interiorPositions(pos, LOG2K)[i]))) break;
    pos = child(pos, i, lp);
  }
  return out;
}

describe("locateDivergence", () => {
  const honest = createToyTraceProvider({ depth: DEPTH, haltAt: 3000n });

  it("agrees: null", async () => {
    const claimedEnd = await honest.get(1n << BigInt(DEPTH));
    expect(
      await locateDivergence({
        trace: honest,
        depth: DEPTH,
        log2K: LOG2K,
        claimedEnd,
        dissections: new Map(),
      }),
    ).to.equal(null);
  });

  it("no dissection on chain: the whole trace", async () => {
    const d = await locateDivergence({
      trace: honest,
      depth: DEPTH,
      log2K: LOG2K,
      claimedEnd: `0x${"11".repeat(32)}`,
      dissections: new Map(),
    });
    expect(d).to.include({ start: 0n, end: 4096n, exact: false, levels: 0 });
  });

  for (const fault of [1n, 777n, 2048n, 4096n])
    it(`a liar faulty from step ${fault}, dissected to the end: the exact step ${fault - 1n}`, async () => {
      const liar = withFault(honest, { fromStep: fault });
      const dissections = await liarDissections(liar, honest, 99);
      const d = await locateDivergence({
        trace: honest,
        depth: DEPTH,
        log2K: LOG2K,
        claimedEnd: await liar.get(4096n),
        dissections,
      });
      expect(d).to.include({ start: fault - 1n, end: fault, exact: true });
    });

  it("a game stopped after two levels: the segment those levels narrow to", async () => {
    const liar = withFault(honest, { fromStep: 1000n });
    const d = await locateDivergence({
      trace: honest,
      depth: DEPTH,
      log2K: LOG2K,
      claimedEnd: await liar.get(4096n),
      dissections: await liarDissections(liar, honest, 2),
    });
    expect(d).to.include({ start: 768n, end: 1024n, exact: false, levels: 2 });
  });
});

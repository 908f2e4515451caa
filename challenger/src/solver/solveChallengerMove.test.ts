import { expect } from "chai";
import { type Hex, keccak256, toHex } from "viem";
import { boundary } from "./segmentMath.ts";
import { requiredPositions, solveChallengerMove } from "./solveChallengerMove.ts";
import { GameStatus, type GameView, type Segment, Turn } from "./types.ts";

// Toy traces: the honest hash at t is keccak(t); a dishonest trace agrees up to
// fault-1 and differs from `fault` on (as a real corrupted execution would).
const honest = (t: bigint): Hex => keccak256(toHex(t, { size: 32 }));
const dishonest =
  (fault: bigint) =>
  (t: bigint): Hex =>
    t < fault ? honest(t) : keccak256(toHex(t + (1n << 60n), { size: 32 }));

function hashesFor(view: GameView, trace: (t: bigint) => Hex) {
  return new Map(requiredPositions(view).map((p) => [p, trace(p)] as const));
}

/** Plays a whole game: a proposer dissecting from `proposerTrace` against the solver with the honest trace. */
function play(D: number, k: number, fault: bigint) {
  const proposer = dishonest(fault);
  let segment: Segment = { start: 0n, log2Len: D };
  let startHash = honest(0n);
  let endHash = proposer(1n << BigInt(D));
  let rounds = 0;
  for (;;) {
    if (segment.log2Len === 0) {
      const view: GameView = {
        status: GameStatus.Active,
        turn: Turn.Step,
        moverLeftSeconds: 100n,
        segment,
        startHash,
        endHash,
        k,
      };
      const action = solveChallengerMove(view, hashesFor(view, honest));
      return { action, segment, rounds };
    }
    const parts = Math.min(Math.log2(k), segment.log2Len);
    const n = 1 << parts;
    const interior = Array.from({ length: n - 1 }, (_, i) => proposer(boundary(segment, k, i + 1)));
    const view: GameView = {
      status: GameStatus.Active,
      turn: Turn.Pick,
      moverLeftSeconds: 100n,
      segment,
      startHash,
      endHash,
      k,
      interior,
    };
    const action = solveChallengerMove(view, hashesFor(view, honest));
    if (action.kind !== "pick") throw new Error(`expected pick, got ${JSON.stringify(action)}`);
    const claims = [startHash, ...interior, endHash];
    startHash = claims[action.index];
    endHash = claims[action.index + 1];
    segment = action.child;
    rounds++;
  }
}

describe("solveChallengerMove", () => {
  for (const k of [2, 4, 16]) {
    for (const D of [1, 5, 20]) {
      const len = 1n << BigInt(D);
      for (const fault of new Set([1n, len / 2n + 1n, len])) {
        it(`k=${k} D=${D}: a fault at step ${fault} is narrowed to the step that produced it`, () => {
          const { action, segment, rounds } = play(D, k, fault);
          expect(action).to.deep.equal({ kind: "step", position: fault - 1n });
          expect(segment).to.deep.equal({ start: fault - 1n, log2Len: 0 });
          expect(rounds).to.equal(Math.ceil(D / Math.log2(k)));
        });
      }
    }
  }

  const base: GameView = {
    status: GameStatus.Active,
    turn: Turn.Pick,
    moverLeftSeconds: 10n,
    segment: { start: 0n, log2Len: 4 },
    startHash: honest(0n),
    endHash: honest(16n),
    k: 4,
  };

  it("refuses to pick when it agrees with every hash, including the end", () => {
    const view = { ...base, interior: [honest(4n), honest(8n), honest(12n)] };
    expect(solveChallengerMove(view, hashesFor(view, honest)).kind).to.equal("refuse");
  });

  it("refuses when the agreed start hash is not its own", () => {
    const view = {
      ...base,
      startHash: honest(99n),
      endHash: honest(1000n),
      interior: [honest(4n), honest(8n), honest(12n)],
    };
    const action = solveChallengerMove(view, hashesFor(view, honest));
    expect(action.kind).to.equal("refuse");
  });

  it("refuses a malformed dissection (wrong number of interior hashes)", () => {
    const view = { ...base, endHash: honest(1000n), interior: [honest(4n)] };
    expect(solveChallengerMove(view, hashesFor(view, honest)).kind).to.equal("refuse");
  });

  it("picks the FIRST disputed part and reports every disputed boundary", () => {
    const bad = dishonest(6n);
    const view = { ...base, endHash: bad(16n), interior: [bad(4n), bad(8n), bad(12n)] };
    const action = solveChallengerMove(view, hashesFor(view, honest));
    expect(action).to.deep.include({ kind: "pick", index: 1, disputed: [2, 3, 4] });
  });

  it("refuses to step when its post-state equals the proposer's claim", () => {
    const view: GameView = {
      ...base,
      turn: Turn.Step,
      segment: { start: 7n, log2Len: 0 },
      startHash: honest(7n),
      endHash: honest(8n),
    };
    expect(solveChallengerMove(view, hashesFor(view, honest)).kind).to.equal("refuse");
  });

  it("claims a timeout only when the proposer's clock ran out", () => {
    expect(
      solveChallengerMove({ ...base, turn: Turn.Dissect, moverLeftSeconds: 1n }, new Map()).kind,
    ).to.equal("wait");
    expect(
      solveChallengerMove({ ...base, turn: Turn.Dissect, moverLeftSeconds: 0n }, new Map()).kind,
    ).to.equal("claimTimeout");
  });

  it("closes a game whose proposal is no longer pending, and reports resolved games as done", () => {
    expect(solveChallengerMove({ ...base, turn: Turn.Close }, new Map()).kind).to.equal("close");
    expect(
      solveChallengerMove({ ...base, status: GameStatus.ChallengerWon, turn: Turn.None }, new Map()),
    ).to.deep.equal({
      kind: "done",
      status: GameStatus.ChallengerWon,
    });
  });

  it("asks for exactly the boundaries of the current dissection", () => {
    expect(requiredPositions({ ...base, interior: [] })).to.deep.equal([0n, 4n, 8n, 12n, 16n]);
    expect(requiredPositions({ ...base, turn: Turn.Step, segment: { start: 9n, log2Len: 0 } })).to.deep.equal(
      [9n, 10n],
    );
    expect(requiredPositions({ ...base, segment: { start: 32n, log2Len: 1 } })).to.deep.equal([
      32n,
      33n,
      34n,
    ]);
  });
});

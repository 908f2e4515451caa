// Solver tests with a toy trace: single decisions, then whole games played by
// two solvers against a toy referee implementing docs/spec.md §2.3, checking
// that the honest side wins every time whichever side lies, wherever the lie
// starts, for several k and depths.

import { expect } from "chai";
import type { Hex } from "viem";
import { createToyTrace, toyHash } from "./createToyTrace.ts";
import { NoDisputedPartError, TraceDisagreementError } from "./errors.ts";
import { child, log2Len, log2Parts, start, wrap } from "./position.ts";
import { solve } from "./solve.ts";
import type { GameView, Role } from "./types.ts";

function view(over: Partial<GameView>): GameView {
  return {
    gameId: 1n,
    status: "Active",
    turn: "Dissect",
    leftSeconds: 100n,
    position: wrap(0n, 4),
    startHash: toyHash(0n),
    endHash: toyHash(16n),
    log2K: 2,
    ...over,
  };
}

describe("game/solve", () => {
  it("proposer dissects with its own hashes at start + i·len/k", async () => {
    const a = await solve({ role: "proposer", game: view({}), trace: createToyTrace() });
    expect(a).to.deep.equal({ type: "dissect", interior: [toyHash(4n), toyHash(8n), toyHash(12n)] });
  });

  it("uses min(k, len) parts on short segments", async () => {
    const a = await solve({
      role: "proposer",
      game: view({ position: wrap(6n, 1), startHash: toyHash(6n), endHash: toyHash(8n), log2K: 4 }),
      trace: createToyTrace(),
    });
    expect(a).to.deep.equal({ type: "dissect", interior: [toyHash(7n)] });
  });

  it("proposer refuses to dissect when its trace contradicts its own end claim", async () => {
    const err = await solve({
      role: "proposer",
      game: view({ endHash: toyHash(16n, true) }),
      trace: createToyTrace(),
    }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
  });

  it("refuses to move when the agreed start hash is not ours", async () => {
    const err = await solve({
      role: "proposer",
      game: view({ startHash: toyHash(0n, true) }),
      trace: createToyTrace(),
    }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
  });

  it("waits on the opponent's move and claims a timeout once its clock is 0", async () => {
    const g = view({ turn: "Pick", interior: [] });
    expect((await solve({ role: "proposer", game: g, trace: createToyTrace() })).type).to.equal("wait");
    expect(
      await solve({ role: "proposer", game: { ...g, leftSeconds: 0n }, trace: createToyTrace() }),
    ).to.deep.equal({
      type: "claimTimeout",
    });
  });

  it("does not move on its own expired clock, and not in a finished game", async () => {
    expect(
      (await solve({ role: "proposer", game: view({ leftSeconds: 0n }), trace: createToyTrace() })).type,
    ).to.equal("wait");
    expect(
      (await solve({ role: "proposer", game: view({ status: "ProposerWon" }), trace: createToyTrace() }))
        .type,
    ).to.equal("wait");
    expect(
      await solve({ role: "proposer", game: view({ turn: "Close" }), trace: createToyTrace() }),
    ).to.deep.equal({
      type: "close",
    });
  });

  it("challenger picks the first part whose end it disputes", async () => {
    const interior = [toyHash(4n), toyHash(8n, true), toyHash(12n, true)];
    const a = await solve({
      role: "challenger",
      game: view({ turn: "Pick", interior, endHash: toyHash(16n, true) }),
      trace: createToyTrace(),
    });
    expect(a).to.deep.equal({ type: "pick", index: 1, interior });
  });

  it("challenger that agrees with every part has nothing to pick", async () => {
    const interior = [toyHash(4n), toyHash(8n), toyHash(12n)];
    const err = await solve({
      role: "challenger",
      game: view({ turn: "Pick", interior }),
      trace: createToyTrace(),
    }).catch((e) => e);
    expect(err).to.be.instanceOf(NoDisputedPartError);
  });

  it("challenger steps at length 1 with the step data of the start position", async () => {
    const a = await solve({
      role: "challenger",
      game: view({
        turn: "Step",
        position: wrap(9n, 0),
        startHash: toyHash(9n),
        endHash: toyHash(10n, true),
      }),
      trace: createToyTrace(),
    });
    expect(a.type).to.equal("step");
    expect(a.type === "step" && a.position).to.equal(9n);
  });

  // A referee for whole games: applies moves as the contract does (§2.3).
  async function playGame(p: {
    depth: number;
    log2K: number;
    proposerFault?: bigint;
    challengerFault?: bigint;
  }): Promise<{ winner: Role; moves: number }> {
    const proposerTrace = createToyTrace({ faultFrom: p.proposerFault });
    const challengerTrace = createToyTrace({ faultFrom: p.challengerFault });
    const D = BigInt(p.depth);
    let g: GameView = view({
      position: wrap(0n, p.depth),
      startHash: toyHash(0n),
      endHash: await proposerTrace.get(1n << D),
      log2K: p.log2K,
      turn: "Dissect",
      interior: undefined,
    });
    let moves = 0;
    for (;;) {
      const role: Role = g.turn === "Dissect" ? "proposer" : "challenger";
      let a: Awaited<ReturnType<typeof solve>>;
      try {
        a = await solve({ role, game: g, trace: role === "proposer" ? proposerTrace : challengerTrace });
      } catch {
        // The side that cannot move runs out of time.
        return { winner: role === "proposer" ? "challenger" : "proposer", moves };
      }
      moves++;
      if (a.type === "dissect") {
        g = { ...g, turn: "Pick", interior: a.interior };
      } else if (a.type === "pick") {
        const parts = log2Parts(g.position, g.log2K);
        const hs: Hex[] = [g.startHash, ...(g.interior as Hex[]), g.endHash];
        const pos = child(g.position, a.index, parts);
        g = {
          ...g,
          position: pos,
          startHash: hs[a.index],
          endHash: hs[a.index + 1],
          interior: undefined,
          turn: log2Len(pos) === 0 ? "Step" : "Dissect",
        };
      } else if (a.type === "step") {
        // Toy verifier: the honest successor of an honest pre-state.
        const pre = start(g.position);
        expect(a.stateData).to.equal(g.startHash);
        const post = a.stateData === toyHash(pre) ? toyHash(pre + 1n) : "0x00";
        return { winner: post === g.endHash ? "proposer" : "challenger", moves };
      } else {
        throw new Error(`unexpected action ${a.type}`);
      }
    }
  }

  for (const log2K of [1, 2, 4]) {
    for (const depth of [1, 5, 10]) {
      it(`honest side wins: k=2^${log2K}, D=${depth}, lies at several steps`, async () => {
        const last = 1n << BigInt(depth);
        for (const fault of new Set([1n, last / 2n, last / 2n + 1n, last])) {
          expect(
            (await playGame({ depth, log2K, proposerFault: fault })).winner,
            `proposer lies from ${fault}`,
          ).to.equal("challenger");
          expect(
            (await playGame({ depth, log2K, challengerFault: fault })).winner,
            `challenger lies from ${fault}`,
          ).to.equal("proposer");
        }
      });
    }
  }

  it("game length is ceil(D / log2K) dissections plus the step", async () => {
    const r = await playGame({ depth: 10, log2K: 4, proposerFault: 777n });
    expect(r.moves).to.equal(3 * 2 + 1);
  });
});

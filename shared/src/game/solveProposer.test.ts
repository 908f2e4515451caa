import { expect } from "chai";
import type { Address } from "viem";
import { createToyGame, ToyRevert } from "./createToyGame.ts";
import { createToyTrace, toyHash } from "./createToyTrace.ts";
import { TraceDisagreementError } from "./errors.ts";
import { child, interiorPositions, log2Len, rootPosition, wrap } from "./position.ts";
import { solveProposer } from "./solveProposer.ts";
import type { Action, GameTree, TreeNode } from "./types.ts";

const PROPOSER = "0x00000000000000000000000000000000000000a1" as Address;
const C1 = "0x00000000000000000000000000000000000000c1" as Address;

const challenge = (parent: bigint, index: number): Action => ({
  type: "challenge",
  gameId: 1n,
  parent,
  index,
  deadline: undefined,
  bond: 1000n,
});

/** `tree` with the node at `position` read differently (an inconsistent or hostile node answer). */
const withNode = (tree: GameTree, position: bigint, change: Partial<TreeNode>): GameTree => {
  const node = tree.nodes.get(position);
  if (!node) throw new Error(`no node ${position}`);
  return { ...tree, nodes: new Map(tree.nodes).set(position, { ...node, ...change }) };
};

describe("game/solveProposer", () => {
  it("dissects a challenged node with its own hashes at start + i·len/k, bonded with claimBond / k, with the clock's deadline", async () => {
    const g = createToyGame({ depth: 4, log2K: 2, proposer: PROPOSER, opener: C1, endHash: toyHash(16n) });
    const { actions } = await solveProposer({ tree: g.tree(), trace: createToyTrace() });
    expect(actions).to.deep.equal([
      {
        type: "dissect",
        gameId: 1n,
        position: rootPosition(4),
        interior: [toyHash(4n), toyHash(8n), toyHash(12n)],
        deadline: g.now() + 3600n,
        // A dissection posts a k-th of the claim bond (1000 / 4).
        bond: 250n,
      },
    ]);
  });

  it("dissects nothing whose read is inconsistent: no time left, not its turn, already dissected, or a single step", async () => {
    const g = createToyGame({ depth: 4, log2K: 2, proposer: PROPOSER, opener: C1, endHash: toyHash(16n) });
    const root = rootPosition(4);
    expect(g.tree().nodes.get(root)).to.include({ status: "Challenged", turn: "Dissect" });
    const variants: [string, Partial<TreeNode>][] = [
      ["clock reads zero", { leftSeconds: 0n }],
      ["turn is Resolve", { turn: "Resolve" }],
      ["status is Dissected", { status: "Dissected" }],
    ];
    for (const [why, change] of variants) {
      const { actions } = await solveProposer({
        tree: withNode(g.tree(), root, change),
        trace: createToyTrace(),
      });
      expect(
        actions.filter((a) => a.type === "dissect"),
        why,
      ).to.deep.equal([]);
    }
    // A length-1 node is stepped, never dissected, whatever the turn read says.
    const one = createToyGame({ depth: 0, log2K: 2, proposer: PROPOSER, opener: C1, endHash: toyHash(1n) });
    const t1 = withNode(one.tree(), rootPosition(0), { turn: "Dissect", leftSeconds: 3600n });
    const { actions } = await solveProposer({ tree: t1, trace: createToyTrace() });
    expect(actions.filter((a) => a.type === "dissect")).to.deep.equal([]);
  });

  it("uses min(k, len) parts on short segments", async () => {
    const g = createToyGame({ depth: 1, log2K: 4, proposer: PROPOSER, opener: C1, endHash: toyHash(2n) });
    const { actions } = await solveProposer({ tree: g.tree(), trace: createToyTrace() });
    expect(actions[0]).to.include({ type: "dissect" });
    expect((actions[0] as { interior: unknown }).interior).to.deep.equal([toyHash(1n)]);
  });

  it("refuses to dissect when its trace contradicts the claims it posted (or T(0))", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: C1,
      endHash: toyHash(16n, true),
    });
    const err = await solveProposer({ tree: g.tree(), trace: createToyTrace() }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
    expect(err).to.include({ gameId: 1n, position: 16n });
    expect(err.details).to.equal(
      `onchain ${toyHash(16n, true)}, our trace ${toyHash(16n)}. Refusing to move in this game.`,
    );
    const g2 = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: C1,
      endHash: toyHash(16n),
      startHash: toyHash(0n, true),
    });
    expect(
      await solveProposer({ tree: g2.tree(), trace: createToyTrace() }).catch((e) => e),
    ).to.be.instanceOf(TraceDisagreementError);
  });

  it("does not move on an expired clock, and never challenges or steps", async () => {
    const g = createToyGame({ depth: 1, log2K: 1, proposer: PROPOSER, opener: C1, endHash: toyHash(2n) });
    g.advance(3600n);
    const { actions } = await solveProposer({ tree: g.tree(), trace: createToyTrace() });
    expect(actions).to.deep.equal([]); // the root is the challenger's to resolve (Defeated)
  });

  it("answers every node once even when 1000 challenges sit on 50 nodes", async () => {
    // D = 12, k = 4: the root, 4 parts, 16 parts, then 64 parts of length 2^6 at level 3.
    const trace = createToyTrace();
    const g = createToyGame({ depth: 12, log2K: 2, proposer: PROPOSER, opener: C1, endHash: toyHash(4096n) });
    const dissectAll = async () => {
      const { actions } = await solveProposer({ tree: g.tree(), trace });
      for (const a of actions) g.apply(PROPOSER, a);
      return actions;
    };
    await dissectAll();
    for (let i = 0; i < 4; i++) g.apply(C1, challenge(rootPosition(12), i));
    expect(await dissectAll()).to.have.length(4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) g.apply(C1, challenge(child(rootPosition(12), i, 2), j));
    expect(await dissectAll()).to.have.length(16);
    // 1000 challengers aim at 50 of the 64 level-3 parts: each part is challenged once, the rest join it.
    const level2 = [...g.tree().nodes.values()]
      .filter((n) => log2Len(n.position) === 8)
      .map((n) => n.position);
    let joined = 0;
    for (let c = 0; c < 1000; c++) {
      const target = c % 50;
      const who = `0x${(0x1000 + c).toString(16).padStart(40, "0")}` as Address;
      try {
        g.apply(who, challenge(level2[Math.floor(target / 4)], target % 4));
      } catch (err) {
        if (!(err instanceof ToyRevert) || err.errorName !== "AlreadyChallenged") throw err;
        joined++;
      }
    }
    expect(joined).to.equal(950);
    const { actions } = await solveProposer({ tree: g.tree(), trace });
    const dissects = actions.filter((a) => a.type === "dissect");
    expect(dissects).to.have.length(50);
    expect(new Set(dissects.map((a) => (a as { position: bigint }).position)).size).to.equal(50);
    for (const a of dissects) {
      const pos = (a as { position: bigint }).position;
      expect((a as { interior: unknown }).interior).to.deep.equal(
        interiorPositions(pos, 2).map((t) => toyHash(t)),
      );
      g.apply(PROPOSER, a); // none refused: each node is answered exactly once
    }
    expect(
      (await solveProposer({ tree: g.tree(), trace })).actions.filter((a) => a.type === "dissect"),
    ).to.deep.equal([]);
  });

  it("resolves what it gains from: upheld nodes bottom-up, and its dissections after an invalidation", async () => {
    // A dishonest challenger challenges a correct part and never steps.
    const g = createToyGame({ depth: 1, log2K: 1, proposer: PROPOSER, opener: C1, endHash: toyHash(2n) });
    const trace = createToyTrace();
    for (const a of (await solveProposer({ tree: g.tree(), trace })).actions) g.apply(PROPOSER, a);
    g.apply(C1, challenge(wrap(0n, 1), 0));
    g.advance(3600n);
    const { actions } = await solveProposer({ tree: g.tree(), trace });
    // The step clock ran out (Upheld), then the root's pick window (Upheld once its part is): one batch.
    expect(actions.map((a) => a.type === "resolveNode" && [a.position, a.outcome, a.reason])).to.deep.equal([
      [wrap(0n, 0), "Upheld", "gain"],
      [wrap(0n, 1), "Upheld", "gain"],
    ]);
    for (const a of actions) g.apply(PROPOSER, a);
    expect(g.rootStatus()).to.equal("Upheld");
    expect(
      (g.credits.get(PROPOSER.toLowerCase()) ?? 0n) > (g.posted.get(PROPOSER.toLowerCase()) ?? 0n),
    ).to.equal(true);

    const g2 = createToyGame({ depth: 2, log2K: 1, proposer: PROPOSER, opener: C1, endHash: toyHash(4n) });
    for (const a of (await solveProposer({ tree: g2.tree(), trace })).actions) g2.apply(PROPOSER, a);
    g2.apply(C1, challenge(wrap(0n, 2), 1));
    g2.invalidate();
    const r = await solveProposer({ tree: g2.tree(), trace });
    expect(r.actions.map((a) => a.type === "resolveNode" && [a.position, a.outcome])).to.deep.equal([
      [wrap(0n, 2), "Refunded"],
    ]);
  });

  it("never resolves its own dissections that end Defeated", async () => {
    // The proposer dissects [0,4], then lets its clock on the challenged part [2,4] run out.
    const g = createToyGame({ depth: 2, log2K: 1, proposer: PROPOSER, opener: C1, endHash: toyHash(4n) });
    const trace = createToyTrace();
    for (const a of (await solveProposer({ tree: g.tree(), trace })).actions) g.apply(PROPOSER, a);
    g.apply(C1, challenge(wrap(0n, 2), 1));
    g.advance(3600n);
    expect(g.tree().nodes.get(wrap(0n, 2))?.status).to.equal("Dissected");
    const { actions } = await solveProposer({ tree: g.tree(), trace });
    expect(actions).to.deep.equal([]);
  });
});

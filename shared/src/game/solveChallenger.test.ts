import { expect } from "chai";
import type { Address, Hex } from "viem";
import { createToyGame } from "./createToyGame.ts";
import { createToyTrace, toyHash } from "./createToyTrace.ts";
import { GameError, TraceDisagreementError } from "./errors.ts";
import { child, rootPosition, wrap } from "./position.ts";
import { solveChallenger } from "./solveChallenger.ts";
import type { Action, GameTree, TraceProvider, TreeNode } from "./types.ts";

const PROPOSER = "0x00000000000000000000000000000000000000a1" as Address;
const ME = "0x00000000000000000000000000000000000000c1" as Address;
const OTHER = "0x00000000000000000000000000000000000000c2" as Address;

const dissect = (position: bigint, interior: Hex[]): Action => ({
  type: "dissect",
  gameId: 1n,
  position,
  interior,
  deadline: undefined,
  bond: 1000n,
});
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

describe("game/solveChallenger", () => {
  // D = 4, k = 4: the root [0, 16] splits into [0,4] [4,8] [8,12] [12,16].
  const root = rootPosition(4);

  it("challenges the LEFTMOST part whose end hash it disputes when several parts are wrong", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions).to.have.length(1);
    expect(r.actions[0]).to.include({ type: "challenge", parent: root, index: 1, bond: 1000n });
    expect(r.actions[0].deadline).to.equal(g.now() + 3600n);
    // Both wrong interior hashes are reported, the right one is not.
    expect(r.wrongClaims.map((w) => w.at)).to.deep.equal([8n, 12n]);
  });

  it("follows a part someone else challenged instead of challenging it again", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(OTHER, challenge(root, 1));
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.path).to.deep.equal([root, child(root, 1, 2)]);
    expect(r.actions).to.deep.equal([]); // the proposer's move at [4, 8]
    expect(r.stalled).to.equal(undefined); // waiting on the proposer is not a stall
  });

  it("never challenges off its path, even parts it disputes there", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(OTHER, challenge(root, 1));
    g.apply(PROPOSER, dissect(child(root, 1, 2), [toyHash(5n), toyHash(6n), toyHash(7n, true)]));
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    const types = r.actions.map((a) => (a.type === "challenge" ? `${a.parent}:${a.index}` : a.type));
    // On the path: [4,8] → leftmost disputed part [6,7] (index 2). Not [8,12] or [12,16] at the root,
    // nor [7,8] (disputed too, but to the right).
    expect(types).to.deep.equal([`${child(root, 1, 2)}:2`]);
  });

  it("steps a length-1 node on its path with the ancestry of the dissections above it", async () => {
    const g = createToyGame({
      depth: 2,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(4n, true),
    });
    g.apply(PROPOSER, dissect(wrap(0n, 2), [toyHash(2n)]));
    g.apply(ME, challenge(wrap(0n, 2), 1));
    g.apply(PROPOSER, dissect(wrap(2n, 1), [toyHash(3n, true)]));
    g.apply(ME, challenge(wrap(2n, 1), 0));
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions).to.have.length(1);
    const a = r.actions[0];
    expect(a.type).to.equal("step");
    if (a.type !== "step") return;
    expect(a.position).to.equal(wrap(2n, 0));
    expect(a.ancestry).to.deep.equal([[toyHash(2n)], [toyHash(3n, true)]]);
    // The step's deadline is the end of our step clock: activeNow plus what is left on it.
    const left = g.tree().nodes.get(wrap(2n, 0))?.leftSeconds ?? 0n;
    expect(left > 0n).to.equal(true);
    expect(a.deadline).to.equal(g.tree().activeNow + left);
    g.apply(ME, a);
    expect(g.tree().nodes.get(wrap(2n, 0))?.status).to.equal("Defeated");
  });

  it("makes no move on a node whose clock reads zero, even when the read says it is our turn (an inconsistent node answer)", async () => {
    // Pick: the root's parts are ours to challenge, but the clock left reads 0.
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    expect(g.tree().nodes.get(root)?.turn).to.equal("Pick");
    const pick = withNode(g.tree(), root, { leftSeconds: 0n });
    const a = await solveChallenger({ tree: pick, trace: createToyTrace(), me: ME });
    expect(a.actions.filter((x) => x.type === "challenge")).to.deep.equal([]);
    expect(a.stalled).to.match(/pick window/);

    // Step: a length-1 node on our path, Turn.Step, no time left.
    const s = createToyGame({
      depth: 2,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(4n, true),
    });
    s.apply(PROPOSER, dissect(wrap(0n, 2), [toyHash(2n)]));
    s.apply(ME, challenge(wrap(0n, 2), 1));
    s.apply(PROPOSER, dissect(wrap(2n, 1), [toyHash(3n, true)]));
    s.apply(ME, challenge(wrap(2n, 1), 0));
    expect(s.tree().nodes.get(wrap(2n, 0))?.turn).to.equal("Step");
    const step = withNode(s.tree(), wrap(2n, 0), { leftSeconds: 0n });
    const b = await solveChallenger({ tree: step, trace: createToyTrace(), me: ME });
    expect(b.actions.filter((x) => x.type === "step")).to.deep.equal([]);
  });

  it("never steps when its own post-state equals the node's end hash", async () => {
    const g = createToyGame({
      depth: 1,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(2n, true),
    });
    g.apply(PROPOSER, dissect(wrap(0n, 1), [toyHash(1n, true)]));
    g.apply(ME, challenge(wrap(0n, 1), 0));
    // A broken trace: T(1) says "disputed", but its step data lands on the proposer's hash.
    const honest = createToyTrace();
    const broken: TraceProvider = {
      ...honest,
      getStepData: async (t) => ({ ...(await honest.getStepData(t)), postStateHash: toyHash(1n, true) }),
    };
    const err = await solveChallenger({ tree: g.tree(), trace: broken, me: ME }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
    expect(err).to.include({ gameId: 1n, position: 1n });
    expect(err.details).to.equal(
      `onchain ${toyHash(1n, true)}, our trace ${toyHash(1n, true)}. Refusing to move in this game.`,
    );
    // And a length-1 node whose end we agree with (someone else's challenge, off our path) is never stepped.
    const g2 = createToyGame({
      depth: 1,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(2n, true),
    });
    g2.apply(PROPOSER, dissect(wrap(0n, 1), [toyHash(1n)]));
    g2.apply(OTHER, challenge(wrap(0n, 1), 0)); // [0,1]: its end toyHash(1) is right
    const r = await solveChallenger({ tree: g2.tree(), trace: honest, me: ME });
    expect(
      r.actions.filter((a) => a.type === "step").map((a) => (a as { position: bigint }).position),
    ).to.deep.equal([]);
    expect(r.actions).to.deep.include({ ...challenge(wrap(0n, 1), 1), deadline: g2.now() + 3600n });
  });

  it("refuses to play when T(0) is not its own (another program or machine)", async () => {
    const g = createToyGame({
      depth: 2,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(4n, true),
      startHash: toyHash(0n, true),
    });
    const err = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
    expect(err).to.include({ gameId: 1n, position: 0n });
    expect(err.details).to.equal(
      `onchain ${toyHash(0n, true)}, our trace ${toyHash(0n)}. Refusing to move in this game.`,
    );
  });

  it("claims the proposer's timeout on its path, and collects its bonds bottom-up", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(OTHER, challenge(root, 1));
    g.advance(3600n); // the proposer never dissects [4, 8]; the root's pick window closes too
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions.map((a) => a.type === "resolveNode" && [a.position, a.outcome, a.reason])).to.deep.equal(
      [
        [child(root, 1, 2), "Defeated", "timeout"],
        [root, "Defeated", "gain"],
      ],
    );
    for (const a of r.actions) g.apply(ME, a);
    expect(g.rootStatus()).to.equal("Defeated");
    // The opener's bond comes back (its reward is the leaf's share of the stake, paid by Verdict);
    // the other challenger's bond comes back with a share of the root's dissection bond.
    expect(g.credits.get(ME.toLowerCase())).to.equal(g.posted.get(ME.toLowerCase()));
    expect((g.credits.get(OTHER.toLowerCase()) ?? 0n) > (g.posted.get(OTHER.toLowerCase()) ?? 0n)).to.equal(
      true,
    );
  });

  it("after an invalidation, resolves only its own nodes (refunds)", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(ME, challenge(root, 1));
    g.invalidate();
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions.map((a) => a.type === "resolveNode" && [a.position, a.outcome])).to.deep.equal([
      [child(root, 1, 2), "Refunded"],
    ]);
  });

  it("refuses a dissected node on its path whose parts it all agrees with (its end hash reads right after all)", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n), toyHash(12n)]));
    // The game says the leaf is wrong, but the root node reads with our own end hash.
    const tree = withNode(g.tree(), root, { endHash: toyHash(16n) });
    const err = await solveChallenger({ tree, trace: createToyTrace(), me: ME }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
    expect(err).to.include({ gameId: 1n, position: 16n });
    expect(err.details).to.equal(
      `onchain ${toyHash(16n)}, our trace ${toyHash(16n)}. Refusing to move in this game.`,
    );
  });

  it("refuses when the start hash of the leftmost disputed part is not its own", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(16n, true),
    });
    const c1 = child(root, 1, 2);
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(OTHER, challenge(root, 1));
    g.apply(PROPOSER, dissect(c1, [toyHash(5n, true), toyHash(6n, true), toyHash(7n, true)]));
    // [4, 8] reads with a start hash we do not hold: its part [4, 5] starts there.
    const tree = withNode(g.tree(), c1, { startHash: toyHash(4n, true) });
    const err = await solveChallenger({ tree, trace: createToyTrace(), me: ME }).catch((e) => e);
    expect(err).to.be.instanceOf(TraceDisagreementError);
    expect(err).to.include({ gameId: 1n, position: 4n });
    expect(err.details).to.equal(
      `onchain ${toyHash(4n, true)}, our trace ${toyHash(4n)}. Refusing to move in this game.`,
    );
  });

  it("refuses a dissected node read without its interior hashes, or with the wrong number (a typed error, no move)", async () => {
    const g = createToyGame({
      depth: 1,
      log2K: 1,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(2n, true),
    });
    g.apply(PROPOSER, dissect(wrap(0n, 1), [toyHash(1n)]));
    for (const interior of [undefined, [], [toyHash(1n), toyHash(1n)]]) {
      // An end hash equal to our T(1) too: nothing says part 0 is wrong.
      const tree = withNode(g.tree(), wrap(0n, 1), { interior, endHash: toyHash(1n) });
      const err = await solveChallenger({ tree, trace: createToyTrace(), me: ME }).catch((e) => e);
      expect(err, String(interior?.length)).to.be.instanceOf(GameError);
      expect((err as GameError).message).to.match(
        new RegExp(
          `reads as dissected with ${interior?.length ?? "no"} interior hashes; a dissection of it has 1\\.`,
        ),
      );
    }
  });

  it("refuses a length-1 node on its path that reads as dissected (it would otherwise follow the node into itself)", async () => {
    // D = 2, k = 2: [0,4] → [2,4] → [2,3]; the leaf node [2,3] read as Dissected.
    const s = createToyGame({
      depth: 2,
      log2K: 1,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(4n, true),
    });
    s.apply(PROPOSER, dissect(wrap(0n, 2), [toyHash(2n)]));
    s.apply(ME, challenge(wrap(0n, 2), 1));
    s.apply(PROPOSER, dissect(wrap(2n, 1), [toyHash(3n, true)]));
    s.apply(ME, challenge(wrap(2n, 1), 0));
    const tree = withNode(s.tree(), wrap(2n, 0), { status: "Dissected", interior: [] });
    const err = await solveChallenger({ tree, trace: createToyTrace(), me: ME }).catch((e) => e);
    expect(err).to.be.instanceOf(GameError);
    expect((err as GameError).message).to.match(/reads as dissected/);
  });

  it("challenges only when the read turn is Pick", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: ME,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    const tree = withNode(g.tree(), root, { turn: "Children" });
    expect(tree.nodes.get(root)?.leftSeconds).to.equal(3600n);
    const r = await solveChallenger({ tree, trace: createToyTrace(), me: ME });
    expect(r.actions.filter((a) => a.type === "challenge")).to.deep.equal([]);
    expect(r.stalled).to.match(/pick window/);
  });

  describe("stepping guards", () => {
    // D = 2, k = 2: [0,4] → [2,4] → [2,3], a length-1 node on our path.
    const stepGame = () => {
      const s = createToyGame({
        depth: 2,
        log2K: 1,
        proposer: PROPOSER,
        opener: ME,
        endHash: toyHash(4n, true),
      });
      s.apply(PROPOSER, dissect(wrap(0n, 2), [toyHash(2n)]));
      s.apply(ME, challenge(wrap(0n, 2), 1));
      s.apply(PROPOSER, dissect(wrap(2n, 1), [toyHash(3n, true)]));
      s.apply(ME, challenge(wrap(2n, 1), 0));
      return s;
    };
    const steps = (actions: Action[]) => actions.filter((a) => a.type === "step");

    it("steps only when the read turn is Step, and says the step clock ran out otherwise", async () => {
      const tree = withNode(stepGame().tree(), wrap(2n, 0), { turn: "Resolve" });
      expect(tree.nodes.get(wrap(2n, 0))?.leftSeconds).to.equal(3600n);
      const r = await solveChallenger({ tree, trace: createToyTrace(), me: ME });
      expect(steps(r.actions)).to.deep.equal([]);
      expect(r.stalled).to.match(/step clock/);
      // The same, as the chain reads once the clock really ran out.
      const s = stepGame();
      s.advance(3600n);
      const r2 = await solveChallenger({ tree: s.tree(), trace: createToyTrace(), me: ME });
      expect(steps(r2.actions)).to.deep.equal([]);
      expect(r2.stalled).to.match(/step clock/);
      // Read as the Step turn with no time left (the clock ends in this very second): no step, stalled.
      const zero = withNode(stepGame().tree(), wrap(2n, 0), { turn: "Step", leftSeconds: 0n });
      const r3 = await solveChallenger({ tree: zero, trace: createToyTrace(), me: ME });
      expect(steps(r3.actions)).to.deep.equal([]);
      expect(r3.stalled).to.match(/step clock/);
    });

    it("never steps a length-1 node on its path that is no longer Challenged", async () => {
      for (const status of ["Defeated", "Upheld"] as const) {
        const tree = withNode(stepGame().tree(), wrap(2n, 0), { status, turn: "Step" });
        const r = await solveChallenger({ tree, trace: createToyTrace(), me: ME });
        expect(steps(r.actions), status).to.deep.equal([]);
        expect(r.stalled, status).to.equal(undefined);
      }
    });
  });

  it("leaves alone the Defeated nodes it neither challenged nor stands behind", async () => {
    // We agree with the leaf (empty path); someone rightly defeats a wrong interior hash.
    const g = createToyGame({ depth: 4, log2K: 2, proposer: PROPOSER, opener: OTHER, endHash: toyHash(16n) });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n)]));
    g.apply(OTHER, challenge(root, 1));
    g.advance(3600n);
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.path).to.deep.equal([]);
    expect(r.actions).to.deep.equal([]);
  });

  it("resolves a dissected Defeated node on its path as 'path', a Challenged one as 'timeout'", async () => {
    const g = createToyGame({
      depth: 4,
      log2K: 2,
      proposer: PROPOSER,
      opener: OTHER,
      endHash: toyHash(16n, true),
    });
    g.apply(PROPOSER, dissect(root, [toyHash(4n), toyHash(8n, true), toyHash(12n, true)]));
    g.apply(OTHER, challenge(root, 1));
    g.advance(3600n);
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions.map((a) => a.type === "resolveNode" && [a.position, a.outcome, a.reason])).to.deep.equal(
      [
        [child(root, 1, 2), "Defeated", "timeout"],
        [root, "Defeated", "path"],
      ],
    );
  });

  it("never resolves its own nodes that end Upheld (it loses there)", async () => {
    // We opened against a correct leaf and challenged a correct part, then let the step clock run out.
    const g = createToyGame({ depth: 1, log2K: 1, proposer: PROPOSER, opener: ME, endHash: toyHash(2n) });
    g.apply(PROPOSER, dissect(wrap(0n, 1), [toyHash(1n)]));
    g.apply(ME, challenge(wrap(0n, 1), 0));
    g.advance(3600n);
    const r = await solveChallenger({ tree: g.tree(), trace: createToyTrace(), me: ME });
    expect(r.actions).to.deep.equal([]);
  });
});

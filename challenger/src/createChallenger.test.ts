// The challenger daemon on a real anvil against the real proposer daemon
// staged dishonest (--inject-fault): it finds the wrong leaves, opens one game
// per leaf (joining instead when another challenger opened first), plays each
// to the one-step proof through batched multicalls, resolves bottom-up, and
// withdraws from both ledgers; a restarted challenger picks its games up
// from the chain alone.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { end, log2Len, type Position, start } from "@verdict/shared/src/game/position.ts";
import { expect } from "chai";
import type { Abi } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestProposer } from "../../proposer/src/testing/startTestProposer.ts";
import { startTestChallenger } from "./testing/startTestChallenger.ts";

const startChallenger = (fx: ChainFixture, keyIndex: number) => startTestChallenger(fx, { keyIndex });

describe("challenger daemon (anvil, real contracts, real proposer daemon)", function () {
  this.timeout(300_000);
  let fx: ChainFixture;

  before(async () => {
    fx = await setupChain({ k: 4, depth: 10, challengeWindowSeconds: 600, clockSeconds: 3600 });
  });
  after(async () => fx?.stop());

  const rootOf = async (gameId: bigint) => {
    const g = await fx.readGame<{ depth: number }>("getGame", [gameId]);
    return (await fx.readGame<{ status: number }>("getNode", [gameId, BigInt(g.depth)])).status;
  };
  const DEFEATED = 3;
  const gameEvents = (eventName: string) =>
    fx.publicClient.getContractEvents({
      address: fx.deployment.disputeGame,
      abi: disputeGameAbi as Abi,
      eventName,
      fromBlock: 0n,
    }) as unknown as Promise<{ args: { gameId: bigint; position: bigint } }[]>;
  /** Every dissection has a challenged part and every challenged length-1 node is stepped. */
  const challengersCaughtUp = async () => {
    const [dissected, challenged, stepped] = await Promise.all(
      ["NodeDissected", "NodeChallenged", "NodeStepped"].map(gameEvents),
    );
    const inside = (c: Position, d: Position) =>
      log2Len(c) < log2Len(d) && start(c) >= start(d) && start(c) < end(d);
    return (
      dissected.every((d) =>
        challenged.some((c) => c.args.gameId === d.args.gameId && inside(c.args.position, d.args.position)),
      ) &&
      challenged
        .filter((c) => log2Len(c.args.position) === 0)
        .every((c) =>
          stepped.some((s) => s.args.gameId === c.args.gameId && s.args.position === c.args.position),
        )
    );
  };

  it("defeats a lying proposer on every wrong leaf by the one-step proof and withdraws from both ledgers", async () => {
    const prop = await startTestProposer(fx, { injectFault: "40", batchSize: "3", maxWaitSeconds: "60" });
    const a = await startChallenger(fx, 2);
    const b = await startChallenger(fx, 3); // a second honest challenger joins the same games
    try {
      for (const n of [11, 12, 13]) await fx.submitJob(Uint8Array.from({ length: n }, (_, i) => i + n));
      const proposalId = await until("a proposal", () => prop.proposer.state().proposals[0]?.id, 60_000);
      await until("three games opened", async () => (await fx.readGame<bigint>("gameCount")) >= 3n, 120_000);
      await until(
        "every game's leaf node stepped",
        async () => {
          const logs = await fx.publicClient.getContractEvents({
            address: fx.deployment.disputeGame,
            abi: disputeGameAbi as Abi,
            eventName: "NodeStepped",
            fromBlock: 0n,
          });
          return logs.length >= 3;
        },
        180_000,
        200,
      );
      expect(Number((await fx.read<{ status: number }>("getProposal", [proposalId])).status)).to.equal(3); // Defeated
      // The lying proposer re-proposes its defeated jobs, and those games may still be in play: stop
      // it, and let the challengers catch up before the clock jumps, or the jump would expire a
      // challenger's turn there (a loss the test would cause, not the daemon).
      await prop.stop();
      await until("every challenger turn taken", challengersCaughtUp, 120_000, 200);
      // Pick windows close; every node resolves bottom-up, the roots last.
      await fx.advance(3700);
      await until(
        "every root resolved Defeated",
        async () => {
          for (const id of [1n, 2n, 3n]) if ((await rootOf(id)) !== DEFEATED) return false;
          return true;
        },
        120_000,
        200,
      );
      await until(
        "both ledgers withdrawn",
        async () => {
          for (const c of [a, b]) {
            if ((await fx.readGame<bigint>("credit", [c.me])) !== 0n) return false;
            if ((await fx.read<bigint>("credit", [c.me])) !== 0n) return false;
          }
          return true;
        },
        60_000,
        200,
      );
      // One game per leaf, shared: one of the two opened each, the other joined. (The lying
      // proposer re-proposed its defeated jobs, as wrong as before: those were challenged too.)
      await until("every opening counted", async () => {
        const opened = a.challenger.status().gamesOpened + b.challenger.status().gamesOpened;
        return BigInt(opened) === (await fx.readGame<bigint>("gameCount"));
      });
      const sa = a.challenger.status();
      const sb = b.challenger.status();
      expect(sa.wrongLeaves).to.be.at.least(3);
      expect(sa.gamesWon + sb.gamesWon).to.be.at.least(3);
      expect(sa.gamesLost + sb.gamesLost).to.equal(0);
      expect(a.alerts.filter((x) => x.kind === "wrong_leaf").length).to.equal(sa.wrongLeaves);
      expect(a.alerts.some((x) => x.kind === "wrong_dissection")).to.equal(true);
      // Once per game (one wrong leaf), however many dissection rounds it took.
      const perGame = a.alerts.filter((x) => x.kind === "wrong_dissection").map((x) => String(x.data.gameId));
      expect(new Set(perGame).size).to.equal(perGame.length);
      expect(a.alerts.filter((x) => x.kind === "move_failed" || x.kind === "refused_move")).to.deep.equal([]);
    } finally {
      await Promise.all([a.stop(), b.stop(), prop.stop()]);
    }
  });

  it("a restarted challenger finishes its games from the chain alone", async () => {
    const prop = await startTestProposer(
      fx,
      { injectFault: "3", batchSize: "1", maxWaitSeconds: "60" },
      { keyIndex: 8 },
    );
    let c = await startChallenger(fx, 4);
    const before = await fx.readGame<bigint>("gameCount");
    try {
      await fx.submitJob(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]));
      await until("the game opened", async () => (await fx.readGame<bigint>("gameCount")) > before, 120_000);
      const gameId = before + 1n;
      // Kill it after the first dissection, start a fresh one.
      await until(
        "a dissection",
        async () =>
          (
            await fx.publicClient.getContractEvents({
              address: fx.deployment.disputeGame,
              abi: disputeGameAbi as Abi,
              eventName: "NodeDissected",
              args: { gameId },
              fromBlock: 0n,
            })
          ).length > 0,
        60_000,
      );
      await c.stop();
      c = await startChallenger(fx, 4);
      await until(
        "the step",
        async () =>
          (
            await fx.publicClient.getContractEvents({
              address: fx.deployment.disputeGame,
              abi: disputeGameAbi as Abi,
              eventName: "NodeStepped",
              args: { gameId },
              fromBlock: 0n,
            })
          ).length > 0,
        120_000,
        200,
      );
      await fx.advance(3700);
      await until("root Defeated", async () => (await rootOf(gameId)) === DEFEATED, 120_000, 200);
      await until("withdrawn", async () => (await fx.readGame<bigint>("credit", [c.me])) === 0n, 60_000, 200);
    } finally {
      await Promise.all([c.stop(), prop.stop()]);
    }
  });
});

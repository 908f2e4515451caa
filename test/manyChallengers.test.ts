// Three challengers at once against one lying proposer, on one shared claim
// tree: a colluder opens the wrong leaf's game first and throws it (challenges
// a part where the proposer is right, never steps), and two honest challenger
// daemons race each other on the right path. The proposal must be defeated by
// the one-step proof of an honest one; every node an honest challenger claimed
// is defeated and pays that challenger (the colluder cannot collect it), no
// part is claimed twice, the colluder's thrown claim is upheld (its bond lost),
// and neither honest challenger loses money.

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { throwGame } from "./support/colludingChallenger.ts";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";
import { gameNet, untilAllResolved, untilChallengersCaughtUp } from "./support/gameState.ts";

const DEPTH = 18;
const CLOCK_SECONDS = 600;
const DEFEATED = 3;
const NODE_DEFEATED = 3;
const NODE_UPHELD = 4;
/** A dev account no other role uses: the colluder. */
const COLLUDER = 9;

describe("e2e: three challengers at once against one liar", function () {
  this.timeout(400_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH }, clockSeconds: CLOCK_SECONDS });
  });
  after(async () => {
    await fx?.stop();
  });

  it("an honest one wins by step and keeps what its claims earn; the colluder's thrown claim is lost", async () => {
    const data = new Uint8Array(2000).map((_, i) => (i * 13 + 9) & 0xff);
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));
    const trace = await buildTrace({ image, input: data, depth: DEPTH });
    const fault = trace.result.steps / 3n;
    // The colluder throws part 0 of the root, which ends before the fault: the proposer is right there.
    expect(1n << BigInt(DEPTH - 4) < fault).to.equal(true);
    await fx.submitJob("sha256", data);
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: fault });
    const ac = new AbortController();
    const honest = [fx.address(KEYS.challenger), fx.address(KEYS.challenger2)];
    const colluder = fx.address(COLLUDER);
    let daemons: Awaited<ReturnType<typeof startChallenger>>[] = [];
    try {
      await until("the lie", async () => (await fx.read<bigint>("proposalCount")) === 1n, 60_000);
      const thrown = await throwGame(fx, {
        keyIndex: COLLUDER,
        proposalId: 1n,
        index: 0,
        throwIndex: 0,
        signal: ac.signal,
      });
      daemons = await Promise.all([
        startChallenger(fx, { keyIndex: KEYS.challenger }),
        startChallenger(fx, { keyIndex: KEYS.challenger2 }),
      ]);
      await until(
        "the proposal defeated",
        async () => Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === DEFEATED,
        200_000,
        250,
      );
      await liar.stop();
      const gameId = thrown.gameId;
      expect(await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } })).to.have.length(1);
      const stepped = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      expect(stepped).to.have.length(1);
      expect(honest).to.include(stepped[0].args.stepper);

      // Run every clock out (after the honest daemons answered all they had to) and resolve it all.
      await untilChallengersCaughtUp(fx, {
        gameIds: [gameId],
        except: [thrown.thrownPart],
        idle: () => daemons.every((d) => d.challenger.status().queuedMoves === 0),
      });
      await fx.advance(CLOCK_SECONDS + 1);
      await untilAllResolved(fx, { gameIds: [gameId], timeoutMs: 150_000 });

      const challenged = await fx.events("NodeChallenged", { contract: "game", args: { gameId } });
      const positions = challenged.map((l) => String(l.args.position));
      expect(new Set(positions).size, "a part claimed twice").to.equal(positions.length);
      const resolved = await fx.events("NodeResolved", { contract: "game", args: { gameId } });
      const byPosition = new Map(resolved.map((l) => [BigInt(l.args.position), l.args]));
      expect(Number(byPosition.get(thrown.thrownPart)?.status), "the thrown claim").to.equal(NODE_UPHELD);
      expect(byPosition.get(thrown.thrownPart)?.challenger).to.equal(colluder);
      const honestNodes = challenged.filter((l) => honest.includes(l.args.challenger));
      expect(honestNodes.length, "the honest daemons played the path").to.be.greaterThan(0);
      for (const l of honestNodes) {
        const r = byPosition.get(BigInt(l.args.position));
        expect(Number(r?.status), `honest node ${l.args.position}`).to.equal(NODE_DEFEATED);
        // Paid to whoever claimed it: nobody else collects an honest challenger's node.
        expect(r?.challenger).to.equal(l.args.challenger);
        expect(BigInt(r?.challengerPaid ?? 0n) > 0n, `node ${l.args.position} paid`).to.equal(true);
      }
      const nets = await Promise.all(honest.map((a) => gameNet(fx, a, [gameId])));
      for (const [i, net] of nets.entries())
        expect(net >= 0n, `honest challenger ${i} net ${net}`).to.equal(true);
      expect(nets[0] + nets[1] > 0n, `honest nets ${nets}`).to.equal(true);
      console.log(
        `      3 challengers: ${challenged.length} claims (${honestNodes.length} honest), honest nets ${nets.join(", ")} wei, colluder net ${await gameNet(fx, colluder, [gameId])} wei`,
      );
    } finally {
      ac.abort();
      await Promise.all(daemons.map((d) => d.stop()));
      await liar.stop();
    }
  });
});

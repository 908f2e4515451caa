// End-to-end scenarios on a real anvil with the real daemons: an honest
// proposer (the challenger opens nothing), a colluding challenger that throws
// its game next to the honest one, and two proposers with two challengers at
// once.

import { readFileSync } from "node:fs";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import type { Abi } from "viem";
import { playColludingGame } from "./support/colludingChallenger.ts";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEPTH = 18;
const input = (seed: number, n = 2000) => new Uint8Array(n).map((_, i) => (i * 13 + seed) & 0xff);
const PENDING = 1;
const FINALIZED = 2;
const DEFEATED = 3;

async function events(fx: E2EFixture, eventName: string) {
  return (await fx.publicClient.getContractEvents({
    address: fx.deployment.verdict,
    abi: verdictAbi as Abi,
    eventName: eventName as never,
    fromBlock: fx.deployment.deployedAtBlock,
  })) as unknown as { args: Record<string, never> }[];
}

describe("e2e scenarios", function () {
  this.timeout(180_000);
  let fx: E2EFixture | undefined;
  afterEach(async () => {
    await fx?.stop();
    fx = undefined;
  });

  it("honest proposer: the challenger checks every result and opens nothing; results finalize", async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH, echo: 12 } });
    const sink = await startAlertSink();
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    const honest = await startProposer(fx, { keyIndex: KEYS.proposer });
    try {
      await fx.submitJob("sha256", input(1));
      await fx.submitJob("echo", new TextEncoder().encode("hi"));
      await until(
        "proposal checked",
        async () =>
          ch.challenger.status().proposalsChecked >= 1 &&
          (await fx?.read<bigint>("proposalCount")) === BigInt(ch.challenger.status().proposalsChecked),
        60_000,
      );
      await fx.advance(601);
      await until(
        "finalized",
        async () => (await fx?.read<{ status: number }>("getProposal", [1n]))?.status === FINALIZED,
        30_000,
      );
      const st = ch.challenger.status();
      expect(st.wrongLeaves).to.equal(0);
      expect(st.gamesOpened).to.equal(0);
      expect(await events(fx, "GameOpened")).to.have.length(0);
      expect(sink.alerts).to.deep.equal([]);
    } finally {
      await ch.stop();
      await honest.stop();
      await sink.close();
    }
  });

  it("a colluding challenger throws its game; the honest challenger then defeats the proposal", async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH } });
    const data = input(2);
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));
    const trace = await buildTrace({ image, input: data, depth: DEPTH });
    await fx.submitJob("sha256", data);
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: trace.result.steps / 3n });
    const ac = new AbortController();
    let ch: Awaited<ReturnType<typeof startChallenger>> | undefined;
    try {
      await until("bad proposal", async () => (await fx?.read<bigint>("proposalCount")) === 1n, 60_000);
      // The colluder opens first, before any honest watchtower runs.
      const colluding = playColludingGame(fx, {
        keyIndex: KEYS.challenger2,
        proposalId: 1n,
        index: 0,
        trace,
        signal: ac.signal,
      });
      await until(
        "colluding game",
        async () => (await events(fx as E2EFixture, "GameOpened")).length === 1,
        30_000,
      );
      // The colluder throws its game: the proposer wins it, yet the proposal must stay open to
      // challenge (a proposer win on one game never finalizes anything by itself).
      const lost = await colluding;
      expect(lost.status).to.equal("ProposerWon");
      expect((await fx.read<{ status: number }>("getProposal", [1n])).status).to.equal(PENDING);
      ch = await startChallenger(fx, { keyIndex: KEYS.challenger });
      await until("honest win", async () => ch?.challenger.status().gamesWon === 1, 120_000);
      expect((await fx.read<{ status: number }>("getProposal", [1n])).status).to.equal(DEFEATED);
      const resolved = await events(fx, "GameResolved");
      const byGame = new Map(resolved.map((l) => [l.args.gameId as bigint, l.args]));
      expect(Number(byGame.get(lost.gameId)?.status)).to.equal(3);
      const honestGame = [...byGame.entries()].find(([id]) => id !== lost.gameId)?.[1];
      expect(Number(honestGame?.status)).to.equal(2);
      expect(honestGame?.winner).to.equal(fx.address(KEYS.challenger));
    } finally {
      ac.abort();
      await ch?.stop();
      await liar.stop();
    }
  });

  it("two proposers and two challengers at once: every wrong proposal defeated, the honest one final, no challenger loses", async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH, echo: 12 } });
    await fx.submitJob("sha256", input(3));
    await fx.submitJob("echo", new TextEncoder().encode("two of each"));
    const chA = await startChallenger(fx, { keyIndex: KEYS.challenger });
    const chB = await startChallenger(fx, { keyIndex: KEYS.challenger2 });
    const honest = await startProposer(fx, { keyIndex: KEYS.proposer });
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 1000n });
    try {
      const liarAddr = fx.address(KEYS.dishonest);
      await until(
        "a defeated lie and an honest proposal",
        async () => {
          const props = await events(fx as E2EFixture, "Proposed");
          const defeated = await events(fx as E2EFixture, "ProposalDefeated");
          return props.some((l) => l.args.proposer === fx?.address(KEYS.proposer)) && defeated.length >= 1;
        },
        120_000,
      );
      await liar.stop();
      // Every remaining game settles (the stopped liar loses on time if it must).
      await until(
        "no open game",
        async () => {
          const opened = await events(fx as E2EFixture, "GameOpened");
          const ended =
            (await events(fx as E2EFixture, "GameResolved")).length +
            (await events(fx as E2EFixture, "GameClosed")).length;
          if (opened.length === ended) return true;
          await fx?.advance(60);
          return false;
        },
        120_000,
        500,
      );
      await fx.advance(4000);
      await until(
        "honest finalized",
        async () => {
          const props = await events(fx as E2EFixture, "Proposed");
          const mine = props
            .filter((l) => l.args.proposer === fx?.address(KEYS.proposer))
            .map((l) => l.args.proposalId as bigint);
          for (const id of mine)
            if ((await fx?.read<{ status: number }>("getProposal", [id]))?.status !== FINALIZED) return false;
          return mine.length > 0;
        },
        60_000,
      );
      const props = await events(fx, "Proposed");
      for (const l of props) {
        const status = (await fx.read<{ status: number }>("getProposal", [l.args.proposalId])).status;
        if (l.args.proposer === liarAddr)
          expect(status, `liar proposal ${l.args.proposalId}`).to.be.oneOf([DEFEATED, PENDING]);
        else expect(status).to.equal(FINALIZED);
      }
      expect((await events(fx, "ProposalDefeated")).length).to.be.at.least(1);
      // Both watchtowers took part and neither lost a game.
      const opened = await events(fx, "GameOpened");
      expect(new Set(opened.map((l) => l.args.challenger))).to.deep.equal(
        new Set([fx.address(KEYS.challenger), fx.address(KEYS.challenger2)]),
      );
      for (const l of await events(fx, "GameResolved")) expect(Number(l.args.status)).to.equal(2);
      expect(chA.challenger.status().gamesLost + chB.challenger.status().gamesLost).to.equal(0);
    } finally {
      await Promise.all([chA.stop(), chB.stop(), honest.stop(), liar.stop()]);
    }
  });
});

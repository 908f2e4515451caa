// Governance end to end with the real daemons: a pause in the middle of a game
// freezes both clocks (time passes far beyond them, yet nobody loses on time
// and the game ends by the one-step proof after unpausing), and a rollback of
// a finalized result makes it provable again: the honest proposer re-proposes
// it, the challenger checks it, and it finalizes anew.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { expect } from "chai";
import type { Abi, Hex } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const CLOCK_SECONDS = 300;
const WINDOW_SECONDS = 600;

async function events(fx: E2EFixture, eventName: string) {
  return (await fx.publicClient.getContractEvents({
    address: fx.deployment.verdict,
    abi: verdictAbi as Abi,
    eventName: eventName as never,
    fromBlock: fx.deployment.deployedAtBlock,
  })) as unknown as { args: Record<string, never> }[];
}

describe("e2e governance", function () {
  this.timeout(180_000);
  let fx: E2EFixture | undefined;
  afterEach(async () => {
    await fx?.stop();
    fx = undefined;
  });

  it("pause mid-game, let hours pass, resume: nobody loses to the pause and the challenger wins by step", async () => {
    fx = await setupE2E({
      programs: { sha256: 20 },
      clockSeconds: CLOCK_SECONDS,
      challengeWindowSeconds: WINDOW_SECONDS,
    });
    const f = fx;
    await f.submitJob(
      "sha256",
      new Uint8Array(8192).map((_, i) => (i * 5) & 0xff),
    );
    const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: 400_000n });
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger });
    try {
      await until("two picks into the game", async () => (await events(f, "Picked")).length >= 2, 90_000, 50);
      await f.write(KEYS.deployer, "pause");
      const frozen = await f.read<readonly [number, bigint]>("gameTurn", [1n]);
      // Far beyond both clocks and the window.
      await f.advance(10 * CLOCK_SECONDS + WINDOW_SECONDS);
      await new Promise((r) => setTimeout(r, 1500));
      expect(
        (await f.read<{ status: number }>("getGame", [1n])).status,
        "still active while paused",
      ).to.equal(1);
      const during = await f.read<readonly [number, bigint]>("gameTurn", [1n]);
      expect(during[1], "the mover's clock did not run while paused").to.equal(frozen[1]);
      await f.write(KEYS.deployer, "unpause");
      await until(
        "game end",
        async () => (await f.read<{ status: number }>("getGame", [1n])).status > 1,
        90_000,
        100,
      );
      const [resolved] = await events(f, "GameResolved");
      expect(Number(resolved.args.status)).to.equal(2);
      expect(Number(resolved.args.resolution), "by step, not on time").to.equal(0);
      expect(
        (await events(f, "ProtocolUnpaused"))[0].args.pausedSeconds >= BigInt(10 * CLOCK_SECONDS),
      ).to.equal(true);
    } finally {
      await ch.stop();
      await liar.stop();
    }
  });

  it("roll back a finalized result: it stops counting, is re-proposed, checked and finalized again", async () => {
    fx = await setupE2E({ programs: { sha256: 18 }, challengeWindowSeconds: WINDOW_SECONDS });
    const f = fx;
    const jobId = await f.submitJob("sha256", new TextEncoder().encode("roll me back"));
    const honest = await startProposer(f, { keyIndex: KEYS.proposer });
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger });
    try {
      await until("proposal", async () => (await f.read<bigint>("proposalCount")) >= 1n, 60_000);
      await until("checked", async () => ch.challenger.status().proposalsChecked >= 1, 60_000);
      await f.advance(WINDOW_SECONDS + 1);
      await until(
        "recorded",
        async () => (await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0],
        60_000,
      );
      const [, hash, firstProposal] = await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]);
      const finalizedAt = (await f.read<{ finalizedAt: bigint }>("getProposal", [firstProposal])).finalizedAt;

      await f.write(KEYS.deployer, "pause");
      await f.write(KEYS.deployer, "rollback", [finalizedAt - 1n, 10n]);
      await f.write(KEYS.deployer, "unpause");
      expect((await events(f, "ProposalRolledBack")).map((l) => l.args.proposalId)).to.deep.equal([
        firstProposal,
      ]);
      expect((await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0], "rolled back").to.equal(
        false,
      );

      await until("re-proposal", async () => (await f.read<bigint>("proposalCount")) >= 2n, 60_000);
      await until("re-proposal checked", async () => ch.challenger.status().proposalsChecked >= 2, 60_000);
      await f.advance(WINDOW_SECONDS + 1);
      await until(
        "re-recorded",
        async () => (await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0],
        60_000,
      );
      const [final, again, secondProposal] = await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]);
      expect(final).to.equal(true);
      expect(again).to.equal(hash);
      expect(secondProposal > firstProposal).to.equal(true);
      expect(ch.challenger.status().gamesOpened).to.equal(0);
    } finally {
      await ch.stop();
      await honest.stop();
    }
  });
});

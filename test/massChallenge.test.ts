// Issue 9, P1 end to end: on anvil with interval mining (1 s blocks) and a 30M
// block gas limit, an attacker script opens a game on a CORRECT leaf and, level
// by level as the stock proposer daemon dissects, challenges every part until
// N claims are posted (N >= 256; N = 1024 with VERDICT_FULL=1). The proposer
// must answer every one on its path clocks (never time out), every attacker
// node must resolve Upheld, the proposer must end with every attacker bond
// minus the burn (and its dissection bonds back), and the proposal finalizes.
// The attacker's clocks are run out with one time jump once every claim is
// answered; everything before that happens at real block times.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { contractEvents } from "@verdict/shared/src/testing/chainActions.ts";
import { expect } from "chai";
import type { Abi, Address } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { type ChainFixture, setupChain, until } from "../proposer/src/testing/setupChain.ts";
import { startMassAttack } from "../proposer/src/testing/startMassAttack.ts";
import { PROPOSER_KEY_INDEX, startTestProposer } from "../proposer/src/testing/startTestProposer.ts";

const ATTACKER = 7;
const K = 16;
const CLAIM_BOND = 10n ** 15n;
const BURN_BPS = 1000;
const CLOCK_SECONDS = 120;
const WINDOW_SECONDS = 600;
const UPHELD = 4;

type Case = { n: number; depth: number; full: boolean };
// D = 8, k = 16: 1 opening + 16 parts + 256 one-instruction parts = 273 claims, all on one leaf.
// D = 12: 1 + 16 + 256 (each dissected by the proposer) + 751 one-instruction parts = 1024.
const CASES: Case[] = [
  { n: 273, depth: 8, full: false },
  { n: 1024, depth: 12, full: true },
];

const burnOf = (x: bigint) => (x * BigInt(BURN_BPS) + 9_999n) / 10_000n;

for (const c of CASES) {
  describe(`e2e P1: the stock proposer defends a correct leaf against ${c.n} challenges (1 s blocks, 30M gas)`, function () {
    this.timeout(900_000);
    let fx: ChainFixture | undefined;
    before(function () {
      if (c.full && !process.env.VERDICT_FULL) this.skip();
    });
    after(async () => {
      await fx?.stop();
    });

    it("answers every claim in time, upholds them all, takes every attacker bond minus the burn, finalizes", async () => {
      const t0 = Date.now();
      fx = await setupChain({
        k: K,
        depth: c.depth,
        clockSeconds: CLOCK_SECONDS,
        challengeWindowSeconds: WINDOW_SECONDS,
        claimBond: CLAIM_BOND,
        proposerBond: 10n ** 17n,
        burnBps: BURN_BPS,
        blockTimeSeconds: 1,
        gasLimit: 30_000_000n,
      });
      const f = fx;
      const me = privateKeyToAddress(f.anvil.privateKeys[PROPOSER_KEY_INDEX]);
      const attacker: Address = privateKeyToAddress(f.anvil.privateKeys[ATTACKER]);
      const gameEvents = (eventName: string, args?: Record<string, unknown>) =>
        contractEvents(f.publicClient, {
          address: f.deployment.disputeGame,
          abi: disputeGameAbi as Abi,
          eventName,
          args,
          fromBlock: f.deployment.deployedAtBlock,
        });
      const proposer = await startTestProposer(f, { batchSize: "1", pollMs: "200" });
      const attack = { stop: async () => undefined } as { stop: () => Promise<void> };
      try {
        // A short job: it halts well inside 2^D steps, so the leaf is the honest T(2^D).
        await f.submitJob(Uint8Array.from({ length: 16 }, (_, i) => i + 1));
        const prop = await until("the honest proposal", () => proposer.proposer.state().proposals[0], 60_000);
        const proposalId = prop.id;

        const tAttack = Date.now();
        const a = startMassAttack({
          publicClient: f.publicClient,
          wallet: f.wallet(ATTACKER),
          game: f.deployment.disputeGame,
          verdict: f.deployment.verdict,
          fromBlock: f.deployment.deployedAtBlock,
          proposalId,
          targets: [0],
          challenges: c.n,
        });
        attack.stop = a.stop;
        const report = await a.done;
        expect(report.challenged).to.equal(c.n);
        await until(
          "every attacker claim answered (no undissected challenged node)",
          async () =>
            Number((await f.readGame<{ openDefences: number }>("disputes", [proposalId])).openDefences) === 0,
          300_000,
          500,
        );
        const answeredMs = Date.now() - tAttack;

        // Never timed out: no node failed, and the proposer's time on every path stayed under its clock.
        const dissected = await gameEvents("NodeDissected");
        const maxProposerUsed = dissected.reduce(
          (m, l) => (BigInt(l.args.proposerUsed) > m ? BigInt(l.args.proposerUsed) : m),
          0n,
        );
        expect(
          maxProposerUsed < BigInt(CLOCK_SECONDS),
          `proposer used ${maxProposerUsed}s of a path`,
        ).to.equal(true);
        expect(await gameEvents("NodeResolved")).to.satisfy((ls: { args: { status: number } }[]) =>
          ls.every((l) => Number(l.args.status) === UPHELD),
        );
        expect((await f.read<{ status: number }>("getProposal", [proposalId])).status).to.equal(1);

        // Run the attacker's clocks out: every part it challenged (pick windows and step clocks).
        await f.advance(CLOCK_SECONDS + 1);
        await until(
          "every attacker node resolved",
          async () => (await gameEvents("NodeResolved", { challenger: attacker })).length === c.n,
          300_000,
          500,
        );
        const resolved = await gameEvents("NodeResolved");
        expect(resolved).to.have.length(c.n);
        for (const l of resolved) {
          expect(Number(l.args.status), `node ${l.args.position}`).to.equal(UPHELD);
          expect(l.args.challenger).to.equal(attacker);
          expect(BigInt(l.args.challengerPaid)).to.equal(0n);
        }
        // Every attacker bond minus its burn went to the proposer, with every dissection bond back.
        const paid = resolved.reduce((s, l) => s + BigInt(l.args.proposerPaid), 0n);
        const expected =
          BigInt(c.n) * (CLAIM_BOND - burnOf(CLAIM_BOND)) + BigInt(dissected.length) * CLAIM_BOND;
        expect(paid).to.equal(expected);
        expect(await f.readGame<bigint>("credit", [attacker])).to.equal(0n);

        await f.advance(WINDOW_SECONDS);
        await until(
          "the proposal finalized",
          async () => Number((await f.read<{ status: number }>("getProposal", [proposalId])).status) === 2,
          120_000,
          500,
        );
        await until(
          "the proposer's game winnings withdrawn",
          async () => {
            const w = await gameEvents("Withdrawn", { account: me });
            return w.reduce((s, l) => s + BigInt(l.args.amount), 0n) >= paid;
          },
          120_000,
          500,
        );
        console.log(
          `      N=${c.n} D=${c.depth} k=${K}: ${dissected.length} dissections, attack ${report.transactions} txs ` +
            `(${report.gasUsed} gas, max ${report.maxTxGas}/tx); all answered ${answeredMs} ms after the attack began; ` +
            `max proposer time on a path ${maxProposerUsed}s of ${CLOCK_SECONDS}s; proposer +${paid} wei; ` +
            `total ${Math.round((Date.now() - t0) / 1000)} s`,
        );
      } finally {
        await attack.stop();
        await proposer.stop();
      }
    });
  });
}

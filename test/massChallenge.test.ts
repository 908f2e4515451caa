// Issue 9, P1 end to end: on anvil with interval mining (1 s blocks) and a 30M
// block gas limit, attacker scripts open games on CORRECT leaves and, level by
// level as the stock proposer daemon dissects, challenge every part until N
// claims are posted on each — N = 1, 16 and 273 (>= 256) at once on three
// proposals, and N = 1024 on one leaf with VERDICT_FULL=1. The proposer must
// answer every claim on its path clocks (never time out), every attacker node
// must resolve Upheld, the proposer must end with every attacker bond minus
// the burn (and its dissection bonds back, all withdrawn), and every proposal
// finalizes. The attackers' clocks are run out with one time jump once every
// claim is answered; everything before that happens at real block times.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { contractEvents } from "@verdict/shared/src/testing/chainActions.ts";
import { expect } from "chai";
import type { Abi, Address } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { type ChainFixture, setupChain, until } from "../proposer/src/testing/setupChain.ts";
import { type MassAttackReport, startMassAttack } from "../proposer/src/testing/startMassAttack.ts";
import { PROPOSER_KEY_INDEX, startTestProposer } from "../proposer/src/testing/startTestProposer.ts";

const K = 16;
const CLAIM_BOND = 10n ** 15n;
const BURN_BPS = 1000;
const CLOCK_SECONDS = 120;
const WINDOW_SECONDS = 600;
const UPHELD = 4;
const FINALIZED = 2;

/** One attack: `n` claims on the leaf of its own proposal, sent from dev account `key`. */
type Attack = { n: number; key: number };
type Case = { depth: number; attacks: Attack[]; full: boolean };
const CASES: Case[] = [
  // D = 8, k = 16: 1 opening + 16 parts + 256 one-instruction parts = 273 claims on one leaf.
  {
    depth: 8,
    attacks: [
      { n: 1, key: 6 },
      { n: 16, key: 7 },
      { n: 273, key: 8 },
    ],
    full: false,
  },
  // D = 12: 1 + 16 + 256 (each dissected by the proposer) + 751 one-instruction parts = 1024.
  { depth: 12, attacks: [{ n: 1024, key: 8 }], full: true },
];

const burnOf = (x: bigint) => (x * BigInt(BURN_BPS) + 9_999n) / 10_000n;

for (const c of CASES) {
  const ns = c.attacks.map((a) => a.n).join(", ");
  describe(`e2e P1: the stock proposer defends correct leaves against ${ns} challenges at once (1 s blocks, 30M gas)`, function () {
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
      const gameEvents = (eventName: string, args?: Record<string, unknown>) =>
        contractEvents(f.publicClient, {
          address: f.deployment.disputeGame,
          abi: disputeGameAbi as Abi,
          eventName,
          args,
          fromBlock: f.deployment.deployedAtBlock,
        });
      const proposer = await startTestProposer(f, { batchSize: "1", pollMs: "200" });
      const stops: (() => Promise<void>)[] = [];
      try {
        // Short jobs: each halts well inside 2^D steps, so every leaf is the honest T(2^D).
        for (const a of c.attacks)
          await f.submitJob(Uint8Array.from({ length: 8 + (a.n % 7) }, (_, i) => i + 1));
        const proposals = await until(
          "one honest proposal per job",
          () => {
            const ps = proposer.proposer.state().proposals;
            return ps.length === c.attacks.length && ps;
          },
          60_000,
        );
        const attackers: Address[] = c.attacks.map((a) => privateKeyToAddress(f.anvil.privateKeys[a.key]));

        const tAttack = Date.now();
        const runs = c.attacks.map((a, i) => {
          const run = startMassAttack({
            publicClient: f.publicClient,
            wallet: f.wallet(a.key),
            game: f.deployment.disputeGame,
            verdict: f.deployment.verdict,
            fromBlock: f.deployment.deployedAtBlock,
            proposalId: proposals[i].id,
            targets: [0],
            challenges: a.n,
          });
          stops.push(run.stop);
          return run;
        });
        const reports: MassAttackReport[] = await Promise.all(runs.map((r) => r.done));
        reports.forEach((r, i) => {
          expect(r.challenged, `attack ${i}`).to.equal(c.attacks[i].n);
        });
        await until(
          "every attacker claim answered (no undissected challenged node)",
          async () => {
            // every challenged node longer than one step has been dissected (the games' only
            // proposer obligation; there is no onchain counter of it)
            const challenged = (await gameEvents("NodeChallenged")).filter(
              (e) => (BigInt(e.args.position as unknown as bigint) & 0xffn) !== 0n,
            );
            const dissected = new Set(
              (await gameEvents("NodeDissected")).map((e) => `${e.args.gameId}:${e.args.position}`),
            );
            return challenged.every((e) => dissected.has(`${e.args.gameId}:${e.args.position}`));
          },
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
        for (const l of await gameEvents("NodeResolved")) expect(Number(l.args.status)).to.equal(UPHELD);
        for (const p of proposals)
          expect(Number((await f.read<{ status: number }>("getProposal", [p.id])).status)).to.equal(1);

        // Run the attackers' clocks out: every part they challenged (pick windows and step clocks).
        await f.advance(CLOCK_SECONDS + 1);
        const total = c.attacks.reduce((s, a) => s + a.n, 0);
        await until(
          "every attacker node resolved",
          async () => (await gameEvents("NodeResolved")).length === total,
          300_000,
          500,
        );
        let paid = 0n;
        for (const [i, r] of reports.entries()) {
          const gameId = r.gameIds[0];
          const resolved = await gameEvents("NodeResolved", { gameId });
          expect(resolved, `attack ${i}`).to.have.length(c.attacks[i].n);
          for (const l of resolved) {
            expect(Number(l.args.status), `node ${l.args.position}`).to.equal(UPHELD);
            expect(l.args.challenger).to.equal(attackers[i]);
            expect(BigInt(l.args.challengerPaid)).to.equal(0n);
          }
          // Every attacker bond minus its burn went to the proposer, with every dissection bond
          // (a k-th of the claim bond) back.
          const dissections = (await gameEvents("NodeDissected", { gameId })).length;
          const dissectionBond = await f.readGame<bigint>("dissectionBond", [gameId]);
          expect(dissectionBond).to.equal(CLAIM_BOND / BigInt(await f.readGame<bigint>("K")));
          const got = resolved.reduce((s, l) => s + BigInt(l.args.proposerPaid), 0n);
          expect(got, `attack ${i}`).to.equal(
            BigInt(c.attacks[i].n) * (CLAIM_BOND - burnOf(CLAIM_BOND)) + BigInt(dissections) * dissectionBond,
          );
          expect(await f.readGame<bigint>("credit", [attackers[i]])).to.equal(0n);
          paid += got;
        }

        await f.advance(WINDOW_SECONDS);
        await until(
          "every proposal finalized",
          async () => {
            for (const p of proposals)
              if (Number((await f.read<{ status: number }>("getProposal", [p.id])).status) !== FINALIZED)
                return false;
            return true;
          },
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
        const sent = reports.reduce((s, r) => s + r.transactions, 0);
        const gas = reports.reduce((s, r) => s + r.gasUsed, 0n);
        let maxTx = 0n;
        for (const r of reports) if (r.maxTxGas > maxTx) maxTx = r.maxTxGas;
        console.log(
          `      N=${ns} D=${c.depth} k=${K}: ${dissected.length} dissections, attacks ${sent} txs ` +
            `(${gas} gas, max ${maxTx}/tx); all answered ${answeredMs} ms after the attacks began; ` +
            `max proposer time on a path ${maxProposerUsed}s of ${CLOCK_SECONDS}s; proposer +${paid} wei; ` +
            `total ${Math.round((Date.now() - t0) / 1000)} s`,
        );
      } finally {
        for (const stop of stops) await stop();
        await proposer.stop();
      }
    });
  });
}

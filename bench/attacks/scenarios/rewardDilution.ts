// reward-dilution (beyond the list): a dishonest proposer makes catching it as unrewarding as
// it can. Its batch is one wrong leaf padded with 1023 copies of a correct one, so the defeated leaf's
// share of the stake is (stake − burn) / 1024; and in the honest challenger's game it challenges the
// faulty part of every dissection itself, in the same multicall, so the parts' shares of its
// dissection bonds go back to it. The honest challenger can only open the game, execute the final
// step (a step that defeats someone else's node pays the prover half of its reward) and resolve.
// Does it still profit?

import { playDispute, resolveInOrder } from "../lib/dispute.ts";
import { interiorPositions, move, openGame } from "../lib/game.ts";
import {
  echo,
  faulty,
  getProposal,
  ProposalStatus,
  propose,
  readVerdictEvents,
  resultTree,
  submitJob,
  T,
  vcall,
} from "../lib/protocol.ts";
import { type AttackResult, createWorld, eth, NetMeter } from "../lib/setup.ts";

const PADDING = 1023;

export async function rewardDilution(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const j1 = await submitJob(c, d, w.requester, w.programId);
    const j2 = await submitJob(c, d, w.requester, w.programId);
    const fault = BigInt(Math.floor(echo.halt / 2));
    const bad = faulty(fault);
    const leaves = [
      { jobId: j1, finalStateHash: bad(1n << 32n) },
      ...Array.from({ length: PADDING }, () => ({ jobId: j2, finalStateHash: T(1n << 32n) })),
    ];
    const attackers = [w.attacker.address];
    const honest = [w.honestChallenger.address];
    const meter = await NetMeter.start(w, [...attackers, ...honest]);
    const pid = await propose(c, d, w.attacker, leaves);
    const { book } = await openGame(c, d, w.honestChallenger, pid, leaves, 0, resultTree(leaves).proofs, 32);
    const log2k = Math.log2(d.k);
    const play = await playDispute({
      c,
      d,
      book,
      proposer: w.attacker,
      proposerTrace: bad,
      challenger: w.honestChallenger,
      challengerTrace: T,
      // The part holding the fault: the first whose end the honest trace disagrees with.
      withDissection: (p, interior) => {
        const ends = [...interiorPositions(p, log2k), (p >> 8n) + (1n << (p & 0xffn))];
        const index = ends.findIndex((t, i) => (i < interior.length ? interior[i] : bad(t)) !== T(t));
        return [move.challenge(book.gameId, p, index)];
      },
    });
    await resolveInOrder(c, d, w.honestChallenger, book.gameId, play.path.slice(0, -1).reverse());
    for (const who of [w.honestChallenger, w.attacker]) {
      await c.send(who, { to: d.game, data: move.withdraw() });
      await c.send(who, { to: d.verdict, data: vcall.withdraw() });
    }

    const p = await getProposal(c, d, pid);
    const reward = (await readVerdictEvents(c, d))
      .filter((e) => e.eventName === "LeafRewardPaid")
      .reduce((s, e) => s + (e.args.amount as bigint), 0n);
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const honestGas = meter.gas(honest);
    const income = honestNet + honestGas;
    const gasUsed = honestGas / c.gasPriceWei;
    const breakEvenGwei = gasUsed > 0n ? Number((income * 1000n) / gasUsed / 10n ** 9n) / 1000 : 0;
    const won = p.status === ProposalStatus.Defeated && honestNet > 0n;
    return {
      name: "reward-dilution",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `1 wrong leaf + ${PADDING} copies of a correct one; the proposer challenged the faulty part of each of its ${play.dissections.length} dissections itself, so the honest challenger only opened, stepped (RV32IM) and resolved. ` +
        `Proposal ${p.status === ProposalStatus.Defeated ? "Defeated" : p.status}; the honest challenger earned ${eth(income)} (leaf share ${eth(reward)} + half of the stepped node's reward + its bond back) for ${gasUsed} gas: ` +
        `net ${eth(honestNet)} at 1 gwei, break-even at ${breakEvenGwei} gwei. The fraud cost the proposer ${eth(-attackerNet)}.`,
    };
  } finally {
    await c.stop();
  }
}

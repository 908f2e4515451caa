// param-setter: a parameter setter colluding with a dishonest proposer acts right after a wrong
// proposal: it tries to make it unchallengeable (claim bond of 2^96 − 1) and to finalize it next
// block (a 1-second window), then sets the harshest values the bounds allow (claim bond 1000 ETH,
// window and clock 60 s). The proposal snapshotted its parameters, so the honest challenger opens
// the game 10 minutes later (long after the new 60-s window) with the old 0.5 ETH bond, plays the
// old 1800-s clocks, and wins by the RV32IM step.

import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import { playDispute, resolveInOrder } from "../lib/dispute.ts";
import { openGame } from "../lib/game.ts";
import {
  EXAMPLE_PARAMS,
  echo,
  faulty,
  getProposal,
  ProposalStatus,
  propose,
  resultOf,
  resultTree,
  submitJob,
  T,
  vcall,
} from "../lib/protocol.ts";
import { type AttackResult, createWorld, eth, NetMeter } from "../lib/setup.ts";

export async function paramSetter(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const jobId = await submitJob(c, d, w.requester, w.programId);
    const bad = faulty(BigInt(Math.floor(echo.halt / 2)));
    const leaves = [{ jobId, finalStateHash: bad(1n << 32n) }];
    const { proofs } = resultTree(leaves);
    const attackers = [w.attacker.address, w.setter.address];
    const honest = [w.honestChallenger.address];
    const meter = await NetMeter.start(w, [...attackers, ...honest]);
    const pid = await propose(c, d, w.attacker, leaves);
    const before = await getProposal(c, d, pid);

    const huge = await c.send(w.setter, {
      to: d.verdict,
      data: vcall.setParams({ ...EXAMPLE_PARAMS, claimBond: (1n << 96n) - 1n }),
    });
    const instant = await c.send(w.setter, {
      to: d.verdict,
      data: vcall.setParams({ ...EXAMPLE_PARAMS, challengeWindow: 1n, clockSeconds: 1n, feeTimeout: 605n }),
    });
    const harsh = await c.must(
      w.setter,
      {
        to: d.verdict,
        data: vcall.setParams({
          ...EXAMPLE_PARAMS,
          claimBond: 1000n * 10n ** 18n,
          challengeWindow: 60n,
          clockSeconds: 60n,
          feeTimeout: 900n,
        }),
      },
      "setParams (harshest in bounds)",
    );
    const early = await c.send(w.attacker, { to: d.verdict, data: vcall.finalize(pid), at: c.now() + 61n });

    const g = await openGame(c, d, w.honestChallenger, pid, leaves, 0, proofs, 32, c.now() + 600n);
    const game = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getGame",
      args: [g.book.gameId],
    });
    const play = await playDispute({
      c,
      d,
      book: g.book,
      proposer: w.attacker,
      proposerTrace: bad,
      challenger: w.honestChallenger,
      challengerTrace: T,
      proposerDelaySeconds: 200n, // slow play only a 60-s clock would punish
    });
    await resolveInOrder(c, d, w.honestChallenger, g.book.gameId, play.path.slice(0, -1).reverse());
    await c.must(w.honestChallenger, { to: d.verdict, data: vcall.withdraw() }, "withdraw");
    const after = await getProposal(c, d, pid);
    const [final] = await resultOf(c, d, jobId);
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const won =
      !huge.ok &&
      !instant.ok &&
      harsh.ok &&
      !early.ok &&
      game.claimBond === before.claimBond &&
      BigInt(game.clockSeconds) === before.clockSeconds &&
      after.status === ProposalStatus.Defeated &&
      !final &&
      honestNet > 0n;
    return {
      name: "param-setter",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `Out of bounds: claim bond 2^96−1 ${huge.error || "ACCEPTED"}, 1-s window/clock ${instant.error || "ACCEPTED"}. In bounds (1000 ETH claim bond, 60-s window and clock) accepted, but the pending proposal kept its snapshot: ` +
        `finalize 61 s later ${early.error || "ACCEPTED"}; the game opened 600 s later with a ${eth(game.claimBond)} bond and a ${game.clockSeconds}-s clock; the proposer dissected 200 s late each level and lost the RV32IM step; proposal Defeated. ` +
        `Honest challenger ${eth(honestNet)}, proposer+setter ${eth(attackerNet)}. (Deploy path roles are not exercised here: this is a setter acting outside the timelock.)`,
    };
  } finally {
    await c.stop();
  }
}

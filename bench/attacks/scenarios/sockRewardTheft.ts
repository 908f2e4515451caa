// sock-reward-theft: a dishonest proposer puts two wrong leaves in one batch. An honest challenger
// opens the game of the first; the proposer's own second address (its sock) opens the game of the
// second, and the proposer loses that game to its sock as fast as it can (dissect at once, sock
// steps), while it stalls the honest game on its own clock (every dissection 150 s late). The sock
// resolves its path first. Under the old rules the first defeated game took the whole reward.

import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import { playDispute, resolveInOrder } from "../lib/dispute.ts";
import { openGame } from "../lib/game.ts";
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

export async function sockRewardTheft(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const j1 = await submitJob(c, d, w.requester, w.programId);
    const j2 = await submitJob(c, d, w.requester, w.programId);
    const bad = faulty(BigInt(Math.floor(echo.halt / 2)));
    const leaves = [
      { jobId: j1, finalStateHash: bad(1n << 32n) },
      { jobId: j2, finalStateHash: bad(1n << 32n) },
    ];
    const attackers = [w.attacker.address, w.sock.address];
    const honest = [w.honestChallenger.address];
    const meter = await NetMeter.start(w, [...attackers, ...honest]);
    const pid = await propose(c, d, w.attacker, leaves);
    const { proofs } = resultTree(leaves);

    const a = await openGame(c, d, w.honestChallenger, pid, leaves, 0, proofs, 32);
    const b = await openGame(c, d, w.sock, pid, leaves, 1, proofs, 32);
    // The sock's game: lost by the proposer at full speed.
    const playB = await playDispute({
      c,
      d,
      book: b.book,
      proposer: w.attacker,
      proposerTrace: bad,
      challenger: w.sock,
      challengerTrace: T,
    });
    // The honest game: stalled by the proposer on its own clock.
    const playA = await playDispute({
      c,
      d,
      book: a.book,
      proposer: w.attacker,
      proposerTrace: bad,
      challenger: w.honestChallenger,
      challengerTrace: T,
      proposerDelaySeconds: 150n,
    });
    // The sock resolves its path first, then the honest challenger resolves its own.
    await resolveInOrder(c, d, w.sock, b.book.gameId, playB.path.slice(0, -1).reverse());
    await resolveInOrder(c, d, w.honestChallenger, a.book.gameId, playA.path.slice(0, -1).reverse());
    for (const who of [w.honestChallenger, w.sock]) {
      await c.must(who, { to: d.verdict, data: vcall.withdraw() }, "withdraw");
    }

    const p = await getProposal(c, d, pid);
    const rewards = (await readVerdictEvents(c, d)).filter((e) => e.eventName === "LeafRewardPaid");
    const paid = (who: string) =>
      rewards
        .filter((e) => (e.args.opener as string).toLowerCase() === who.toLowerCase())
        .reduce((s, e) => s + (e.args.amount as bigint), 0n);
    const honestReward = paid(w.honestChallenger.address);
    const sockReward = paid(w.sock.address);
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const games = await Promise.all(
      [a, b].map((g) =>
        c.publicClient.readContract({
          address: d.game,
          abi: disputeGameAbi,
          functionName: "getNode",
          args: [g.book.gameId, g.book.root],
        }),
      ),
    );
    const won =
      p.status === ProposalStatus.Defeated &&
      honestReward === p.rewardShare &&
      honestReward > 0n &&
      honestNet > 0n &&
      games[0].status === 3;
    return {
      name: "sock-reward-theft",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `Two wrong leaves; the sock's game was lost by the proposer in ${playB.dissections.length} dissections + step and resolved first, the honest game stalled 150 s per dissection (proposer path time stayed under the clock) and won by the honest RV32IM step. ` +
        `Each defeated leaf's opener is paid the same share of the stake (stake − 20 % burn) / leafCount: honest challenger ${eth(honestReward)}, sock ${eth(sockReward)}; the opening order changes nothing. ` +
        `Honest challenger ${eth(honestNet)} (leaf share + its bonds back + a share of every dissection bond it defeated, minus gas), proposer+sock ${eth(attackerNet)}.`,
    };
  } finally {
    await c.stop();
  }
}

// mempool-copy: a copier reads an honest proposer's leaves from its `propose` (the reveal) and
// proposes the same batch itself: it commits in the block after the reveal and reveals a block
// later. To be recorded first it also opens a game on the honest proposal's (correct) leaf in the
// last second of its window, which holds the honest proposal for two more clocks; the copy, not
// challenged, finalizes and records the job's result first. The honest proposer then records from
// its earlier-committed proposal, and the fee is claimed once it unlocks.

import { disputeGameAbi, verdictAbi } from "../../../shared/src/bindings/abis.ts";
import { resolveInOrder } from "../lib/dispute.ts";
import { Batcher, interiorOf, move } from "../lib/game.ts";
import {
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

const FEE = 5n * 10n ** 16n; // 0.05 ETH

export async function mempoolCopy(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const jobId = await submitJob(c, d, w.requester, w.programId, FEE);
    const leaves = [{ jobId, finalStateHash: T(1n << 32n) }];
    const { proofs } = resultTree(leaves);
    const honest = [w.honestProposer.address];
    const attackers = [w.attacker.address];
    const meter = await NetMeter.start(w, [...honest, ...attackers]);

    const honestPid = await propose(c, d, w.honestProposer, leaves);
    const copyPid = await propose(
      c,
      d,
      w.attacker,
      leaves,
      "0x00000000000000000000000000000000000000000000000000000000000c0b1e",
    );
    const hp = await getProposal(c, d, honestPid);
    const cp = await getProposal(c, d, copyPid);

    // Delay the honest proposal: a game on its correct leaf in the last second of its window.
    await c.must(
      w.attacker,
      {
        to: d.game,
        data: move.open(honestPid, leaves[0], proofs[0]),
        value: hp.claimBond,
        at: hp.deadline - 1n,
      },
      "openGame",
    );
    const gameId = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "gameCount",
    });
    const root = (0n << 8n) | 32n;
    await new Batcher(c, d, c.blockGasLimit).send(
      w.honestProposer,
      [move.dissect(gameId, root, interiorOf(root, Math.log2(d.k), T))],
      hp.claimBond,
      "dissect",
    );

    // The copy finalizes at its own deadline and records the result first.
    await c.mineAt(cp.deadline);
    await c.must(w.attacker, { to: d.verdict, data: vcall.finalize(copyPid) }, "finalize copy");
    await c.must(
      w.attacker,
      { to: d.verdict, data: vcall.recordResult(copyPid, leaves[0], proofs[0]) },
      "record copy",
    );
    const early = await c.send(w.attacker, { to: d.verdict, data: vcall.claimFee(jobId) });

    // The honest proposal: its root resolves Upheld, it finalizes three clocks after the game opened.
    await resolveInOrder(c, d, w.honestProposer, gameId, [root]);
    const game = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getGame",
      args: [gameId],
    });
    const finalizeAt = game.openedAt + 3n * hp.clockSeconds;
    if (c.now() < finalizeAt) await c.mineAt(finalizeAt);
    await c.must(w.honestProposer, { to: d.verdict, data: vcall.finalize(honestPid) }, "finalize honest");
    await c.must(
      w.honestProposer,
      { to: d.verdict, data: vcall.recordResult(honestPid, leaves[0], proofs[0]) },
      "record honest",
    );

    // The fee unlocks at the recorded proposal's reveal + the longest window + 3 clocks ever in force
    // + 600 s; the copier claims it at once.
    const job = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "getJob",
      args: [jobId],
    });
    const recordedFrom = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "getProposal",
      args: [job.resultProposalId],
    });
    const maxSpan = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "maxSpan",
    });
    await c.mineAt(BigInt(recordedFrom.revealedAt) + BigInt(maxSpan) + 600n);
    await c.must(w.attacker, { to: d.verdict, data: vcall.claimFee(jobId) }, "claimFee");
    for (const who of [w.honestProposer, w.attacker]) {
      await c.must(who, { to: d.verdict, data: vcall.withdraw() }, "withdraw");
    }

    const events = await readVerdictEvents(c, d);
    const recorded = events
      .filter((e) => e.eventName === "ResultRecorded")
      .map((e) => e.args.proposalId as bigint);
    const claimed = events.find((e) => e.eventName === "FeeClaimed");
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const won =
      claimed !== undefined &&
      (claimed.args.proposer as string).toLowerCase() === w.honestProposer.address.toLowerCase() &&
      claimed.args.fee === FEE &&
      recorded[0] === copyPid &&
      cp.commitBlock > hp.commitBlock &&
      (await getProposal(c, d, honestPid)).status === ProposalStatus.Finalized &&
      !early.ok;
    return {
      name: "mempool-copy",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `Copier committed in block ${cp.commitBlock} after the honest reveal (honest commitment: block ${hp.commitBlock}); its copy was recorded first (recordings by proposal: ${recorded.join(", ")}) because it held the honest proposal back with a game (bond lost). ` +
        `The copier's early claimFee reverted ${early.error}; the honest proposer's later recording moved the claim to its earlier commitment, and the copier's own claimFee at unlock paid the ${eth(FEE)} fee to the honest proposer. ` +
        `Honest ${eth(honestNet)} (fee + the copier's forfeited game bond − gas), copier ${eth(attackerNet)}.`,
    };
  } finally {
    await c.stop();
  }
}

// guardian-invalidate: a guardian colluding with a dishonest proposer waits until the challenge
// window is over (no one can open a new game) and then invalidates the honest challenger's game,
// hoping the wrong proposal finalizes without it. Invalidating a game invalidates its proposal, so
// the wrong result can never finalize; every bond goes back to whoever posted it.

import { encodeFunctionData } from "viem";
import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import { Turn } from "../lib/dispute.ts";
import { child, interiorOf, move, openGame, readGameEvents } from "../lib/game.ts";
import {
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

export async function guardianInvalidate(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const jobId = await submitJob(c, d, w.requester, w.programId);
    const bad = faulty(BigInt(Math.floor(echo.halt / 2)));
    const leaves = [{ jobId, finalStateHash: bad(1n << 32n) }];
    const attackers = [w.attacker.address, w.guardian.address];
    const honest = [w.honestChallenger.address];
    const meter = await NetMeter.start(w, [...attackers, ...honest]);
    const pid = await propose(c, d, w.attacker, leaves);
    const p = await getProposal(c, d, pid);
    // The honest challenger opens the game and challenges the faulty part after the proposer's
    // dissection, which the proposer posts as late as its clock allows (still inside the window).
    const { book } = await openGame(c, d, w.honestChallenger, pid, leaves, 0, resultTree(leaves).proofs, 32);
    const root = book.root;
    const interior = interiorOf(root, 4, bad);
    await c.must(
      w.attacker,
      {
        to: d.game,
        data: move.dissect(book.gameId, root, interior),
        value: p.claimBond,
        at: c.now() + 1700n,
      },
      "dissect",
    );
    book.dissected(root, interior);
    const part = book.disputedPart(root, T)!;
    await c.must(
      w.honestChallenger,
      { to: d.game, data: move.challenge(book.gameId, root, part), value: p.claimBond },
      "challenge",
    );
    const node = child(root, part, 4);

    // After the window: the guardian invalidates the honest game.
    await c.mineAt(p.deadline);
    const inv = await c.must(
      w.guardian,
      {
        to: d.game,
        data: encodeFunctionData({
          abi: disputeGameAbi,
          functionName: "invalidateGame",
          args: [book.gameId],
        }),
      },
      "invalidateGame",
    );
    const [turn] = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "nodeTurn",
      args: [book.gameId, node],
    });
    // Everyone takes their bonds back; the proposer then tries to finalize once every clock is over.
    await c.must(w.honestChallenger, { to: d.game, data: move.resolve(book.gameId, node) }, "resolve part");
    await c.must(w.honestChallenger, { to: d.game, data: move.resolve(book.gameId, root) }, "resolve root");
    await c.mineAt(p.deadline + 2n * p.clockSeconds + 1n);
    const fin = await c.send(w.attacker, { to: d.verdict, data: vcall.finalize(pid) });
    const record = await c.send(w.attacker, {
      to: d.verdict,
      data: vcall.recordResult(pid, leaves[0], resultTree(leaves).proofs[0]),
    });
    for (const who of [w.honestChallenger, w.attacker]) {
      await c.must(who, { to: d.game, data: move.withdraw() }, "withdraw game");
    }
    await c.must(w.attacker, { to: d.verdict, data: vcall.withdraw() }, "withdraw stake");

    const status = (await getProposal(c, d, pid)).status;
    const [final] = await resultOf(c, d, jobId);
    const refunds = (await readGameEvents(c, d)).filter(
      (e) => e.eventName === "NodeResolved" && Number(e.args.status) === 5,
    );
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const honestGas = meter.gas(honest);
    const won =
      status === ProposalStatus.Invalidated &&
      !final &&
      !fin.ok &&
      !record.ok &&
      turn === Turn.Resolve &&
      refunds.length === 2 &&
      honestNet === -honestGas;
    return {
      name: "guardian-invalidate",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `invalidateGame after the window (${inv.gasUsed} gas) invalidated the proposal itself: finalize ${fin.error || "ACCEPTED"}, recordResult ${record.error || "ACCEPTED"}; the wrong result never became final. ` +
        `Both challenged nodes resolved Refunded: the honest challenger got its two bonds back but paid ${eth(honestGas)} of gas and lost the reward it was about to win; the proposer got its stake and dissection bond back (proposer+guardian ${eth(attackerNet)}). ` +
        "So a guardian cannot push fraud through, but a colluding guardian lets a caught fraudster walk away for the price of gas, at the honest challenger's expense (gas, no reward).",
    };
  } finally {
    await c.stop();
  }
}

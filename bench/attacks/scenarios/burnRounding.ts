// burn-rounding: with bond × burnBps < 10^4 a burn rounded down to zero made self-challenges free.
// The setter first tries parameters that would do that (burnBps 0; a 1-wei claim bond), then sets the
// tiniest it may (1 gwei stake and claim bond, burn 1 bp). The attacker then self-challenges twice
// from its sock: on a wrong leaf of its own (the sock wins the game by the RV32IM step) and on a
// correct leaf of its own (the sock's root challenge is upheld). Every forfeited amount must burn
// at least 1 wei, so the round trips cost the attacker more than gas.

import { disputeGameAbi } from "../../../shared/src/bindings/abis.ts";
import { playDispute, resolveInOrder } from "../lib/dispute.ts";
import { interiorOf, move, openGame, readGameEvents } from "../lib/game.ts";
import {
  EXAMPLE_PARAMS,
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
import { type AttackResult, createWorld, NetMeter } from "../lib/setup.ts";

const GWEI = 10n ** 9n;

export async function burnRounding(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const zeroBurn = await c.send(w.setter, {
      to: d.verdict,
      data: vcall.setParams({ ...EXAMPLE_PARAMS, burnBps: 0 }),
    });
    const dust = await c.send(w.setter, {
      to: d.verdict,
      data: vcall.setParams({ ...EXAMPLE_PARAMS, proposerBond: 1n, claimBond: 1n, burnBps: 1 }),
    });
    await c.must(
      w.setter,
      {
        to: d.verdict,
        data: vcall.setParams({ ...EXAMPLE_PARAMS, proposerBond: GWEI, claimBond: GWEI, burnBps: 1 }),
      },
      "setParams (tiniest allowed)",
    );

    const j1 = await submitJob(c, d, w.requester, w.programId);
    const j2 = await submitJob(c, d, w.requester, w.programId);
    const attackers = [w.attacker.address, w.sock.address];
    const meter = await NetMeter.start(w, attackers);
    const fromBlock = await c.publicClient.getBlockNumber();

    // Round trip 1: a wrong leaf, lost to the sock.
    const bad = faulty(BigInt(Math.floor(echo.halt / 2)));
    const wrong = [{ jobId: j1, finalStateHash: bad(1n << 32n) }];
    const pidWrong = await propose(c, d, w.attacker, wrong);
    const g1 = await openGame(c, d, w.sock, pidWrong, wrong, 0, resultTree(wrong).proofs, 32);
    const play = await playDispute({
      c,
      d,
      book: g1.book,
      proposer: w.attacker,
      proposerTrace: bad,
      challenger: w.sock,
      challengerTrace: T,
    });
    await resolveInOrder(c, d, w.sock, g1.book.gameId, play.path.slice(0, -1).reverse());

    // Round trip 2: a correct leaf, the sock's root challenge upheld.
    const right = [{ jobId: j2, finalStateHash: T(1n << 32n) }];
    const pidRight = await propose(c, d, w.attacker, right);
    const g2 = await openGame(c, d, w.sock, pidRight, right, 0, resultTree(right).proofs, 32);
    const root = g2.book.root;
    await c.must(
      w.attacker,
      { to: d.game, data: move.dissect(g2.book.gameId, root, interiorOf(root, 4, T)), value: GWEI },
      "dissect",
    );
    await resolveInOrder(c, d, w.attacker, g2.book.gameId, [root]);
    const p2 = await getProposal(c, d, pidRight);
    await c.mineAt(p2.deadline > c.now() ? p2.deadline : c.now() + 1n);
    const game2 = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getGame",
      args: [g2.book.gameId],
    });
    const fin = game2.openedAt + 3n * p2.clockSeconds;
    if (c.now() < fin) await c.mineAt(fin);
    await c.must(w.attacker, { to: d.verdict, data: vcall.finalize(pidRight) }, "finalize");

    // Every forfeited amount burned something.
    const gameEvents = (await readGameEvents(c, d, fromBlock)).filter((e) => e.eventName === "NodeResolved");
    const burnedByNode = gameEvents.map((e) => e.args.burned as bigint);
    const verdictBurns = (await readVerdictEvents(c, d, fromBlock))
      .filter((e) => e.eventName === "Burned")
      .map((e) => e.args.amount as bigint);
    const burnedTotal = burnedByNode.reduce((s, x) => s + x, 0n) + verdictBurns.reduce((s, x) => s + x, 0n);
    let smallest = burnedByNode[0] ?? 0n;
    for (const b of burnedByNode) if (b < smallest) smallest = b;
    const attackerNet = await meter.net(attackers);
    const attackerGas = meter.gas(attackers);
    const net = attackerNet + attackerGas; // what the round trips cost apart from gas
    const won =
      !zeroBurn.ok &&
      !dust.ok &&
      (await getProposal(c, d, pidWrong)).status === ProposalStatus.Defeated &&
      burnedByNode.every((b) => b > 0n) &&
      verdictBurns.length > 0 &&
      verdictBurns.every((b) => b > 0n) &&
      net < 0n;
    return {
      name: "burn-rounding",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: "0",
      notes:
        `setParams with burnBps 0: ${zeroBurn.ok ? "ACCEPTED" : `reverted ${zeroBurn.error}`}; with 1-wei bonds: ${dust.ok ? "ACCEPTED" : `reverted ${dust.error}`} (bonds >= 1 gwei, so even a k = 64 share is >= 1.5e7 wei and its burn cannot round to 0; the burn also rounds up). ` +
        `With 1 gwei bonds and 1 bp burn the attacker lost a game to its own sock and had its sock's challenge upheld: ${burnedByNode.length} resolved nodes each burned >= 1 wei (smallest ${smallest} wei), the stake burn was ${verdictBurns.join(" + ")} wei, ${burnedTotal} wei burned in all: ` +
        `the round trips cost the proposer+sock ${-net} wei besides ${attackerGas} wei of gas. No honest party is involved (honestNetWei 0).`,
    };
  } finally {
    await c.stop();
  }
}

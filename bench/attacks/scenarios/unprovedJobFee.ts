// unproved-job-fee: a requester pays a fee for a job nobody ever proves. Before the fee timeout the
// requester cannot take it back, nor can anyone else at any time; once the timeout has passed the
// requester reclaims it. (The attacker here is anyone trying to take or lock the fee.)

import { verdictAbi } from "../../../shared/src/bindings/abis.ts";
import { readVerdictEvents, submitJob, vcall } from "../lib/protocol.ts";
import { type AttackResult, createWorld, eth, NetMeter } from "../lib/setup.ts";

const FEE = 10n ** 17n; // 0.1 ETH

export async function unprovedJobFee(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const honest = [w.requester.address];
    const attackers = [w.attacker.address];
    const meter = await NetMeter.start(w, [...honest, ...attackers]);
    const jobId = await submitJob(c, d, w.requester, w.programId, FEE);
    const job = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "getJob",
      args: [jobId],
    });

    const thief = await c.send(w.attacker, { to: d.verdict, data: vcall.reclaimFee(jobId) });
    const early = await c.send(w.requester, {
      to: d.verdict,
      data: vcall.reclaimFee(jobId),
      at: job.reclaimAt - 1n,
    });
    const thiefLate = await c.send(w.attacker, {
      to: d.verdict,
      data: vcall.reclaimFee(jobId),
      at: job.reclaimAt,
    });
    const reclaim = await c.send(w.requester, { to: d.verdict, data: vcall.reclaimFee(jobId) });
    const twice = await c.send(w.requester, { to: d.verdict, data: vcall.reclaimFee(jobId) });
    await c.must(w.requester, { to: d.verdict, data: vcall.withdraw() }, "withdraw");

    const reclaimed = (await readVerdictEvents(c, d)).filter((e) => e.eventName === "FeeReclaimed");
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const honestGas = meter.gas(honest);
    const won =
      !thief.ok &&
      !early.ok &&
      !thiefLate.ok &&
      reclaim.ok &&
      !twice.ok &&
      reclaimed.length === 1 &&
      reclaimed[0].args.fee === FEE &&
      honestNet === -honestGas;
    return {
      name: "unproved-job-fee",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `Job ${jobId} with a ${eth(FEE)} fee, never proposed. Attacker's reclaimFee: ${thief.error || "ACCEPTED"} (and again after the timeout: ${thiefLate.error || "ACCEPTED"}); ` +
        `requester 1 s before reclaimAt (submission + feeTimeout ${d.params.feeTimeout} s): ${early.error || "ACCEPTED"}; at reclaimAt: ${reclaim.ok ? "fee credited" : reclaim.error}; a second reclaim: ${twice.error || "ACCEPTED"}. ` +
        `The requester got the whole fee back and is out only its gas (${eth(honestNet)}); the attacker paid the gas of its reverted calls.`,
    };
  } finally {
    await c.stop();
  }
}

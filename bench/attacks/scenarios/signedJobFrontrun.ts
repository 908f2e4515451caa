// signed-job-frontrun: a data source attests a job input for a requester and a fee. The attacker
// copies the pending submitSignedJob from the mempool and lands it first from its own address,
// once with fee 0 (to burn the nonce) and once with the same fee. The attestation's digest binds
// msg.sender and msg.value, so both revert; then the requester's own submission goes through.

import { encodeFunctionData } from "viem";
import { rv32imAbi, verdictAbi } from "../../../shared/src/bindings/abis.ts";
import { echo, registerEcho } from "../lib/protocol.ts";
import { type AttackResult, createWorld, eth, NetMeter } from "../lib/setup.ts";

const FEE = 10n ** 16n; // 0.01 ETH

export async function signedJobFrontrun(): Promise<AttackResult> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const programId = await registerEcho(c, d, w.admin, 32, [w.dataSource.address], 2);
    const inputRoot = await c.publicClient.readContract({
      address: d.verifier,
      abi: rv32imAbi,
      functionName: "inputRoot",
      args: [echo.input],
    });
    const nonce = 7n;
    const deadline = c.now() + 3600n;
    const digest = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "attestationDigest",
      args: [programId, inputRoot, w.requester.address, FEE, nonce, deadline],
    });
    const signature = await w.dataSource.sign({ hash: digest });
    const data = encodeFunctionData({
      abi: verdictAbi,
      functionName: "submitSignedJob",
      args: [programId, echo.input, w.dataSource.address, nonce, deadline, signature],
    });
    const honest = [w.requester.address];
    const attackers = [w.attacker.address];
    const meter = await NetMeter.start(w, [...honest, ...attackers]);

    const zeroFee = await c.send(w.attacker, { to: d.verdict, data, value: 0n });
    const sameFee = await c.send(w.attacker, { to: d.verdict, data, value: FEE });
    const mine = await c.send(w.requester, { to: d.verdict, data, value: FEE });

    const jobId = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "jobCount",
    });
    const job = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "getJob",
      args: [jobId],
    });
    const used = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "nonceUsed",
      args: [w.dataSource.address, nonce],
    });
    // The fee now sits in the requester's job (paid for a proof or reclaimable), so it counts as theirs.
    const honestNet = (await meter.net(honest)) + job.fee;
    const attackerNet = await meter.net(attackers);
    const won =
      !zeroFee.ok &&
      !sameFee.ok &&
      mine.ok &&
      used &&
      job.requester.toLowerCase() === w.requester.address.toLowerCase() &&
      job.fee === FEE &&
      job.signer.toLowerCase() === w.dataSource.address.toLowerCase();
    return {
      name: "signed-job-frontrun",
      honestSideWon: won,
      attackerNetWei: attackerNet.toString(),
      honestNetWei: honestNet.toString(),
      notes:
        `Front-run with fee 0: ${zeroFee.ok ? "ACCEPTED" : `reverted ${zeroFee.error}`}; with the same fee from the attacker: ${sameFee.ok ? "ACCEPTED" : `reverted ${sameFee.error}`}. ` +
        `The requester's submission then created job ${jobId} (requester, signer and ${eth(FEE)} fee as attested; nonce used once). ` +
        `Attacker paid only the gas of its reverted copies (${eth(attackerNet)}); requester's net counts its escrowed fee as its own (${eth(honestNet)} = its gas).`,
    };
  } finally {
    await c.stop();
  }
}

// End to end at the input limit (issue 14): a job whose input is exactly the deployment's
// maxInputBytes (read from the chain's params) is submitted in one transaction that fits a block
// with room to spare, a lying proposer daemon (fault injected mid-trace) claims a wrong result
// for it, and the honest challenger daemon recomputes the job, wins the game down to the
// one-step proof at the fault, and is paid the leaf reward. One byte more is refused by the
// contract with InputTooLarge and no job is recorded. protocol/test/scenarios/InputLimit.t.sol
// measures the same submit in forge; this test shows the daemons handle such a job end to end.

import { readFileSync } from "node:fs";
import { submitJob } from "@verdict/shared/src/actions/submitJob.ts";
import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { log2Len, start } from "@verdict/shared/src/game/position.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";
import { untilAllResolved } from "./support/gameState.ts";

// echo runs ~167 steps per input byte: 256 KiB is ~43.8M steps, within 2^26.
const DEPTH = 26;
const CLOCK_SECONDS = 1800;
const DEFEATED = 3;
const NODE_DEFEATED = 3;
/** Half of anvil's 30M block: a job at the limit must leave room for other transactions. Unit: gas. */
const SUBMIT_GAS_CEILING = 15_000_000n;

/** n bytes, none zero (calldata's worst case, like the forge measurement's 0xff bytes). */
function inputOf(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => ((i * 131 + 17) % 255) + 1);
}

describe("e2e: a job at maxInputBytes", function () {
  this.timeout(600_000);
  let fx: E2EFixture;
  let maxInputBytes: number;
  before(async () => {
    fx = await setupE2E({ programs: { echo: DEPTH }, clockSeconds: CLOCK_SECONDS });
    maxInputBytes = Number((await fx.read<{ maxInputBytes: number }>("params")).maxInputBytes);
  });
  after(async () => {
    await fx?.stop();
  });

  const clients = () => ({ publicClient: fx.publicClient, walletClient: fx.wallet(KEYS.requester) });

  it("is submitted below half a block's gas, and the challenger defeats a wrong result by the one-step proof", async () => {
    const input = inputOf(maxInputBytes);
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.echo)));
    const honest = (await buildTrace({ image, input, depth: DEPTH })).result;
    expect(honest.exitCode).to.equal(0);
    expect(
      honest.steps < 1n << BigInt(DEPTH),
      `echo halts within 2^${DEPTH} (${honest.steps} steps)`,
    ).to.equal(true);
    const fault = honest.steps / 2n;

    const submitted = await submitJob(clients(), {
      verdict: fx.deployment.verdict,
      programId: fx.programIds.echo as bigint,
      input,
      feeWei: 10n ** 16n,
    });
    const { gasUsed } = await fx.publicClient.getTransactionReceipt({ hash: submitted.txHash });
    console.log(`      submitJob of ${maxInputBytes} bytes: ${gasUsed} gas`);
    expect(gasUsed < SUBMIT_GAS_CEILING, `submitJob used ${gasUsed} gas`).to.equal(true);
    const jobId = submitted.jobId;

    const sink = await startAlertSink();
    const liar = await startProposer(fx, {
      keyIndex: KEYS.dishonest,
      injectFault: fault,
      programs: ["echo"],
    });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    const me = fx.address(KEYS.challenger);
    try {
      await until(
        "the lying proposal defeated",
        async () =>
          Number(
            (await fx.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status,
          ) === DEFEATED,
        480_000,
        500,
      );
      // The liar re-proposes its wrong result after a defeat; stop it so the chain stays still.
      await liar.stop();
      expect(await fx.events("ProposalDefeated", { args: { proposalId: 1n } })).to.have.length(1);

      const games = await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
      expect(games).to.have.length(1);
      expect(games[0].args.opener).to.equal(me);
      expect(BigInt(games[0].args.jobId)).to.equal(jobId);
      const gameId = BigInt(games[0].args.gameId);
      // Won by the one-step proof, by us, exactly at the instruction that produced the fault.
      const stepped = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      expect(stepped.map((l) => l.args.stepper)).to.deep.equal([me]);
      const at = BigInt(stepped[0].args.position);
      expect(log2Len(at)).to.equal(0);
      expect(start(at)).to.equal(fault - 1n);

      // The challenger's own recomputation of the job is the honest local execution.
      const wrong = sink.alerts.filter(
        (a) => a.kind === "wrong_leaf" && String(a.data.jobId) === String(jobId),
      );
      expect(wrong.length).to.be.at.least(1);
      expect(wrong[0].data.ours).to.equal(honest.stateHash);
      expect(wrong[0].data.claimed).to.not.equal(honest.stateHash);

      // Once the clocks run out the tree resolves, every node we challenged Defeated, and the
      // proposal's stake (net of the burn) is credited to us as the leaf reward.
      await fx.advance(CLOCK_SECONDS + 1);
      await untilAllResolved(fx, { gameIds: [gameId] });
      for (const l of await fx.events("NodeResolved", { contract: "game", args: { gameId } })) {
        expect(l.args.challenger).to.equal(me);
        expect(Number(l.args.status), `node ${l.args.position}`).to.equal(NODE_DEFEATED);
      }
      const params = await fx.read<{ proposerBond: bigint; burnBps: number }>("params");
      const burn = (params.proposerBond * BigInt(params.burnBps) + 9_999n) / 10_000n;
      const rewards = await fx.events("LeafRewardPaid", { args: { proposalId: 1n } });
      expect(rewards.map((l) => l.args.opener)).to.deep.equal([me]);
      expect(BigInt(rewards[0].args.amount)).to.equal(params.proposerBond - burn);
      expect(sink.alerts.some((a) => a.kind === "game_lost")).to.equal(false);
    } finally {
      await ch.stop();
      await liar.stop();
      await sink.close();
    }
  });

  it("one byte more is refused with InputTooLarge and records no job", async () => {
    const jobs0 = await fx.read<bigint>("jobCount");
    let err: unknown;
    try {
      await submitJob(clients(), {
        verdict: fx.deployment.verdict,
        programId: fx.programIds.echo as bigint,
        input: inputOf(maxInputBytes + 1),
        feeWei: 10n ** 16n,
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ContractRevertError);
    const revert = err as ContractRevertError;
    expect(revert.errorName).to.equal("InputTooLarge");
    expect(revert.errorArgs.map((a) => BigInt(a as bigint))).to.deep.equal([
      BigInt(maxInputBytes + 1),
      BigInt(maxInputBytes),
    ]);
    expect(await fx.read<bigint>("jobCount")).to.equal(jobs0);
  });
});

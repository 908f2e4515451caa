// The proposer defends its (honest) proposals against scripted dishonest
// challengers on a real anvil: games decided by the one-step proof at several
// depths and positions (before and after the guest halts), games won on time
// against challengers that go silent at different rounds, a proposer killed
// and restarted mid-game (with its cache wiped), and RPC failures injected
// between the proposer and the node.

import { readFileSync, rmSync } from "node:fs";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { createGamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import { buildResultTree } from "@verdict/shared/src/game/resultTree.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import type { Abi } from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { openDishonestGame, proposalLeaves } from "./testing/dishonestChallenger.ts";
import { type ChainFixture, setupChain, until } from "./testing/setupChain.ts";
import { PROPOSER_KEY_INDEX, startTestProposer, type TestProposer } from "./testing/startTestProposer.ts";

function inputOf(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
}

describe("proposer games (anvil, real contracts)", function () {
  this.timeout(300_000);
  let fx: ChainFixture;
  const me = () => privateKeyToAddress(fx.anvil.privateKeys[PROPOSER_KEY_INDEX]);
  const gameStatus = async (gameId: bigint) =>
    Number((await fx.read<{ status: number }>("getGame", [gameId])).status);
  const PROPOSER_WON = 3;

  before(async () => {
    fx = await setupChain({ k: 4, depth: 10, challengeWindowSeconds: 600, clockSeconds: 3600 });
  });
  after(async () => fx?.stop());

  async function proposeJobs(
    t: TestProposer,
    inputs: Uint8Array[],
  ): Promise<{ proposalId: bigint; jobIds: bigint[] }> {
    const jobIds: bigint[] = [];
    for (const inp of inputs) jobIds.push(await fx.submitJob(inp));
    const prop = await until("a proposal of the new jobs", () =>
      t.proposer.state().proposals.find((p) => p.jobIds.includes(jobIds[0])),
    );
    expect(prop.jobIds).to.deep.equal(jobIds);
    return { proposalId: prop.id, jobIds };
  }

  it("wins every game against dishonest challengers (step at several positions, timeouts at several rounds) and collects the bonds", async () => {
    const t = await startTestProposer(fx, { batchSize: "4", maxWaitSeconds: "60" });
    try {
      const inputs = [10, 20, 30, 40].map(inputOf);
      const { proposalId } = await proposeJobs(t, inputs);
      const creditBefore = await fx.read<bigint>("credit", [me()]);
      // Step-decided games: the lie starts at the first step, mid-run, after the halt, at the very end.
      const stepped = await Promise.all(
        [
          { keyIndex: 2, leafIndex: 0, faultFrom: 1n },
          { keyIndex: 3, leafIndex: 1, faultFrom: 100n },
          { keyIndex: 4, leafIndex: 2, faultFrom: 600n },
          { keyIndex: 5, leafIndex: 3, faultFrom: 1024n },
        ].map((g) => openDishonestGame({ fx, proposalId, input: inputs[g.leafIndex], ...g })),
      );
      // Timeout-decided games: silent from the start, and after two picks.
      const silent = await Promise.all(
        [
          { keyIndex: 6, leafIndex: 0, faultFrom: 7n, silentAfterMoves: 0 },
          { keyIndex: 7, leafIndex: 1, faultFrom: 300n, silentAfterMoves: 2 },
        ].map(async (g) => ({
          ...g,
          c: await openDishonestGame({ fx, proposalId, input: inputs[g.leafIndex], ...g }),
        })),
      );
      const results = await Promise.all(stepped.map((c) => c.play()));
      expect(results).to.deep.equal(["ProposerWon", "ProposerWon", "ProposerWon", "ProposerWon"]);
      const silentResults = await Promise.all(
        silent.map((s) => s.c.play({ silentAfterMoves: s.silentAfterMoves })),
      );
      expect(silentResults).to.deep.equal(["silent", "silent"]);
      // Both silent challengers are on move (the proposer answered); their clocks run out.
      await until("silent games waiting on the challenger", async () => {
        for (const s of silent) {
          const [turn] = await fx.read<readonly [number, bigint]>("gameTurn", [s.c.gameId]);
          if (turn !== 2) return false; // Pick
        }
        return true;
      });
      await fx.advance(3601);
      await until("timeouts claimed", async () => {
        for (const s of silent) if ((await gameStatus(s.c.gameId)) !== PROPOSER_WON) return false;
        return true;
      });
      // 6 bonds of 0.5 ETH minus the 10 % burn, then the proposal bond and the 4 fees once it
      // finalizes and the results are recorded (finalize and record are separate transactions, so
      // wait for the credits themselves, not only for the finalized status).
      const expected = 6n * 45n * 10n ** 16n + 10n ** 18n + 4n * 10n ** 16n;
      const creditedSoFar = async () => {
        const logs = await fx.publicClient.getContractEvents({
          address: fx.deployment.verdict,
          abi: verdictAbi as Abi,
          eventName: "Credited",
          args: { account: me() },
          fromBlock: 0n,
        });
        return logs.reduce((s, l) => s + (l as unknown as { args: { amount: bigint } }).args.amount, 0n);
      };
      await until("proposal finalized, results recorded and everything withdrawn", async () => {
        const p = await fx.read<{ status: number }>("getProposal", [proposalId]);
        if (Number(p.status) !== 2) return false;
        if ((await creditedSoFar()) - creditBefore < expected) return false;
        return (await fx.read<bigint>("credit", [me()])) === 0n;
      });
      const credited = await creditedSoFar();
      expect(credited - creditBefore).to.equal(expected);
      expect((await t.metrics.gamesWon.get()).values[0].value).to.equal(6);
      const moves = (await t.metrics.movesSent.get()).values;
      expect(moves.find((v) => v.labels.kind === "claimTimeout")?.value).to.equal(2);
      expect(moves.find((v) => v.labels.kind === "dissect")?.value ?? 0).to.be.greaterThan(4);
    } finally {
      await t.stop();
    }
  });

  it("killed and restarted mid-game (cache wiped), it still wins", async () => {
    let t = await startTestProposer(fx, { batchSize: "1" });
    const input = inputOf(25);
    const { proposalId } = await proposeJobs(t, [input]);
    const c = await openDishonestGame({ fx, keyIndex: 8, proposalId, leafIndex: 0, input, faultFrom: 77n });
    // Let the proposer answer the opening, then kill it.
    await until(
      "first dissection",
      async () => (await fx.read<readonly [number, bigint]>("gameTurn", [c.gameId]))[0] === 2,
    );
    await t.stop();
    rmSync(t.config.dataDir, { recursive: true, force: true });
    // The challenger picks while the proposer is down.
    expect(await c.play({ silentAfterMoves: 1 })).to.equal("silent");
    t = await startTestProposer(fx, { batchSize: "1" });
    try {
      expect(await c.play()).to.equal("ProposerWon");
    } finally {
      await t.stop();
    }
  });

  it("wins through an RPC proxy that fails, loses responses and delays requests", async () => {
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, seed: 42 });
    const t = await startTestProposer(fx, { batchSize: "1" }, { rpcUrl: proxy.url });
    try {
      proxy.set({ errorRate: 0.1, rpcErrorRate: 0.05, lostResponseRate: 0.05, delayRate: 0.2, delayMs: 100 });
      const input = inputOf(33);
      const { proposalId } = await proposeJobs(t, [input]);
      const c = await openDishonestGame({
        fx,
        keyIndex: 10,
        proposalId,
        leafIndex: 0,
        input,
        faultFrom: 150n,
      });
      expect(await c.play()).to.equal("ProposerWon");
      expect(proxy.stats.errors + proxy.stats.rpcErrors + proxy.stats.lostResponses).to.be.greaterThan(0);
      const rpcErrors = (await t.metrics.rpcErrors.get()).values.reduce((s, v) => s + v.value, 0);
      expect(rpcErrors).to.be.greaterThan(0);
    } finally {
      await t.stop();
      await proxy.close();
    }
  });

  it("in fault-injection mode (--inject-fault) it posts a wrong result and loses to an honest challenger", async () => {
    const t = await startTestProposer(fx, { batchSize: "1", injectFault: "40" }, { keyIndex: 11 });
    try {
      const input = inputOf(12);
      const { proposalId, jobIds } = await proposeJobs(t, [input]);
      const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
      const honest = await buildTrace({ image, input, depth: fx.depth });
      const leaves = await proposalLeaves(fx, proposalId);
      expect(leaves[0].jobId).to.equal(jobIds[0]);
      expect(leaves[0].finalStateHash).to.not.equal(honest.result.stateHash);

      // An honest challenger built from the shared player (role "challenger").
      const account = privateKeyToAccount(fx.anvil.privateKeys[1]);
      const { publicClient } = await createChainClients({
        rpcUrl: fx.anvil.rpcUrl,
        account,
        pollingIntervalMs: 50,
      });
      const logger = createLogger({ level: "silent" });
      const sender = createTxSender({ publicClient, account, logger, pollMs: 25 });
      const params = await fx.read<{ challengerBond: bigint }>("params");
      await sender.send({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        functionName: "openGame",
        args: [proposalId, leaves[0], buildResultTree(leaves).proof(0)],
        value: params.challengerBond,
      });
      const gameId = await fx.read<bigint>("gameCount");
      const player = createGamePlayer({
        role: "challenger",
        publicClient,
        sender,
        verdict: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        logger,
        traceFor: async () => honest,
      });
      const r = await until("game decided", async () => {
        const x = await player.progress(gameId);
        return x.done ? x : undefined;
      });
      expect(r.view.status).to.equal("ChallengerWon");
      expect(Number((await fx.read<{ status: number }>("getProposal", [proposalId])).status)).to.equal(3); // Defeated
      await until(
        "proposer counted the loss",
        async () => ((await t.metrics.gamesLost.get()).values[0]?.value ?? 0) === 1,
      );
    } finally {
      await t.stop();
    }
  });
});

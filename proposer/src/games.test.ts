// The proposer defends its (honest) proposals against scripted dishonest
// challengers on a real anvil: games decided by the one-step proof at several
// positions (before and after the guest halts), games won on time against
// challengers that go silent at different rounds, several challengers in one
// game (each node dissected once), a proposer killed and restarted mid-game
// (with its cache wiped), and RPC failures injected between the proposer and
// the node; and, staged dishonest, it loses to the real challenger's solver.

import { readFileSync, rmSync } from "node:fs";
import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { createGamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import { createGameTreeReader } from "@verdict/shared/src/game/createGameTreeReader.ts";
import { createResponder } from "@verdict/shared/src/game/createResponder.ts";
import { createResponderChain } from "@verdict/shared/src/game/createResponderChain.ts";
import { log2Of, rootPosition } from "@verdict/shared/src/game/position.ts";
import { buildResultTree } from "@verdict/shared/src/game/resultTree.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import type { Abi, Address } from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { openDishonestGame, proposalLeaves } from "./testing/dishonestChallenger.ts";
import { type ChainFixture, setupChain, until } from "./testing/setupChain.ts";
import { PROPOSER_KEY_INDEX, startTestProposer, type TestProposer } from "./testing/startTestProposer.ts";

function inputOf(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
}

const UPHELD = 4;
const DEFEATED = 3;

describe("proposer games (anvil, real contracts)", function () {
  this.timeout(300_000);
  let fx: ChainFixture;
  const me = () => privateKeyToAddress(fx.anvil.privateKeys[PROPOSER_KEY_INDEX]);
  const rootStatus = async (gameId: bigint) => {
    const g = await fx.readGame<{ depth: number }>("getGame", [gameId]);
    return Number(
      (await fx.readGame<{ status: number }>("getNode", [gameId, rootPosition(Number(g.depth))])).status,
    );
  };
  const events = async (eventName: string, args?: Record<string, unknown>) =>
    (await fx.publicClient.getContractEvents({
      address: fx.deployment.disputeGame,
      abi: disputeGameAbi as Abi,
      eventName,
      args,
      fromBlock: 0n,
    } as never)) as unknown as { args: Record<string, unknown> }[];

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

  it("wins every game against dishonest challengers (steps at several positions, timeouts, several challengers in one game), dissecting each node once, and collects the bonds", async () => {
    const t = await startTestProposer(fx, { batchSize: "6", maxWaitSeconds: "60" });
    try {
      const inputs = [10, 20, 30, 40, 50, 60].map(inputOf);
      const { proposalId } = await proposeJobs(t, inputs);
      // Step-decided games: the lie starts at the first step, mid-run, after the halt, at the very end;
      // on leaf 0 a second liar with another fault joins the same game.
      const stepped = await Promise.all(
        [
          { keyIndex: 2, leafIndex: 0, faultFrom: 1n },
          { keyIndex: 3, leafIndex: 1, faultFrom: 100n },
          { keyIndex: 4, leafIndex: 2, faultFrom: 600n },
          { keyIndex: 5, leafIndex: 3, faultFrom: 1024n },
        ].map((g) => openDishonestGame({ fx, proposalId, input: inputs[g.leafIndex], ...g })),
      );
      const joiner = await openDishonestGame({
        fx,
        proposalId,
        input: inputs[0],
        keyIndex: 6,
        leafIndex: 0,
        faultFrom: 300n,
      });
      expect(joiner.gameId).to.equal(stepped[0].gameId);
      // Timeout-decided games: silent from the start, and after two challenges.
      const silent = await Promise.all(
        [
          { keyIndex: 7, leafIndex: 4, faultFrom: 7n, silentAfterMoves: 0 },
          { keyIndex: 8, leafIndex: 5, faultFrom: 300n, silentAfterMoves: 2 },
        ].map(async (g) => ({
          ...g,
          c: await openDishonestGame({ fx, proposalId, input: inputs[g.leafIndex], ...g }),
        })),
      );
      const results = await Promise.all([...stepped, joiner].map((c) => c.play()));
      expect(results).to.deep.equal(["Upheld", "Upheld", "Upheld", "Upheld", "Upheld"]);
      const silentResults = await Promise.all(
        silent.map((s) => s.c.play({ silentAfterMoves: s.silentAfterMoves })),
      );
      expect(silentResults).to.deep.equal(["silent", "silent"]);
      // Each challenged node of length > 1 is dissected exactly once, however many challengers.
      const lengthy = async () =>
        (await events("NodeChallenged")).filter((e) => (BigInt(e.args.position as bigint) & 0xffn) > 0n)
          .length;
      const dissectedNodes = async () =>
        (await events("NodeDissected")).map((e) => `${e.args.gameId}:${e.args.position}`);
      await until(
        "every challenged node dissected",
        async () => (await dissectedNodes()).length === (await lengthy()),
      );
      const dissected = await dissectedNodes();
      expect(new Set(dissected).size).to.equal(dissected.length);
      // The challengers' clocks run out; every node resolves Upheld, bottom-up, roots last.
      await fx.advance(3700);
      const gameIds = [...new Set([...stepped, ...silent.map((s) => s.c)].map((c) => c.gameId))];
      await until(
        "every root upheld",
        async () => {
          for (const id of gameIds) if ((await rootStatus(id)) !== UPHELD) return false;
          return true;
        },
        120_000,
        200,
      );
      for (const e of await events("NodeResolved"))
        expect(Number(e.args.status), `${e.args.position}`).to.equal(UPHELD);
      // Never loses money by being right: every bond it posted came back, plus the challengers'.
      const { claimBond } = await fx.read<{ claimBond: bigint }>("params");
      const k = BigInt(await fx.readGame<bigint>("K"));
      const posted = (BigInt(dissected.length) * BigInt(claimBond)) / k;
      const credited = (await events("Credited", { account: me() })).reduce(
        (s, e) => s + (e.args.amount as bigint),
        0n,
      );
      expect(credited > posted).to.equal(true);
      // The proposal finalizes three clocks after its last game opened (two of play, one to resolve a
      // proposer timeout); then both ledgers are emptied.
      await fx.advance(2 * 3700);
      await until(
        "finalized, and both ledgers withdrawn",
        async () => {
          const p = await fx.read<{ status: number }>("getProposal", [proposalId]);
          if (Number(p.status) !== 2) return false;
          return (
            (await fx.readGame<bigint>("credit", [me()])) === 0n &&
            (await fx.read<bigint>("credit", [me()])) === 0n
          );
        },
        120_000,
        200,
      );
      expect((await t.metrics.gamesWon.get()).values[0].value).to.equal(gameIds.length);
      const moves = (await t.metrics.movesSent.get()).values;
      expect(moves.find((v) => v.labels.kind === "dissect")?.value).to.equal(dissected.length);
      expect(moves.find((v) => v.labels.kind === "challenge")).to.equal(undefined);
    } finally {
      await t.stop();
    }
  });

  it("killed and restarted mid-game (cache wiped), it still wins", async () => {
    let t = await startTestProposer(fx, { batchSize: "1" });
    const input = inputOf(25);
    const { proposalId } = await proposeJobs(t, [input]);
    const c = await openDishonestGame({ fx, keyIndex: 10, proposalId, leafIndex: 0, input, faultFrom: 77n });
    // Let the proposer answer the opening, then kill it.
    await until(
      "first dissection",
      async () => (await events("NodeDissected", { gameId: c.gameId })).length > 0,
    );
    await t.stop();
    rmSync(t.config.dataDir, { recursive: true, force: true });
    // The challenger challenges while the proposer is down.
    expect(await c.play({ silentAfterMoves: 1 })).to.equal("silent");
    t = await startTestProposer(fx, { batchSize: "1" });
    try {
      expect(await c.play()).to.equal("Upheld");
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
      expect(await c.play()).to.equal("Upheld");
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

      // An honest challenger built from the shared player (role "challenger") and responder.
      const account = privateKeyToAccount(fx.anvil.privateKeys[1]);
      const { publicClient } = await createChainClients({
        rpcUrl: fx.anvil.rpcUrl,
        account,
        pollingIntervalMs: 50,
      });
      const logger = createLogger({ level: "silent" });
      const sender = createTxSender({ publicClient, account, logger, pollMs: 25 });
      const game = fx.deployment.disputeGame;
      const responder = createResponder({
        chain: createResponderChain({ publicClient, sender, game }),
        logger,
        now: () => 0n,
      });
      const { claimBond } = await fx.read<{ claimBond: bigint }>("getProposal", [proposalId]);
      responder.submit("open", await publicClient.getBlockNumber(), [
        {
          type: "openGame",
          proposalId,
          leaf: leaves[0],
          proof: buildResultTree(leaves).proof(0),
          deadline: undefined,
          bond: BigInt(claimBond),
        },
      ]);
      await responder.flush();
      const gameId = await fx.readGame<bigint>("gameCount");
      const opened = (await events("GameOpened", { gameId }))[0] as unknown as { blockNumber: bigint };
      const player = createGamePlayer({
        role: "challenger",
        me: account.address as Address,
        reader: createGameTreeReader({ publicClient, game, log2K: log2Of(await fx.readGame<bigint>("K")) }),
        responder,
        logger,
        traceFor: async () => honest,
      });
      await until(
        "the leaf's node stepped",
        async () => {
          await player.progress({ gameId, opener: account.address, openedBlock: opened.blockNumber });
          await responder.flush();
          return (await events("NodeStepped", { gameId })).length > 0;
        },
        120_000,
        100,
      );
      expect(Number((await fx.read<{ status: number }>("getProposal", [proposalId])).status)).to.equal(3); // Defeated
      await fx.advance(3700);
      await until(
        "root defeated",
        async () => {
          await player.progress({ gameId, opener: account.address, openedBlock: opened.blockNumber });
          await responder.flush();
          return (await rootStatus(gameId)) === DEFEATED;
        },
        120_000,
        100,
      );
      await until(
        "proposer counted the loss",
        async () => ((await t.metrics.gamesLost.get()).values[0]?.value ?? 0) === 1,
      );
    } finally {
      await t.stop();
    }
  });
});

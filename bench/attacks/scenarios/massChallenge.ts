// mass-challenge-N: an attacker challenges a correct leaf with N simultaneous challenges and keeps N
// outstanding at every level of the claim tree down to length 1, always on the parts of the nodes
// the proposer dissected last (they carry the most proposer time, so the wave after them is the
// hardest to meet). It opens the game in the last block of the window. The honest proposer answers
// every wave with batched dissections (earliest deadline first), then resolves every node and
// finalizes. Blocks are 12 s and each transaction is one block of at most 30M gas; the proposer only
// starts answering once the attacker's whole wave is mined (pessimistic for the proposer).

import { decodeEventLog, encodeFunctionData, type Hex, testActions } from "viem";
import { disputeGameAbi, verdictAbi } from "../../../shared/src/bindings/abis.ts";
import {
  Batcher,
  type BatchResult,
  child,
  GameBook,
  gameEvents,
  levels,
  log2Len,
  log2Parts,
  move,
  readGameEvents,
  start,
} from "../lib/game.ts";
import {
  getProposal,
  NodeStatus,
  ProposalStatus,
  propose,
  resultTree,
  stepData,
  submitJob,
  T,
} from "../lib/protocol.ts";
import { type AttackResult, createWorld, eth, NetMeter, type World } from "../lib/setup.ts";
import { createStockProposer } from "../lib/stockProposer.ts";

/**
 * The proposer's --gas-budget here: the bench chain's block gas (the daemon's default is 10M; with it
 * the 1024 wave used 1224 s of the 1800 s clock, see README).
 */
export const STOCK_GAS_BUDGET = 30_000_000n;

export type MassChallengeMeasure = {
  /** Gas per dissection in the proposer's full batches (≥ 100 moves). */
  perDissectionGas: bigint;
  /** Gas per challenge in the attacker's full batches (≥ 100 moves). */
  perChallengeGas: bigint;
  /** Largest proposer path time used on any node. Unit: seconds. */
  maxProposerPathSeconds: bigint;
  challenges: number;
  dissections: number;
};

export type MassChallengeOptions = {
  /** The honest proposer's whole balance before it proposes (default: the dev account's 10,000 ETH). Unit: wei. */
  proposerCapitalWei?: bigint;
  name?: string;
};

export async function massChallenge(
  n: number,
  opts: MassChallengeOptions = {},
): Promise<{ result: AttackResult; measure: MassChallengeMeasure }> {
  const w = await createWorld();
  const { c, d } = w;
  try {
    const jobId = await submitJob(c, d, w.requester, w.programId);
    const leaves = [{ jobId, finalStateHash: T(1n << 32n) }];
    const honest = [w.honestProposer.address];
    const attackers = [w.attacker.address];
    if (opts.proposerCapitalWei !== undefined) {
      await c.publicClient
        .extend(testActions({ mode: "anvil" }))
        .setBalance({ address: w.honestProposer.address, value: opts.proposerCapitalWei });
    }
    const meter = await NetMeter.start(w, [...honest, ...attackers]);
    const pid = await propose(c, d, w.honestProposer, leaves);
    const proposal = await getProposal(c, d, pid);
    const proposer = await createStockProposer(w, w.honestProposer, new Set([pid]), STOCK_GAS_BUDGET);
    const attackerBatcher = new Batcher(c, d, c.blockGasLimit, 70_000n);
    const log2k = Math.log2(d.k);
    let challenges = 1;
    let perChallengeGas = 0n;

    // The attacker opens the game in the last block of the window.
    const { proofs } = resultTree(leaves);
    await c.must(
      w.attacker,
      {
        to: d.game,
        data: move.open(pid, leaves[0], proofs[0]),
        value: d.params.claimBond,
        at: proposal.deadline - 1n,
      },
      "openGame",
    );
    const gameId = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "gameCount",
    });
    const book = new GameBook(gameId, 32, log2k, leaves[0].finalStateHash);
    let lastWave: bigint[] = [book.root];

    for (;;) {
      const answered = await proposer.respond();
      // The parents of the next wave: the nodes dissected last (latest first).
      const dissected: bigint[] = [];
      for (const tx of answered) {
        for (const l of tx.receipt.logs) {
          try {
            const e = decodeEventLog({ abi: disputeGameAbi, data: l.data, topics: l.topics });
            if (e.eventName === "NodeDissected") {
              dissected.push(e.args.position);
              book.dissected(e.args.position, [...e.args.interior] as Hex[]);
            }
          } catch {
            // another event
          }
        }
      }
      if (dissected.length === 0) break;
      const wave: { parent: bigint; index: number }[] = [];
      for (const parent of dissected.reverse()) {
        const parts = 1 << log2Parts(parent, log2k);
        for (let i = 0; i < parts && wave.length < n; i++) wave.push({ parent, index: i });
        if (wave.length >= n) break;
      }
      const r = await attackerBatcher.send(
        w.attacker,
        wave.map((x) => move.challenge(gameId, x.parent, x.index)),
        d.params.claimBond,
        "challenge wave",
      );
      perChallengeGas = maxPerMove([r], perChallengeGas);
      challenges += wave.length;
      lastWave = wave.map((x) => child(x.parent, x.index, log2k));
    }

    // N = 1: the liar also executes the step at the bottom; the real RV32IM step upholds the proposer.
    let stepNote = "";
    if (n === 1 && log2Len(lastWave[0]) === 0) {
      const node = lastWave[0];
      const { stateData, proof } = stepData(start(node));
      const s = await c.must(
        w.attacker,
        { to: d.game, data: move.step(gameId, node, book.ancestry(node), stateData, proof) },
        "step",
      );
      stepNote = ` The attacker executed the RV32IM step at trace position ${start(node)} (${s.gasUsed} gas): post-state = the proposer's hash, node Upheld.`;
    }

    // Every clock has run out by openedAt + 2 clocks: resolve everything; finalize from openedAt + 3
    // clocks (one more clock lets a challenger resolve a proposer timeout), record.
    const game = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getGame",
      args: [gameId],
    });
    await c.mineAt(game.openedAt + 3n * d.params.clockSeconds + 1n);
    // Whatever the proposer failed to dissect is now lost on time: the attacker resolves every open
    // node bottom-up (timeouts first), then the proposer collects what it won.
    const open = (await readGameEvents(c, d)).filter((e) => e.eventName === "NodeChallenged");
    const alreadyResolved = new Set(
      (await readGameEvents(c, d))
        .filter((e) => e.eventName === "NodeResolved")
        .map((e) => e.args.position as bigint),
    );
    const timedOut = await undissected(
      c,
      d,
      gameId,
      open.map((e) => e.args.position as bigint),
    );
    if (timedOut.length > 0) {
      const todo = open
        .map((e) => e.args.position as bigint)
        .filter((p) => !alreadyResolved.has(p))
        .sort((x, y) => log2Len(x) - log2Len(y));
      await attackerBatcher.send(
        w.attacker,
        todo.map((p) => move.resolve(gameId, p)),
        0n,
        "attacker resolutions",
      );
    }
    await proposer.respond();
    const fin = await c.send(w.honestProposer, {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "finalize", args: [pid] }),
    });
    if (fin.ok) {
      await c.must(
        w.honestProposer,
        {
          to: d.verdict,
          data: encodeFunctionData({
            abi: verdictAbi,
            functionName: "recordResult",
            args: [pid, leaves[0], proofs[0]],
          }),
        },
        "recordResult",
      );
    }
    for (const who of [w.honestProposer, w.attacker]) {
      await c.send(who, { to: d.game, data: move.withdraw() });
      await c.send(who, {
        to: d.verdict,
        data: encodeFunctionData({ abi: verdictAbi, functionName: "withdraw" }),
      });
    }

    // Judge from chain state.
    const events = await readGameEvents(c, d);
    const resolved = events.filter((e) => e.eventName === "NodeResolved" && e.args.gameId === gameId);
    const defeated = resolved.filter((e) => Number(e.args.status) === NodeStatus.Defeated).length;
    const upheld = resolved.filter((e) => Number(e.args.status) === NodeStatus.Upheld).length;
    const challenged = events.filter(
      (e) => e.eventName === "NodeChallenged" && e.args.gameId === gameId,
    ).length;
    const [final, hash, recordedFrom] = await c.publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "result",
      args: [jobId],
    });
    const status = (await getProposal(c, d, pid)).status;
    const honestNet = await meter.net(honest);
    const attackerNet = await meter.net(attackers);
    const won =
      status === ProposalStatus.Finalized &&
      final &&
      hash === T(1n << 32n) &&
      recordedFrom === pid &&
      defeated === 0 &&
      upheld === challenged &&
      honestNet > 0n;
    const dissections = dissectedCount(events, gameId);
    // Gas per dissection in the proposer's transactions that carried >= 100 dissections and nothing else.
    let perDissectionGas = 0n;
    for (const tx of proposer.sent) {
      const evs = gameEvents(d, tx.receipt.logs);
      const nd = evs.filter((e) => e.eventName === "NodeDissected").length;
      if (
        nd >= 100 &&
        !evs.some((e) => e.eventName === "NodeResolved") &&
        tx.gasUsed / BigInt(nd) > perDissectionGas
      ) {
        perDissectionGas = tx.gasUsed / BigInt(nd);
      }
    }
    let maxPath = 0n;
    for (const e of events) {
      if (e.eventName === "NodeDissected" && (e.args.proposerUsed as bigint) > maxPath)
        maxPath = e.args.proposerUsed as bigint;
    }
    const L = levels(32, log2k);
    return {
      result: {
        name: opts.name ?? `mass-challenge-${n}`,
        honestSideWon: won,
        attackerNetWei: attackerNet.toString(),
        honestNetWei: honestNet.toString(),
        notes:
          `${challenges} challenges (a wave of up to ${n} on every level the proposer opened by dissecting, down to length 1 (${L + 1} node levels), always on the parts of the last-dissected nodes; game opened 1 s before the window closed), ` +
          `${dissections} dissections by the stock proposer's game code (proposer/src/games/createDefender.ts on shared/src/game: tree reader, proposer solver, deadline-first scheduler, batching responder; --gas-budget 30M, so <= 30M gas per multicall, sent one at a time, one 12 s block each), which starts answering only after the attacker's whole wave is mined${proposer.failures() ? ` (${proposer.failures()} of its ticks failed and were retried)` : ""}. ` +
          (opts.proposerCapitalWei !== undefined
            ? `Capital: the proposer started with ${eth(opts.proposerCapitalWei)} (stake included); every challenge locks the ${eth(d.params.claimBond)} claim bond and every dissection a k-th of it (${eth(d.params.claimBond / BigInt(d.k))}) until the game ends, so the attacker locked ${eth(BigInt(challenges) * d.params.claimBond)} against the proposer's ${eth((BigInt(dissections) * d.params.claimBond) / BigInt(d.k))} of dissection bonds (${Number((BigInt(challenges) * 100n * BigInt(d.k)) / BigInt(Math.max(dissections, 1))) / 100}:1); ${timedOut.length} challenged nodes were never dissected (proposer timeouts). `
            : "") +
          `${challenged} challenged nodes: ${upheld} resolved Upheld, ${defeated} Defeated; proposal ${statusName(status)}${final ? ", result recorded" : `, no result (finalize: ${fin.error || "ok"})`}. ` +
          `Largest proposer path time ${maxPath} s of the ${d.params.clockSeconds} s clock. Attacker ${eth(attackerNet)}, proposer ${eth(honestNet)} (gas at ${c.gasPriceWei / 10n ** 9n} gwei included).` +
          stepNote,
      },
      measure: {
        perDissectionGas,
        perChallengeGas,
        maxProposerPathSeconds: maxPath,
        challenges,
        dissections,
      },
    };
  } finally {
    await c.stop();
  }
}

/** Challenged nodes of length > 1 still undissected (status Challenged). */
async function undissected(
  c: World["c"],
  d: World["d"],
  gameId: bigint,
  positions: bigint[],
): Promise<bigint[]> {
  const out: bigint[] = [];
  for (const p of positions) {
    if (log2Len(p) === 0) continue;
    const node = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "getNode",
      args: [gameId, p],
    });
    if (node.status === NodeStatus.Challenged) out.push(p);
  }
  return out;
}

const dissectedCount = (
  events: { eventName: string; args: Record<string, unknown> }[],
  gameId: bigint,
): number => events.filter((e) => e.eventName === "NodeDissected" && e.args.gameId === gameId).length;

/** Largest gas per move over the transactions that carried at least 100 moves. */
function maxPerMove(batches: BatchResult[], floor: bigint): bigint {
  let best = floor;
  for (const b of batches) {
    b.txs.forEach((tx, i) => {
      const moves = b.sizes[i];
      if (moves >= 100 && tx.gasUsed / BigInt(moves) > best) best = tx.gasUsed / BigInt(moves);
    });
  }
  return best;
}

const statusName = (s: number): string =>
  Object.entries(ProposalStatus).find(([, v]) => v === s)?.[0] ?? String(s);

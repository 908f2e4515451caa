// A scripted DISHONEST challenger for the proposer's tests: it opens a game on
// an honest leaf and plays from a trace corrupted from some step on, picking
// with the shared solver and stepping without the solver's safety check (an
// honest challenger would refuse that step). It can also go silent after a
// number of moves, so the proposer has to win on time.

import { readFileSync } from "node:fs";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender, type TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { start } from "@verdict/shared/src/game/position.ts";
import { readGameView } from "@verdict/shared/src/game/readGameView.ts";
import { buildResultTree, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { solve } from "@verdict/shared/src/game/solve.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { buildTrace, type TraceProvider, withFault } from "@verdict/shared/src/machine/trace.ts";
import { type Abi, type Address, bytesToHex, decodeEventLog, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainFixture } from "./setupChain.ts";

const abi = verdictAbi as Abi;

/** Leaves of a proposal, from its Proposed event. */
export async function proposalLeaves(fx: ChainFixture, proposalId: bigint): Promise<ResultLeaf[]> {
  const logs = await fx.publicClient.getContractEvents({
    address: fx.deployment.verdict,
    abi,
    eventName: "Proposed",
    args: { proposalId },
    fromBlock: 0n,
  });
  const a = (logs[0] as unknown as { args: { leaves: ResultLeaf[] } }).args;
  return a.leaves.map((l) => ({ jobId: l.jobId, finalStateHash: l.finalStateHash }));
}

export type DishonestChallenger = {
  gameId: bigint;
  /** Plays until the game ends (returns its status) or the challenger goes silent ("silent"). */
  play: (opts?: { silentAfterMoves?: number; signal?: AbortSignal }) => Promise<string>;
};

export async function openDishonestGame(p: {
  fx: ChainFixture;
  keyIndex: number;
  proposalId: bigint;
  leafIndex: number;
  input: Uint8Array;
  faultFrom: bigint;
  rpcUrl?: string;
}): Promise<DishonestChallenger> {
  const { fx } = p;
  const account = privateKeyToAccount(fx.anvil.privateKeys[p.keyIndex]);
  const { publicClient } = await createChainClients({
    rpcUrl: p.rpcUrl ?? fx.anvil.rpcUrl,
    account,
    pollingIntervalMs: 50,
  });
  const sender: TxSender = createTxSender({
    publicClient,
    account,
    logger: createLogger({ level: "silent" }),
    pollMs: 25,
  });
  const leaves = await proposalLeaves(fx, p.proposalId);
  const tree = buildResultTree(leaves);
  const params = await fx.read<{ challengerBond: bigint }>("params");
  const receipt = await sender.send({
    address: fx.deployment.verdict,
    abi,
    functionName: "openGame",
    args: [p.proposalId, leaves[p.leafIndex], tree.proof(p.leafIndex)],
    value: params.challengerBond,
  });
  let gameId = 0n;
  for (const l of receipt.logs) {
    try {
      const ev = decodeEventLog({ abi, data: l.data, topics: l.topics }) as unknown as {
        eventName: string;
        args: { gameId: bigint };
      };
      if (ev.eventName === "GameOpened") gameId = ev.args.gameId;
    } catch {
      // other logs
    }
  }
  const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
  const honest = await buildTrace({ image, input: p.input, depth: fx.depth });
  const trace: TraceProvider = withFault(honest, { fromStep: p.faultFrom });
  const verdict: Address = fx.deployment.verdict;

  async function play(opts: { silentAfterMoves?: number; signal?: AbortSignal } = {}): Promise<string> {
    let moves = 0;
    for (;;) {
      if (opts.signal?.aborted) return "aborted";
      const { view } = await readGameView({ publicClient, verdict, abi, gameId });
      if (view.status !== "Active") return view.status;
      if (opts.silentAfterMoves !== undefined && moves >= opts.silentAfterMoves) return "silent";
      try {
        if (view.turn === "Pick") {
          const action = await solve({ role: "challenger", game: view, trace });
          if (action.type !== "pick") throw new Error(`expected a pick, got ${action.type}`);
          await sender.send({
            address: verdict,
            abi,
            functionName: "pick",
            args: [gameId, action.interior, BigInt(action.index)],
          });
          moves++;
        } else if (view.turn === "Step") {
          const d = await trace.getStepData(start(view.position));
          await sender.send({
            address: verdict,
            abi,
            functionName: "step",
            args: [gameId, bytesToHex(d.preState), bytesToHex(d.proof) as Hex],
          });
          moves++;
        }
      } catch (err) {
        // A race with the proposer's move or a refused move: re-read.
        if (!(err as Error).message.match(/NotYourTurn|GameNotActive/)) throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { gameId, play };
}

// A scripted mass attack on a CORRECT leaf (issue 9, P1): open a game on each
// target leaf, then, level by level as the proposer dissects, challenge every
// part of every dissection (bonded, batched in multicalls) until `challenges`
// claims are posted, counting each opening as one. The attacker never steps
// and never resolves: each of its claims is wrong, so each must end Upheld
// and its bond go to the proposer.

import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { log2Len, log2Of, log2Parts } from "@verdict/shared/src/game/position.ts";
import type { Abi } from "viem";
import {
  type AttackerClients,
  dissectionsOf,
  type GameCall,
  openGames,
  proposalLeavesOf,
  sendGameCalls,
} from "./attackerTools.ts";

export type StartMassAttackParameters = AttackerClients & {
  proposalId: bigint;
  /** Leaf indexes of the proposal to open games on (one game each). */
  targets: readonly number[];
  /** Claims to post in all, openings included. */
  challenges: number;
  /** Calls per multicall transaction. */
  perTx?: number;
  pollMs?: number;
};

export type MassAttackReport = {
  gameIds: bigint[];
  /** Claims posted (openings + part challenges). */
  challenged: number;
  /** Bonds posted. Unit: wei. */
  bondsWei: bigint;
  transactions: number;
  gasUsed: bigint;
  /** Largest gas of one attacker transaction. */
  maxTxGas: bigint;
};

export type MassAttack = {
  /** Game ids, once opened. */
  gameIds: () => bigint[];
  challenged: () => number;
  /** Resolves once every claim is posted (or the attack was stopped). */
  done: Promise<MassAttackReport>;
  stop: () => Promise<void>;
};

export function startMassAttack(p: StartMassAttackParameters): MassAttack {
  let stopped = false;
  let gameIds: bigint[] = [];
  let challenged = 0;
  const report: MassAttackReport = {
    gameIds: [],
    challenged: 0,
    bondsWei: 0n,
    transactions: 0,
    gasUsed: 0n,
    maxTxGas: 0n,
  };
  const account = (rs: { gasUsed: bigint }[]) => {
    for (const r of rs) {
      report.transactions++;
      report.gasUsed += r.gasUsed;
      if (r.gasUsed > report.maxTxGas) report.maxTxGas = r.gasUsed;
    }
  };

  const done = (async () => {
    const read = <T>(functionName: string, args: readonly unknown[] = []) =>
      p.publicClient.readContract({
        address: p.game,
        abi: disputeGameAbi as Abi,
        functionName,
        args,
      } as never) as Promise<T>;
    const log2K = log2Of(await read<bigint>("K"));
    const leaves = await proposalLeavesOf(p, p.proposalId);
    const prop = (await p.publicClient.readContract({
      address: p.verdict,
      abi: verdictAbi as Abi,
      functionName: "getProposal",
      args: [p.proposalId],
    })) as { claimBond: bigint };
    const bond = BigInt(prop.claimBond);
    const targets = p.targets.slice(0, p.challenges);
    const startBlock = await p.publicClient.getBlockNumber({ cacheTime: 0 });
    gameIds = await openGames(p, { proposalId: p.proposalId, leaves, indexes: targets, bond });
    report.gameIds = gameIds;
    report.transactions++;
    challenged = targets.length;
    report.bondsWei += bond * BigInt(targets.length);

    // Breadth first: the dissections seen so far, longest segments first.
    // `next`: the first part not challenged yet (a node may be attacked over two rounds).
    const pending: { gameId: bigint; position: bigint; next: number }[] = [];
    let scanned = startBlock - 1n;
    while (!stopped && challenged < p.challenges) {
      const head = await p.publicClient.getBlockNumber({ cacheTime: 0 });
      for (const d of await dissectionsOf(p, gameIds, scanned + 1n, head))
        pending.push({ gameId: d.gameId, position: d.position, next: 0 });
      scanned = head;
      pending.sort((a, b) => log2Len(b.position) - log2Len(a.position));
      const calls: GameCall[] = [];
      while (pending.length > 0 && challenged + calls.length < p.challenges) {
        const node = pending[0];
        const parts = 1 << log2Parts(node.position, log2K);
        for (; node.next < parts && challenged + calls.length < p.challenges; node.next++)
          calls.push({
            functionName: "challenge",
            args: [node.gameId, node.position, BigInt(node.next)],
            bond,
          });
        if (node.next === parts) pending.shift();
      }
      if (calls.length > 0) {
        account(await sendGameCalls(p, calls, p.perTx ?? 64));
        challenged += calls.length;
        report.bondsWei += bond * BigInt(calls.length);
      } else await new Promise((r) => setTimeout(r, p.pollMs ?? 200));
    }
    report.challenged = challenged;
    return report;
  })();

  return {
    gameIds: () => gameIds,
    challenged: () => challenged,
    done,
    stop: async () => {
      stopped = true;
      await done.catch(() => undefined);
    },
  };
}

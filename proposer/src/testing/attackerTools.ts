// Shared plumbing of the scripted (dishonest) challengers used by the tests:
// open games with one multicall, find the games' dissections in DisputeGame's
// events, and send many moves as batched multicalls with explicit nonces (so a
// burst of transactions lands in as few blocks as the gas limit allows).
// Test-only: no retries, no fee bumps; a revert throws.

import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { waitForReceipt } from "@verdict/shared/src/chain/waitForReceipt.ts";
import { buildResultTree, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  decodeEventLog,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

export type AttackerClients = {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  /** DisputeGame. */
  game: Address;
  /** Verdict. */
  verdict: Address;
  /** Scan events from here. */
  fromBlock: bigint;
};

const gameAbi = disputeGameAbi as Abi;

/** Leaves of a proposal, from its Proposed event. */
export async function proposalLeavesOf(c: AttackerClients, proposalId: bigint): Promise<ResultLeaf[]> {
  const logs = await c.publicClient.getContractEvents({
    address: c.verdict,
    abi: verdictAbi as Abi,
    eventName: "Proposed",
    args: { proposalId },
    fromBlock: c.fromBlock,
  });
  if (logs.length === 0) throw new Error(`no Proposed event for proposal ${proposalId}`);
  const a = (logs[0] as unknown as { args: { leaves: ResultLeaf[] } }).args;
  return a.leaves.map((l) => ({ jobId: l.jobId, finalStateHash: l.finalStateHash }));
}

/** One DisputeGame call of a batch: what to call and the bond it takes. Unit of `bond`: wei. */
export type GameCall = { functionName: string; args: readonly unknown[]; bond: bigint };

/**
 * Sends `calls` as multicalls of at most `perTx` calls, all transactions at
 * once with consecutive nonces, then waits for every receipt. Each multicall
 * carries the ETH for the bonds of its calls and is simulated first, so a
 * refused move throws with the contract's error name (a race lost to another
 * party: AlreadyChallenged, WrongNodeState, ...) instead of a bare revert.
 */
export async function sendGameCalls(
  c: AttackerClients,
  calls: readonly GameCall[],
  perTx = 64,
): Promise<TransactionReceipt[]> {
  if (calls.length === 0) return [];
  let nonce = await c.publicClient.getTransactionCount({
    address: c.wallet.account.address,
    blockTag: "pending",
  });
  const hashes: Hex[] = [];
  for (let i = 0; i < calls.length; i += perTx) {
    const chunk = calls.slice(i, i + perTx);
    const data = chunk.map((x) =>
      encodeFunctionData({ abi: gameAbi, functionName: x.functionName, args: x.args } as never),
    );
    const value = chunk.reduce((s, x) => s + x.bond, 0n);
    await c.publicClient.simulateContract({
      account: c.wallet.account,
      address: c.game,
      abi: gameAbi,
      functionName: "multicall",
      args: [data],
      value,
    });
    // Headroom over the estimate, as the daemons' sender keeps: a move that lands after another
    // party's (say, a step that now closes the parent's last open child) costs more than estimated.
    const estimate = await c.publicClient.estimateContractGas({
      account: c.wallet.account,
      address: c.game,
      abi: gameAbi,
      functionName: "multicall",
      args: [data],
      value,
    });
    hashes.push(
      await c.wallet.writeContract({
        address: c.game,
        abi: gameAbi,
        functionName: "multicall",
        args: [data],
        value,
        nonce: nonce++,
        gas: (estimate * 3n) / 2n + 100_000n,
      }),
    );
  }
  const receipts: TransactionReceipt[] = [];
  for (const hash of hashes) {
    const r = await waitForReceipt(c.publicClient, { hash, pollMs: 100 });
    if (r.status !== "success") throw new Error(`attacker multicall ${hash} reverted`);
    receipts.push(r);
  }
  return receipts;
}

/** Opens one game per leaf index in a single multicall; returns the game ids in the same order. */
export async function openGames(
  c: AttackerClients,
  p: { proposalId: bigint; leaves: readonly ResultLeaf[]; indexes: readonly number[]; bond: bigint },
): Promise<bigint[]> {
  const tree = buildResultTree(p.leaves);
  const receipts = await sendGameCalls(
    c,
    p.indexes.map((i) => ({
      functionName: "openGame",
      args: [p.proposalId, p.leaves[i], tree.proof(i)],
      bond: p.bond,
    })),
  );
  const byJob = new Map<bigint, bigint>();
  for (const r of receipts)
    for (const l of r.logs) {
      try {
        const ev = decodeEventLog({ abi: gameAbi, data: l.data, topics: l.topics }) as unknown as {
          eventName: string;
          args: { gameId: bigint; jobId: bigint };
        };
        if (ev.eventName === "GameOpened") byJob.set(ev.args.jobId, ev.args.gameId);
      } catch {
        // other logs
      }
    }
  return p.indexes.map((i) => {
    const id = byJob.get(p.leaves[i].jobId);
    if (id === undefined) throw new Error(`no GameOpened for leaf ${i}`);
    return id;
  });
}

/** A dissection seen in DisputeGame's events. */
export type Dissection = { gameId: bigint; position: bigint; interior: Hex[]; blockNumber: bigint };

/** Dissections of the given games in [fromBlock, toBlock]. */
export async function dissectionsOf(
  c: AttackerClients,
  gameIds: readonly bigint[],
  fromBlock: bigint,
  toBlock: bigint,
): Promise<Dissection[]> {
  if (fromBlock > toBlock) return [];
  const logs = await c.publicClient.getContractEvents({
    address: c.game,
    abi: gameAbi,
    eventName: "NodeDissected",
    args: { gameId: [...gameIds] },
    fromBlock,
    toBlock,
  });
  return logs.map((l) => {
    const a = (l as unknown as { args: { gameId: bigint; position: bigint; interior: Hex[] } }).args;
    return { gameId: a.gameId, position: a.position, interior: [...a.interior], blockNumber: l.blockNumber };
  });
}

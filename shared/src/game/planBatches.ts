// Orders pending actions most urgent first and packs them into multicall
// batches under a per-transaction gas budget (pure). Order: the active-time
// deadline of the clock bounding each action; actions without one (resolutions)
// after every deadline, in the order they were submitted — which keeps a
// game's children before their parents, as the resolution plan listed them.
// Packing is greedy and never reorders: an action that does not fit opens the
// next batch. With batches sent one after the other, each taking `txSeconds`,
// every action gets an estimated time of arrival; those that arrive at or
// after their deadline are "late" (the capacity alarm).

import { type Action, type ActionType, actionKey } from "./types.ts";

/** An action waiting in the responder's queue. */
export type QueuedAction = {
  action: Action;
  /** Submission order (ties and undeadlined actions keep it). */
  seq: number;
};

export type LateAction = {
  key: string;
  action: Action;
  /** Estimated active time its batch is mined. Unit: seconds. */
  eta: bigint;
};

export type PlanBatchesParameters = {
  queue: readonly QueuedAction[];
  /** Gas a batch may use. Unit: gas. */
  gasBudget: bigint;
  /** Estimated gas of one action inside a multicall (default: `estimateActionGas`). */
  gasOf?: (a: Action) => bigint;
  /** Active time now. Unit: seconds. */
  now: bigint;
  /** Time from sending a batch to its receipt. Unit: seconds. */
  txSeconds: number;
};

export type PlanBatchesReturnType = { batches: QueuedAction[][]; late: LateAction[] };

/** Among equal deadlines, moves that end a path first. */
const TYPE_ORDER: Record<ActionType, number> = {
  step: 0,
  challenge: 1,
  dissect: 2,
  openGame: 3,
  resolveNode: 4,
};

/** Conservative gas of one action inside a multicall (the send is estimated again; over budget, the batch splits). */
export function estimateActionGas(a: Action): bigint {
  switch (a.type) {
    case "openGame":
      return 400_000n + 4_000n * BigInt(a.proof.length);
    case "dissect":
      // Measured inside a full multicall: ~49.5k at 15 hashes (bench/gas-protocol); 1.5x margin. A
      // larger figure caps the proposer's dissections per block, and with them the challenges it
      // can answer (bench/attacks/README.md: 190k here capped a 10M budget below 1,024).
      return 52_000n + 1_500n * BigInt(a.interior.length);
    case "challenge":
      // Measured inside a multicall: ~35k.
      return 55_000n;
    case "step":
      // The verifier's step (three memory proofs) plus one commitment check per level.
      return 900_000n + 12_000n * BigInt(a.ancestry.reduce((n, l) => n + l.length + 1, 0));
    case "resolveNode":
      // A root resolution calls back into Verdict (defeat, reward, settlement).
      return 200_000n;
  }
}

export function sortQueue(queue: readonly QueuedAction[]): QueuedAction[] {
  return [...queue].sort((x, y) => {
    const a = x.action.deadline;
    const b = y.action.deadline;
    if (a !== undefined && b !== undefined && a !== b) return a < b ? -1 : 1;
    if (a === undefined && b !== undefined) return 1;
    if (a !== undefined && b === undefined) return -1;
    if (a !== undefined) {
      const t = TYPE_ORDER[x.action.type] - TYPE_ORDER[y.action.type];
      if (t !== 0) return t;
    }
    return x.seq - y.seq;
  });
}

export function planBatches({
  queue,
  gasBudget,
  gasOf = estimateActionGas,
  now,
  txSeconds,
}: PlanBatchesParameters): PlanBatchesReturnType {
  const batches: QueuedAction[][] = [];
  let current: QueuedAction[] = [];
  let gas = 0n;
  for (const q of sortQueue(queue)) {
    const g = gasOf(q.action);
    if (current.length > 0 && gas + g > gasBudget) {
      batches.push(current);
      current = [];
      gas = 0n;
    }
    current.push(q);
    gas += g;
  }
  if (current.length) batches.push(current);
  const late: LateAction[] = [];
  batches.forEach((batch, i) => {
    const eta = now + BigInt(Math.ceil((i + 1) * txSeconds));
    for (const q of batch)
      if (q.action.deadline !== undefined && eta >= q.action.deadline)
        late.push({ key: actionKey(q.action), action: q.action, eta });
  });
  return { batches, late };
}

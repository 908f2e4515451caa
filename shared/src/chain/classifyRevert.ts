// Sorts decoded reverts into what a daemon should do about them. Several
// parties act on the same proposals and games, so a call that simulated fine
// can revert because someone else moved first (the proposal was already
// finalized, the node already challenged): that is a lost race, expected and
// harmless, and the next tick re-reads the chain. Likewise "not yet" reverts
// (a window still open by a block's timestamp) resolve by themselves. Neither
// is a failed transaction; only the rest is worth an error log and a metric.

import { ContractRevertError } from "./errors.ts";

/** Someone else changed the state between our read and our transaction. */
const RACES = [
  "AlreadyChallenged",
  "WrongNodeState",
  "ClockExpired",
  "ChildrenOpen",
  "GameExists",
  "GameVoid",
  "ProposalNotPending",
  "WindowClosed",
  "ResultAlreadyRecorded",
  "NothingToWithdraw",
] as const;

/** The chain's clock has not reached the moment yet; the next tick retries. */
const EARLY = ["ClockNotExpired", "WindowOpen", "GamesOpen", "FeeLocked"] as const;

export type RevertClass = "race" | "early" | "failure";

const CLASS = new Map<string, RevertClass>([
  ...RACES.map((n) => [n, "race"] as const),
  ...EARLY.map((n) => [n, "early"] as const),
]);

/** The class of a custom error name; unknown and undecoded reverts are failures. */
export function classifyRevertName(errorName: string): RevertClass {
  return CLASS.get(errorName) ?? "failure";
}

/** "race" or "early" for an expected revert, "failure" for any other revert, undefined when `err` is not a revert. */
export function classifyRevert(err: unknown): RevertClass | undefined {
  if (!(err instanceof ContractRevertError)) return undefined;
  return classifyRevertName(err.errorName);
}

/** True for a revert a daemon expects in normal operation (log at info, not counted as failed). */
export function isBenignRevert(err: unknown): boolean {
  const c = classifyRevert(err);
  return c === "race" || c === "early";
}

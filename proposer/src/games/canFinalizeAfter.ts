// Whether a proposal's games allow it to finalize now, by the rule Verdict.finalize
// enforces (docs/spec.md §2.4): no game, or two clocks of play after the last
// opening and one more for a challenger to resolve a node the proposer failed to
// dissect. Pure, so the proposer's side of the rule is unit-tested against the
// contract's boundary.

export type CanFinalizeAfterParameters = {
  /** Games opened on the proposal (DisputeGame.disputes). */
  games: number;
  /** Active time of the last opening. Unit: seconds. */
  lastOpenAt: bigint;
  /** Active time now (Verdict.activeNow). Unit: seconds. */
  activeNow: bigint;
  /** The proposal's clock. Unit: seconds. */
  clockSeconds: bigint;
};

export function canFinalizeAfter({
  games,
  lastOpenAt,
  activeNow,
  clockSeconds,
}: CanFinalizeAfterParameters): boolean {
  if (games === 0) return true;
  return activeNow >= lastOpenAt + 3n * clockSeconds;
}

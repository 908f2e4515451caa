// The daemon's estimate of the protocol's active time (docs/spec.md §2.5): the
// last value read from the chain plus the wall time since, frozen while the
// protocol is paused. Deadlines of actions are on this axis, so the responder
// and the scheduler compare them with `now()` without a call per decision.

export type ActiveClock = {
  /** Active time now (estimate). Unit: seconds. */
  now: () => bigint;
  /** Records a reading: `activeNow` at the chain's latest block, and whether it is paused. */
  observe: (activeNow: bigint, paused?: boolean) => void;
  paused: () => boolean;
};

export function createActiveClock({
  wallMs = () => Date.now(),
}: {
  wallMs?: () => number;
} = {}): ActiveClock {
  let base = 0n;
  let at = wallMs();
  let isPaused = false;
  const now = () => (isPaused ? base : base + BigInt(Math.floor((wallMs() - at) / 1000)));
  return {
    now,
    observe: (activeNow, paused) => {
      if (paused !== undefined) {
        // A reading at the head with the pause state is authoritative.
        isPaused = paused;
        base = activeNow;
        at = wallMs();
      } else if (activeNow > now()) {
        // Tree reads (possibly at older blocks) only ever move the estimate forward.
        base = activeNow;
        at = wallMs();
      }
    },
    paused: () => isPaused,
  };
}

// Plays a whole toy game with the real solvers, the way the daemons would: each
// round the proposer and then every challenger reads the tree, solves, and
// sends its actions in order (a refused action — someone moved first — is
// counted, not fatal); then active time passes. Used by the solver tests to
// check that the honest side wins whoever lies, however many join.

import type { Address } from "viem";
import { type CreateToyGameParameters, createToyGame, type ToyGame, ToyRevert } from "./createToyGame.ts";
import { createToyTrace } from "./createToyTrace.ts";
import { end, rootPosition } from "./position.ts";
import { solveChallenger } from "./solveChallenger.ts";
import { solveProposer } from "./solveProposer.ts";
import { type Action, actionKey, isOpen } from "./types.ts";

export type ToyPlayer = {
  address: Address;
  /** First trace position its hashes are wrong from (undefined = honest). */
  faultFrom?: bigint;
  /** Stops moving after this many rounds. */
  silentAfterRounds?: number;
};

export type PlayToyGameParameters = Omit<CreateToyGameParameters, "endHash" | "opener" | "proposer"> & {
  proposer: ToyPlayer;
  /** The first one opens the game. */
  challengers: ToyPlayer[];
  /** Active time between rounds. Unit: seconds. */
  roundSeconds?: bigint;
  maxRounds?: number;
};

export type PlayToyGameReturnType = {
  game: ToyGame;
  rounds: number;
  /** Actions applied, by sender. */
  sent: Map<Address, Action[]>;
  /** Refused actions by error name. */
  refused: Map<string, number>;
};

export async function playToyGame(p: PlayToyGameParameters): Promise<PlayToyGameReturnType> {
  const proposerTrace = createToyTrace({ faultFrom: p.proposer.faultFrom });
  const traces = new Map(p.challengers.map((c) => [c.address, createToyTrace({ faultFrom: c.faultFrom })]));
  const game = createToyGame({
    ...p,
    proposer: p.proposer.address,
    opener: p.challengers[0].address,
    endHash: await proposerTrace.get(end(rootPosition(p.depth))),
  });
  const sent = new Map<Address, Action[]>();
  const refused = new Map<string, number>();
  const send = (who: Address, actions: Action[]) => {
    const seen = new Set<string>();
    for (const a of actions) {
      if (seen.has(actionKey(a))) throw new Error(`${who} sent ${actionKey(a)} twice in one round`);
      seen.add(actionKey(a));
      try {
        game.apply(who, a);
        sent.set(who, [...(sent.get(who) ?? []), a]);
      } catch (err) {
        if (!(err instanceof ToyRevert)) throw err;
        refused.set(err.errorName, (refused.get(err.errorName) ?? 0) + 1);
      }
    }
  };
  const maxRounds = p.maxRounds ?? 1000;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const open = [...game.tree().nodes.values()].some((n) => isOpen(n.status));
    if (!open) break;
    if (p.proposer.silentAfterRounds === undefined || rounds < p.proposer.silentAfterRounds)
      send(p.proposer.address, (await solveProposer({ tree: game.tree(), trace: proposerTrace })).actions);
    for (const c of p.challengers) {
      if (c.silentAfterRounds !== undefined && rounds >= c.silentAfterRounds) continue;
      const r = await solveChallenger({
        tree: game.tree(),
        trace: traces.get(c.address)!,
        me: c.address,
      });
      send(c.address, r.actions);
    }
    game.advance(p.roundSeconds ?? 100n);
  }
  return { game, rounds, sent, refused };
}

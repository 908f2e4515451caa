// The solver: game state + our trace → the one action to take now. Pure apart
// from reading the trace (which is deterministic); no chain access, no
// clocks of its own, so every rule lives here and is unit-tested with a toy
// trace. Every move it returns has been checked against our own trace: where
// the game contradicts what we must agree with, it throws instead.

import { bytesToHex } from "viem";
import { MissingInteriorError, NoDisputedPartError, TraceDisagreementError } from "./errors.ts";
import { child, end, interiorPositions, len, log2Parts, start } from "./position.ts";
import { type Action, type GameView, moverOf, type Role, type TraceProvider } from "./types.ts";

export type SolveParameters = {
  role: Role;
  game: GameView;
  trace: TraceProvider;
};

export type SolveReturnType = Action;

async function expectAgree(
  trace: TraceProvider,
  game: GameView,
  t: bigint,
  onchain: `0x${string}`,
  what: string,
): Promise<void> {
  const ours = await trace.get(t);
  if (ours.toLowerCase() !== onchain.toLowerCase())
    throw new TraceDisagreementError({
      gameId: game.gameId,
      position: t,
      expected: onchain,
      actual: ours,
      what,
    });
}

export async function solve({ role, game, trace }: SolveParameters): Promise<SolveReturnType> {
  if (game.status !== "Active") return { type: "wait", reason: `game is ${game.status}` };
  if (game.turn === "Close") return { type: "close" };
  const mover = moverOf(game.turn);
  if (mover === undefined) return { type: "wait", reason: `turn ${game.turn}` };
  if (mover !== role) {
    return game.leftSeconds === 0n ? { type: "claimTimeout" } : { type: "wait", reason: "opponent's move" };
  }
  if (game.leftSeconds === 0n) return { type: "wait", reason: "our clock ran out" };

  const p = game.position;
  // Both sides agree on the segment's start hash: at 0 it is derived onchain,
  // elsewhere it is a proposer hash the challenger accepted.
  await expectAgree(trace, game, start(p), game.startHash, "the segment's start hash");

  if (role === "proposer") {
    // The end hash is our own claim (the leaf, or one of our interior hashes).
    await expectAgree(trace, game, end(p), game.endHash, "our own claim at the segment's end");
    const interior = await Promise.all(interiorPositions(p, game.log2K).map((t) => trace.get(t)));
    return { type: "dissect", interior };
  }

  if (game.turn === "Step") {
    if (len(p) !== 1n) throw new RangeError(`step turn on a segment of length ${len(p)}`);
    const data = await trace.getStepData(start(p));
    // Stepping where our own post-state equals the proposer's end hash would
    // hand the proposer the win: it means our trace is inconsistent.
    if (data.postStateHash.toLowerCase() === game.endHash.toLowerCase())
      throw new TraceDisagreementError({
        gameId: game.gameId,
        position: start(p) + 1n,
        expected: game.endHash,
        actual: data.postStateHash,
        what: "(by agreeing with) the proposer's end hash at the step",
      });
    return {
      type: "step",
      position: start(p),
      stateData: bytesToHex(data.preState),
      proof: bytesToHex(data.proof),
    };
  }

  // Pick: the first part whose end hash we dispute. Parts before it we agree
  // with, so its start hash is one we agree with too.
  if (!game.interior) throw new MissingInteriorError({ gameId: game.gameId });
  const parts = log2Parts(p, game.log2K);
  const n = 1 << parts;
  if (game.interior.length !== n - 1)
    throw new RangeError(`interior has ${game.interior.length} hashes, expected ${n - 1}`);
  const ends = [...game.interior, game.endHash];
  for (let i = 0; i < n; i++) {
    const t = end(child(p, i, parts));
    const ours = await trace.get(t);
    if (ours.toLowerCase() !== ends[i].toLowerCase())
      return { type: "pick", index: i, interior: [...game.interior] };
  }
  throw new NoDisputedPartError({ gameId: game.gameId });
}

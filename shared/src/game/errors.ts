// Typed errors of the game layer. A TraceDisagreementError means the daemon's
// own recomputation contradicts a hash it is supposed to agree with (T(0), or
// a claim it posted itself, or a step whose post-state would uphold the claim
// it disputes): it must not sign anything for that game and an operator has to
// look. It is not retryable: the same trace gives the same answer.

import { BaseError } from "../errors/base.ts";

export class GameError extends BaseError {
  override name = "GameError";
}

export class TraceDisagreementError extends GameError {
  override name = "TraceDisagreementError";
  readonly gameId: bigint;
  readonly position: bigint;
  constructor({
    gameId,
    position,
    expected,
    actual,
    what,
  }: { gameId: bigint; position: bigint; expected: string; actual: string; what: string }) {
    super(`Game ${gameId}: our trace disagrees with ${what} at trace position ${position}.`, {
      details: `onchain ${expected}, our trace ${actual}. Refusing to move in this game.`,
    });
    this.gameId = gameId;
    this.position = position;
  }
}

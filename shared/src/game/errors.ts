// Typed errors of the game layer. A TraceDisagreementError means the daemon's
// own recomputation contradicts a hash it is supposed to agree with: it must
// not sign anything for that game and an operator has to look.

import { BaseError } from "../errors/base.ts";

export class GameError extends BaseError {
  override name = "GameError";
}

export class TraceDisagreementError extends GameError {
  override name = "TraceDisagreementError";
  constructor({
    gameId,
    position,
    expected,
    actual,
    what,
  }: { gameId: bigint; position: bigint; expected: string; actual: string; what: string }) {
    super(`Game ${gameId}: our trace disagrees with ${what} at position ${position}.`, {
      details: `onchain ${expected}, our trace ${actual}. Refusing to move in this game.`,
    });
  }
}

export class MissingInteriorError extends GameError {
  override name = "MissingInteriorError";
  constructor({ gameId }: { gameId: bigint }) {
    super(`Game ${gameId}: it is the pick turn but the dissection's interior hashes are unknown.`, {
      retryable: true,
    });
  }
}

export class NoDisputedPartError extends GameError {
  override name = "NoDisputedPartError";
  constructor({ gameId }: { gameId: bigint }) {
    super(`Game ${gameId}: we agree with every part of the dissection, so there is nothing to pick.`);
  }
}

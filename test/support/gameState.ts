// Waiting on the claim trees in end-to-end tests: every challenged node
// resolved (with the open nodes and their turns in the error when it times
// out), and the net of a party over both ledgers.

import type { Address } from "viem";
import { type E2EFixture, until } from "./fixture.ts";

const TURNS = ["None", "Dissect", "Pick", "Step", "Resolve", "Children"];

export type OpenNode = {
  gameId: bigint;
  position: bigint;
  /** "Dissect" (the proposer's move), "Pick" or "Step" (a challenger's), "Resolve", "Children". */
  turn: string;
  leftSeconds: bigint;
  challenger: string;
  /** Its challenged parts not resolved yet. */
  openChildren: number;
  /** Its challenged parts resolved against the proposer (a stepped part, a timeout). */
  defeatedChildren: number;
};

/** Every challenged node not resolved yet, with its turn. */
export async function openNodeTurns(fx: E2EFixture, gameIds?: readonly bigint[]): Promise<OpenNode[]> {
  const inScope = (id: unknown) => !gameIds || gameIds.includes(BigInt(id as bigint));
  const resolved = new Set(
    (await fx.events("NodeResolved", { contract: "game" }))
      .filter((l) => inScope(l.args.gameId))
      .map((l) => `${l.args.gameId}:${l.args.position}`),
  );
  const out: OpenNode[] = [];
  for (const l of await fx.events("NodeChallenged", { contract: "game" })) {
    if (!inScope(l.args.gameId)) continue;
    if (resolved.has(`${l.args.gameId}:${l.args.position}`)) continue;
    const [turn, left] = await fx.readGame<readonly [number, bigint]>("nodeTurn", [
      l.args.gameId,
      l.args.position,
    ]);
    const node = await fx.readGame<{ openChildren: number; defeatedChildren: number }>("getNode", [
      l.args.gameId,
      l.args.position,
    ]);
    out.push({
      gameId: BigInt(l.args.gameId),
      position: BigInt(l.args.position),
      turn: TURNS[Number(turn)],
      leftSeconds: BigInt(left),
      challenger: l.args.challenger,
      openChildren: Number(node.openChildren),
      defeatedChildren: Number(node.defeatedChildren),
    });
  }
  return out;
}

/** Every challenged node not resolved yet, with its turn (for failure messages). */
export async function openNodes(fx: E2EFixture, gameIds?: readonly bigint[]): Promise<string[]> {
  return (await openNodeTurns(fx, gameIds)).map(
    (n) =>
      `game ${n.gameId} [${n.position >> 8n} +2^${n.position & 0xffn}] ${n.turn} (${n.leftSeconds}s left), challenged by ${n.challenger}`,
  );
}

/**
 * Waits until no open node waits for a challenger: no length-1 node left to step, and every
 * dissected node in its pick window has a part challenged, open or already defeated (a picked
 * node stays on "Pick" until its window closes): every open path is on the proposer's move. Call it before a clock jump meant to run a silent proposer out: without it, a
 * challenger slower than the jump (a loaded host) loses its pick window, or challenges a part after
 * the jump with a fresh clock that no later jump runs out.
 */
export async function untilChallengersCaughtUp(
  fx: E2EFixture,
  opts: {
    gameIds?: readonly bigint[];
    timeoutMs?: number;
    idle?: () => boolean;
    /** Positions off the honest path (a colluder's thrown part): nobody honest moves below them. */
    except?: readonly bigint[];
  } = {},
): Promise<void> {
  try {
    await until(
      "no open node waiting for a challenger",
      async () =>
        (opts.idle?.() ?? true) &&
        (await openNodeTurns(fx, opts.gameIds))
          .filter((n) => !opts.except?.includes(n.position))
          .every(
            (n) => n.turn !== "Step" && !(n.turn === "Pick" && n.openChildren + n.defeatedChildren === 0),
          ),
      opts.timeoutMs ?? 150_000,
      250,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; still open: ${(await openNodes(fx, opts.gameIds)).join("; ")}`,
    );
  }
}

/** Waits until every challenged node (of `gameIds`, default all games) is resolved. */
export async function untilAllResolved(
  fx: E2EFixture,
  opts: { gameIds?: readonly bigint[]; timeoutMs?: number } = {},
): Promise<void> {
  try {
    await until(
      "every challenged node resolved",
      async () => (await openNodes(fx, opts.gameIds)).length === 0,
      opts.timeoutMs ?? 90_000,
      250,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; still open: ${(await openNodes(fx, opts.gameIds)).join("; ")}`,
    );
  }
}

/**
 * What `who` gained from the games: with `gameIds`, what those games' node
 * resolutions and leaf rewards paid it minus the claim bonds it posted in
 * them (a prover's cut on someone else's node is not counted); without, every
 * credit in both ledgers minus every claim bond it posted. Unit: wei.
 */
export async function gameNet(fx: E2EFixture, who: Address, gameIds?: readonly bigint[]): Promise<bigint> {
  const { claimBond } = await fx.read<{ claimBond: bigint }>("params");
  const inScope = (id: unknown) => !gameIds || gameIds.includes(BigInt(id as bigint));
  const bonds = (await fx.events("NodeChallenged", { contract: "game", args: { challenger: who } })).filter(
    (l) => inScope(l.args.gameId),
  ).length;
  if (!gameIds) {
    const credited = [
      ...(await fx.events("Credited", { contract: "game", args: { account: who } })),
      ...(await fx.events("Credited", { args: { account: who } })),
    ].reduce((s, l) => s + BigInt(l.args.amount), 0n);
    return credited - BigInt(bonds) * claimBond;
  }
  const opened = (await fx.events("GameOpened", { contract: "game" })).filter((l) => inScope(l.args.gameId));
  const proposals = new Set(
    opened.filter((l) => l.args.opener === who).map((l) => BigInt(l.args.proposalId)),
  );
  const paid = (await fx.events("NodeResolved", { contract: "game" }))
    .filter((l) => inScope(l.args.gameId) && l.args.challenger === who)
    .reduce((s, l) => s + BigInt(l.args.challengerPaid), 0n);
  const rewards = (await fx.events("LeafRewardPaid", { args: { opener: who } }))
    .filter((l) => proposals.has(BigInt(l.args.proposalId)))
    .reduce((s, l) => s + BigInt(l.args.amount), 0n);
  return paid + rewards - BigInt(bonds) * claimBond;
}

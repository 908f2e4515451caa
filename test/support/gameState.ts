// Waiting on the claim trees in end-to-end tests: every challenged node
// resolved (with the open nodes and their turns in the error when it times
// out), and the net of a party over both ledgers.

import type { Address } from "viem";
import { type E2EFixture, until } from "./fixture.ts";

const TURNS = ["None", "Dissect", "Pick", "Step", "Resolve", "Children"];

/** Every challenged node not resolved yet, with its turn (for failure messages). */
export async function openNodes(fx: E2EFixture, gameIds?: readonly bigint[]): Promise<string[]> {
  const inScope = (id: unknown) => !gameIds || gameIds.includes(BigInt(id as bigint));
  const resolved = new Set(
    (await fx.events("NodeResolved", { contract: "game" }))
      .filter((l) => inScope(l.args.gameId))
      .map((l) => `${l.args.gameId}:${l.args.position}`),
  );
  const out: string[] = [];
  for (const l of await fx.events("NodeChallenged", { contract: "game" })) {
    if (!inScope(l.args.gameId)) continue;
    const key = `${l.args.gameId}:${l.args.position}`;
    if (resolved.has(key)) continue;
    const [turn, left] = await fx.readGame<readonly [number, bigint]>("nodeTurn", [
      l.args.gameId,
      l.args.position,
    ]);
    const pos = BigInt(l.args.position);
    out.push(
      `game ${l.args.gameId} [${pos >> 8n} +2^${pos & 0xffn}] ${TURNS[Number(turn)]} (${left}s left), challenged by ${l.args.challenger}`,
    );
  }
  return out;
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

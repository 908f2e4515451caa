// One game as the explorer draws it: the dissection round by round (every
// challenged node of the claim tree, root first, with the segment it covers
// over trace positions, the proposer's claimed hashes at its ends, its
// dissection, the part each challenger picked, the one-step proof), whose
// turn it is and both path clocks, and the bond flows. Moves come from the
// index; the live state of each node (status, turn, time left) is read from
// DisputeGame at the block the index reached, so the page and the index agree.

import type { Address, Chain, Hex, PublicClient, Transport } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import { end as endOf, interiorPositions, levels, log2Len, start as startOf } from "../game/position.ts";
import type { IndexDb } from "../indexer/openIndexDb.ts";
import { ExplorerNotFoundError } from "./errors.ts";

export const NODE_STATUS = ["None", "Challenged", "Dissected", "Defeated", "Upheld", "Refunded"] as const;
export const TURNS = ["None", "Dissect", "Pick", "Step", "Resolve", "Children"] as const;

export type RoundView = {
  position: bigint;
  /** Index of the node's level: 0 for the root, one more per dissection. */
  level: number;
  start: bigint;
  end: bigint;
  log2Len: number;
  /** Parent position (null for the root) and the part of it this node is. */
  parent: bigint | null;
  index: bigint;
  challenger: Address;
  challenged: { blockNumber: bigint; time: bigint | null };
  /** The proposer's claim on this node: its hash at `start` agreed, its hash at `end` disputed. */
  startHash: Hex | null;
  endHash: Hex | null;
  dissection: {
    blockNumber: bigint;
    time: bigint | null;
    interior: { position: bigint; hash: Hex }[];
  } | null;
  /** Parts of this node that were challenged in turn. */
  picked: bigint[];
  step: {
    by: Address;
    preStateHash: Hex;
    postStateHash: Hex;
    endHash: Hex;
    /** The proposer's end hash is what the chain computed. */
    holds: boolean;
    blockNumber: bigint;
  } | null;
  resolved: {
    status: string;
    challengerPaid: bigint;
    proposerPaid: bigint;
    burned: bigint;
    blockNumber: bigint;
  } | null;
  /** Live, from DisputeGame at the indexed block. */
  status: string;
  /** Dissect (proposer), Pick or Step (challengers), Resolve (anyone), Children, None. */
  turn: string;
  /** Seconds left to the side whose turn it is (0 unless Dissect, Pick or Step). */
  leftSeconds: bigint;
  /** Time used on the path to and at this node, per side. Unit: seconds. */
  proposerUsedSeconds: bigint;
  challengerUsedSeconds: bigint;
};

export type BondFlow = {
  blockNumber: bigint;
  from: string;
  to: string;
  /** Unit: wei. */
  amount: bigint;
  why: string;
};

export type GameView = {
  gameId: bigint;
  proposalId: bigint;
  jobId: bigint;
  opener: Address;
  proposer: Address;
  depth: number;
  k: number;
  startHash: Hex | null;
  endHash: Hex;
  /** Unit: seconds, per side, per path. */
  clockSeconds: bigint;
  /** Unit: wei. */
  claimBond: bigint;
  dissectionBond: bigint;
  /** challenger won | proposer won | invalidated | in progress (the root's resolution) */
  outcome: string;
  /** Latest status of the disputed proposal (a failed node defeats it before the root resolves). */
  proposalStatus: string;
  /** Active time (seconds) at the indexed block. */
  activeNow: bigint;
  blockNumber: bigint;
  rounds: RoundView[];
  bonds: BondFlow[];
  totals: { posted: bigint; toChallengers: bigint; toProposer: bigint; burned: bigint };
};

export type ReadGameViewParameters = {
  db: IndexDb;
  publicClient: PublicClient<Transport, Chain>;
  game: Address;
  log2K: number;
  gameId: bigint;
  /** Read the live state at this block (the indexer's cursor). */
  blockNumber: bigint;
};

type Row = { name: string; args: string; blockNumber: bigint; logIndex: bigint; time: bigint | null };
type Args = Record<string, string>;

export async function readGameView(p: ReadGameViewParameters): Promise<GameView> {
  const { db, gameId } = p;
  const g = db
    .prepare(
      "SELECT proposal_id AS proposalId, job_id AS jobId, opener, depth, end_hash AS endHash FROM games WHERE game_id = ?",
    )
    .get(gameId) as
    | { proposalId: bigint; jobId: bigint; opener: Address; depth: bigint; endHash: Hex }
    | undefined;
  if (!g) throw new ExplorerNotFoundError(`Game #${gameId} is not in the index (yet).`);
  const depth = Number(g.depth);
  const rows = db
    .prepare(
      `SELECT e.name, e.args, e.block_number AS blockNumber, e.log_index AS logIndex, b.timestamp AS time
         FROM events e LEFT JOIN blocks b ON b.number = e.block_number
        WHERE e.contract = 'game' AND json_extract(e.args, '$.gameId') = ?
        ORDER BY e.block_number, e.log_index`,
    )
    .all(String(gameId)) as Row[];
  const stakeRows = db
    .prepare(
      `SELECT e.name, e.args, e.block_number AS blockNumber, e.log_index AS logIndex, NULL AS time FROM events e
        WHERE e.contract = 'verdict' AND e.name IN ('ProposalDefeated', 'LeafRewardPaid', 'StakeSettled')
          AND json_extract(e.args, '$.proposalId') = ?
        ORDER BY e.block_number, e.log_index`,
    )
    .all(String(g.proposalId)) as Row[];

  const onGame = { address: p.game, abi: disputeGameAbi, blockNumber: p.blockNumber } as const;
  const [info, dissectionBond, activeNow] = await Promise.all([
    p.publicClient.readContract({ ...onGame, functionName: "getGame", args: [gameId] }),
    p.publicClient.readContract({ ...onGame, functionName: "dissectionBond", args: [gameId] }),
    p.publicClient.readContract({ ...onGame, functionName: "activeNow" }),
  ]);
  const clockSeconds = BigInt(info.clockSeconds);
  const openedAt = BigInt(info.openedAt);

  const lv = levels(depth, p.log2K);
  const rounds = new Map<bigint, RoundView>();
  const bonds: BondFlow[] = [];
  let startHash: Hex | null = null;
  let outcome = "in progress";
  for (const r of rows) {
    const a = JSON.parse(r.args) as Args;
    const bn = BigInt(r.blockNumber);
    const time = r.time === null ? null : BigInt(r.time);
    if (r.name === "GameOpened") startHash = a.startHash as Hex;
    else if (r.name === "NodeChallenged") {
      const position = BigInt(a.position);
      const parent = BigInt(a.parent);
      rounds.set(position, {
        position,
        level: lv.indexOf(log2Len(position)),
        start: startOf(position),
        end: endOf(position),
        log2Len: log2Len(position),
        parent: log2Len(position) === depth ? null : parent,
        index: BigInt(a.index),
        challenger: a.challenger as Address,
        challenged: { blockNumber: bn, time },
        startHash: null,
        endHash: null,
        dissection: null,
        picked: [],
        step: null,
        resolved: null,
        status: "Challenged",
        turn: "None",
        leftSeconds: 0n,
        proposerUsedSeconds: 0n,
        challengerUsedSeconds: 0n,
      });
      bonds.push({
        blockNumber: bn,
        from: a.challenger,
        to: "DisputeGame",
        amount: info.claimBond,
        why: `bond of the challenge of [${startOf(position)}, ${endOf(position)}]`,
      });
      if (log2Len(position) !== depth) rounds.get(parent)?.picked.push(BigInt(a.index));
    } else if (r.name === "NodeDissected") {
      const position = BigInt(a.position);
      const interior = (JSON.parse(r.args) as { interior: Hex[] }).interior;
      const node = rounds.get(position);
      if (node)
        node.dissection = {
          blockNumber: bn,
          time,
          interior: interiorPositions(position, p.log2K).map((x, i) => ({ position: x, hash: interior[i] })),
        };
      bonds.push({
        blockNumber: bn,
        from: info.proposer,
        to: "DisputeGame",
        amount: dissectionBond,
        why: `bond of the dissection of [${startOf(position)}, ${endOf(position)}]`,
      });
    } else if (r.name === "NodeStepped") {
      const node = rounds.get(BigInt(a.position));
      if (node)
        node.step = {
          by: a.stepper as Address,
          preStateHash: a.preStateHash as Hex,
          postStateHash: a.postStateHash as Hex,
          endHash: a.endHash as Hex,
          holds: a.postStateHash === a.endHash,
          blockNumber: bn,
        };
    } else if (r.name === "NodeResolved") {
      const position = BigInt(a.position);
      const status = NODE_STATUS[Number(a.status)] ?? a.status;
      const paid = {
        challengerPaid: BigInt(a.challengerPaid),
        proposerPaid: BigInt(a.proposerPaid),
        burned: BigInt(a.burned),
      };
      const node = rounds.get(position);
      if (node) node.resolved = { status, ...paid, blockNumber: bn };
      const seg = `[${startOf(position)}, ${endOf(position)}] resolved ${status}`;
      if (paid.challengerPaid > 0n)
        bonds.push({
          blockNumber: bn,
          from: "DisputeGame",
          to: a.challenger,
          amount: paid.challengerPaid,
          why: seg,
        });
      if (paid.proposerPaid > 0n)
        bonds.push({
          blockNumber: bn,
          from: "DisputeGame",
          to: info.proposer,
          amount: paid.proposerPaid,
          why: seg,
        });
      if (paid.burned > 0n)
        bonds.push({ blockNumber: bn, from: "DisputeGame", to: "burned", amount: paid.burned, why: seg });
      if (log2Len(position) === depth)
        outcome = status === "Defeated" ? "challenger won" : status === "Upheld" ? "proposer won" : status;
    } else if (r.name === "GameInvalidated") outcome = "invalidated";
  }
  for (const r of stakeRows) {
    const a = JSON.parse(r.args) as Args;
    const bn = BigInt(r.blockNumber);
    const stake = `proposal #${g.proposalId}'s stake`;
    if (r.name === "ProposalDefeated" && BigInt(a.burned) > 0n)
      bonds.push({
        blockNumber: bn,
        from: stake,
        to: "burned",
        amount: BigInt(a.burned),
        why: "the proposal is defeated",
      });
    else if (r.name === "LeafRewardPaid")
      bonds.push({
        blockNumber: bn,
        from: stake,
        to: a.opener,
        amount: BigInt(a.amount),
        why: "reward of a defeated leaf's opener",
      });
    else if (r.name === "StakeSettled" && BigInt(a.burned) > 0n)
      bonds.push({
        blockNumber: bn,
        from: stake,
        to: "burned",
        amount: BigInt(a.burned),
        why: "the rest of the stake",
      });
  }

  // The claim on each node: the hashes at its ends, from the root's and its ancestors' dissections.
  const ordered = [...rounds.values()].sort((x, y) => y.log2Len - x.log2Len || (x.start < y.start ? -1 : 1));
  for (const n of ordered) {
    if (n.parent === null) {
      n.startHash = startHash;
      n.endHash = g.endHash;
      continue;
    }
    const parent = rounds.get(n.parent);
    const interior = parent?.dissection?.interior.map((x) => x.hash);
    if (!parent || !interior) continue;
    const i = Number(n.index);
    n.startHash = i === 0 ? parent.startHash : interior[i - 1];
    n.endHash = i === interior.length ? parent.endHash : interior[i];
  }

  // Live state and clocks of every node.
  await Promise.all(
    ordered.map(async (n) => {
      const [node, turn] = await Promise.all([
        p.publicClient.readContract({ ...onGame, functionName: "getNode", args: [gameId, n.position] }),
        p.publicClient.readContract({ ...onGame, functionName: "nodeTurn", args: [gameId, n.position] }),
      ]);
      n.status = NODE_STATUS[node.status] ?? String(node.status);
      n.turn = TURNS[turn[0]] ?? String(turn[0]);
      n.leftSeconds = BigInt(turn[1]);
      const pUsed = BigInt(node.proposerUsed);
      const cUsed = BigInt(node.challengerUsed);
      const delay = BigInt(node.dissectDelay);
      const since = activeNow - (openedAt + pUsed + cUsed);
      const cap = (x: bigint) => (x > clockSeconds ? clockSeconds : x < 0n ? 0n : x);
      const open = n.status === "Challenged" || n.status === "Dissected";
      if (n.status === "Dissected" || (n.status !== "Challenged" && n.dissection)) {
        n.proposerUsedSeconds = cap(pUsed + delay);
        n.challengerUsedSeconds = open ? cap(cUsed + since - delay) : cUsed;
      } else if (n.log2Len > 0) {
        n.proposerUsedSeconds = open ? cap(pUsed + since) : pUsed;
        n.challengerUsedSeconds = cUsed;
      } else {
        n.proposerUsedSeconds = pUsed;
        n.challengerUsedSeconds = open ? cap(cUsed + since) : cUsed;
      }
    }),
  );

  const sum = (f: (b: BondFlow) => boolean) => bonds.filter(f).reduce((s, b) => s + b.amount, 0n);
  const fromGame = (b: BondFlow) => b.from === "DisputeGame";
  return {
    gameId,
    proposalId: g.proposalId,
    jobId: g.jobId,
    opener: g.opener,
    proposer: info.proposer,
    depth,
    k: 2 ** p.log2K,
    startHash,
    endHash: g.endHash,
    clockSeconds,
    claimBond: info.claimBond,
    dissectionBond,
    outcome,
    proposalStatus:
      (
        db
          .prepare(
            "SELECT status FROM proposal_status WHERE proposal_id = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
          )
          .get(g.proposalId) as { status: string } | undefined
      )?.status ?? "Pending",
    activeNow,
    blockNumber: p.blockNumber,
    rounds: ordered,
    bonds,
    totals: {
      posted: sum((b) => b.to === "DisputeGame"),
      toChallengers: sum((b) => fromGame(b) && b.to !== info.proposer && b.to !== "burned"),
      toProposer: sum((b) => fromGame(b) && b.to === info.proposer),
      burned: sum((b) => b.to === "burned"),
    },
  };
}

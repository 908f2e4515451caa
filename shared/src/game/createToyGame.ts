// A toy DisputeGame for solver tests: one game held in memory, moved by the
// same actions the responder would send, with the contract's rules (docs/spec.md
// §2.3 and protocol/src/DisputeGame.sol): path clocks, one challenge per part,
// one dissection per node, steps against the toy trace's "verifier", bottom-up
// resolution, and the bond payments of `_defeat`/`_uphold`/`_refund` (burns
// included) so tests can check who ends up paid. A refused move throws a
// ToyRevert named like the contract's custom error.

import type { Address, Hex } from "viem";
import { hexToBigInt, keccak256 } from "viem";
import { decidingLevels } from "./ancestryOf.ts";
import { buildGameTree, type GameEvent, type NodeRead } from "./buildGameTree.ts";
import { toyHash } from "./createToyTrace.ts";
import { child, log2Len, log2Parts, type Position, parentOf, rootPosition, start } from "./position.ts";
import { type Action, type GameTree, NODE_STATUSES, type NodeStatus, TURNS, type Turn } from "./types.ts";

export class ToyRevert extends Error {
  override name = "ToyRevert";
  constructor(readonly errorName: string) {
    super(`reverted: ${errorName}`);
  }
}

type ToyNode = {
  challenger: Address;
  proposerUsed: bigint;
  challengerUsed: bigint;
  dissectDelay: bigint;
  status: NodeStatus;
  openChildren: number;
  defeatedChildren: number;
  interior?: Hex[];
};

export type CreateToyGameParameters = {
  depth: number;
  log2K: number;
  proposer: Address;
  opener: Address;
  /** The leaf the proposer claims: T(2^D) of its trace. */
  endHash: Hex;
  /** T(0); the honest toy trace's by default. */
  startHash?: Hex;
  clockSeconds?: bigint;
  claimBond?: bigint;
  burnBps?: bigint;
  gameId?: bigint;
};

export type ToyGame = {
  /** The tree as `createGameTreeReader` would read it now. */
  tree: () => GameTree;
  /** Applies one action sent by `sender`; throws ToyRevert as the contract would. */
  apply: (sender: Address, a: Action) => void;
  /** Lets active time pass. Unit: seconds. */
  advance: (seconds: bigint) => void;
  now: () => bigint;
  /** Wei each account was credited, and what was burned, so far. */
  credits: Map<string, bigint>;
  burned: () => bigint;
  /** Bonds each account has posted. Unit: wei. */
  posted: Map<string, bigint>;
  invalidate: () => void;
  /** Status of the root (Challenged until it resolves). */
  rootStatus: () => NodeStatus;
  /** Positions stepped so far. */
  steps: Position[];
  /** The events emitted so far, in order (what createGameTreeReader would fetch). */
  events: () => GameEvent[];
};

export function createToyGame(p: CreateToyGameParameters): ToyGame {
  const gameId = p.gameId ?? 1n;
  const clock = p.clockSeconds ?? 3600n;
  const bond = p.claimBond ?? 1000n;
  const bps = p.burnBps ?? 1000n;
  const startHash = p.startHash ?? toyHash(0n);
  const root = rootPosition(p.depth);
  const openedAt = 1_000n;
  let now = openedAt;
  let burned = 0n;
  let invalidated = false;
  const nodes = new Map<Position, ToyNode>();
  const events: GameEvent[] = [];
  const credits = new Map<string, bigint>();
  const posted = new Map<string, bigint>();
  const steps: Position[] = [];

  const credit = (a: string, v: bigint) =>
    v && credits.set(a.toLowerCase(), (credits.get(a.toLowerCase()) ?? 0n) + v);
  // A dissection posts a k-th of the claim bond; each defeated part is paid out of it.
  const dBond = bond >> BigInt(p.log2K);
  const take = (a: string, v: bigint) => posted.set(a.toLowerCase(), (posted.get(a.toLowerCase()) ?? 0n) + v);
  const burnOf = (v: bigint) => (v * bps + 9_999n) / 10_000n;
  const shareOf = (pos: Position) => dBond >> BigInt(log2Parts(pos, p.log2K));
  const challengedAt = (n: ToyNode) => openedAt + n.proposerUsed + n.challengerUsed;

  function turnOf(pos: Position, n: ToyNode): [Turn, bigint] {
    if (n.status !== "Challenged" && n.status !== "Dissected") return ["None", 0n];
    if (invalidated) return ["Resolve", 0n];
    const at = challengedAt(n);
    let used: bigint;
    let turn: Turn;
    if (n.status === "Dissected") {
      used = n.challengerUsed + (now - at - n.dissectDelay);
      turn = "Pick";
    } else if (log2Len(pos) > 0) {
      used = n.proposerUsed + (now - at);
      turn = "Dissect";
    } else {
      used = n.challengerUsed + (now - at);
      turn = "Step";
    }
    if (used < clock) return [turn, clock - used];
    return [n.status === "Dissected" && n.openChildren > 0 ? "Children" : "Resolve", 0n];
  }

  function hashesOf(pos: Position): [Hex, Hex] {
    let s = startHash;
    let e = p.endHash;
    let cur = root;
    while (log2Len(cur) > log2Len(pos)) {
      const n = nodes.get(cur) as ToyNode;
      const parts = log2Parts(cur, p.log2K);
      const i = Number((start(pos) - start(cur)) >> BigInt(log2Len(cur) - parts));
      const interior = n.interior as Hex[];
      if (i > 0) s = interior[i - 1];
      if (i < interior.length) e = interior[i];
      cur = child(cur, i, parts);
    }
    return [s, e];
  }

  function resolved(pos: Position, n: ToyNode, status: NodeStatus) {
    n.status = status;
    events.push({
      eventName: "NodeResolved",
      args: { position: pos, status: NODE_STATUSES.indexOf(status) },
    });
  }

  function defeat(pos: Position, n: ToyNode, dissected: boolean) {
    let paid = bond;
    let burn = dissected ? dBond - shareOf(pos) * BigInt(n.defeatedChildren) : 0n;
    if (pos !== root) {
      const parent = nodes.get(parentOf(pos, p.depth, p.log2K)) as ToyNode;
      parent.openChildren--;
      parent.defeatedChildren++;
      const share = shareOf(parentOf(pos, p.depth, p.log2K));
      const shareBurn = burnOf(share);
      paid += share - shareBurn;
      burn += shareBurn;
    }
    credit(n.challenger, paid);
    burned += burn;
    resolved(pos, n, "Defeated");
  }

  function uphold(pos: Position, n: ToyNode, dissected: boolean) {
    const burn = burnOf(bond);
    let paid = bond - burn;
    if (dissected) paid += dBond;
    if (pos !== root) (nodes.get(parentOf(pos, p.depth, p.log2K)) as ToyNode).openChildren--;
    credit(p.proposer, paid);
    burned += burn;
    resolved(pos, n, "Upheld");
  }

  function apply(sender: Address, a: Action) {
    if (a.type === "openGame") throw new ToyRevert("GameExists");
    if (a.gameId !== gameId) throw new ToyRevert("UnknownGame");
    if (invalidated && a.type !== "resolveNode") throw new ToyRevert("GameVoid");
    switch (a.type) {
      case "dissect": {
        if (sender.toLowerCase() !== p.proposer.toLowerCase()) throw new ToyRevert("NotProposer");
        const n = nodes.get(a.position);
        if (n?.status !== "Challenged" || log2Len(a.position) === 0) throw new ToyRevert("WrongNodeState");
        const elapsed = now - challengedAt(n);
        if (n.proposerUsed + elapsed >= clock) throw new ToyRevert("ClockExpired");
        if (a.interior.length !== (1 << log2Parts(a.position, p.log2K)) - 1)
          throw new ToyRevert("WrongInteriorLength");
        n.interior = [...a.interior];
        n.dissectDelay = elapsed;
        n.status = "Dissected";
        take(sender, dBond);
        events.push({ eventName: "NodeDissected", args: { position: a.position, interior: n.interior } });
        return;
      }
      case "challenge": {
        const parent = nodes.get(a.parent);
        if (parent?.status !== "Dissected") throw new ToyRevert("WrongNodeState");
        const elapsed = now - challengedAt(parent) - parent.dissectDelay;
        if (parent.challengerUsed + elapsed >= clock) throw new ToyRevert("ClockExpired");
        const parts = log2Parts(a.parent, p.log2K);
        if (a.index >= 1 << parts) throw new ToyRevert("IndexOutOfRange");
        const c = child(a.parent, a.index, parts);
        if (nodes.has(c)) throw new ToyRevert("AlreadyChallenged");
        const node: ToyNode = {
          challenger: sender,
          proposerUsed: parent.proposerUsed + parent.dissectDelay,
          challengerUsed: parent.challengerUsed + elapsed,
          dissectDelay: 0n,
          status: "Challenged",
          openChildren: 0,
          defeatedChildren: 0,
        };
        nodes.set(c, node);
        parent.openChildren++;
        take(sender, bond);
        events.push({
          eventName: "NodeChallenged",
          args: { position: c, challenger: sender, parent: a.parent, index: BigInt(a.index) },
        });
        return;
      }
      case "step": {
        const n = nodes.get(a.position);
        if (n?.status !== "Challenged" || log2Len(a.position) !== 0) throw new ToyRevert("WrongNodeState");
        if (n.challengerUsed + (now - challengedAt(n)) >= clock) throw new ToyRevert("ClockExpired");
        // Ancestry: one entry per level; the levels that decide the node's start and end must be the
        // committed interiors (the contract ignores the others).
        let cur = root;
        let level = 0;
        const path: { parent: bigint; child: bigint; interior: Hex[] }[] = [];
        while (log2Len(cur) > 0) {
          const interior = (nodes.get(cur) as ToyNode).interior as Hex[];
          const parts = log2Parts(cur, p.log2K);
          const next = child(
            cur,
            Number((start(a.position) - start(cur)) >> BigInt(log2Len(cur) - parts)),
            parts,
          );
          path.push({ parent: cur, child: next, interior });
          cur = next;
          level++;
        }
        for (const l of decidingLevels(path)) {
          const given = a.ancestry[l];
          if (!given || keccak256(concat(given)) !== keccak256(concat(path[l].interior)))
            throw new ToyRevert("InteriorMismatch");
        }
        if (level !== a.ancestry.length) throw new ToyRevert("WrongAncestryLength");
        const [s, e] = hashesOf(a.position);
        // Toy machine: the pre-state is the hash itself; the honest successor of toyHash(t) is toyHash(t + 1).
        if (a.stateData.toLowerCase() !== s.toLowerCase()) throw new ToyRevert("PreStateMismatch");
        const t = hexToBigInt(a.proof);
        const post = t === start(a.position) && s === toyHash(t) ? toyHash(t + 1n) : toyHash(t, true);
        steps.push(a.position);
        events.push({ eventName: "NodeStepped", args: { position: a.position } });
        if (post !== e) defeat(a.position, n, false);
        else uphold(a.position, n, false);
        return;
      }
      case "resolveNode": {
        const n = nodes.get(a.position);
        if (!n || (n.status !== "Challenged" && n.status !== "Dissected"))
          throw new ToyRevert("WrongNodeState");
        if (invalidated) {
          const dissected = n.status === "Dissected";
          credit(n.challenger, bond);
          credit(p.proposer, dissected ? dBond - shareOf(a.position) * BigInt(n.defeatedChildren) : 0n);
          if (a.position !== root)
            (nodes.get(parentOf(a.position, p.depth, p.log2K)) as ToyNode).openChildren--;
          resolved(a.position, n, "Refunded");
          return;
        }
        const [turn] = turnOf(a.position, n);
        if (turn === "Children") throw new ToyRevert("ChildrenOpen");
        if (turn !== "Resolve") throw new ToyRevert("ClockNotExpired");
        if (n.status === "Dissected") {
          if (n.defeatedChildren > 0) defeat(a.position, n, true);
          else uphold(a.position, n, true);
        } else if (log2Len(a.position) > 0) defeat(a.position, n, false);
        else uphold(a.position, n, false);
        return;
      }
    }
  }

  // The opening: the root is challenged by the opener.
  nodes.set(root, {
    challenger: p.opener,
    proposerUsed: 0n,
    challengerUsed: 0n,
    dissectDelay: 0n,
    status: "Challenged",
    openChildren: 0,
    defeatedChildren: 0,
  });
  take(p.opener, bond);
  events.push({
    eventName: "NodeChallenged",
    args: { position: root, challenger: p.opener, parent: 0n, index: 0n },
  });

  function tree(): GameTree {
    const reads = new Map<bigint, NodeRead>();
    for (const [pos, n] of nodes) {
      const [turn, left] = turnOf(pos, n);
      reads.set(pos, {
        status: NODE_STATUSES.indexOf(n.status),
        challenger: n.challenger,
        openChildren: n.openChildren,
        defeatedChildren: n.defeatedChildren,
        turn: TURNS.indexOf(turn),
        leftSeconds: left,
      });
    }
    return buildGameTree({
      game: {
        gameId,
        proposalId: 1n,
        jobId: 1n,
        proposer: p.proposer,
        opener: p.opener,
        depth: p.depth,
        startHash,
        endHash: p.endHash,
        openedAt,
        clockSeconds: clock,
        claimBond: bond,
        dissectionBond: dBond,
        openedBlock: 1n,
      },
      log2K: p.log2K,
      events,
      reads,
      activeNow: now,
      blockNumber: BigInt(events.length),
      invalidated,
    });
  }

  return {
    tree,
    apply,
    advance: (s) => {
      now += s;
    },
    now: () => now,
    credits,
    burned: () => burned,
    posted,
    invalidate: () => {
      invalidated = true;
    },
    rootStatus: () => (nodes.get(root) as ToyNode).status,
    steps,
    events: () => [...events],
  };
}

function concat(hs: readonly Hex[]): Hex {
  return `0x${hs.map((h) => h.slice(2)).join("")}` as Hex;
}

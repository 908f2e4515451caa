// Reads games' claim trees from the chain: the game's events (NodeChallenged,
// NodeDissected, NodeResolved, NodeStepped) up to one block, then getNode and
// nodeTurn of every node the events leave open, activeNow and the proposal's
// disputes summary, all at that same block and in one eth_call (through the
// game's own multicall) — reads spread over two blocks could pair a turn with
// another move's state. Events are kept per game up to
// `reorgDepth` blocks below the head and only the tail is fetched again, so a
// long game does not re-scan its whole history each tick, and a reorg within
// `reorgDepth` is absorbed. What is kept belongs to one opening: when the
// daemon's index names another opening block (a reorg dropped the game and it
// was opened again under the same id), it is read afresh. A game is never read
// below its opening or below a block it was read at before, whatever head the
// node reports (a lagging node would show a game with no open node, as if over).

import {
  type Address,
  type Chain,
  decodeFunctionResult,
  encodeEventTopics,
  encodeFunctionData,
  type Hex,
  type Log,
  numberToHex,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import { chainEpochOf } from "../chain/createChainClients.ts";
import { buildGameTree, type GameEvent, type NodeRead } from "./buildGameTree.ts";
import { GameError } from "./errors.ts";
import { type GameInfo, type GameTree, isOpen, NODE_STATUSES } from "./types.ts";

export type CreateGameTreeReaderParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** The DisputeGame contract. */
  game: Address;
  /** log2 of `DisputeGame.K()`. */
  log2K: number;
  /** Largest block range per eth_getLogs. */
  maxRange?: bigint;
  /** Events this many blocks below the head are kept; newer ones are fetched again. */
  reorgDepth?: bigint;
};

export type ReadGameTreeParameters = {
  gameId: bigint;
  /** Who opened it and in which block (from the daemon's index of GameOpened events). */
  opener: Address;
  /** Its GameOpened event is read there once (T(0) and the leaf are not stored onchain). */
  openedBlock: bigint;
  /** Read at this block (default: the head). */
  blockNumber?: bigint;
};

export type GameTreeReader = {
  read: (p: ReadGameTreeParameters) => Promise<GameTree>;
  /** Drops what is kept for a finished game. */
  forget: (gameId: bigint) => void;
};

const TREE_EVENTS = ["NodeChallenged", "NodeDissected", "NodeResolved", "NodeStepped"] as const;

type Kept = {
  info: Omit<GameInfo, "opener" | "openedBlock">;
  /** The block of the GameOpened event this was read from. */
  openedBlock: bigint;
  /** The newest block the tree was read at. */
  readAt: bigint;
  events: GameEvent[];
  keptTo: bigint;
};

export function createGameTreeReader({
  publicClient,
  game,
  log2K,
  maxRange = 2_000n,
  reorgDepth = 64n,
}: CreateGameTreeReaderParameters): GameTreeReader {
  const kept = new Map<bigint, Kept>();
  const signatures = TREE_EVENTS.map(
    (eventName) => encodeEventTopics({ abi: disputeGameAbi, eventName })[0] as `0x${string}`,
  );

  async function logsOf(gameId: bigint, fromBlock: bigint, toBlock: bigint): Promise<GameEvent[]> {
    const out: GameEvent[] = [];
    for (let from = fromBlock; from <= toBlock; from += maxRange) {
      const to = from + maxRange - 1n < toBlock ? from + maxRange - 1n : toBlock;
      // One request for the four events of this game (topic 1 is the indexed gameId).
      const raw = (await publicClient.request({
        method: "eth_getLogs",
        params: [
          {
            address: game,
            topics: [signatures, numberToHex(gameId, { size: 32 })],
            fromBlock: numberToHex(from),
            toBlock: numberToHex(to),
          },
        ],
      })) as unknown as Log[];
      const parsed = parseEventLogs({ abi: disputeGameAbi, logs: raw, strict: true });
      for (const l of parsed) {
        if (l.eventName === "NodeChallenged")
          out.push({
            eventName: "NodeChallenged",
            args: {
              position: l.args.position,
              challenger: l.args.challenger,
              parent: l.args.parent,
              index: l.args.index,
            },
          });
        else if (l.eventName === "NodeDissected")
          out.push({
            eventName: "NodeDissected",
            args: { position: l.args.position, interior: l.args.interior },
          });
        else if (l.eventName === "NodeResolved")
          out.push({
            eventName: "NodeResolved",
            args: { position: l.args.position, status: Number(l.args.status) },
          });
        else if (l.eventName === "NodeStepped")
          out.push({ eventName: "NodeStepped", args: { position: l.args.position } });
      }
    }
    return out;
  }

  // The chain epoch of the client (chainEpochOf): when the node switched chains, what is kept may
  // come from the other chain (its events, and a read block beyond our head that would stall every
  // later read at a block our chain does not have yet), so it is all dropped.
  let epoch = chainEpochOf(publicClient);

  async function read({
    gameId,
    opener,
    openedBlock,
    blockNumber,
  }: ReadGameTreeParameters): Promise<GameTree> {
    const e = chainEpochOf(publicClient);
    if (e !== epoch) {
      kept.clear();
      epoch = e;
    }
    let k = kept.get(gameId);
    // Another opening than the one kept: the old one was reorged out, and with it its events.
    if (k && k.openedBlock !== openedBlock) k = undefined;
    const asked = blockNumber ?? (await publicClient.getBlockNumber({ cacheTime: 0 }));
    // Never read a game below its opening or below a block it was read at before: a node (or a
    // pool of them) that reports an old head would show a tree with no open node (the game looks
    // over) or one that lost moves. The newer block is read instead; a node that lacks it fails
    // the read, which is retried.
    const floor = k && k.readAt > openedBlock ? k.readAt : openedBlock;
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.max takes numbers)
    const block = asked < floor ? floor : asked;
    if (!k) {
      // What the game fixed at its opening: T(0) and the leaf from GameOpened (T(0) is not stored),
      // the proposer, clock and bond from getGame.
      const [opening, g] = await Promise.all([
        publicClient.getContractEvents({
          address: game,
          abi: disputeGameAbi,
          eventName: "GameOpened",
          args: { gameId },
          fromBlock: openedBlock,
          toBlock: openedBlock,
          strict: true,
        }),
        publicClient.readContract({
          address: game,
          abi: disputeGameAbi,
          functionName: "getGame",
          args: [gameId],
          blockNumber: block,
        }),
      ]);
      const o = opening[0]?.args;
      if (!o)
        throw new GameError(`Game ${gameId}: no GameOpened event in block ${openedBlock}.`, {
          retryable: true,
        });
      k = {
        info: {
          gameId,
          proposalId: o.proposalId,
          jobId: o.jobId,
          proposer: g.proposer,
          depth: Number(o.depth),
          startHash: o.startHash,
          endHash: o.endHash,
          openedAt: BigInt(o.openedAt),
          clockSeconds: BigInt(g.clockSeconds),
          claimBond: BigInt(g.claimBond),
          // DisputeGame._dissectionBond: a k-th of the claim bond.
          dissectionBond: BigInt(g.claimBond) >> BigInt(log2K),
        },
        openedBlock,
        readAt: openedBlock,
        events: [],
        keptTo: openedBlock - 1n,
      };
      kept.set(gameId, k);
    }
    const info: GameInfo = { ...k.info, opener, openedBlock };
    const keepTo = block - reorgDepth;
    // Settled part: appended once. Tail: fetched on every read.
    if (keepTo > k.keptTo) {
      const settled = await logsOf(gameId, k.keptTo + 1n, keepTo);
      k.events.push(...settled);
      k.keptTo = keepTo;
    }
    const tail = block > k.keptTo ? await logsOf(gameId, k.keptTo + 1n, block) : [];
    const events = [...k.events, ...tail];
    // The opening challenges the root in the same transaction: a read without it is inconsistent.
    if (!events.some((e) => e.eventName === "NodeChallenged"))
      throw new GameError(`Game ${gameId}: no NodeChallenged event up to block ${block}.`, {
        retryable: true,
      });
    if (block > k.readAt) k.readAt = block;

    // Nodes the events leave open: their clocks and counters are read at the same block.
    const status = new Map<bigint, number>();
    for (const e of events) {
      if (e.eventName === "NodeChallenged" && !status.has(e.args.position)) status.set(e.args.position, 1);
      else if (e.eventName === "NodeDissected") status.set(e.args.position, 2);
      else if (e.eventName === "NodeResolved") status.set(e.args.position, e.args.status);
    }
    const open = [...status].filter(([, s]) => isOpen(NODE_STATUSES[s])).map(([pos]) => pos);
    // Every read of the tree in one eth_call at `block`: DisputeGame.multicall delegatecalls each
    // view (one request instead of 2 + 2 per open node; the answers are of one state by construction).
    const calls: Hex[] = [
      encodeFunctionData({ abi: disputeGameAbi, functionName: "activeNow" }),
      encodeFunctionData({ abi: disputeGameAbi, functionName: "disputes", args: [info.proposalId] }),
    ];
    for (const position of open)
      calls.push(
        encodeFunctionData({ abi: disputeGameAbi, functionName: "getNode", args: [gameId, position] }),
        encodeFunctionData({ abi: disputeGameAbi, functionName: "nodeTurn", args: [gameId, position] }),
      );
    const { data } = await publicClient.call({
      to: game,
      data: encodeFunctionData({ abi: disputeGameAbi, functionName: "multicall", args: [calls] }),
      blockNumber: block,
    });
    if (!data)
      throw new GameError(`Game ${gameId}: no answer to its reads at block ${block}.`, { retryable: true });
    const out = decodeFunctionResult({ abi: disputeGameAbi, functionName: "multicall", data });
    if (out.length !== calls.length)
      throw new GameError(
        `Game ${gameId}: ${out.length} answers to ${calls.length} reads at block ${block}.`,
        {
          retryable: true,
        },
      );
    const activeNow = decodeFunctionResult({ abi: disputeGameAbi, functionName: "activeNow", data: out[0] });
    const disputes = decodeFunctionResult({ abi: disputeGameAbi, functionName: "disputes", data: out[1] });
    const reads = open.map((position, i): [bigint, NodeRead] => {
      const n = decodeFunctionResult({ abi: disputeGameAbi, functionName: "getNode", data: out[2 + 2 * i] });
      const [turn, left] = decodeFunctionResult({
        abi: disputeGameAbi,
        functionName: "nodeTurn",
        data: out[3 + 2 * i],
      });
      return [
        position,
        {
          status: Number(n.status),
          challenger: n.challenger,
          openChildren: Number(n.openChildren),
          defeatedChildren: Number(n.defeatedChildren),
          turn: Number(turn),
          leftSeconds: BigInt(left),
        },
      ];
    });
    return buildGameTree({
      game: info,
      log2K,
      events,
      reads: new Map(reads),
      activeNow: BigInt(activeNow),
      blockNumber: block,
      invalidated: disputes.invalidated,
    });
  }

  return { read, forget: (gameId) => kept.delete(gameId) };
}

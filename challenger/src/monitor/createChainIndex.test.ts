import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { expect } from "chai";
import { encodeAbiParameters, encodeEventTopics, type Hex, type Log, toHex } from "viem";
import { createChainIndex } from "./createChainIndex.ts";

const GAME = "0x0000000000000000000000000000000000000002";

// Builds a raw log for one Verdict or DisputeGame event, as a node would return it.
function raw(
  eventName: string,
  args: Record<string, unknown>,
  blockNumber: bigint,
  logIndex: number,
  address = "0x0000000000000000000000000000000000000001",
): Log {
  const abi = [...verdictAbi, ...disputeGameAbi];
  const event = abi.find((x) => x.type === "event" && x.name === eventName) as {
    inputs: readonly { name: string; type: string; indexed?: boolean; components?: unknown }[];
  };
  const topics = (encodeEventTopics as (p: unknown) => Hex[])({ abi: [event], eventName, args }) as [
    Hex,
    ...Hex[],
  ];
  const data = event.inputs.filter((i) => !i.indexed);
  return {
    address,
    topics,
    data: encodeAbiParameters(data as never, data.map((i) => args[i.name]) as never),
    blockNumber,
    blockHash: toHex(blockNumber, { size: 32 }),
    logIndex,
    transactionHash: toHex(blockNumber * 1000n + BigInt(logIndex), { size: 32 }),
    transactionIndex: 0,
    removed: false,
  } as Log;
}

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const h = (n: number) => toHex(n, { size: 32 });

describe("createChainIndex", () => {
  const logs = [
    raw(
      "JobSubmitted",
      {
        jobId: 1n,
        programId: 2n,
        requester: A,
        inputRoot: h(9),
        signer: "0x0000000000000000000000000000000000000000",
        nonce: 0n,
        fee: 5n,
        input: "0x010203",
      },
      10n,
      0,
    ),
    raw(
      "Proposed",
      {
        proposalId: 1n,
        proposer: A,
        root: h(1),
        bond: 10n,
        deadline: 600n,
        jobCount: 1n,
        leaves: [{ jobId: 1n, finalStateHash: h(7) }],
      },
      11n,
      0,
    ),
    raw(
      "GameOpened",
      {
        gameId: 3n,
        proposalId: 1n,
        jobId: 1n,
        opener: B,
        startHash: h(2),
        endHash: h(7),
        depth: 20,
        openedAt: 100n,
      },
      12n,
      0,
      GAME,
    ),
    // A node below the root, then the root (position (0 << 8) | 20 = 20).
    raw(
      "NodeResolved",
      {
        gameId: 3n,
        position: 0x1410n,
        status: 3,
        challenger: B,
        challengerPaid: 5n,
        proposerPaid: 0n,
        burned: 1n,
      },
      13n,
      0,
      GAME,
    ),
    raw(
      "NodeResolved",
      {
        gameId: 3n,
        position: 20n,
        status: 3,
        challenger: B,
        challengerPaid: 5n,
        proposerPaid: 0n,
        burned: 0n,
      },
      13n,
      1,
      GAME,
    ),
    raw("Credited", { account: B, amount: 5n }, 13n, 2, GAME),
    raw("ProposalDefeated", { proposalId: 1n, gameId: 3n, burned: 1n, rewardShare: 9n }, 13n, 3),
    raw("Credited", { account: B, amount: 9n }, 13n, 4),
  ];

  it("indexes jobs (with input bytes), proposals (with leaves), games, their roots' outcome and our credits", () => {
    const index = createChainIndex({ me: B, game: GAME });
    const r = index.apply(logs);
    expect(index.jobs.get(1n)?.input).to.deep.equal(new Uint8Array([1, 2, 3]));
    expect(index.jobs.get(1n)?.programId).to.equal(2n);
    expect(r.newProposals.map((p) => p.proposalId)).to.deep.equal([1n]);
    expect(index.proposals.get(1n)?.leaves).to.deep.equal([{ jobId: 1n, finalStateHash: h(7) }]);
    expect(index.proposals.get(1n)?.settled).to.equal("defeated");
    expect(index.games.get(3n)?.opener.toLowerCase()).to.equal(B);
    expect(index.games.get(3n)?.root).to.equal("Defeated");
    expect(index.gameOfLeaf(1n, { jobId: 1n, finalStateHash: h(7) })?.gameId).to.equal(3n);
    expect(index.gameOfLeaf(1n, { jobId: 1n, finalStateHash: h(8) })).to.equal(undefined);
    expect(r.resolved.map((g) => g.gameId)).to.deep.equal([3n]);
    expect(r.credited).to.deep.equal([
      { ledger: "game", amount: 5n, block: 13n },
      { ledger: "verdict", amount: 9n, block: 13n },
    ]);
  });

  it("is idempotent: a range handed out again after a reorg changes nothing and reports nothing new", () => {
    const index = createChainIndex();
    index.apply(logs);
    const again = index.apply(logs);
    expect(again).to.deep.equal({ newProposals: [], newGames: [], resolved: [], credited: [] });
    expect(index.proposals.size).to.equal(1);
    expect(index.games.size).to.equal(1);
  });

  it("learns a game from a receipt before its block is confirmed, then ignores the confirmed copy", () => {
    const index = createChainIndex();
    expect(index.apply([logs[2]]).newGames).to.have.length(1);
    expect(index.apply(logs).newGames).to.have.length(0);
  });

  it("forget drops what replaced blocks carried and names the games forgotten", () => {
    const opened = (gameId: bigint, block: bigint, endHash: Hex) =>
      raw(
        "GameOpened",
        {
          gameId,
          proposalId: 1n,
          jobId: 1n,
          opener: A,
          startHash: h(2),
          endHash,
          depth: 20,
          openedAt: 100n,
        },
        block,
        0,
        GAME,
      );
    const index = createChainIndex();
    index.apply([opened(1n, 5n, h(7)), opened(2n, 12n, h(8))]);
    expect(index.forget(10n).games).to.deep.equal([2n]);
    expect([...index.games.keys()]).to.deep.equal([1n]);
    expect(index.gameOfLeaf(1n, { jobId: 1n, finalStateHash: h(8) })).to.equal(undefined);
    // Id 2 comes back as another game (another leaf) in the new branch: it is learnt as new.
    expect(index.apply([opened(2n, 13n, h(9))]).newGames.map((g) => g.endHash)).to.deep.equal([h(9)]);
  });
});

import { expect } from "chai";
import { encodeFunctionData } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import { toyHash } from "./createToyTrace.ts";
import { callOf, encodeAction } from "./encodeAction.ts";
import type { Action } from "./types.ts";

describe("game/encodeAction", () => {
  const base = { deadline: undefined, bond: 0n };
  const actions: Action[] = [
    {
      ...base,
      type: "openGame",
      proposalId: 3n,
      leaf: { jobId: 7n, finalStateHash: toyHash(1n) },
      proof: [toyHash(2n)],
    },
    {
      ...base,
      type: "dissect",
      gameId: 1n,
      position: 0x0ban,
      interior: [toyHash(3n), toyHash(4n), toyHash(5n)],
    },
    { ...base, type: "challenge", gameId: 1n, parent: 0x0ban, index: 2 },
    {
      ...base,
      type: "step",
      gameId: 1n,
      position: 0x500n,
      ancestry: [[toyHash(6n)], []],
      stateData: "0x01",
      proof: "0x02",
    },
    { ...base, type: "resolveNode", gameId: 1n, position: 0x0ban, outcome: "Upheld", reason: "gain" },
  ];
  it("multicall elements and direct calls encode the same call", () => {
    for (const a of actions)
      expect(encodeFunctionData({ abi: disputeGameAbi, ...callOf(a) } as never), a.type).to.equal(
        encodeAction(a),
      );
  });
});

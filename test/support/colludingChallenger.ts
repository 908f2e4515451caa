// A DISHONEST challenger for the end-to-end tests: it opens a game on a wrong
// leaf and then throws it, always picking the first part and stepping at
// position 0 where the proposer is right, hoping its lost game lets the bad
// proposal through. The honest challenger's own game must still win.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { readGameView } from "@verdict/shared/src/game/readGameView.ts";
import { buildResultTree, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import type { MachineTraceProvider } from "@verdict/shared/src/machine/trace.ts";
import { type Abi, type Address, bytesToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { E2EFixture } from "./fixture.ts";

const abi = verdictAbi as Abi;

export async function proposalLeaves(fx: E2EFixture, proposalId: bigint): Promise<ResultLeaf[]> {
  const logs = await fx.publicClient.getContractEvents({
    address: fx.deployment.verdict,
    abi,
    eventName: "Proposed",
    args: { proposalId },
    fromBlock: fx.deployment.deployedAtBlock,
  });
  const a = (logs[0] as unknown as { args: { leaves: ResultLeaf[] } }).args;
  return a.leaves.map((l) => ({ jobId: l.jobId, finalStateHash: l.finalStateHash }));
}

/** Opens a game on leaf `index` of `proposalId` and plays it to lose; resolves when the game ends. */
export async function playColludingGame(
  fx: E2EFixture,
  p: {
    keyIndex: number;
    proposalId: bigint;
    index: number;
    trace: MachineTraceProvider;
    signal: AbortSignal;
  },
): Promise<{ gameId: bigint; status: string }> {
  const w = fx.wallet(p.keyIndex);
  const leaves = await proposalLeaves(fx, p.proposalId);
  const leaf = leaves[p.index];
  const params = await fx.read<{ challengerBond: bigint }>("params");
  const send = async (functionName: string, args: readonly unknown[], value?: bigint) => {
    const hash = await w.writeContract({ address: fx.deployment.verdict, abi, functionName, args, value });
    return fx.publicClient.waitForTransactionReceipt({ hash });
  };
  const receipt = await send(
    "openGame",
    [p.proposalId, leaf, buildResultTree(leaves).proof(p.index)],
    params.challengerBond,
  );
  const me: Address = privateKeyToAccount(fx.anvil.privateKeys[p.keyIndex]).address;
  const opened = await fx.publicClient.getContractEvents({
    address: fx.deployment.verdict,
    abi,
    eventName: "GameOpened",
    blockHash: receipt.blockHash,
  });
  const gameId = (
    opened.find(
      (l) => (l as unknown as { args: { challenger: Address } }).args.challenger === me,
    ) as unknown as {
      args: { gameId: bigint };
    }
  ).args.gameId;
  while (!p.signal.aborted) {
    const { view } = await readGameView({
      publicClient: fx.publicClient,
      verdict: fx.deployment.verdict,
      abi,
      gameId,
      fromBlock: fx.deployment.deployedAtBlock,
    });
    if (view.status !== "Active") return { gameId, status: view.status };
    if (view.turn === "Pick" && view.interior) await send("pick", [gameId, view.interior, 0n]);
    else if (view.turn === "Step") {
      const d = await p.trace.getStepData(view.position >> 8n);
      await send("step", [gameId, bytesToHex(d.preState) as Hex, bytesToHex(d.proof) as Hex]);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { gameId, status: "aborted" };
}

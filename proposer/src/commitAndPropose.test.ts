// commitAndPropose against a real anvil and Verdict (automine and 1 s interval
// mining): the batch is committed, revealed in a later block, the proposal
// records the commitment's block and the commitment is consumed; and, with a
// stub sender, a node that refuses the reveal in the commitment's block
// (NotCommitted, as geth simulates at `latest`) gets it after the next block.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import { buildResultTree } from "@verdict/shared/src/game/resultTree.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import {
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  keccak256,
  type TransactionReceipt,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { commitAndPropose, proposalCommitment } from "./commitAndPropose.ts";
import { type ChainFixture, setupChain } from "./testing/setupChain.ts";

const VERDICT = "0x00000000000000000000000000000000000000b2" as const;

describe("commitAndPropose", function () {
  this.timeout(120_000);

  for (const blockTimeSeconds of [undefined, 1]) {
    describe(blockTimeSeconds ? "interval mining (1 s)" : "automine", () => {
      let fx: ChainFixture;
      before(async () => {
        fx = await setupChain({ blockTimeSeconds });
      });
      after(async () => fx?.stop());

      it("commits, reveals in a later block, consumes the commitment and ranks the proposal by it", async () => {
        const jobId = await fx.submitJob(new Uint8Array([1, 2, 3]));
        const account = privateKeyToAccount(fx.anvil.privateKeys[5]);
        const sender = createTxSender({
          publicClient: fx.publicClient,
          account,
          logger: createLogger({ level: "silent" }),
          pollMs: 50,
        });
        const leaves = [{ jobId, finalStateHash: keccak256(toHex("a result")) }];
        const salt = keccak256(toHex("salt"));
        const bond = (await fx.read<{ proposerBond: bigint }>("params")).proposerBond;
        const r = await commitAndPropose({
          sender,
          getBlockNumber: () => fx.publicClient.getBlockNumber({ cacheTime: 0 }),
          verdict: fx.deployment.verdict,
          leaves,
          bond,
          salt,
          pollMs: 50,
        });
        expect(r.commitBlock < r.receipt.blockNumber).to.equal(true);
        const p = await fx.read<{ proposer: string; commitBlock: bigint; root: Hex }>("getProposal", [
          r.proposalId,
        ]);
        expect(p.proposer).to.equal(account.address);
        expect(BigInt(p.commitBlock)).to.equal(r.commitBlock);
        expect(p.root).to.equal(buildResultTree(leaves).root);
        const c = proposalCommitment(account.address, p.root, salt);
        expect(await fx.read<bigint>("commitments", [c])).to.equal(0n);
      });
    });
  }

  it("waits for a block after the commitment when the node refuses the reveal in its block", async () => {
    const sent: string[] = [];
    let head = 10n;
    const receipt = (blockNumber: bigint, logs: TransactionReceipt["logs"] = []) =>
      ({ blockNumber, logs }) as unknown as TransactionReceipt;
    const sender = {
      address: "0x00000000000000000000000000000000000000a1" as const,
      async send(p: { functionName: string }) {
        sent.push(p.functionName);
        if (p.functionName === "commitProposal") return receipt(10n);
        if (head <= 10n)
          throw new ContractRevertError({ functionName: "propose", errorName: "NotCommitted" });
        // A Proposed event of the real ABI.
        const topics = encodeEventTopics({
          abi: verdictAbi,
          eventName: "Proposed",
          args: { proposalId: 7n, proposer: sender.address },
        });
        const data = encodeAbiParameters(
          [
            { type: "bytes32" },
            { type: "uint256" },
            { type: "uint64" },
            { type: "uint256" },
            {
              type: "tuple[]",
              components: [
                { name: "jobId", type: "uint256" },
                { name: "finalStateHash", type: "bytes32" },
              ],
            },
          ],
          [keccak256(toHex("r")), 1n, 1n, 1n, []],
        );
        return receipt(11n, [
          { topics, data, address: VERDICT } as unknown as TransactionReceipt["logs"][number],
        ]);
      },
    };
    const r = await commitAndPropose({
      sender,
      getBlockNumber: async () => {
        head++;
        return head;
      },
      verdict: VERDICT,
      leaves: [{ jobId: 1n, finalStateHash: keccak256(toHex("x")) }],
      bond: 1n,
      pollMs: 1,
    });
    expect(sent).to.deep.equal(["commitProposal", "propose", "propose"]);
    expect(r.proposalId).to.equal(7n);
    expect(r.commitBlock).to.equal(10n);
  });
});

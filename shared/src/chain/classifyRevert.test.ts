// Revert classification on real ABI-encoded revert data, as a node returns it:
// every protocol error decodes to its name even through a contract whose ABI
// lacks it, lost races are told apart from failures, and the transaction
// sender counts a lost race as raced, never as failed.

import { expect } from "chai";
import { type Abi, type Account, encodeErrorResult, type Hex, RawContractError } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { disputeGameAbi, verdictAbi } from "../bindings/abis.ts";
import { createLogger } from "../log/createLogger.ts";
import { createDaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { classifyRevert, classifyRevertName, isBenignRevert } from "./classifyRevert.ts";
import { createTxSender } from "./createTxSender.ts";
import { decodeRevert } from "./decodeRevert.ts";
import { ContractRevertError } from "./errors.ts";

/** The shape viem throws for an eth_call/estimateGas revert: wrapper → cause carrying the raw data. */
function nodeRevert(data: Hex): Error {
  const inner = new RawContractError({ data });
  return Object.assign(new Error("Execution reverted for an unknown reason."), {
    name: "ContractFunctionExecutionError",
    cause: Object.assign(new Error("execution reverted"), { name: "CallExecutionError", cause: inner }),
  });
}

const notPending = encodeErrorResult({ abi: verdictAbi as Abi, errorName: "ProposalNotPending", args: [7n] });
const challenged = encodeErrorResult({
  abi: disputeGameAbi as Abi,
  errorName: "AlreadyChallenged",
  args: [5n],
});

describe("chain/classifyRevert", () => {
  it("decodes a protocol error through the calling contract's ABI", () => {
    const e = decodeRevert(nodeRevert(notPending), verdictAbi as Abi, "finalize");
    expect(e).to.be.instanceOf(ContractRevertError);
    expect((e as ContractRevertError).errorName).to.equal("ProposalNotPending");
    expect((e as ContractRevertError).errorArgs).to.deep.equal([7n]);
    expect(classifyRevert(e)).to.equal("race");
  });

  it("decodes an error the caller's ABI does not declare (bubbled up from another contract)", () => {
    // A contract ABI with no errors at all: the protocol-wide fallback still names it.
    const e = decodeRevert(nodeRevert(challenged), [] as Abi, "move") as ContractRevertError;
    expect(e.errorName).to.equal("AlreadyChallenged");
    expect(isBenignRevert(e)).to.equal(true);
  });

  it("keeps real failures as failures, and unknown data as unknown", () => {
    const bond = encodeErrorResult({ abi: verdictAbi as Abi, errorName: "WrongBond", args: [1n, 2n] });
    const e = decodeRevert(nodeRevert(bond), verdictAbi as Abi, "propose") as ContractRevertError;
    expect(e.errorName).to.equal("WrongBond");
    expect(classifyRevert(e)).to.equal("failure");
    const junk = decodeRevert(
      nodeRevert("0xdeadbeef00"),
      verdictAbi as Abi,
      "propose",
    ) as ContractRevertError;
    expect(junk.errorName).to.equal("unknown");
    expect(junk.message).to.include("0xdeadbeef00");
    expect(isBenignRevert(junk)).to.equal(false);
  });

  it("is not fooled by non-reverts", () => {
    expect(classifyRevert(new Error("fetch failed"))).to.equal(undefined);
    expect(isBenignRevert(undefined)).to.equal(false);
    expect(classifyRevertName("FeeLocked")).to.equal("early");
    expect(classifyRevertName("Unauthorized")).to.equal("failure");
  });

  it("the sender counts a lost race as raced, not failed", async () => {
    const metrics = createDaemonMetrics({ prefix: "t_", defaults: false });
    const account = privateKeyToAccount(`0x${"11".repeat(32)}`) as Account & {
      signTransaction: NonNullable<Account["signTransaction"]>;
    };
    const fake = {
      chain: { id: 31337 },
      estimateContractGas: async () => {
        throw nodeRevert(notPending);
      },
    };
    const sender = createTxSender({
      publicClient: fake as never,
      account,
      logger: createLogger({ level: "silent" }),
      metrics,
      retries: 0,
    });
    const address = "0x0000000000000000000000000000000000000001";
    let thrown: unknown;
    try {
      await sender.send({ address, abi: verdictAbi as Abi, functionName: "finalize", args: [7n] });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as ContractRevertError).errorName).to.equal("ProposalNotPending");
    const text = await metrics.registry.metrics();
    expect(text).to.match(/t_transactions_raced_total\{function="finalize",error="ProposalNotPending"\} 1/);
    expect(text).not.to.match(/t_transactions_failed_total\{/);
  });
});

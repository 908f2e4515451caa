// Chain actions shared by the test fixtures (proposer tests, end-to-end tests):
// submit a job and read its id back, and move anvil's clock.
import { type Abi, type Address, decodeEventLog, type Hex, type PublicClient, type WalletClient } from "viem";
import { verdictAbi } from "../bindings/abis.ts";

export type SubmitJobParameters = {
  publicClient: PublicClient;
  wallet: WalletClient;
  verdict: Address;
  programId: bigint;
  input: Hex;
  feeWei: bigint;
};

/** Sends `submitJob` and returns the job id from its `JobSubmitted` event. */
export async function submitJobAndWait(p: SubmitJobParameters): Promise<bigint> {
  const hash = await p.wallet.writeContract({
    address: p.verdict,
    abi: verdictAbi as Abi,
    functionName: "submitJob",
    args: [p.programId, p.input],
    value: p.feeWei,
    account: p.wallet.account!,
    chain: p.wallet.chain,
  });
  const r = await p.publicClient.waitForTransactionReceipt({ hash });
  for (const l of r.logs) {
    try {
      const ev = decodeEventLog({ abi: verdictAbi as Abi, data: l.data, topics: l.topics }) as unknown as {
        eventName: string;
        args: { jobId: bigint };
      };
      if (ev.eventName === "JobSubmitted") return ev.args.jobId;
    } catch {
      // a log of another event or contract
    }
  }
  throw new Error("no JobSubmitted event");
}

/** Advances anvil's clock by `seconds` and mines a block. */
export async function advanceTime(publicClient: PublicClient, seconds: number): Promise<void> {
  await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
}

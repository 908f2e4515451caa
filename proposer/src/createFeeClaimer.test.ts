// createFeeClaimer with a stub chain: only our recorded fees are claimed, only
// once their lock (recordedAt + 2 clocks + margin) has passed; a claim moved to
// an earlier-committed proposal, claimed by someone else or rolled back is
// dropped; a lock that moved is read again.

import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import type { Abi, Address } from "viem";
import { createFeeClaimer } from "./createFeeClaimer.ts";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const OTHER: Address = "0x00000000000000000000000000000000000000b2";

function setup() {
  const chain = {
    now: 1_000n,
    margin: 600n,
    clock: 100n,
    recordedAt: new Map<bigint, bigint>(),
    revert: new Map<bigint, string>(),
    claims: [] as bigint[],
  };
  const claimer = createFeeClaimer({
    me: ME,
    verdict: "0x00000000000000000000000000000000000000c3",
    abi: [] as Abi,
    logger: createLogger({ level: "silent" }),
    read: async <T>(fn: string, args: readonly unknown[] = []) => {
      if (fn === "activeNow") return chain.now as T;
      if (fn === "FEE_MARGIN_SECONDS") return chain.margin as T;
      if (fn === "getJob")
        return { recordedAt: chain.recordedAt.get(args[0] as bigint) ?? 0n, resultProposalId: 1n } as T;
      if (fn === "getProposal") return { clockSeconds: chain.clock } as T;
      throw new Error(fn);
    },
    sender: {
      send: async (p) => {
        const jobId = (p.args as bigint[])[0];
        const err = chain.revert.get(jobId);
        if (err) throw new ContractRevertError({ functionName: "claimFee", errorName: err });
        chain.claims.push(jobId);
        return {} as never;
      },
    },
  });
  return { chain, claimer };
}

describe("createFeeClaimer", () => {
  it("claims only our fees, and only once unlocked (recordedAt + 2 clocks + margin)", async () => {
    const { chain, claimer } = setup();
    chain.recordedAt.set(1n, 1_000n);
    chain.recordedAt.set(2n, 1_000n);
    claimer.onRecorded({ jobId: 1n, proposer: ME, fee: 5n });
    claimer.onRecorded({ jobId: 2n, proposer: OTHER, fee: 5n });
    claimer.onRecorded({ jobId: 3n, proposer: ME, fee: 0n });
    expect(claimer.pending()).to.deep.equal([1n]);
    chain.now = 1_799n;
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([]);
    chain.now = 1_800n;
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([1n]);
    expect(claimer.pending()).to.deep.equal([]);
  });

  it("drops a claim moved to another proposer, claimed already or rolled back", async () => {
    const { chain, claimer } = setup();
    for (const id of [1n, 2n, 3n]) claimer.onRecorded({ jobId: id, proposer: ME, fee: 1n });
    claimer.onRecorded({ jobId: 1n, proposer: OTHER, fee: 1n }); // an earlier-committed proposal took it
    claimer.onClaimed(2n);
    chain.revert.set(3n, "NoResult");
    chain.now = 10_000n;
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([]);
    expect(claimer.pending()).to.deep.equal([]);
  });

  it("reads the lock again when the claim is refused as locked", async () => {
    const { chain, claimer } = setup();
    chain.recordedAt.set(1n, 0n);
    claimer.onRecorded({ jobId: 1n, proposer: ME, fee: 1n });
    chain.revert.set(1n, "FeeLocked");
    await claimer.claimDue();
    expect(claimer.pending()).to.deep.equal([1n]);
    chain.revert.delete(1n);
    chain.recordedAt.set(1n, 900n); // re-recorded later: unlocks at 1700
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([]);
    chain.now = 1_700n;
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([1n]);
  });
});

// createFeeClaimer with a stub chain: only our recorded fees are claimed; a
// claim refused as FeeLocked(jobId, unlockAt) waits for that active time
// before it is tried again; a claim moved to an earlier-committed proposal,
// claimed by someone else or rolled back is dropped.

import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import type { Address } from "viem";
import { createFeeClaimer } from "./createFeeClaimer.ts";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const OTHER: Address = "0x00000000000000000000000000000000000000b2";

function setup() {
  const chain = {
    now: 1_000n,
    /** Active time each job's fee unlocks at. */
    lock: new Map<bigint, bigint>(),
    /** Errors other than the lock, by job. */
    revert: new Map<bigint, string>(),
    attempts: [] as bigint[],
    claims: [] as bigint[],
  };
  const claimer = createFeeClaimer({
    me: ME,
    verdict: "0x00000000000000000000000000000000000000c3",
    logger: createLogger({ level: "silent" }),
    activeNow: async () => chain.now,
    sender: {
      send: async (p) => {
        const jobId = (p.args as bigint[])[0];
        chain.attempts.push(jobId);
        const err = chain.revert.get(jobId);
        if (err) throw new ContractRevertError({ functionName: "claimFee", errorName: err });
        const unlockAt = chain.lock.get(jobId) ?? 0n;
        if (chain.now < unlockAt)
          throw new ContractRevertError({
            functionName: "claimFee",
            errorName: "FeeLocked",
            errorArgs: [jobId, unlockAt],
          });
        chain.claims.push(jobId);
        return {} as never;
      },
    },
  });
  return { chain, claimer };
}

describe("createFeeClaimer", () => {
  it("claims only our fees, and waits for the unlock time a FeeLocked refusal names", async () => {
    const { chain, claimer } = setup();
    chain.lock.set(1n, 1_800n);
    claimer.onRecorded({ jobId: 1n, proposer: ME, fee: 5n });
    claimer.onRecorded({ jobId: 2n, proposer: OTHER, fee: 5n });
    claimer.onRecorded({ jobId: 3n, proposer: ME, fee: 0n });
    expect(claimer.pending()).to.deep.equal([1n]);
    await claimer.claimDue(); // refused: locked until 1800
    chain.now = 1_799n;
    await claimer.claimDue(); // not tried again before then
    expect(chain.attempts).to.deep.equal([1n]);
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
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([]);
    expect(claimer.pending()).to.deep.equal([]);
  });

  it("tries again after a pause, and a re-recorded result starts afresh", async () => {
    const { chain, claimer } = setup();
    claimer.onRecorded({ jobId: 1n, proposer: ME, fee: 1n });
    chain.revert.set(1n, "ProtocolPaused");
    await claimer.claimDue();
    expect(claimer.pending()).to.deep.equal([1n]);
    chain.revert.delete(1n);
    chain.lock.set(1n, 5_000n);
    await claimer.claimDue();
    claimer.onRecorded({ jobId: 1n, proposer: ME, fee: 1n }); // recorded again (e.g. after a rollback)
    chain.lock.set(1n, 0n);
    await claimer.claimDue();
    expect(chain.claims).to.deep.equal([1n]);
  });
});

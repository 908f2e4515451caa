// Claims the fees of our recorded results (docs/spec.md §2.4): `claimFee`
// stays locked for a while after the reveal, so that a proposal committed
// earlier with the same result can still take the fee over. Which fees are
// ours comes from events alone (restart-safe): the last ResultRecorded of a
// job names the proposer its fee goes to; FeeClaimed ends it. The unlock time
// is not recomputed here (the contract's rule may change): a claim is
// simulated, and a `FeeLocked(jobId, unlockAt)` refusal (no transaction sent)
// tells when to try again.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { ContractRevertError } from "@verdict/shared/src/chain/errors.ts";
import type { Logger } from "pino";
import type { Address } from "viem";

export type CreateFeeClaimerParameters = {
  me: Address;
  sender: Pick<TxSender, "send">;
  verdict: Address;
  /** Reads Verdict (only `activeNow`). */
  /** Verdict's clock (`activeNow`): the time a fee lock is compared with. Unit: seconds. */
  activeNow: () => Promise<bigint>;
  logger: Logger;
  /** Called with each fee we claimed. Unit: wei. */
  onClaimed?: (jobId: bigint, fee: bigint) => void;
};

export type FeeClaimer = {
  /** A `ResultRecorded` event: the job's fee now goes to `proposer`. */
  onRecorded: (ev: { jobId: bigint; proposer: Address; fee: bigint }) => void;
  /** A `FeeClaimed` event: nothing left to claim for the job. */
  onClaimed: (jobId: bigint) => void;
  /** Claims every fee of ours whose lock has passed. */
  claimDue: () => Promise<void>;
  /** Job ids whose fee we still expect to claim. */
  pending: () => bigint[];
};

type Claim = { fee: bigint; unlockAt?: bigint };

export function createFeeClaimer(p: CreateFeeClaimerParameters): FeeClaimer {
  const log = p.logger.child({ component: "fees" });
  const claims = new Map<bigint, Claim>();

  return {
    onRecorded({ jobId, proposer, fee }) {
      if (proposer.toLowerCase() === p.me.toLowerCase() && fee > 0n) claims.set(jobId, { fee });
      else claims.delete(jobId); // the claim moved to an earlier-committed proposal
    },
    onClaimed(jobId) {
      claims.delete(jobId);
    },
    async claimDue() {
      if (claims.size === 0) return;
      const now = await p.activeNow();
      for (const [jobId, c] of [...claims]) {
        if (c.unlockAt !== undefined && now < c.unlockAt) continue;
        try {
          await p.sender.send({
            address: p.verdict,
            abi: verdictAbi,
            functionName: "claimFee",
            args: [jobId],
          });
          claims.delete(jobId);
          p.onClaimed?.(jobId, c.fee);
          log.info({ jobId, fee: c.fee }, "fee claimed");
        } catch (err) {
          if (!(err instanceof ContractRevertError)) throw err;
          if (err.errorName === "FeeLocked") {
            c.unlockAt = BigInt(err.errorArgs[1] as bigint); // active time from which it is claimable
          } else if (err.errorName === "ProtocolPaused") {
            c.unlockAt = undefined; // time is frozen: try again after the unpause
          } else {
            // NothingToWithdraw (claimed already), NoResult (rolled back): not ours to claim now;
            // a new ResultRecorded brings it back.
            claims.delete(jobId);
            if (err.errorName === "NothingToWithdraw") log.info({ jobId }, "fee already claimed");
            else log.warn({ jobId, error: err.errorName }, "fee not claimable");
          }
        }
      }
    },
    pending: () => [...claims.keys()],
  };
}

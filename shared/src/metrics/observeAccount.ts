// Reads what an operator needs to see before anything fails: the account's
// balance against the bond its next transaction locks, and whether the
// protocol is paused. Both daemons call it once per tick and export the
// result as gauges (alert rules fire on them), so an empty account shows up
// before the first refused bond rather than after it.

import type { Address, Chain, PublicClient, Transport } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { DaemonMetrics } from "./createDaemonMetrics.ts";

export type ObserveAccountParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  /** The daemon's account; undefined for a watch-only daemon (only `paused` is read). */
  account?: Address;
  /** Which bond the daemon's next transaction locks. */
  bond: "proposerBond" | "claimBond";
  metrics: Pick<DaemonMetrics, "accountBalanceWei" | "cannotAffordBond" | "protocolPaused">;
};

export type ObserveAccountReturnType = {
  paused: boolean;
  /** Unit: wei. */
  balance?: bigint;
  /** Unit: wei. */
  bondWei: bigint;
};

export async function observeAccount(p: ObserveAccountParameters): Promise<ObserveAccountReturnType> {
  const [params, clock, balance] = await Promise.all([
    p.publicClient.readContract({ address: p.verdict, abi: verdictAbi, functionName: "params" }),
    p.publicClient.readContract({ address: p.verdict, abi: verdictAbi, functionName: "clockState" }),
    p.account ? p.publicClient.getBalance({ address: p.account }) : Promise.resolve(undefined),
  ]);
  const bondWei = BigInt((params as Record<string, bigint | number>)[p.bond]);
  const paused = Boolean((clock as readonly [unknown, boolean])[1]);
  p.metrics.protocolPaused.set(paused ? 1 : 0);
  if (balance !== undefined) {
    // Gauges are doubles: wei beyond 2^53 lose precision, which is fine for a dashboard.
    p.metrics.accountBalanceWei.set(Number(balance));
    p.metrics.cannotAffordBond.set(balance < bondWei ? 1 : 0);
  }
  return { paused, balance, bondWei };
}

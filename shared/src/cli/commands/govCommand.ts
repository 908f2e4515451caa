// `verdict gov <action>`: one governance action (docs/spec.md §2.5), sent
// directly by the role holder (the guardian's emergency actions), or through
// the TimelockController: --schedule (prints the operation id and when it can
// run), then --execute once the delay has passed.

import { type Address, getAddress, type Hex, isAddress, isHex, pad, zeroHash } from "viem";
import {
  type EncodeGovernanceCallParameters,
  encodeGovernanceCall,
  type GovernanceAction,
} from "../../actions/encodeGovernanceCall.ts";
import { executeGovernanceCall } from "../../actions/executeGovernanceCall.ts";
import { scheduleGovernanceCall } from "../../actions/scheduleGovernanceCall.ts";
import { sendGovernanceCall } from "../../actions/sendGovernanceCall.ts";
import { verdictAbi } from "../../bindings/abis.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connectSigner, type SignerConnection } from "../connection.ts";
import { CONNECTION_ENV } from "../connectionFlags.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { printResult } from "./printResult.ts";
import { parseEth } from "./submitCommand.ts";

/** The CLI's names of the actions. */
export const GOV_ACTIONS = {
  pause: "pause",
  unpause: "unpause",
  "invalidate-proposal": "invalidateProposal",
  "invalidate-game": "invalidateGame",
  rollback: "rollback",
  "retire-verifier": "retireVerifier",
  "set-params": "setParams",
  "approve-verifier": "approveVerifier",
  "set-max-depth": "setMaxDepth",
} as const satisfies Record<string, GovernanceAction["action"]>;
export type GovActionName = keyof typeof GOV_ACTIONS;

export type GovCommandOptions = ConnectionOptions & {
  schedule?: boolean;
  execute?: boolean;
  salt?: string;
  delay?: string;
  json?: boolean;
  // rollback
  after?: string;
  maxProposals?: string;
  // set-params (unset ones keep their current value)
  proposerBond?: string;
  claimBond?: string;
  challengeWindow?: string;
  clockSeconds?: string;
  burnBps?: string;
  maxInputBytes?: string;
  maxBatchSize?: string;
  feeTimeout?: string;
};

function addressArg(option: string, value: string | undefined): Address {
  if (!value || !isAddress(value, { strict: false }))
    throw new CliUsageError({ option, value: value ?? "", reason: "not a 20-byte 0x address" });
  return getAddress(value);
}

/** A salt: a 0x hex value of at most 32 bytes, or a decimal number; left-padded to 32 bytes. */
export function parseSalt(value: string | undefined): Hex {
  if (value === undefined) return zeroHash;
  const v = value.trim();
  if (/^\d+$/.test(v)) return pad(`0x${BigInt(v).toString(16)}`, { size: 32 });
  if (isHex(v) && v.length <= 66 && v.length > 2) return pad(v, { size: 32 });
  throw new CliUsageError({
    option: "--salt",
    value,
    reason: "expected a decimal number or 0x hex of at most 32 bytes",
  });
}

async function buildAction(
  name: GovActionName,
  arg: string | undefined,
  opts: GovCommandOptions,
  c: SignerConnection,
): Promise<GovernanceAction> {
  switch (name) {
    case "pause":
    case "unpause":
      return { action: name };
    case "invalidate-proposal":
      return { action: "invalidateProposal", proposalId: parseCount(arg ?? "", "proposal id", { min: 1n }) };
    case "invalidate-game":
      return { action: "invalidateGame", gameId: parseCount(arg ?? "", "game id", { min: 1n }) };
    case "rollback":
      return {
        action: "rollback",
        afterTimestamp: parseCount(opts.after ?? "", "--after"),
        maxProposals: parseCount(opts.maxProposals ?? "100", "--max-proposals", { min: 1n }),
      };
    case "retire-verifier":
      return { action: "retireVerifier", verifier: addressArg("verifier", arg) };
    case "approve-verifier":
      return { action: "approveVerifier", verifier: addressArg("verifier", arg) };
    case "set-max-depth": {
      const d = parseCount(arg ?? "", "depth", { min: 1n });
      if (d > 48n) throw new CliUsageError({ option: "depth", value: arg ?? "", reason: "at most 48" });
      return { action: "setMaxDepth", maxDepth: Number(d) };
    }
    case "set-params": {
      const cur = await c.publicClient.readContract({
        address: c.contracts.verdict,
        abi: verdictAbi,
        functionName: "params",
      });
      const n = (v: string | undefined, option: string, current: number) =>
        v === undefined ? current : Number(parseCount(v, option));
      const b = (v: string | undefined, option: string, current: bigint) =>
        v === undefined ? current : parseCount(v, option);
      return {
        action: "setParams",
        params: {
          proposerBond:
            opts.proposerBond === undefined
              ? cur.proposerBond
              : parseEth(opts.proposerBond, "--proposer-bond"),
          claimBond: opts.claimBond === undefined ? cur.claimBond : parseEth(opts.claimBond, "--claim-bond"),
          challengeWindow: b(opts.challengeWindow, "--challenge-window", cur.challengeWindow),
          clockSeconds: b(opts.clockSeconds, "--clock-seconds", cur.clockSeconds),
          burnBps: n(opts.burnBps, "--burn-bps", cur.burnBps),
          maxInputBytes: n(opts.maxInputBytes, "--max-input-bytes", cur.maxInputBytes),
          maxBatchSize: n(opts.maxBatchSize, "--max-batch-size", cur.maxBatchSize),
          feeTimeout: b(opts.feeTimeout, "--fee-timeout", cur.feeTimeout),
        },
      };
    }
  }
}

export async function govCommand(
  name: GovActionName,
  arg: string | undefined,
  opts: GovCommandOptions,
  io: CliIo,
) {
  if (opts.schedule && opts.execute)
    throw new CliUsageError({
      option: "--schedule",
      value: "",
      reason: "give --schedule or --execute, not both",
    });
  const salt = parseSalt(opts.salt);
  const delaySeconds = opts.delay === undefined ? undefined : parseCount(opts.delay, "--delay");
  const c = await connectSigner(opts);
  const action = await buildAction(name, arg, opts, c);
  const call = encodeGovernanceCall({
    verdict: c.contracts.verdict,
    registry: c.contracts.registry,
    disputeGame: c.contracts.disputeGame,
    ...action,
  } as EncodeGovernanceCallParameters);
  const viaTimelock = opts.schedule || opts.execute;
  const timelock = c.contracts.timelock;
  if (viaTimelock && !timelock)
    throw new CliUsageError({
      option: opts.schedule ? "--schedule" : "--execute",
      value: "",
      reason: `no timelock known: the deployment file names none; pass --timelock ADDR (or set ${CONNECTION_ENV.timelock})`,
    });
  if (opts.schedule && timelock) {
    const r = await scheduleGovernanceCall(c, { timelock, call, salt, delaySeconds });
    printResult(io, opts.json, { ...r, readyAtIso: new Date(Number(r.readyAt) * 1000).toISOString() });
    return r;
  }
  if (opts.execute && timelock) {
    const r = await executeGovernanceCall(c, { timelock, call, salt });
    printResult(io, opts.json, r);
    return r;
  }
  const r = await sendGovernanceCall(c, { call, timelock });
  printResult(io, opts.json, r);
  return r;
}

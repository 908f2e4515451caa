// The job's history as one list of dated lines, in chain order: registration,
// submission, proposals, every move of every game on its leaves with the bonds
// paid and burned, finalization, recording, fees, output opening and
// publication, and the governance actions (pauses, invalidations, rollbacks,
// verifier retirements) that happened while it lived.

import { formatEther, type Hex } from "viem";
import { end, start } from "../game/position.ts";
import type { EventAt, JobHistory } from "./collectJobHistory.ts";

export type TimelineEntry = {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** Unix seconds of the block (null if unknown). */
  time: bigint | null;
  /** Machine-readable kind (the event name, or a game move). */
  kind: string;
  text: string;
};

const seg = (p: bigint) => `[${start(p)}, ${end(p)}]`;
const shortHex = (h: string) => (h.length > 14 ? `${h.slice(0, 10)}…${h.slice(-4)}` : h);

export function buildTimeline(h: JobHistory): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const add = (where: EventAt, kind: string, text: string) =>
    out.push({ ...where, time: h.blockTimes.get(where.blockNumber) ?? null, kind, text });

  const pr = h.program;
  if (pr.registered)
    add(
      pr.registered,
      "ProgramRegistered",
      `program #${pr.programId} registered by ${pr.registrant}: root ${shortHex(pr.programRoot)}, entry 0x${pr.entry.toString(16)}, D=${pr.depth}, manifest ${shortHex(pr.manifestHash)}, verifier ${pr.verifier} (machine v${pr.machineVersion})${pr.registered.signers.length ? `, signers ${pr.registered.signers.join(", ")}` : ""}`,
    );
  if (pr.verifierRetired)
    add(
      pr.verifierRetired,
      "VerifierRetired",
      `verifier ${pr.verifier} retired for new programs (this program keeps it)`,
    );
  const s = h.submission;
  if (s)
    add(
      s,
      "JobSubmitted",
      `job #${h.jobId} submitted by ${s.requester}: ${(s.input.length - 2) / 2} input bytes, input root ${shortHex(s.inputRoot)}, fee ${formatEther(s.fee)} ETH${s.signer !== "0x0000000000000000000000000000000000000000" ? `, attested by ${s.signer} (nonce ${s.nonce})` : ""}`,
    );
  for (const p of h.proposals) {
    add(
      p,
      "Proposed",
      `proposal #${p.proposalId} by ${p.proposer} (${p.leafCount} result(s), stake ${formatEther(p.bond)} ETH) claims final state ${shortHex(p.claimedHash)}`,
    );
    for (const e of p.events) {
      const a = e.args as Record<string, bigint | string>;
      const text =
        e.name === "ProposalDefeated"
          ? `proposal #${p.proposalId} defeated in game #${a.gameId}: ${formatEther(a.burned as bigint)} ETH of its stake burned, ${formatEther(a.rewardShare as bigint)} ETH per defeated leaf's opener`
          : e.name === "LeafRewardPaid"
            ? `proposal #${p.proposalId}: ${formatEther(a.amount as bigint)} ETH of its stake paid to ${a.opener}`
            : e.name === "StakeSettled"
              ? `proposal #${p.proposalId}: the rest of its stake burned (${formatEther(a.burned as bigint)} ETH)`
              : e.name === "ProposalFinalized"
                ? `proposal #${p.proposalId} finalized (finalized #${a.finalizedSeq}); its stake is credited back`
                : e.name === "ProposalInvalidated"
                  ? `proposal #${p.proposalId} invalidated by ${a.by}: it can never finalize, its bond is refunded`
                  : e.name === "ProposalRolledBack"
                    ? `proposal #${p.proposalId} rolled back by governance (finalized at ${a.finalizedAt}): its results no longer count`
                    : `${e.name} on proposal #${p.proposalId}`;
      add(e.at, e.name, text);
    }
  }
  for (const g of h.games) {
    add(
      g,
      "GameOpened",
      `game #${g.gameId} opened by ${g.opener} on proposal #${g.proposalId}'s leaf: root [0, 2^${g.depth}], claim ${shortHex(g.endHash)}, bond ${formatEther(g.claimBond)} ETH, ${g.clockSeconds}s per side per path, verifier machine v${g.machineVersion}`,
    );
    for (const m of g.moves) {
      if (m.kind === "challenged")
        add(
          m,
          "NodeChallenged",
          m.parent === 0n
            ? `game #${g.gameId}: root ${seg(m.position)} challenged by ${m.by} (clocks: proposer ${m.proposerUsed}s, challenger ${m.challengerUsed}s used)`
            : `game #${g.gameId}: part ${m.index} ${seg(m.position)} challenged by ${m.by}, bond ${formatEther(g.claimBond)} ETH (clocks: proposer ${m.proposerUsed}s, challenger ${m.challengerUsed}s used)`,
        );
      else if (m.kind === "dissected")
        add(
          m,
          "NodeDissected",
          `game #${g.gameId}: ${m.by} dissects ${seg(m.position)} into ${m.interior.length + 1} parts, bond ${formatEther(g.dissectionBond)} ETH (proposer clock ${m.proposerUsed}s used)`,
        );
      else if (m.kind === "stepped")
        add(
          m,
          "NodeStepped",
          `game #${g.gameId}: one-step proof of step ${start(m.position)} by ${m.by} on machine v${g.machineVersion}: ${shortHex(m.preStateHash)} → ${shortHex(m.postStateHash)}, claimed ${shortHex(m.endHash)} (${m.postStateHash === m.endHash ? "claim holds" : "claim fails"})`,
        );
      else if (m.kind === "resolved")
        add(
          m,
          "NodeResolved",
          `game #${g.gameId}: ${seg(m.position)} resolved ${m.status}: challenger ${m.challenger} paid ${formatEther(m.challengerPaid)} ETH, proposer ${formatEther(m.proposerPaid)} ETH, ${formatEther(m.burned)} ETH burned`,
        );
      else add(m, "GameInvalidated", `game #${g.gameId} invalidated by ${m.by}: every bond is refunded`);
    }
  }
  for (const r of h.recorded)
    add(
      r,
      "ResultRecorded",
      `result recorded from proposal #${r.proposalId}: final state ${shortHex(r.finalStateHash)} (fee ${formatEther(r.fee)} ETH escrowed for ${r.proposer})`,
    );
  for (const f of h.fees) {
    const a = f.args as Record<string, bigint | string>;
    add(
      f.at,
      f.name,
      f.name === "FeeClaimed"
        ? `fee ${formatEther(a.fee as bigint)} ETH paid to ${a.proposer} (proposal #${a.proposalId})`
        : `fee ${formatEther(a.fee as bigint)} ETH reclaimed by the requester ${a.requester}`,
    );
  }
  for (const o of h.output.opened)
    add(
      o,
      "OutputOpened",
      `output opened from ${shortHex(o.finalStateHash)}: status ${["RUNNING", "EXITED", "TRAPPED"][o.status] ?? o.status}, exit code ${o.exitCode}, ${o.steps} steps, output root ${shortHex(o.outputRoot)}`,
    );
  for (const o of h.output.published)
    add(
      o,
      "OutputData",
      `output published: ${(o.output.length - 2) / 2} bytes under root ${shortHex(o.outputRoot)}`,
    );
  for (const gv of h.governance) {
    const a = gv.args as Record<string, bigint | string | boolean>;
    if (gv.name === "ProtocolPausedAt")
      add(gv.at, gv.name, `protocol paused by ${a.by} (clocks and windows frozen)`);
    else if (gv.name === "ProtocolUnpaused")
      add(
        gv.at,
        gv.name,
        `protocol unpaused by ${a.by}: ${a.pausedSeconds}s added back to every clock and window`,
      );
    else if (gv.name === "RollbackProgress")
      add(
        gv.at,
        gv.name,
        `rollback of proposals finalized after ${a.afterTimestamp}: ${a.rolledBack} rolled back${a.done ? " (done)" : ""}`,
      );
    else if (gv.name === "ParamsSet")
      add(gv.at, gv.name, "protocol parameters changed (pending proposals keep their snapshot)");
  }
  out.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  return out;
}

// `verdict audit`'s engine: can the output of job N be trusted, and why?
// Rebuilds the job's provenance from the chain (collectJobHistory), checks
// what the chain says against itself and against the program image the
// auditor holds, re-executes the job on our own machine, and returns one
// verdict with every check behind it:
//
//   verified      a valid result is recorded and our re-execution reaches the
//                 same final state (and, when opened, the same output);
//   mismatch      the chain contradicts itself or our execution: input root,
//                 attestation, or a final state that differs (with the trace
//                 segment where the claim parts from our trace);
//   pending       no valid result yet (proposed, disputed, or not proposed);
//   rolled-back   the recorded result was rolled back and nothing replaces it;
//   unverifiable  a check could not be made: what is missing is listed (no
//                 ELF, an ELF that does not load to the registered root, a
//                 manifest that does not hash to the registered one, another
//                 machine version, a re-execution beyond the step cap).

import { type Address, type Chain, type Hex, type PublicClient, sha256, type Transport } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import { loadElf } from "../elf/loadElf.ts";
import type { ProgramImage } from "../elf/types.ts";
import { MACHINE_VERSION } from "../machine/constants.ts";
import { programRoot } from "../machine/createMachine.ts";
import { inputRoot } from "../machine/inputRoot.ts";
import { buildTrace, type CheckpointedTrace } from "../machine/trace.ts";
import { manifestHash } from "../manifest/manifestHash.ts";
import { buildTimeline, type TimelineEntry } from "./buildTimeline.ts";
import { type AttestationCheck, checkAttestation } from "./checkAttestation.ts";
import { collectJobHistory, type JobHistory, type ProposalStatusName } from "./collectJobHistory.ts";
import { type Divergence, locateDivergence } from "./locateDivergence.ts";

export const AUDIT_VERDICTS = ["verified", "mismatch", "pending", "rolled-back", "unverifiable"] as const;
export type AuditVerdict = (typeof AUDIT_VERDICTS)[number];

export type AuditCheck = { name: string; ok: boolean | null; detail: string };

export type AuditPosition =
  | { kind: "input"; detail: string }
  | ({ kind: "trace"; gameId: bigint | null } & Divergence)
  | { kind: "output"; detail: string };

export type GameSummary = {
  gameId: bigint;
  proposalId: bigint;
  opener: Address;
  proposer: Address;
  depth: number;
  machineVersion: bigint;
  challenges: number;
  dissections: number;
  stepped: { position: bigint; by: Address; holds: boolean } | null;
  /** Claim bonds posted (challenges and dissections). Unit: wei. */
  bondsPosted: bigint;
  paidToChallengers: bigint;
  paidToProposer: bigint;
  burned: bigint;
  rootOutcome: string | null;
  invalidated: boolean;
  /** Where the game's claim parts from our trace (null: it agrees, or no re-execution). */
  divergence: Divergence | null;
};

export type AuditReport = {
  jobId: bigint;
  verdict: AuditVerdict;
  /** One line: why this verdict. */
  reason: string;
  position: AuditPosition | null;
  /** For `unverifiable`: what is missing. */
  missing: string[];
  chainId: number;
  blockNumber: bigint;
  contracts: JobHistory["contracts"];
  program: JobHistory["program"] & {
    elf: { programRoot: Hex; entry: number; sha256: Hex } | null;
    manifest: { hash: Hex } | null;
  };
  input: {
    bytes: number;
    inputRoot: Hex;
    recomputedRoot: Hex | null;
    calldata: string;
    attestation: AttestationCheck | null;
  };
  proposals: {
    proposalId: bigint;
    proposer: Address;
    claimedHash: Hex;
    status: ProposalStatusName;
    /** Our final state equals the claim (null without a re-execution). */
    agrees: boolean | null;
    games: bigint[];
  }[];
  games: GameSummary[];
  result: JobHistory["result"];
  output: JobHistory["output"]["current"];
  reexecution: {
    status: number;
    exitCode: number;
    steps: bigint;
    stateHash: Hex;
    outputRoot: Hex;
    /** Our output bytes, or null when our final state has none (not the same as "0x", an empty output). */
    output: Hex | null;
    /** Why `output` is null (TraceResult.noOutput), else null. */
    noOutput: string | null;
  } | null;
  checks: AuditCheck[];
  timeline: TimelineEntry[];
};

export type AuditJobParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  outputs?: Address;
  jobId: bigint;
  /** The program's ELF as the auditor holds it (absent: unverifiable). */
  elf?: Uint8Array;
  /** The program's manifest (parsed JSON), checked against the registered manifest hash. */
  manifest?: unknown;
  fromBlock?: bigint;
  blockNumber?: bigint;
  /** Largest number of steps the re-execution may run (default 2^32). */
  maxSteps?: bigint;
  /** Steps between re-execution checkpoints (bisection queries replay at most this many). */
  checkpointInterval?: number;
};

export type AuditJobReturnType = AuditReport;

const hexBytes = (h: Hex) => (h.length - 2) / 2;

export async function auditJob(p: AuditJobParameters): Promise<AuditJobReturnType> {
  const h = await collectJobHistory(p);
  const checks: AuditCheck[] = [];
  const missing: string[] = [];
  const check = (name: string, ok: boolean | null, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  let inputContradiction: string | null = null;

  // 1. The program image.
  let image: ProgramImage | null = null;
  let elfInfo: AuditReport["program"]["elf"] = null;
  if (p.elf === undefined) {
    missing.push("the program's ELF (pass --elf FILE)");
    check("elf", null, "no ELF given: the result cannot be re-executed");
  } else {
    try {
      image = loadElf(p.elf);
    } catch (err) {
      missing.push("an ELF that loads (the one given is malformed)");
      check("elf", false, `the ELF given does not load: ${(err as Error).message.split("\n")[0]}`);
    }
    if (image) {
      elfInfo = { programRoot: programRoot(image), entry: image.entry, sha256: sha256(p.elf) };
      const rootOk = elfInfo.programRoot === h.program.programRoot && image.entry === h.program.entry;
      check(
        "elf",
        rootOk,
        rootOk
          ? `the ELF loads to the registered program root ${h.program.programRoot} and entry 0x${image.entry.toString(16)}`
          : `the ELF loads to root ${elfInfo.programRoot} entry 0x${image.entry.toString(16)}, but program #${h.program.programId} registered root ${h.program.programRoot} entry 0x${h.program.entry.toString(16)}`,
      );
      if (!rootOk) {
        missing.push("the registered program's ELF (the one given is another program)");
        image = null;
      }
    }
  }
  let manifestInfo: AuditReport["program"]["manifest"] = null;
  if (p.manifest !== undefined) {
    manifestInfo = { hash: manifestHash(p.manifest) };
    const ok = manifestInfo.hash === h.program.manifestHash;
    check(
      "manifest",
      ok,
      ok
        ? `the manifest hashes to the registered ${h.program.manifestHash}`
        : `the manifest hashes to ${manifestInfo.hash}, the program registered ${h.program.manifestHash}`,
    );
    if (!ok) missing.push("the registered program's manifest (the one given hashes differently)");
    const elfSha = (p.manifest as { elfSha256?: unknown }).elfSha256;
    if (ok && elfInfo && typeof elfSha === "string") {
      const same = elfSha.toLowerCase() === elfInfo.sha256;
      check(
        "manifest elf",
        same,
        same
          ? "the ELF is the one the manifest describes"
          : `the manifest describes an ELF with sha256 ${elfSha}, the one given has ${elfInfo.sha256}`,
      );
      if (!same) missing.push("the ELF the manifest describes");
    }
  } else
    check(
      "manifest",
      null,
      "no manifest given: the build is not checked against the registered manifest hash",
    );
  const versionOk = h.program.machineVersion === BigInt(MACHINE_VERSION);
  check(
    "machine version",
    versionOk,
    versionOk
      ? `the program's verifier runs machine v${h.program.machineVersion}, as this auditor does`
      : `the program's verifier runs machine v${h.program.machineVersion}; this auditor runs v${MACHINE_VERSION}`,
  );
  if (!versionOk) {
    missing.push(`a machine of version ${h.program.machineVersion}`);
    image = null;
  }

  // 2. The input: calldata, the event, the stored root, and the attestation.
  const sub = h.submission;
  let input: Uint8Array | null = null;
  let recomputedRoot: Hex | null = null;
  let attestation: AttestationCheck | null = null;
  if (!sub) {
    missing.push(`the JobSubmitted event of job #${h.jobId} (scan from an earlier --from-block)`);
    check("input", null, "the submission event is not in the scanned range");
  } else {
    input = Buffer.from(sub.input.slice(2), "hex");
    if (sub.calldata.kind === "indirect")
      check(
        "input calldata",
        null,
        `submitted through ${sub.calldata.to}, not by a direct call: the input is taken from the JobSubmitted event`,
      );
    else {
      const same = sub.calldata.input.toLowerCase() === sub.input.toLowerCase();
      check(
        "input calldata",
        same,
        same
          ? `the ${sub.calldata.kind} calldata carries the ${input.length} input bytes`
          : "the calldata's input differs from the event's",
      );
      if (!same) inputContradiction = "the calldata's input differs from the JobSubmitted event's";
    }
    recomputedRoot = inputRoot(input);
    const rootOk = recomputedRoot === h.job.inputRoot && recomputedRoot === sub.inputRoot;
    check(
      "input root",
      rootOk,
      rootOk
        ? `the input bytes hash to the stored input root ${h.job.inputRoot}`
        : `the input bytes hash to ${recomputedRoot}, the job stores ${h.job.inputRoot}`,
    );
    if (!rootOk)
      inputContradiction ??= `the input bytes hash to ${recomputedRoot}, not to the stored input root`;
    if (h.program.signed) {
      attestation = await checkAttestation(p.publicClient, h);
      const a = attestation;
      check(
        "signer authorised",
        a.signerAuthorised,
        a.signerAuthorised
          ? `${a.signer} was in program #${h.program.programId}'s signer set at block ${sub.blockNumber}`
          : `${a.signer} was not an authorised signer of program #${h.program.programId} at block ${sub.blockNumber}`,
      );
      if (!a.signerAuthorised) inputContradiction ??= `the signer ${a.signer} was not authorised`;
      if (a.validAtSubmission === null) {
        check("attestation", null, `not re-checked: ${a.missing.join("; ")}`);
      } else {
        check(
          "attestation",
          a.validAtSubmission && a.deadlineMet !== false,
          a.validAtSubmission
            ? `the ${a.signerKind === "erc1271" ? "ERC-1271" : "EIP-712 (ECDSA)"} attestation of ${a.signer} over digest ${a.digest} was valid at block ${sub.blockNumber}${a.deadlineMet === false ? ", but after its deadline" : ""}`
            : `the attestation does not verify for ${a.signer} at block ${sub.blockNumber}`,
        );
        if (!a.validAtSubmission || a.deadlineMet === false)
          inputContradiction ??= "the input's attestation does not verify";
        if (a.validAtSubmission && a.validNow === false)
          check(
            "attestation now",
            null,
            `${a.signer} no longer accepts the signature (revoked after the job was admitted; the admission stands)`,
          );
      }
    }
  }

  // 3. Re-execution.
  let trace: CheckpointedTrace | null = null;
  const maxSteps = p.maxSteps ?? 2n ** 32n;
  if (image && input) {
    const ac = new AbortController();
    try {
      trace = await buildTrace({
        image,
        input,
        depth: h.program.depth,
        checkpointInterval: p.checkpointInterval ?? 2 ** 18,
        signal: ac.signal,
        onProgress: (step) => {
          if (BigInt(step) >= maxSteps) ac.abort();
        },
      });
    } catch (err) {
      if (!ac.signal.aborted) throw err;
      missing.push(`a re-execution within ${maxSteps} steps (raise --max-steps)`);
      check("re-execution", null, `stopped after ${maxSteps} steps without halting`);
    }
  }
  if (trace) {
    const onchainT0 = (await p.publicClient.readContract({
      address: h.contracts.verdict,
      abi: verdictAbi,
      functionName: "initialStateHash",
      args: [h.jobId],
      blockNumber: h.blockNumber,
    })) as Hex;
    const t0 = await trace.get(0n);
    const ok = check(
      "initial state",
      onchainT0 === t0,
      onchainT0 === t0
        ? `T(0) derived onchain equals ours (${t0})`
        : `T(0) derived onchain is ${onchainT0}, ours ${t0}`,
    );
    if (!ok) inputContradiction ??= "the initial state derived onchain differs from ours";
  }
  const ours = trace?.result ?? null;

  // 4. Proposals and games, each compared with our trace.
  const games: GameSummary[] = [];
  for (const g of h.games) {
    const dissections = new Map<bigint, readonly Hex[]>();
    let stepped: GameSummary["stepped"] = null;
    let paidToChallengers = 0n;
    let paidToProposer = 0n;
    let burned = 0n;
    let challenges = 0;
    let rootOutcome: string | null = null;
    for (const m of g.moves) {
      if (m.kind === "dissected") dissections.set(m.position, m.interior);
      else if (m.kind === "challenged") challenges++;
      else if (m.kind === "stepped")
        stepped = { position: m.position, by: m.by, holds: m.postStateHash === m.endHash };
      else if (m.kind === "resolved") {
        paidToChallengers += m.challengerPaid;
        paidToProposer += m.proposerPaid;
        burned += m.burned;
        if (m.position === BigInt(g.depth)) rootOutcome = m.status;
      }
    }
    const divergence =
      trace && ours
        ? await locateDivergence({
            trace,
            depth: g.depth,
            log2K: h.log2K,
            claimedEnd: g.endHash,
            dissections,
          })
        : null;
    games.push({
      gameId: g.gameId,
      proposalId: g.proposalId,
      opener: g.opener,
      proposer: g.proposer,
      depth: g.depth,
      machineVersion: g.machineVersion,
      challenges,
      dissections: dissections.size,
      stepped,
      bondsPosted: BigInt(challenges) * g.claimBond + BigInt(dissections.size) * g.dissectionBond,
      paidToChallengers,
      paidToProposer,
      burned,
      rootOutcome,
      invalidated: g.moves.some((m) => m.kind === "invalidated"),
      divergence,
    });
  }
  const proposals: AuditReport["proposals"] = h.proposals.map((x) => ({
    proposalId: x.proposalId,
    proposer: x.proposer,
    claimedHash: x.claimedHash,
    status: x.status,
    agrees: ours ? ours.stateHash === x.claimedHash : null,
    games: h.games.filter((g) => g.proposalId === x.proposalId).map((g) => g.gameId),
  }));
  for (const x of proposals)
    if (x.agrees !== null)
      check(
        `proposal #${x.proposalId}`,
        x.status === "Defeated" ? !x.agrees : x.agrees || x.status !== "Finalized",
        `${x.status}: claims ${x.claimedHash}, ${x.agrees ? "as our re-execution does" : "which our re-execution does not reach"}`,
      );

  // 5. The verdict.
  let verdict: AuditVerdict;
  let reason: string;
  let position: AuditPosition | null = null;
  const rolledBack = h.proposals.some((x) => x.status === "RolledBack");
  const pendingProposal = h.proposals.some((x) => x.status === "Pending");
  if (inputContradiction) {
    verdict = "mismatch";
    reason = inputContradiction;
    position = { kind: "input", detail: inputContradiction };
  } else if (!h.result.final) {
    if (rolledBack && !pendingProposal) {
      verdict = "rolled-back";
      reason = `the result recorded from proposal #${h.proposals
        .filter((x) => x.status === "RolledBack")
        .map((x) => x.proposalId)
        .join(", #")} was rolled back and no proposal replaces it yet`;
    } else {
      verdict = "pending";
      reason = pendingProposal
        ? `proposal(s) #${h.proposals
            .filter((x) => x.status === "Pending")
            .map((x) => x.proposalId)
            .join(", #")} carry the job; none has finalized`
        : h.proposals.length
          ? "no proposal carrying the job finalized; it awaits a new one"
          : "no proposal carries the job yet";
    }
  } else if (!ours || missing.length > 0) {
    verdict = "unverifiable";
    reason = `a result is recorded (${h.result.finalStateHash}) but ${ours ? "its provenance is incomplete" : "cannot be re-executed"}: missing ${missing.join("; ")}`;
  } else if (ours.stateHash !== h.result.finalStateHash) {
    verdict = "mismatch";
    const game = games.find(
      (g) => h.games.find((x) => x.gameId === g.gameId)?.endHash === h.result.finalStateHash && g.divergence,
    );
    const d =
      game?.divergence ??
      (await locateDivergence({
        trace: trace as CheckpointedTrace,
        depth: h.program.depth,
        log2K: h.log2K,
        claimedEnd: h.result.finalStateHash,
        dissections: new Map(),
      }));
    position = { kind: "trace", gameId: game?.gameId ?? null, ...(d as Divergence) };
    reason = `the recorded final state ${h.result.finalStateHash} differs from ours ${ours.stateHash}; the traces part ${position.exact ? `at step ${position.start}` : `within [${position.start}, ${position.end}]${game ? "" : " (no dissection on chain narrows it)"}`}`;
  } else {
    const o = h.output.current;
    const outputWrong =
      o?.current &&
      (o.outputRoot !== ours.outputRoot ||
        o.exitCode !== ours.exitCode ||
        o.steps !== ours.steps ||
        o.status !== ours.status);
    if (outputWrong) {
      verdict = "mismatch";
      reason = "the opened output differs from our re-execution's";
      position = {
        kind: "output",
        detail: `onchain: root ${o.outputRoot}, exit ${o.exitCode}, ${o.steps} steps; ours: root ${ours.outputRoot}, exit ${ours.exitCode}, ${ours.steps} steps`,
      };
    } else {
      verdict = "verified";
      reason = `the recorded result (proposal #${h.result.proposalId}) is our re-execution's final state ${ours.stateHash}: exit code ${ours.exitCode} after ${ours.steps} steps`;
    }
  }
  if (h.output.current?.current && ours) {
    const o = h.output.current;
    check(
      "output",
      o.outputRoot === ours.outputRoot && o.exitCode === ours.exitCode,
      `opened onchain: exit ${o.exitCode}, ${o.steps} steps, root ${o.outputRoot}`,
    );
  }
  const published = h.output.published.at(-1);
  if (published && ours) {
    // A result without output bytes can have none published: any published bytes differ.
    const same =
      ours.output !== null &&
      published.output.toLowerCase() === `0x${Buffer.from(ours.output).toString("hex")}`;
    check(
      "published output",
      same,
      same
        ? `the published ${hexBytes(published.output)} bytes are our output`
        : "the published bytes differ from our output",
    );
  }

  return {
    jobId: h.jobId,
    verdict,
    reason,
    position,
    missing,
    chainId: h.chainId,
    blockNumber: h.blockNumber,
    contracts: h.contracts,
    program: { ...h.program, elf: elfInfo, manifest: manifestInfo },
    input: {
      bytes: input?.length ?? 0,
      inputRoot: h.job.inputRoot,
      recomputedRoot,
      calldata: sub?.calldata.kind ?? "unavailable",
      attestation,
    },
    proposals,
    games,
    result: h.result,
    output: h.output.current,
    reexecution: ours
      ? {
          status: ours.status,
          exitCode: ours.exitCode,
          steps: ours.steps,
          stateHash: ours.stateHash,
          outputRoot: ours.outputRoot,
          output: ours.output === null ? null : `0x${Buffer.from(ours.output).toString("hex")}`,
          noOutput: ours.noOutput ? `${ours.noOutput.kind}: ${ours.noOutput.reason}` : null,
        }
      : null,
    checks,
    timeline: buildTimeline(h),
  };
}

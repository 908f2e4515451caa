// `verdict audit` on a live anvil, through the CLI as a user runs it (exit
// status and the --json object): an honest job is verified; a job whose only
// proposal was defeated and which was re-proposed is verified, with the game
// that defeated the lie located at the step the chain executed; a rolled-back
// result says rolled-back; a signed job whose ERC-1271 data source revoked its
// approval after admission is still verified (the attestation was valid at
// submission); and what an attacker would try — a tampered local ELF, a
// truncated one, a manifest of another build, a wrong result that finalized
// unchallenged — is never `verified`.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { waitForReceipt } from "@verdict/shared/src/chain/waitForReceipt.ts";
import { runCli } from "@verdict/shared/src/cli/runCli.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { IO_REGION_HEIGHT, inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { bytesToHex, type Hex } from "viem";
import { deployApprovingWallet } from "./support/approvingWallet.ts";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEPTH = 18;
const WINDOW_SECONDS = 600;
const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));

type AuditJson = {
  verdict: string;
  reason: string;
  position: { kind: string; start?: number; end?: number; exact?: boolean; gameId?: number | null } | null;
  missing: string[];
  input: {
    attestation: {
      signerKind: string;
      validAtSubmission: boolean;
      validNow: boolean;
      signerAuthorised: boolean;
    } | null;
  };
  proposals: { proposalId: number; status: string; agrees: boolean | null; games: number[] }[];
  games: {
    gameId: number;
    stepped: { position: number } | null;
    divergence: { start: number; exact: boolean } | null;
    rootOutcome: string;
  }[];
  checks: { name: string; ok: boolean | null; detail: string }[];
  timeline: { kind: string; text: string }[];
};

/** CLI streams that collect what the command prints. */
function captureIo() {
  let out = "";
  let err = "";
  const io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: Object.assign(
      new Writable({
        write(c, _e, cb) {
          err += String(c);
          cb();
        },
      }),
      { isTTY: false },
    ),
  };
  return { io, get: () => ({ out, err }) };
}

async function audit(
  fx: E2EFixture,
  jobId: bigint,
  extra: string[] = ["--elf", EXAMPLES.sha256],
): Promise<{ code: number; json: AuditJson; text: string }> {
  const common = [
    "--rpc-url",
    fx.anvil.rpcUrl,
    "--verdict",
    fx.deployment.verdict,
    "--outputs",
    fx.deployment.outputs,
  ];
  const a = captureIo();
  const code = await runCli(["audit", String(jobId), ...common, ...extra, "--json"], a.io);
  const { out, err } = a.get();
  expect(err, "stderr").to.equal("");
  const b = captureIo();
  const code2 = await runCli(["audit", String(jobId), ...common, ...extra], b.io);
  expect(code2, "same exit status for the timeline").to.equal(code);
  return { code, json: JSON.parse(out), text: b.get().out };
}

/** A scripted honest (or not) proposal of one leaf, finalized after the window and recorded. */
async function proposeFinalizeRecord(fx: E2EFixture, jobId: bigint, finalStateHash: Hex): Promise<bigint> {
  const id = await fx.propose([{ jobId, finalStateHash }], KEYS.proposer);
  await fx.advance(WINDOW_SECONDS + 1);
  await fx.write(KEYS.proposer, "finalize", [id]);
  await fx.write(KEYS.proposer, "recordResult", [id, { jobId, finalStateHash }, []]);
  return id;
}

describe("verdict audit (e2e on anvil)", function () {
  this.timeout(300_000);

  describe("scripted proposals", () => {
    let fx: E2EFixture;
    before(async () => {
      fx = await setupE2E({ programs: { sha256: DEPTH }, challengeWindowSeconds: WINDOW_SECONDS });
    });
    after(async () => {
      await fx?.stop();
    });

    it("an honest job, its output opened: verified (exit 0)", async () => {
      const input = new TextEncoder().encode("audit me");
      const jobId = await fx.submitJob("sha256", input);
      const run = await buildTrace({ image, input, depth: DEPTH });
      await proposeFinalizeRecord(fx, jobId, run.result.stateHash);
      const m = run.machineAt(1n << BigInt(DEPTH));
      m.memRoot();
      await fx.wallet(KEYS.requester).writeContract({
        address: fx.deployment.outputs,
        abi: (await import("@verdict/shared/src/bindings/abis.ts")).outputsAbi,
        functionName: "openOutput",
        args: [
          jobId,
          bytesToHex(m.encode()),
          bytesToHex(m.mem.upperNode(26, 0)),
          bytesToHex(m.mem.upperNode(IO_REGION_HEIGHT, 2)),
          run.result.outputRoot,
        ],
      });
      await until(
        "output opened",
        async () => (await fx.events("OutputOpened", { contract: "outputs" })).length > 0,
        30_000,
      );
      const r = await audit(fx, jobId);
      expect(r.code, r.json.reason).to.equal(0);
      expect(r.json.verdict).to.equal("verified");
      expect(r.json.checks.filter((c) => c.ok === false)).to.deep.equal([]);
      expect(r.json.checks.map((c) => c.name)).to.include.members([
        "elf",
        "input root",
        "initial state",
        "output",
      ]);
      expect(r.json.timeline.map((e) => e.kind)).to.include.members([
        "ProgramRegistered",
        "JobSubmitted",
        "Proposed",
        "ProposalFinalized",
        "ResultRecorded",
        "OutputOpened",
      ]);
      expect(r.text.split("\n")[0]).to.equal(`audit job #${jobId}: verified`);
    });

    it("a tampered or truncated local ELF, or a manifest of another build, is never verified", async () => {
      const input = new TextEncoder().encode("tamper");
      const jobId = await fx.submitJob("sha256", input);
      const run = await buildTrace({ image, input, depth: DEPTH });
      await proposeFinalizeRecord(fx, jobId, run.result.stateHash);

      const bytes = new Uint8Array(readFileSync(EXAMPLES.sha256));
      const seg = image.segments.find((s) => s.flags & 1);
      if (!seg) throw new Error("no code segment");
      // Flip one byte of code inside the file (the segment's file offset: find its bytes).
      const at = Buffer.from(bytes).indexOf(Buffer.from(seg.data.subarray(0, 64)));
      const tampered = bytes.slice();
      tampered[at + 40] ^= 0x01;
      const tamperedPath = join(fx.dir, "tampered.elf");
      writeFileSync(tamperedPath, tampered);
      const t = await audit(fx, jobId, ["--elf", tamperedPath]);
      expect(t.json.verdict).to.equal("unverifiable");
      expect(t.code).to.equal(6);
      expect(t.json.checks.find((c) => c.name === "elf")?.ok).to.equal(false);
      expect(t.json.missing.join(" ")).to.match(/registered program's ELF/);

      const truncPath = join(fx.dir, "truncated.elf");
      writeFileSync(truncPath, bytes.subarray(0, 100));
      const tr = await audit(fx, jobId, ["--elf", truncPath]);
      expect(tr.json.verdict).to.equal("unverifiable");

      const none = await audit(fx, jobId, []);
      expect(none.json.verdict).to.equal("unverifiable");
      expect(none.json.missing.join(" ")).to.match(/--elf/);

      // The fixture registered manifest hash 0xabab…: the real manifest is another build's.
      const m = await audit(fx, jobId, [
        "--elf",
        EXAMPLES.sha256,
        "--manifest",
        join(EXAMPLES.sha256, "..", "manifest.json"),
      ]);
      expect(m.json.verdict).to.not.equal("verified");
      expect(m.json.checks.find((c) => c.name === "manifest")?.ok).to.equal(false);
    });

    it("a wrong result that finalized unchallenged: mismatch (exit 3) with the trace segment", async () => {
      const input = new TextEncoder().encode("nobody watched");
      const jobId = await fx.submitJob("sha256", input);
      const wrong = `0x${"66".repeat(32)}` as Hex;
      await proposeFinalizeRecord(fx, jobId, wrong);
      const r = await audit(fx, jobId);
      expect(r.json.verdict).to.equal("mismatch");
      expect(r.code).to.equal(3);
      expect(r.json.position).to.include({ kind: "trace", start: 0, end: 2 ** DEPTH, exact: false });
      expect(r.json.reason).to.match(/differs from ours/);
    });

    it("a signed job whose ERC-1271 data source revoked its approval later: verified, the revocation reported", async () => {
      const wallet = await deployApprovingWallet(fx.publicClient, fx.wallet(KEYS.signer));
      // A program whose inputs must be attested by the wallet contract.
      const register = await fx.wallet(KEYS.deployer).writeContract({
        address: fx.deployment.registry,
        abi: (await import("@verdict/shared/src/bindings/abis.ts")).programRegistryAbi,
        functionName: "registerProgram",
        args: [
          (await import("@verdict/shared/src/machine/createMachine.ts")).programRoot(image) as Hex,
          image.entry,
          DEPTH,
          `0x${"ab".repeat(32)}`,
          [wallet.address],
          fx.deployment.verifier,
        ],
      });
      await waitForReceipt(fx.publicClient, { hash: register });
      const programId = await fx.publicClient.readContract({
        address: fx.deployment.registry,
        abi: (await import("@verdict/shared/src/bindings/abis.ts")).programRegistryAbi,
        functionName: "programCount",
      });
      const input = new TextEncoder().encode("attested feed");
      const fee = 10n ** 16n;
      const deadline = BigInt(Math.floor(Date.now() / 1000)) + 10n ** 6n;
      const digest = await fx.read<Hex>("attestationDigest", [
        programId,
        inputRoot(input),
        fx.address(KEYS.requester),
        fee,
        7n,
        deadline,
      ]);
      await wallet.approve(digest);
      const hash = await fx.wallet(KEYS.requester).writeContract({
        address: fx.deployment.verdict,
        abi: verdictAbi,
        functionName: "submitSignedJob",
        args: [programId, bytesToHex(input), wallet.address, 7n, deadline, "0x01"],
        value: fee,
      });
      await waitForReceipt(fx.publicClient, { hash });
      const jobId = await fx.read<bigint>("jobCount");
      const run = await buildTrace({ image, input, depth: DEPTH });
      await proposeFinalizeRecord(fx, jobId, run.result.stateHash);
      await wallet.revoke();

      const r = await audit(fx, jobId);
      expect(r.json.verdict, r.json.reason).to.equal("verified");
      expect(r.json.input.attestation).to.include({
        signerKind: "erc1271",
        signerAuthorised: true,
        validAtSubmission: true,
        validNow: false,
      });
      expect(r.json.checks.find((c) => c.name === "attestation now")?.detail).to.match(/revoked/);
    });

    it("a rolled-back result: rolled-back (exit 5)", async () => {
      const input = new TextEncoder().encode("roll me back");
      const jobId = await fx.submitJob("sha256", input);
      const run = await buildTrace({ image, input, depth: DEPTH });
      const id = await proposeFinalizeRecord(fx, jobId, run.result.stateHash);
      const { finalizedAt } = await fx.read<{ finalizedAt: bigint }>("getProposal", [id]);
      await fx.write(KEYS.deployer, "pause");
      await fx.write(KEYS.deployer, "rollback", [finalizedAt - 1n, 10n]);
      await fx.write(KEYS.deployer, "unpause");
      const r = await audit(fx, jobId);
      expect(r.json.verdict).to.equal("rolled-back");
      expect(r.code).to.equal(5);
      expect(r.json.proposals.map((p) => p.status)).to.deep.equal(["RolledBack"]);
      expect(r.json.timeline.map((e) => e.kind)).to.include.members([
        "ProtocolPausedAt",
        "ProposalRolledBack",
        "RollbackProgress",
        "ProtocolUnpaused",
      ]);
      // Another job's audit is not touched by this job's rollback (its proposal finalized earlier).
      const first = await audit(fx, 1n);
      expect(first.json.verdict).to.equal("verified");
    });

    it("bad input: an unknown job or a missing address exits 2 with a clear error", async () => {
      const a = captureIo();
      expect(
        await runCli(
          ["audit", "999", "--rpc-url", fx.anvil.rpcUrl, "--verdict", fx.deployment.verdict],
          a.io,
        ),
      ).to.equal(2);
      expect(a.get().err).to.match(/Job #999 does not exist/);
      const b = captureIo();
      expect(await runCli(["audit", "1", "--rpc-url", fx.anvil.rpcUrl, "--verdict", "0x12"], b.io)).to.equal(
        2,
      );
      expect(b.get().err).to.match(/--verdict/);
    });
  });

  it("a job whose only proposal was defeated, then re-proposed: verified, the game located at the stepped instruction", async () => {
    const fx = await setupE2E({ programs: { sha256: DEPTH }, challengeWindowSeconds: WINDOW_SECONDS });
    try {
      const input = new TextEncoder().encode("defeat the liar");
      const jobId = await fx.submitJob("sha256", input);
      const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 3_000n });
      const ch = await startChallenger(fx, { keyIndex: KEYS.challenger });
      try {
        await until(
          "the lie defeated",
          async () => Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === 3,
          200_000,
          200,
        );
        await liar.stop();
        const during = await audit(fx, jobId);
        expect(during.json.verdict).to.equal("pending");
        expect(during.code).to.equal(4);
        const honest = await startProposer(fx, { keyIndex: KEYS.proposer });
        try {
          await until(
            "an honest proposal",
            async () =>
              (await fx.events("Proposed", { args: { proposer: fx.address(KEYS.proposer) } })).length > 0,
            60_000,
          );
          await fx.advance(WINDOW_SECONDS + 1);
          await until(
            "recorded",
            async () => (await fx.read<readonly [boolean]>("result", [jobId]))[0],
            60_000,
          );
        } finally {
          await honest.stop();
        }
      } finally {
        await ch.stop();
        await liar.stop();
      }
      const r = await audit(fx, jobId);
      expect(r.json.verdict, r.json.reason).to.equal("verified");
      const defeated = r.json.proposals.filter((p) => p.status === "Defeated");
      expect(defeated.length).to.be.greaterThan(0);
      for (const p of defeated) expect(p.agrees).to.equal(false);
      const g = r.json.games[0];
      expect(g.stepped, "the chain executed one step").to.not.equal(null);
      expect(g.divergence).to.include({ exact: true, start: 2_999 });
      expect(g.stepped?.position).to.equal(2_999 * 256);
      expect(r.json.timeline.map((e) => e.kind)).to.include.members([
        "GameOpened",
        "NodeChallenged",
        "NodeDissected",
        "NodeStepped",
        "ProposalDefeated",
        "ResultRecorded",
      ]);
    } finally {
      await fx.stop();
    }
  });
});

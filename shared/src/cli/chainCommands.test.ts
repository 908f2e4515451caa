// The chain commands of `verdict` on a real anvil, in-process through runCli:
// deploy → register → attest/submit → list/show → (a scripted proposal) →
// finalize → publish-output → withdraw, each with --help, its happy path and
// one bad input that must exit 2 with its typed error.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { computeOutputOpening } from "../actions/computeOutputOpening.ts";
import { verdictAbi } from "../bindings/abis.ts";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";
import { advanceTime, proposeBatchAndWait } from "../testing/chainActions.ts";
import { runCli } from "./runCli.ts";

const ECHO = fileURLToPath(new URL("../../../guest/examples/echo/echo.elf", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "verdict-chain-cli-"));

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: false } as never,
    });
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

describe("verdict chain commands (anvil)", function () {
  this.timeout(300_000);
  let anvil: AnvilInstance;
  let conn: string[];
  const key = (i: number) => ["--private-key", anvil.privateKeys[i]];
  const deploymentFile = join(dir, "deployment.json");
  const inputFile = join(dir, "input.bin");
  let programId: bigint;
  let signedProgramId: bigint;
  let jobId: bigint;

  before(async () => {
    anvil = await startAnvil({ accounts: 4 });
    writeFileSync(inputFile, "hello, verdict");
  });
  after(async () => {
    await anvil?.stop();
  });

  it("every chain command answers --help with exit 0", async () => {
    for (const c of [
      "deploy",
      "register",
      "submit",
      "attest",
      "list",
      "show",
      "publish-output",
      "finalize",
      "withdraw",
    ]) {
      const r = await cli([c, "--help"]);
      expect(r.code, c).to.equal(0);
      expect(r.stdout, c).to.include("--rpc-url");
    }
  });

  it("deploy: writes the deployment file; a missing config is a typed error, exit 2", async () => {
    const bad = await cli([
      "deploy",
      "--config",
      join(dir, "nope.json"),
      "--rpc-url",
      anvil.rpcUrl,
      ...key(0),
    ]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/Cannot read deploy config .*no such file/);
    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        k: 4,
        params: {
          proposerBond: "1000000000000000000",
          claimBond: "100000000000000000",
          challengeWindowSeconds: 60,
          clockSeconds: 600,
          burnBps: 1000,
          maxInputBytes: 4096,
          maxBatchSize: 16,
        },
      }),
    );
    const r = await cli([
      "deploy",
      "--config",
      config,
      "--out",
      deploymentFile,
      "--rpc-url",
      anvil.rpcUrl,
      ...key(0),
      "--json",
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const d = JSON.parse(readFileSync(deploymentFile, "utf8"));
    expect(d.verdict).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(JSON.parse(r.stdout).verdict).to.equal(d.verdict);
    conn = ["--rpc-url", anvil.rpcUrl, "--deployment", deploymentFile];
  });

  it("register: returns the program id; depth 0 is rejected before any transaction, exit 2", async () => {
    const bad = await cli(["register", ECHO, "--depth", "0", ...conn, ...key(1)]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include("Invalid --depth");
    // Above the registry's maxDepth: the revert is decoded to its custom error name.
    const rev = await cli(["register", ECHO, "--depth", "40", ...conn, ...key(1)]);
    expect(rev.code).to.equal(2);
    expect(rev.stderr).to.include("registerProgram reverted: DepthAboveLimit");
    const r = await cli(["register", ECHO, "--depth", "12", ...conn, ...key(1), "--json"]);
    expect(r.code, r.stderr).to.equal(0);
    programId = BigInt(JSON.parse(r.stdout).programId);
    expect(programId).to.equal(1n);
    const s = await cli([
      "register",
      ECHO,
      "--depth",
      "12",
      "--signer",
      privateKeyToAccount(anvil.privateKeys[3] as `0x${string}`).address,
      ...conn,
      ...key(1),
      "--json",
    ]);
    expect(s.code, s.stderr).to.equal(0);
    signedProgramId = BigInt(JSON.parse(s.stdout).programId);
  });

  it("submit: returns the job id, keys from VERDICT_* env; an unknown program reverts with its name, exit 2", async () => {
    const bad = await cli(["submit", "--program", "99", "--input", inputFile, ...conn], {
      VERDICT_PRIVATE_KEY: anvil.privateKeys[2],
    });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include("submitJob reverted: UnknownProgram(99)");
    expect(bad.stderr).not.to.include("unknown");
    const r = await cli(
      ["submit", "--program", String(programId), "--input", inputFile, "--fee", "0.01", "--json"],
      {
        VERDICT_PRIVATE_KEY: anvil.privateKeys[2],
        VERDICT_RPC_URL: anvil.rpcUrl,
        VERDICT_DEPLOYMENT: deploymentFile,
      },
    );
    expect(r.code, r.stderr).to.equal(0);
    jobId = BigInt(JSON.parse(r.stdout).jobId);
    expect(jobId).to.equal(1n);
  });

  it("attest + submit --attestation: a signed program takes the attested input; a wrong fee reverts, exit 2", async () => {
    const requester = privateKeyToAccount(anvil.privateKeys[2] as `0x${string}`).address;
    const att = join(dir, "attestation.json");
    // The chain's clock runs a day ahead of ours (a time-warped anvil): the default deadline must
    // count from the chain's latest block, or the attestation is already expired when submitted.
    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) });
    await advanceTime(publicClient, 86_400);
    const attest = [
      "attest",
      "--program",
      String(signedProgramId),
      "--input",
      inputFile,
      "--requester",
      requester,
      "--fee",
      "0.01",
      ...conn,
      ...key(3),
    ];
    const a = await cli([...attest, "--out", att, "--json"]);
    expect(a.code, a.stderr).to.equal(0);
    const json = JSON.parse(a.stdout);
    expect(json.signature).to.match(/^0x/);
    expect(readFileSync(att, "utf8")).to.equal(a.stdout);
    const { timestamp } = await publicClient.getBlock({ blockTag: "latest" });
    expect(BigInt(json.deadline)).to.equal(timestamp + 3600n);
    expect(Number(json.deadline)).to.be.greaterThan(Date.now() / 1000 + 86_400);
    // Without --json: what was signed, in words (the file is still JSON).
    const plain = await cli([...attest, "--out", join(dir, "attestation-2.json")]);
    expect(plain.code, plain.stderr).to.equal(0);
    expect(plain.stdout).to.match(/^signer +0x[0-9a-fA-F]{40}$/m);
    expect(plain.stdout).to.match(/^fee +0\.01 ETH$/m);
    expect(plain.stdout).to.match(
      /^deadline +\d+ \(\d{4}-\d\d-\d\dT[\d:.]+Z, 3600 s after the latest block\)$/m,
    );
    expect(plain.stdout).to.include(`written    ${join(dir, "attestation-2.json")}`);
    expect(() => JSON.parse(plain.stdout)).to.throw();
    expect(JSON.parse(readFileSync(join(dir, "attestation-2.json"), "utf8")).signature).to.match(/^0x/);
    const wrongFee = await cli([
      "submit",
      "--program",
      String(signedProgramId),
      "--input",
      inputFile,
      "--fee",
      "0.02",
      "--attestation",
      att,
      ...conn,
      ...key(2),
    ]);
    expect(wrongFee.code).to.equal(2);
    expect(wrongFee.stderr).to.match(/submitSignedJob reverted: \w+/);
    const ok = await cli([
      "submit",
      "--program",
      String(signedProgramId),
      "--input",
      inputFile,
      "--fee",
      "0.01",
      "--attestation",
      att,
      ...conn,
      ...key(2),
      "--json",
    ]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(JSON.parse(ok.stdout).jobId).to.equal(2);
  });

  it('show on an empty deployment says there are none yet (not "ids run from 1 to 0")', async () => {
    const p = await cli(["show", "proposal", "1", ...conn]);
    expect(p.code).to.equal(2);
    expect(p.stderr).to.equal("error: No proposal 1: there are no proposals yet on this deployment.\n");
    const g = await cli(["show", "game", "1", ...conn]);
    expect(g.stderr).to.include("No game 1: there are no games yet");
  });

  it("list and show: jobs, proposals, games; an unknown id is NotFound, exit 2", async () => {
    const l = await cli(["list", "jobs", ...conn, "--json"]);
    expect(l.code, l.stderr).to.equal(0);
    expect(JSON.parse(l.stdout).map((j: { jobId: number }) => j.jobId)).to.deep.equal([2, 1]);
    expect((await cli(["list", "proposals", ...conn])).stdout).to.equal("no proposals\n");
    expect((await cli(["list", "games", ...conn, "--json"])).stdout).to.equal("[]\n");
    const badKind = await cli(["list", "jobz", ...conn]);
    expect(badKind.code).to.equal(2);
    const s = await cli(["show", "job", "1", ...conn, "--json"]);
    expect(s.code, s.stderr).to.equal(0);
    expect(JSON.parse(s.stdout)).to.include({ jobId: 1, programId: 1, final: false });
    const nf = await cli(["show", "job", "7", ...conn]);
    expect(nf.code).to.equal(2);
    expect(nf.stderr).to.include("No job 7: ids run from 1 to 2");
    const ng = await cli(["show", "game", "1", ...conn]);
    expect(ng.code).to.equal(2);
  });

  it("finalize, publish-output, withdraw: a proposal of job 1's true result settles and its output reaches the chain", async () => {
    const d = JSON.parse(readFileSync(deploymentFile, "utf8"));
    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) });
    const wallet = createWalletClient({
      account: privateKeyToAccount(anvil.privateKeys[1] as `0x${string}`),
      transport: http(anvil.rpcUrl),
    });
    const opening = computeOutputOpening({
      elf: readFileSync(ECHO),
      input: readFileSync(inputFile),
      depth: 12,
    });
    const leaves = [{ jobId, finalStateHash: opening.stateHash }];
    const proposalId = await proposeBatchAndWait({
      publicClient,
      wallet,
      verdict: d.verdict,
      leaves,
      bondWei: 10n ** 18n,
    });
    // Too early: the window is open.
    const early = await cli(["finalize", String(proposalId), ...conn, ...key(1)]);
    expect(early.code).to.equal(2);
    expect(early.stderr).to.match(/finalize reverted: \w+/);
    // publish-output before the result is final: typed error.
    const notYet = await cli(["publish-output", String(jobId), "--elf", ECHO, ...conn, ...key(2)]);
    expect(notYet.code).to.equal(2);
    expect(notYet.stderr).to.include("no final result yet");
    await advanceTime(publicClient, 120);
    const fin = await cli(["finalize", String(proposalId), ...conn, ...key(1), "--json"]);
    expect(fin.code, fin.stderr).to.equal(0);
    const hash = await wallet.writeContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "recordResult",
      args: [proposalId, leaves[0], []],
      chain: null,
    });
    await waitForReceipt(publicClient, { hash });
    const pub = await cli(["publish-output", String(jobId), "--elf", ECHO, ...conn, ...key(2), "--json"]);
    expect(pub.code, pub.stderr).to.equal(0);
    expect(JSON.parse(pub.stdout).opened).to.equal(true);
    const show = await cli(["show", "job", String(jobId), ...conn, "--json"]);
    const shown = JSON.parse(show.stdout);
    expect(shown.final).to.equal(true);
    expect(Buffer.from(shown.output.bytes.slice(2), "hex").toString()).to.equal("hello, verdict");
    const p = await cli(["show", "proposal", String(proposalId), ...conn, "--json"]);
    expect(JSON.parse(p.stdout).status).to.equal("Finalized");
    const w = await cli(["withdraw", ...conn, ...key(1), "--json"]);
    expect(w.code, w.stderr).to.equal(0);
    expect(BigInt(JSON.parse(w.stdout).verdictWei) > 0n).to.equal(true);
    // A bad key is a typed error, exit 2.
    const badKey = await cli(["withdraw", ...conn, "--private-key", "0x1234"]);
    expect(badKey.code).to.equal(2);
  });

  it("connection settings: a flag beats a variable; a deployment file and --verdict at one rank must agree", async () => {
    const d = JSON.parse(readFileSync(deploymentFile, "utf8"));
    // --verdict on the command line wins over an exported VERDICT_DEPLOYMENT (the flag is not ignored).
    const dead = "0x000000000000000000000000000000000000dEaD";
    const flagWins = await cli(["list", "jobs", "--rpc-url", anvil.rpcUrl, "--verdict", dead], {
      VERDICT_DEPLOYMENT: deploymentFile,
    });
    expect(flagWins.code).to.equal(2);
    expect(flagWins.stderr).to.include("no contract at this address");
    const agree = await cli(["list", "jobs", ...conn, "--verdict", d.verdict, "--json"]);
    expect(agree.code, agree.stderr).to.equal(0);
    const disagree = await cli(["list", "jobs", ...conn, "--verdict", dead]);
    expect(disagree.code).to.equal(2);
    expect(disagree.stderr).to.include(`names Verdict ${d.verdict}; give one or the other`);
    // --private-key on the command line wins over an exported VERDICT_KEYSTORE.
    const w = await cli(["withdraw", ...conn, ...key(1), "--json"], {
      VERDICT_KEYSTORE: join(dir, "none.json"),
    });
    expect(w.code, w.stderr).to.equal(0);
  });

  it("a wrong --verdict address (no contract) is a clear usage error, exit 2", async () => {
    const r = await cli([
      "list",
      "jobs",
      "--rpc-url",
      anvil.rpcUrl,
      "--verdict",
      "0x000000000000000000000000000000000000dEaD",
    ]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("no contract at this address");
  });
});

// `verdict gov` and the governance actions on a real anvil with a timelocked
// deployment (timelock: admin and parameter setter; a separate guardian key):
// the guardian's direct emergency actions, set-params scheduled then executed
// after anvil's clock passes the delay, and the attacks each rule stops — a
// non-proposer scheduling, executing early, the guardian setting parameters
// or approving a verifier, scheduling a guardian action the timelock cannot
// perform — each refused by our checks and, sent raw, by the contracts.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  zeroHash,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { timelockControllerAbi, verdictAbi } from "../../bindings/abis.ts";
import { decodeRevert } from "../../chain/decodeRevert.ts";
import { ContractRevertError } from "../../chain/errors.ts";
import { type AnvilInstance, startAnvil } from "../../chain/startAnvil.ts";
import { advanceTime } from "../../testing/chainActions.ts";
import type { CliIo } from "../io.ts";
import { runCli } from "../runCli.ts";

const dir = mkdtempSync(join(tmpdir(), "verdict-gov-"));
const DELAY = 3600;

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: false,
    } as CliIo["stderr"],
  });
  return { code, stdout, stderr };
}

describe("verdict gov (anvil, timelocked deployment)", function () {
  this.timeout(300_000);
  let anvil: AnvilInstance;
  let conn: string[];
  let deployment: { verdict: Address; registry: Address; timelock: Address };
  const deploymentFile = join(dir, "deployment.json");
  // 0 deployer, 1 timelock proposer and executor, 2 guardian, 3 attacker.
  const key = (i: number) => ["--private-key", anvil.privateKeys[i]];
  const publicClient = () => createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
  const wallet = (i: number) =>
    createWalletClient({
      chain: foundry,
      transport: http(anvil.rpcUrl),
      account: privateKeyToAccount(anvil.privateKeys[i]),
    });
  const params = () =>
    publicClient().readContract({ address: deployment.verdict, abi: verdictAbi, functionName: "params" });

  before(async () => {
    anvil = await startAnvil({ accounts: 4 });
    const addr = (i: number) => privateKeyToAccount(anvil.privateKeys[i]).address;
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
        guardian: addr(2),
        timelock: { minDelaySeconds: DELAY, proposers: [addr(1)], executors: [addr(1)] },
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
    ]);
    expect(r.code, r.stderr).to.equal(0);
    deployment = JSON.parse(readFileSync(deploymentFile, "utf8"));
    expect(deployment.timelock).to.match(/^0x[0-9a-fA-F]{40}$/);
    conn = ["--rpc-url", anvil.rpcUrl, "--deployment", deploymentFile];
  });
  after(async () => {
    await anvil?.stop();
  });

  it("every gov action answers --help with exit 0", async () => {
    for (const c of [
      "pause",
      "unpause",
      "invalidate-proposal",
      "invalidate-game",
      "rollback",
      "retire-verifier",
      "set-params",
      "approve-verifier",
      "set-max-depth",
    ]) {
      const r = await cli(["gov", c, "--help"]);
      expect(r.code, c).to.equal(0);
      expect(r.stdout, c).to.include("--schedule").and.include("--execute").and.include("readyAt");
    }
  });

  it("the guardian pauses, rolls back and unpauses directly; rollback needs a pause", async () => {
    const early = await cli(["gov", "rollback", "--after", "0", ...conn, ...key(2)]);
    expect(early.code, early.stderr).to.equal(2);
    expect(early.stderr).to.include("rollback reverted: ProtocolNotPaused");
    const p = await cli(["gov", "pause", ...conn, ...key(2), "--json"]);
    expect(p.code, p.stderr).to.equal(0);
    expect(JSON.parse(p.stdout)).to.include({ action: "pause" });
    expect(
      await publicClient().readContract({
        address: deployment.verdict,
        abi: verdictAbi,
        functionName: "paused",
      }),
    ).to.be.true;
    const rb = await cli(["gov", "rollback", "--after", "0", ...conn, ...key(2), "--json"]);
    expect(rb.code, rb.stderr).to.equal(0);
    expect(JSON.parse(rb.stdout)).to.include({ rolledBack: 0, done: true });
    const u = await cli(["gov", "unpause", ...conn, ...key(2)]);
    expect(u.code, u.stderr).to.equal(0);
    expect(u.stdout).to.match(/txHash\s+0x/);
    expect(
      await publicClient().readContract({
        address: deployment.verdict,
        abi: verdictAbi,
        functionName: "paused",
      }),
    ).to.be.false;
  });

  it("set-params: scheduled by the proposer, refused before the delay (naming when), executed after it", async () => {
    const s = await cli([
      "gov",
      "set-params",
      "--challenge-window",
      "120",
      "--schedule",
      ...conn,
      ...key(1),
      "--json",
    ]);
    expect(s.code, s.stderr).to.equal(0);
    const scheduled = JSON.parse(s.stdout);
    expect(scheduled.operationId).to.match(/^0x[0-9a-f]{64}$/);
    expect(scheduled.delaySeconds).to.equal(DELAY);
    const early = await cli([
      "gov",
      "set-params",
      "--challenge-window",
      "120",
      "--execute",
      ...conn,
      ...key(1),
    ]);
    expect(early.code, early.stderr).to.equal(2);
    expect(early.stderr).to.include(`is not ready: it becomes executable at ${scheduled.readyAt}`);
    expect((await params()).challengeWindow).to.equal(60n);
    await advanceTime(publicClient(), DELAY);
    const e = await cli([
      "gov",
      "set-params",
      "--challenge-window",
      "120",
      "--execute",
      ...conn,
      ...key(1),
      "--json",
    ]);
    expect(e.code, e.stderr).to.equal(0);
    expect(JSON.parse(e.stdout).operationId).to.equal(scheduled.operationId);
    expect((await params()).challengeWindow).to.equal(120n);
    // Done once: again needs another salt.
    const again = await cli([
      "gov",
      "set-params",
      "--challenge-window",
      "120",
      "--execute",
      ...conn,
      ...key(1),
    ]);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.include("is already executed");
  });

  it("execute of an operation never scheduled is a typed error", async () => {
    const r = await cli(["gov", "set-max-depth", "20", "--execute", "--salt", "7", ...conn, ...key(1)]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/Timelock operation 0x[0-9a-f]{64} is not scheduled/);
  });

  it("attack: a key that is not a timelock proposer cannot schedule (our check and the contract's)", async () => {
    for (const who of [3, 2]) {
      const r = await cli(["gov", "set-params", "--burn-bps", "5000", "--schedule", ...conn, ...key(who)]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.include("schedule needs PROPOSER_ROLE");
    }
    const data = encodeFunctionData({ abi: verdictAbi, functionName: "pause" });
    const err = await wallet(3)
      .writeContract({
        address: deployment.timelock,
        abi: timelockControllerAbi,
        functionName: "schedule",
        args: [deployment.verdict, 0n, data, zeroHash, zeroHash, BigInt(DELAY)],
      })
      .then(
        () => null,
        (e: unknown) => decodeRevert(e, timelockControllerAbi, "schedule"),
      );
    expect(err).to.be.instanceOf(ContractRevertError);
    expect((err as ContractRevertError).errorName).to.equal("AccessControlUnauthorizedAccount");
  });

  it("attack: executing before the delay reverts in the contract with a decoded error", async () => {
    const s = await cli([
      "gov",
      "set-params",
      "--burn-bps",
      "4000",
      "--schedule",
      ...conn,
      ...key(1),
      "--json",
    ]);
    expect(s.code, s.stderr).to.equal(0);
    const { target, data } = JSON.parse(s.stdout);
    const err = await wallet(1)
      .writeContract({
        address: deployment.timelock,
        abi: timelockControllerAbi,
        functionName: "execute",
        args: [target, 0n, data, zeroHash, zeroHash],
      })
      .then(
        () => null,
        (e: unknown) => decodeRevert(e, timelockControllerAbi, "execute"),
      );
    expect((err as ContractRevertError).errorName).to.equal("TimelockUnexpectedOperationState");
    expect((await params()).burnBps).to.equal(1000);
  });

  it("attack: the guardian cannot set parameters or approve a verifier (it can only stop things)", async () => {
    const sp = await cli(["gov", "set-params", "--burn-bps", "1", ...conn, ...key(2)]);
    expect(sp.code).to.equal(2);
    expect(sp.stderr).to.include("setParams needs PARAMETER_SETTER_ROLE");
    expect(sp.stderr).to.include(`The timelock ${deployment.timelock} holds it`);
    const av = await cli(["gov", "approve-verifier", deployment.verdict, ...conn, ...key(2)]);
    expect(av.code).to.equal(2);
    expect(av.stderr).to.include("approveVerifier needs DEFAULT_ADMIN_ROLE");
    // The contract refuses it too, whatever our checks say.
    const err = await wallet(2)
      .writeContract({
        address: deployment.verdict,
        abi: verdictAbi,
        functionName: "setParams",
        args: [{ ...(await params()), burnBps: 1 }],
      })
      .then(
        () => null,
        (e: unknown) => decodeRevert(e, verdictAbi, "setParams"),
      );
    expect((err as ContractRevertError).errorName).to.equal("AccessControlUnauthorizedAccount");
    expect((await params()).burnBps).to.equal(1000);
  });

  it("a guardian action cannot be scheduled on a timelock that lacks the guardian role", async () => {
    const r = await cli(["gov", "pause", "--schedule", ...conn, ...key(1)]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include("pause needs GUARDIAN_ROLE").and.include("the guardian calls it directly");
  });

  it("bad input: --schedule with --execute, a malformed salt, an unknown proposal", async () => {
    const both = await cli(["gov", "pause", "--schedule", "--execute", ...conn, ...key(1)]);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.include("not both");
    const salt = await cli(["gov", "pause", "--schedule", "--salt", "nope", ...conn, ...key(1)]);
    expect(salt.code).to.equal(2);
    expect(salt.stderr).to.include("Invalid --salt");
    const inv = await cli(["gov", "invalidate-proposal", "99", ...conn, ...key(2)]);
    expect(inv.code).to.equal(2);
    expect(inv.stderr).to.match(/invalidateProposal reverted: \w+/);
  });
});

// The README's main command, run as a user would (`pnpm run demo` runs
// `tsx demo/main.ts`): it must tell the whole story on the claim-tree game
// (commit-reveal, dissections posted once, down to one onchain instruction,
// bottom-up resolution, fees paid) and exit 0. It plays on an anvil this test
// owns (--rpc-url), so the story is then checked on the chain, not only in the
// narration: every dishonest proposal that was disputed is Defeated and its
// stake split exactly as the protocol says (burn share, one share per defeated
// leaf to its opener, the rest burned), every honest proposal is Finalized
// with its stake back, and the challenger's wallet went up by exactly its
// rewards (leaf shares plus the shares of the dissection bonds it defeated)
// once gas is counted. About a minute, so it runs with VERDICT_FULL=1 (CI sets it).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { type AnvilInstance, startAnvil } from "@verdict/shared/src/chain/startAnvil.ts";
import { log2Len, log2Of, parentOf } from "@verdict/shared/src/game/position.ts";
import { walletFlows } from "@verdict/shared/src/testing/walletFlows.ts";
import { expect } from "chai";
import { type Address, type Chain, createPublicClient, http, type PublicClient, type Transport } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";

const root = resolve(import.meta.dirname, "..");
const PROPOSAL_FINALIZED = 2;
const PROPOSAL_DEFEATED = 3;
const NODE_DEFEATED = 3;

type Summary = {
  ok: boolean;
  chainId: number;
  deployment: { verdict: Address; disputeGame: Address; deployedAtBlock: string };
  accounts: Record<"deployer" | "requester" | "challenger" | "dataSource" | "honest" | "dishonest", Address>;
};

/** Runs the demo to its end; resolves with its exit code and everything it printed. */
function runDemo(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "demo/main.ts"), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 280_000);
    child.once("error", fail);
    child.once("close", (status) => {
      clearTimeout(timer);
      done({ status, out });
    });
  });
}

/** LibMoney.burnOf: the burn share, rounded up. */
const burnOf = (amount: bigint, bps: bigint) => (amount * bps + 9_999n) / 10_000n;
const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("demo (pnpm run demo)", function () {
  this.timeout(300_000);
  let anvil: AnvilInstance | undefined;
  let dir: string | undefined;
  before(function () {
    if (!process.env.VERDICT_FULL) this.skip();
  });
  after(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("tells the whole story, exits 0, and the chain agrees: the lie defeated and paid for, the truth final", async () => {
    anvil = await startAnvil({ accounts: 8 });
    const publicClient = createPublicClient({
      chain: { ...foundry, id: anvil.chainId } as Chain,
      transport: http(anvil.rpcUrl),
    }) as PublicClient<Transport, Chain>;
    const challenger = privateKeyToAccount(anvil.privateKeys[2]).address;
    const block0 = await publicClient.getBlockNumber();
    const wallet0 = await publicClient.getBalance({ address: challenger, blockNumber: block0 });
    dir = mkdtempSync(join(tmpdir(), "verdict-demo-"));
    const summaryPath = join(dir, "summary.json");

    const r = await runDemo(["--rpc-url", anvil.rpcUrl, "--summary", summaryPath]);
    const out = r.out;
    expect(r.status, out).to.equal(0);
    for (const line of [
      /deployed: .*DisputeGame .* → Verdict .* → Outputs/,
      /commits to a batch/,
      /proposal #\d+ by dishonest proposer/,
      /game #\d+: challenger disputes job/,
      /proposer dissects \[/,
      /down to one instruction/,
      /one-step proof for step \d+/,
      /game #\d+: root \[0, 0 \+ 2\^\d+\] resolved Defeated/,
      /defeated: none of its results will ever count/,
      /finalized: window over/,
      /fee of job #\d+ paid to honest proposer/,
      /claim tree of game #\d+/,
      /median 300001, mean 299995 of 64 reports/,
      /"hello, verdict"/,
      /audit job #\d+: verified/,
      /done: the lie was caught and defeated/,
    ])
      expect(out, String(line)).to.match(line);

    // The chain the demo played on: its accounts are this anvil's (the same dev keys).
    const s = JSON.parse(readFileSync(summaryPath, "utf8")) as Summary;
    expect(s.ok).to.equal(true);
    expect(s.chainId).to.equal(anvil.chainId);
    expect(s.accounts.challenger).to.equal(challenger);
    expect(s.accounts.honest).to.equal(privateKeyToAccount(anvil.privateKeys[4]).address);
    expect(s.accounts.dishonest).to.equal(privateKeyToAccount(anvil.privateKeys[5]).address);
    const { verdict, disputeGame: game } = s.deployment;
    const fromBlock = BigInt(s.deployment.deployedAtBlock);
    const block1 = await publicClient.getBlockNumber();
    const range = { fromBlock, toBlock: block1, strict: true } as const;
    const onVerdict = { address: verdict, abi: verdictAbi, ...range } as const;
    const onGame = { address: game, abi: disputeGameAbi, ...range } as const;
    const proposal = (id: bigint) =>
      publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "getProposal",
        args: [id],
      });
    const params = await publicClient.readContract({
      address: verdict,
      abi: verdictAbi,
      functionName: "params",
    });
    const log2K = log2Of(
      await publicClient.readContract({ address: game, abi: disputeGameAbi, functionName: "K" }),
    );

    const proposed = await publicClient.getContractEvents({ ...onVerdict, eventName: "Proposed" });
    const by = (who: Address) =>
      proposed.filter((l) => l.args.proposer === who).map((l) => l.args.proposalId);
    const opened = await publicClient.getContractEvents({ ...onGame, eventName: "GameOpened" });
    const resolved = await publicClient.getContractEvents({ ...onGame, eventName: "NodeResolved" });
    const fees = await publicClient.getContractEvents({ ...onVerdict, eventName: "FeeClaimed" });
    const creditedTo = async (account: Address) =>
      sum(
        (
          await publicClient.getContractEvents({ ...onVerdict, eventName: "Credited", args: { account } })
        ).map((l) => l.args.amount),
      );

    // Every honest proposal finalized, and its stake came back.
    const honest = by(s.accounts.honest);
    expect(honest).to.not.be.empty;
    for (const id of honest)
      expect((await proposal(id)).status, `honest #${id}`).to.equal(PROPOSAL_FINALIZED);
    const feesToHonest = fees.filter((l) => l.args.proposer === s.accounts.honest).map((l) => l.args.fee);
    expect(feesToHonest, "the three fees").to.have.length(3);
    let honestStakes = 0n;
    for (const id of honest) honestStakes += BigInt((await proposal(id)).stake);
    expect(await creditedTo(s.accounts.honest), "honest proposer's Verdict credits").to.equal(
      honestStakes + sum(feesToHonest),
    );

    // Every dishonest proposal that was disputed is Defeated; its stake is split by the rule and none
    // of it goes back to the proposer.
    const dishonest = by(s.accounts.dishonest);
    const disputed = dishonest.filter((id) => opened.some((g) => g.args.proposalId === id));
    expect(disputed, "a disputed dishonest proposal").to.not.be.empty;
    const defeatEvents = await publicClient.getContractEvents({
      ...onVerdict,
      eventName: "ProposalDefeated",
    });
    const rewardEvents = await publicClient.getContractEvents({ ...onVerdict, eventName: "LeafRewardPaid" });
    const settleEvents = await publicClient.getContractEvents({ ...onVerdict, eventName: "StakeSettled" });
    let rewardsExpected = 0n;
    for (const id of disputed) {
      const p = await proposal(id);
      expect(p.status, `dishonest #${id}`).to.equal(PROPOSAL_DEFEATED);
      const stake = BigInt(p.stake);
      expect(stake, "stake = the proposer bond").to.equal(BigInt(params.proposerBond));
      const burned = burnOf(stake, BigInt(p.burnBps));
      const share = (stake - burned) / BigInt(p.leafCount);
      const defeat = defeatEvents.filter((l) => l.args.proposalId === id);
      expect(defeat.map((l) => [l.args.burned, l.args.rewardShare])).to.deep.equal([[burned, share]]);
      // One share per game on it whose root was Defeated, to that game's opener (our challenger).
      const defeatedRoots = opened.filter(
        (g) =>
          g.args.proposalId === id &&
          resolved.some(
            (n) =>
              n.args.gameId === g.args.gameId &&
              log2Len(n.args.position) === g.args.depth &&
              Number(n.args.status) === NODE_DEFEATED,
          ),
      );
      expect(defeatedRoots, `defeated roots of #${id}`).to.not.be.empty;
      const paid = rewardEvents.filter((l) => l.args.proposalId === id);
      expect(paid.map((l) => [l.args.opener, l.args.amount])).to.deep.equal(
        defeatedRoots.map((g) => [g.args.opener, share]),
      );
      expect(paid.every((l) => l.args.opener === challenger)).to.equal(true);
      rewardsExpected += share * BigInt(paid.length);
      // Every game on it resolved: the rest of the stake was burned, and the parts add up to the stake.
      const settled = settleEvents.filter((l) => l.args.proposalId === id);
      expect(settled.map((l) => l.args.burned)).to.deep.equal([stake - burned - share * BigInt(paid.length)]);
      expect(burned + share * BigInt(paid.length) + settled[0].args.burned).to.equal(stake);
      expect(BigInt(p.rewardPool)).to.equal(0n);
    }
    // The dishonest proposer's Verdict credits: only stakes of its proposals that finalized (if any
    // held no wrong result) and fees it earned, never a defeated stake.
    let dishonestBack = 0n;
    for (const id of dishonest)
      if ((await proposal(id)).status === PROPOSAL_FINALIZED)
        dishonestBack += BigInt((await proposal(id)).stake);
    const feesToDishonest = fees
      .filter((l) => l.args.proposer === s.accounts.dishonest)
      .map((l) => l.args.fee);
    expect(await creditedTo(s.accounts.dishonest), "dishonest proposer's Verdict credits").to.equal(
      dishonestBack + sum(feesToDishonest),
    );

    // The challenger: its Verdict credits are exactly its leaf shares; in the game every node it
    // challenged was Defeated and paid back its claim bond plus, below the root, the share of the
    // parent dissection's bond net of the burn.
    expect(await creditedTo(challenger), "challenger's Verdict credits").to.equal(rewardsExpected);
    const claimBond = BigInt(params.claimBond);
    const burnBps = BigInt(params.burnBps);
    const challenged = await publicClient.getContractEvents({
      ...onGame,
      eventName: "NodeChallenged",
      args: { challenger },
    });
    const ours = resolved.filter((n) => n.args.challenger === challenger);
    expect(ours, "every node it challenged resolved").to.have.length(challenged.length);
    let gameRewards = 0n;
    for (const n of ours) {
      const pos = n.args.position;
      const depth = Number(opened.find((g) => g.args.gameId === n.args.gameId)?.args.depth);
      expect(Number(n.args.status), `node ${pos} of game ${n.args.gameId}`).to.equal(NODE_DEFEATED);
      let reward = 0n;
      if (log2Len(pos) !== depth) {
        const parentParts = Math.min(log2K, log2Len(parentOf(pos, depth, log2K)));
        const share = (claimBond >> BigInt(log2K)) >> BigInt(parentParts);
        reward = share - burnOf(share, burnBps);
      }
      expect(n.args.challengerPaid, `paid at node ${pos}`).to.equal(claimBond + reward);
      gameRewards += reward;
    }
    // Its wallet went up by exactly those rewards: balance change + gas + what is still credited.
    const wallet1 = await publicClient.getBalance({ address: challenger, blockNumber: block1 });
    const flows = await walletFlows(publicClient, challenger, block0, block1);
    const creditLeft =
      (await publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "credit",
        args: [challenger],
      })) +
      (await publicClient.readContract({
        address: game,
        abi: disputeGameAbi,
        functionName: "credit",
        args: [challenger],
      }));
    expect(wallet1 - wallet0 + flows.gasPaid + creditLeft, "challenger's gain").to.equal(
      rewardsExpected + gameRewards,
    );
    expect(rewardsExpected + gameRewards > 0n).to.equal(true);
  });
});

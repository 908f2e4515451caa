// The dispute explorer in a real browser: headless Chromium (Debian's
// `chromium`, driven by playwright-core) on `verdict explorer`'s server, on a
// live anvil where a lying proposer (fault injection) is caught by an honest
// challenger. The game page must show each round of the dissection as it
// happens (every count of rounds is drawn in turn, not all at once at the end)
// and the final one-step proof; the JSON behind it must match the chain; the
// server must answer on the loopback only. Screenshots (laptop and phone) are
// kept under test/artifacts/explorer/ (gitignored).

import { existsSync, mkdirSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { createExplorer, type Explorer } from "@verdict/shared/src/explorer/createExplorer.ts";
import { levels } from "@verdict/shared/src/game/position.ts";
import { expect } from "chai";
import { type Browser, chromium, type Page } from "playwright-core";
import { startChallenger, startProposer, type TestChallenger, type TestProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const CHROMIUM = process.env.VERDICT_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = resolve(import.meta.dirname, "artifacts", "explorer");
const DEPTH = 18;
const LOG2K = 4;

/** A raw request (fetch would not let the test forge the Host header). */
function raw(url: string, opts: { method?: string; host?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((ok, fail) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? "GET",
        headers: opts.host ? { host: opts.host } : {},
      },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

describe("explorer (headless Chromium, e2e on anvil)", function () {
  this.timeout(300_000);
  let fx: E2EFixture;
  let explorer: Explorer;
  let browser: Browser;
  let page: Page;
  const daemons: (TestProposer | TestChallenger)[] = [];

  before(async () => {
    // A missing browser is a failure with its remedy, never a silent skip.
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install Debian's chromium (bash .ci/install-toolchain.sh, or apt-get install -y --no-install-recommends chromium), or set VERDICT_CHROMIUM.`,
      );
    mkdirSync(ARTIFACTS, { recursive: true });
    // Interval mining: each move lands in its own block, so the page can be seen between rounds.
    fx = await setupE2E({ programs: { sha256: DEPTH }, k: 2 ** LOG2K, blockTimeSeconds: 1 });
    explorer = await createExplorer({
      publicClient: fx.publicClient,
      verdict: fx.deployment.verdict,
      outputs: fx.deployment.outputs,
      fromBlock: fx.deployment.deployedAtBlock,
      port: 0,
      pollMs: 100,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    for (const d of daemons) await d.stop().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await explorer?.close().catch(() => undefined);
    await fx?.stop();
  });

  it("listens on 127.0.0.1 only and refuses foreign Host headers, other methods and bad ids", async () => {
    expect(new URL(explorer.url).hostname).to.equal("127.0.0.1");
    const ok = await raw(`${explorer.url}api/status`);
    expect(ok.status).to.equal(200);
    expect(ok.headers["content-security-policy"]).to.match(/default-src 'none'; script-src 'self'/);
    expect(JSON.parse(ok.body).contracts.verdict).to.equal(fx.deployment.verdict);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    expect((await raw(`${explorer.url}api/jobs`, { host: "evil.example" })).status).to.equal(421);
    expect((await raw(`${explorer.url}api/jobs`, { method: "POST" })).status).to.equal(405);
    expect((await raw(`${explorer.url}api/games/1%3Bdrop`)).status).to.equal(400);
    expect((await raw(`${explorer.url}api/games/99999999999999999999999`)).status).to.equal(400);
    expect((await raw(`${explorer.url}api/games/424242`)).status).to.equal(404);
    expect((await raw(`${explorer.url}api/nothing`)).status).to.equal(404);
    expect((await raw(`${explorer.url}../../etc/passwd`)).status).to.equal(404);
  });

  it("draws a dispute round by round as it happens, down to the one-step proof", async () => {
    const jobId = await fx.submitJob("sha256", new TextEncoder().encode("explore me"));
    await page.goto(`${explorer.url}`);
    await page.waitForSelector(`a[href="/jobs/${jobId}"]`, { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, "jobs.png"), fullPage: true });

    daemons.push(await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 1_000n }));
    daemons.push(await startChallenger(fx, { keyIndex: KEYS.challenger }));
    // The page updates itself: the game appears on the jobs page without a reload.
    await page.waitForSelector(`a[href="/games/1"]`, { timeout: 120_000 });
    await page.click(`a[href="/games/1"]`);
    await page.waitForSelector("#rounds", { timeout: 30_000 });
    // Record every drawing of the rounds from now on (a string: tsx would wrap a function's names).
    await page.evaluate(`(() => {
      window.seen = [];
      const note = () => window.seen.push({
        rounds: document.querySelectorAll("section.round").length,
        step: document.querySelector('[data-testid="step"]') !== null,
      });
      note();
      new MutationObserver(note).observe(document.getElementById("view"), { childList: true });
    })()`);

    const rounds = levels(DEPTH, LOG2K).length; // 18, 14, 10, 6, 2, 0
    for (let level = 0; level < rounds; level++) {
      const round = await page.waitForSelector(`section.round[data-level="${level}"]`, { timeout: 120_000 });
      await page.screenshot({ path: join(ARTIFACTS, `game-round-${level + 1}.png`), fullPage: true });
      expect(await round.textContent()).to.include(`Round ${level + 1}`);
    }
    const step = await page.waitForSelector('[data-testid="step"]', { timeout: 120_000 });
    expect(await step.textContent()).to.match(/one-step proof of step \d+.*the claim fails/);
    await page.screenshot({ path: join(ARTIFACTS, "game-step.png"), fullPage: true });

    const seen = (await page.evaluate("window.seen")) as { rounds: number; step: boolean }[];
    const counts = [...new Set(seen.map((s) => s.rounds))];
    // Each round was drawn on its own before the next arrived (counts only grow, and none is skipped).
    expect(counts, JSON.stringify(seen)).to.deep.equal(
      Array.from({ length: rounds - counts[0] + 1 }, (_, i) => counts[0] + i),
    );
    expect(counts[0], "the page was open before the last rounds were played").to.be.lessThan(rounds - 1);
    expect(seen.findIndex((s) => s.step)).to.be.greaterThan(seen.findIndex((s) => s.rounds === rounds - 1));

    // The JSON behind the page is the chain's.
    await until(
      "the lie defeated",
      async () => Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === 3,
      200_000,
      200,
    );
    const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    await until("the explorer at the head", async () => explorer.indexer.cursor() >= head, 30_000, 50);
    type ApiRound = {
      position: string | number;
      parent: string | number | null;
      index: string | number;
      level: number;
      challenger: string;
      startHash: string | null;
      endHash: string | null;
      dissection: { interior: { position: string | number; hash: string }[] } | null;
      step: {
        preStateHash: string;
        postStateHash: string;
        endHash: string;
        holds: boolean;
        by: string;
      } | null;
    };
    const game = (await (await fetch(`${explorer.url}api/games/1`)).json()) as {
      rounds: ApiRound[];
      bonds: { from: string; to: string; amount: number | string }[];
      jobId: number;
    };
    // Each round's claim is what the chain's events say: the root's ends from GameOpened, every
    // other node's from its parent's dissection (or the parent's own ends at the edges).
    const [opened] = await fx.events("GameOpened", { contract: "game", args: { gameId: 1n } });
    const byPos = new Map(game.rounds.map((r) => [BigInt(r.position), r]));
    for (const r of game.rounds) {
      const where = `round ${r.position}`;
      if (r.parent === null) {
        expect(r.startHash, where).to.equal(opened.args.startHash);
        expect(r.endHash, where).to.equal(opened.args.endHash);
        continue;
      }
      const parent = byPos.get(BigInt(r.parent));
      const interior = parent?.dissection?.interior.map((x) => x.hash) ?? [];
      const i = Number(r.index);
      expect(interior.length, where).to.be.greaterThan(0);
      expect(r.startHash, where).to.equal(i === 0 ? parent?.startHash : interior[i - 1]);
      expect(r.endHash, where).to.equal(i === interior.length ? parent?.endHash : interior[i]);
    }
    // The dissections shown are the ones posted.
    const posted = await fx.events("NodeDissected", { contract: "game", args: { gameId: 1n } });
    for (const d of posted)
      expect(
        byPos.get(BigInt(d.args.position))?.dissection?.interior.map((x) => x.hash),
        `dissection of ${d.args.position}`,
      ).to.deep.equal(d.args.interior);
    // The step: the chain's post-state differs from the proposer's claim, from the claim's start.
    const stepped = game.rounds.find((r) => r.step !== null);
    expect(stepped?.step?.holds).to.equal(false);
    expect(stepped?.step?.endHash).to.equal(stepped?.endHash);
    expect(stepped?.step?.preStateHash).to.equal(stepped?.startHash);
    expect(stepped?.step?.by.toLowerCase()).to.equal(fx.address(KEYS.challenger).toLowerCase());
    const challenged = (await fx.events("NodeChallenged", { contract: "game" })).filter(
      (e) => BigInt(e.args.gameId) === 1n,
    );
    expect(game.rounds.map((r) => BigInt(r.position))).to.have.members(
      challenged.map((e) => BigInt(e.args.position)),
    );
    expect(game.rounds.at(-1)?.step).to.not.equal(null);
    expect(BigInt(game.jobId)).to.equal(jobId);
    expect(game.bonds.some((b) => b.to === fx.address(KEYS.challenger))).to.equal(true);

    const job = (await (await fetch(`${explorer.url}api/jobs/${jobId}`)).json()) as {
      timeline: { kind: string }[];
    };
    expect(job.timeline.map((e) => e.kind)).to.include.members([
      "JobSubmitted",
      "Proposed",
      "GameOpened",
      "NodeDissected",
      "NodeStepped",
      "ProposalDefeated",
    ]);
    await page.goto(`${explorer.url}jobs/${jobId}`);
    await page.waitForSelector('[data-testid="timeline"] li[data-kind="NodeStepped"]', { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, "job.png"), fullPage: true });
    await page.goto(`${explorer.url}proposals`);
    await page.waitForSelector("td .badge.Defeated", { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, "proposals.png"), fullPage: true });
  });

  it("is readable on a phone: one column, nothing wider than the screen", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      for (const [path, name] of [
        ["games/1", "phone-game"],
        ["", "phone-jobs"],
      ]) {
        await phone.goto(`${explorer.url}${path}`);
        await phone.waitForSelector(path ? "section.round" : "table", { timeout: 30_000 });
        const width = (await phone.evaluate("document.documentElement.scrollWidth")) as number;
        expect(width, `${path || "jobs"} page width`).to.be.at.most(390);
        await phone.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      }
    } finally {
      await phone.close();
    }
  });
});

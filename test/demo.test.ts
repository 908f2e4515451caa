// The README's main command, run as a user would (`pnpm run demo` runs
// `tsx demo/main.ts`): it must tell the whole story on the claim-tree game
// (commit-reveal, dissections posted once, down to one onchain instruction,
// bottom-up resolution, fees paid) and exit 0. About a minute, so it runs
// with VERDICT_FULL=1 (CI sets it).

import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { expect } from "chai";

const root = resolve(import.meta.dirname, "..");

describe("demo (pnpm run demo)", function () {
  this.timeout(300_000);
  before(function () {
    if (!process.env.VERDICT_FULL) this.skip();
  });

  it("tells the whole story and exits 0", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "demo/main.ts")], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 280_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
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
  });
});

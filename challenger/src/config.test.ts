// The challenger takes the chain commands' connection settings, like the
// proposer (proposer/src/config.test.ts holds the full matrix): here what is
// its own, no --outputs and its own key variable, VERDICT_CHALLENGER_KEY.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createChallengerCommand } from "./cli.ts";
import { buildChallengerConfig } from "./config.ts";

const dir = mkdtempSync(join(tmpdir(), "verdict-challenger-config-"));
const VERDICT = "0x1111111111111111111111111111111111111111";
const KEY_A = `0x${"aa".repeat(32)}`;
const KEY_B = `0x${"bb".repeat(32)}`;
const deployment = join(dir, "deployment.json");
writeFileSync(
  deployment,
  JSON.stringify({
    chainId: 31337,
    verdict: VERDICT,
    registry: "0x4444444444444444444444444444444444444444",
    disputeGame: "0x5555555555555555555555555555555555555555",
    outputs: "0x2222222222222222222222222222222222222222",
    deployedAtBlock: "9",
  }),
);
const BASE = { rpcUrl: "http://127.0.0.1:8545", programs: "a.elf" };

describe("challenger config: the chain commands' connection settings", () => {
  it("VERDICT_DEPLOYMENT names Verdict, the chain and the first block; no outputs field", () => {
    const c = buildChallengerConfig({ cli: BASE, env: { VERDICT_DEPLOYMENT: deployment } });
    expect(c).to.include({ verdict: VERDICT, chainId: 31337, startBlock: 9n });
    expect(c).to.not.have.property("outputs");
  });

  it("VERDICT_CHALLENGER_KEY stands in for VERDICT_PRIVATE_KEY; --private-key beats it", () => {
    const env = { VERDICT_DEPLOYMENT: deployment, VERDICT_PRIVATE_KEY: KEY_A, VERDICT_CHALLENGER_KEY: KEY_B };
    expect(buildChallengerConfig({ cli: BASE, env }).privateKey).to.equal(KEY_B);
    expect(buildChallengerConfig({ cli: { ...BASE, privateKey: KEY_A }, env }).privateKey).to.equal(KEY_A);
    // The proposer's variable is not ours.
    const other = { VERDICT_DEPLOYMENT: deployment, VERDICT_PROPOSER_KEY: KEY_B };
    expect(buildChallengerConfig({ cli: BASE, env: other }).privateKey).to.equal(undefined);
  });

  it("--help: connection flags, and the depth cap's default as written", () => {
    const help = createChallengerCommand(() => undefined).helpInformation();
    for (const flag of ["--rpc-url", "--deployment", "--verdict", "--keystore", "--private-key"])
      expect(help).to.include(flag);
    expect(help).to.not.include("--outputs");
    expect(help).to.match(/--max-depth <value>[\s\S]*?\(default: 32\)/);
    expect(help).to.not.include("[object Object]");
  });
});

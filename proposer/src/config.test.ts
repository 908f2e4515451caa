// The proposer's connection settings are the chain commands' (--rpc-url,
// --deployment or --verdict, --keystore or --private-key, the same VERDICT_*
// variables), resolved by the same rules, without a chain: a deployment file
// fills the contracts, the chain id and the first block; the stronger source
// wins; VERDICT_PROPOSER_KEY stands in for the generic key variables.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@verdict/shared/src/config/errors.ts";
import { expect } from "chai";
import { createProposerCommand } from "./cli.ts";
import { buildProposerConfig } from "./config.ts";

const dir = mkdtempSync(join(tmpdir(), "verdict-proposer-config-"));
const VERDICT = "0x1111111111111111111111111111111111111111";
const OUTPUTS = "0x2222222222222222222222222222222222222222";
const OTHER = "0x3333333333333333333333333333333333333333";
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
    outputs: OUTPUTS,
    verifier: null,
    timelock: null,
    k: 4,
    deployedAtBlock: "42",
  }),
);

const BASE = { rpcUrl: "http://127.0.0.1:8545", programs: "a.elf" };

function issues(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.field} (from ${i.source}): ${i.message}`);
  }
  return expect.fail("no ConfigError");
}

describe("proposer config: the chain commands' connection settings", () => {
  it("--deployment names Verdict, Outputs, the chain id and the first block", () => {
    const c = buildProposerConfig({ cli: { ...BASE, deployment } });
    expect(c).to.include({ verdict: VERDICT, outputs: OUTPUTS, chainId: 31337, startBlock: 42n });
  });

  it("VERDICT_DEPLOYMENT and VERDICT_PRIVATE_KEY do the same from the environment", () => {
    const c = buildProposerConfig({
      cli: BASE,
      env: { VERDICT_DEPLOYMENT: deployment, VERDICT_PRIVATE_KEY: KEY_A },
    });
    expect(c).to.include({ verdict: VERDICT, startBlock: 42n, privateKey: KEY_A });
  });

  it("explicit settings win over the file's where it only suggests (outputs, start block)", () => {
    const c = buildProposerConfig({ cli: { ...BASE, deployment, outputs: OTHER, startBlock: "7" } });
    expect(c).to.include({ verdict: VERDICT, outputs: OTHER, startBlock: 7n });
  });

  it("--verdict alone: no outputs, block 0, no chain id", () => {
    const c = buildProposerConfig({ cli: { ...BASE, verdict: VERDICT } });
    expect(c).to.include({ verdict: VERDICT, startBlock: 0n });
    expect(c.outputs).to.equal(undefined);
    expect(c.chainId).to.equal(undefined);
  });

  it("a --verdict flag beats VERDICT_DEPLOYMENT; at one rank they must agree", () => {
    const flagWins = buildProposerConfig({
      cli: { ...BASE, verdict: OTHER },
      env: { VERDICT_DEPLOYMENT: deployment },
    });
    expect(flagWins).to.include({ verdict: OTHER, startBlock: 0n });
    expect(issues(() => buildProposerConfig({ cli: { ...BASE, deployment, verdict: OTHER } }))).to.deep.equal(
      [
        `verdict (from --verdict): Invalid --verdict "${OTHER}": the deployment file ${deployment} (--deployment) names Verdict ${VERDICT}; give one or the other.`,
      ],
    );
    // The same address twice is no conflict.
    expect(buildProposerConfig({ cli: { ...BASE, deployment, verdict: VERDICT } }).verdict).to.equal(VERDICT);
  });

  it("neither, a missing file, or another chain: issues listed with the others, exit-2 material", () => {
    expect(
      issues(() => buildProposerConfig({ cli: { rpcUrl: "ftp://x", programs: "a.elf" } })),
    ).to.deep.equal([
      'rpcUrl (from --rpc-url): "ftp://x" must use http: or https:',
      'verdict (from nowhere): required: --deployment FILE or --verdict ADDR (or VERDICT_DEPLOYMENT / VERDICT_ADDRESS, or "deployment" / "verdict" in the config file)',
    ]);
    const missing = join(dir, "nope.json");
    expect(
      issues(() => buildProposerConfig({ cli: BASE, env: { VERDICT_DEPLOYMENT: missing } })),
    ).to.deep.equal([
      `deployment (from VERDICT_DEPLOYMENT): Cannot read deployment file ${missing}: no such file (write one with \`verdict deploy\`).`,
    ]);
    expect(issues(() => buildProposerConfig({ cli: { ...BASE, deployment, chainId: "5" } }))).to.deep.equal([
      `chainId (from --chain-id): 5, but the deployment file ${deployment} is for chain 31337`,
    ]);
  });

  it("the key: --private-key, a malformed one never echoed, and the stronger source winning", () => {
    expect(
      buildProposerConfig({ cli: { ...BASE, verdict: VERDICT, privateKey: KEY_A } }).privateKey,
    ).to.equal(KEY_A);
    const bad = issues(() =>
      buildProposerConfig({ cli: { ...BASE, verdict: VERDICT, privateKey: "0xdeadbeef" } }),
    );
    expect(bad).to.deep.equal(["privateKey (from --private-key): invalid value (not shown: secret)"]);
    // A flag beats a variable of the other kind: --private-key over VERDICT_KEYSTORE.
    const c = buildProposerConfig({
      cli: { ...BASE, verdict: VERDICT, privateKey: KEY_A },
      env: { VERDICT_KEYSTORE: "k.json" },
    });
    expect(c).to.include({ privateKey: KEY_A, keystore: undefined });
    // A variable beats the config file.
    const file = join(dir, "proposer.json");
    writeFileSync(file, JSON.stringify({ keystore: "file-k.json" }));
    const f = buildProposerConfig({
      cli: { ...BASE, verdict: VERDICT },
      env: { VERDICT_PRIVATE_KEY: KEY_A },
      file,
    });
    expect(f).to.include({ privateKey: KEY_A, keystore: undefined });
  });

  it("VERDICT_PROPOSER_KEY stands in for VERDICT_PRIVATE_KEY and VERDICT_KEYSTORE; a flag still beats it", () => {
    const env = { VERDICT_PROPOSER_KEY: KEY_B, VERDICT_PRIVATE_KEY: KEY_A, VERDICT_KEYSTORE: "k.json" };
    const c = buildProposerConfig({ cli: { ...BASE, verdict: VERDICT }, env });
    expect(c).to.include({ privateKey: KEY_B, keystore: undefined });
    const flag = buildProposerConfig({ cli: { ...BASE, verdict: VERDICT, keystore: "mine.json" }, env });
    expect(flag).to.include({ keystore: "mine.json", privateKey: undefined });
    expect(
      issues(() =>
        buildProposerConfig({ cli: { ...BASE, verdict: VERDICT }, env: { VERDICT_PROPOSER_KEY: "nope" } }),
      ),
    ).to.deep.equal(["privateKey (from VERDICT_PROPOSER_KEY): not 32 bytes of hex (not shown: secret)"]);
  });

  it("--help lists the connection flags and shows the depth cap's default as written", () => {
    const help = createProposerCommand(() => undefined).helpInformation();
    for (const flag of [
      "--rpc-url",
      "--deployment",
      "--verdict",
      "--outputs",
      "--keystore",
      "--password-file",
      "--private-key",
    ])
      expect(help).to.include(flag);
    expect(help).to.include("[VERDICT_DEPLOYMENT]").and.include("[VERDICT_PRIVATE_KEY]");
    expect(help).to.match(/--max-depth <value>[\s\S]*?\(default: 32\)/);
    expect(help).to.not.include("[object Object]");
  });
});

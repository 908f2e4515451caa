// The challenger's start-up refusals say what the operator can do: an
// unfunded account is told to fund it or run --watch-only (never to lower a
// setting the challenger does not have), and a --verdict that points at
// another contract names the flag instead of dumping the failed call; a node
// of another chain than --chain-id is refused before anything is read from it.
// A deployment file and VERDICT_PRIVATE_KEY (the chain commands' settings)
// start it as well, and the file's chain id is enforced like --chain-id.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type ChainFixture, setupChain } from "../../proposer/src/testing/setupChain.ts";
import { buildChallengerConfig } from "./config.ts";
import { runChallenger } from "./runChallenger.ts";

describe("challenger start-up messages", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain();
  });
  after(async () => fx?.stop());

  const start = (verdict: string, key: string, over: Record<string, unknown> = {}) => {
    const env = { VERDICT_CHALLENGER_KEY: key, VERDICT_LOG_LEVEL: "silent" };
    const config = buildChallengerConfig({
      cli: {
        rpcUrl: fx.anvil.rpcUrl,
        verdict,
        programs: fx.programPath,
        metricsPort: 0,
        logLevel: "silent",
        ...over,
      },
      env,
    });
    return runChallenger({ config, env, manageProcess: false }).then(
      () => expect.fail("started"),
      (e: Error) => e,
    );
  };

  it("an unfunded account: fund it or --watch-only, nothing about settings", async () => {
    const err = await start(fx.deployment.verdict, generatePrivateKey());
    expect(err.name).to.equal("InsufficientFundsError");
    expect(err.message).to.match(/has 0 wei; one claim bond needs at least \d+ wei/);
    expect(err.message).to.include("--watch-only").and.include("no setting that lowers it");
    expect(err.message).to.not.match(/lower the bond/);
  });

  it("another contract at --verdict: WrongContractError naming the flag", async () => {
    const err = await start(fx.deployment.outputs, fx.anvil.privateKeys[5]);
    expect(err.name).to.equal("WrongContractError");
    expect(err.message).to.include("is not a Verdict contract").and.include("Try: --verdict");
    expect(err.message).to.not.match(/Raw Call Arguments/);
  });

  it("a node of another chain than --chain-id: WrongChainError, not retried", async () => {
    const err = await start(fx.deployment.verdict, fx.anvil.privateKeys[5], { chainId: "5" });
    expect(err.name).to.equal("WrongChainError");
    expect(err.message).to.include("not the configured chain 5").and.include("Try: check --rpc-url");
  });

  const writeDeployment = (chainId: number) => {
    const path = join(fx.dir, `deployment-${chainId}.json`);
    const d = fx.deployment;
    writeFileSync(path, JSON.stringify({ ...d, chainId, deployedAtBlock: d.deployedAtBlock.toString() }));
    return path;
  };

  it("starts from VERDICT_DEPLOYMENT and VERDICT_PRIVATE_KEY, scanning from the deployment's block", async () => {
    const env = {
      VERDICT_DEPLOYMENT: writeDeployment(fx.anvil.chainId),
      VERDICT_PRIVATE_KEY: fx.anvil.privateKeys[5],
    };
    const config = buildChallengerConfig({
      cli: { rpcUrl: fx.anvil.rpcUrl, programs: fx.programPath, metricsPort: 0, logLevel: "silent" },
      env,
    });
    expect(config).to.include({ verdict: fx.deployment.verdict, startBlock: fx.deployment.deployedAtBlock });
    const ac = new AbortController();
    let account = "";
    const done = runChallenger({
      config,
      env,
      manageProcess: false,
      signal: ac.signal,
      onStarted: (_c, info) => {
        account = info.account;
        ac.abort();
      },
    });
    await done;
    expect(account).to.equal(privateKeyToAccount(fx.anvil.privateKeys[5] as Hex).address);
  });

  it("a deployment file of another chain: WrongChainError before anything is read", async () => {
    const env = { VERDICT_CHALLENGER_KEY: fx.anvil.privateKeys[5], VERDICT_LOG_LEVEL: "silent" };
    const config = buildChallengerConfig({
      cli: {
        rpcUrl: fx.anvil.rpcUrl,
        deployment: writeDeployment(5),
        programs: fx.programPath,
        metricsPort: 0,
      },
      env,
    });
    expect(config.chainId).to.equal(5);
    const err = await runChallenger({ config, env, manageProcess: false }).then(
      () => expect.fail("started"),
      (e: Error) => e,
    );
    expect(err.name).to.equal("WrongChainError");
  });
});

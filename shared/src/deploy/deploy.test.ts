// Deploys the protocol to a real anvil and checks wiring (roles, params, k,
// verifier approval), plus the config parser's typed errors.

import { expect } from "chai";
import { MerkleTree } from "merkletreejs";
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { programRegistryAbi, rv32imAbi, timelockControllerAbi, verdictAbi } from "../bindings/abis.ts";
import { type AnvilInstance, startAnvil } from "../testing/startAnvil.ts";
import { deploy } from "./deploy.ts";
import { DeployConfigError } from "./errors.ts";
import { parseDeployConfig } from "./parseDeployConfig.ts";

const example = {
  k: 16,
  params: {
    proposerBond: "1000000000000000000",
    challengerBond: "500000000000000000",
    challengeWindowSeconds: 3600,
    clockSeconds: 1800,
    burnBps: 2000,
    maxInputBytes: 1048576,
    maxBatchSize: 1024,
  },
};

describe("deploy", () => {
  let anvil: AnvilInstance;
  before(async () => {
    anvil = await startAnvil();
  });
  after(async () => {
    await anvil?.stop();
  });

  function clients(keyIndex = 0) {
    const chain: Chain = { ...foundry, id: anvil.chainId, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const account = privateKeyToAccount(anvil.privateKeys[keyIndex]);
    return {
      publicClient: createPublicClient({ chain, transport: http(anvil.rpcUrl) }),
      walletClient: createWalletClient({ chain, account, transport: http(anvil.rpcUrl) }),
      account,
    };
  }

  it("deploys verifier, registry and Verdict with the deployer holding every role", async () => {
    const { publicClient, walletClient, account } = clients();
    const d = await deploy({ publicClient, walletClient, config: parseDeployConfig(example) });
    expect(d.timelock).to.equal(null);
    expect(d.deployedAtBlock > 0n).to.equal(true);
    const read = <T>(functionName: string, args: unknown[] = []) =>
      publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: functionName as never,
        args: args as never,
      }) as Promise<T>;
    expect(await read<bigint>("K")).to.equal(16n);
    expect(await read<string>("registry")).to.equal(d.registry);
    const params = await read<{ proposerBond: bigint; clockSeconds: bigint; burnBps: number }>("params");
    expect(params.proposerBond).to.equal(10n ** 18n);
    expect(params.clockSeconds).to.equal(1800n);
    expect(params.burnBps).to.equal(2000);
    for (const role of ["GUARDIAN_ROLE", "PARAMETER_SETTER_ROLE", "DEFAULT_ADMIN_ROLE"]) {
      const id = await read<`0x${string}`>(role);
      expect(await read<boolean>("hasRole", [id, account.address]), role).to.equal(true);
    }
    const status = await publicClient.readContract({
      address: d.registry,
      abi: programRegistryAbi,
      functionName: "verifierStatus",
      args: [d.verifier],
    });
    expect(status).to.equal(1);
    expect(
      await publicClient.readContract({
        address: d.verifier,
        abi: rv32imAbi,
        functionName: "machineVersion",
      }),
    ).to.equal(1n);
  });

  it("makes a TimelockController the admin when configured", async () => {
    const { publicClient, walletClient, account } = clients(1);
    const config = parseDeployConfig({
      ...example,
      k: 2,
      guardian: "0x00000000000000000000000000000000000000a1",
      timelock: { minDelaySeconds: 86400, proposers: [account.address], executors: [account.address] },
    });
    const d = await deploy({ publicClient, walletClient, config });
    expect(d.timelock).to.be.a("string");
    const admin = await publicClient.readContract({
      address: d.verdict,
      abi: verdictAbi,
      functionName: "DEFAULT_ADMIN_ROLE",
    });
    expect(
      await publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "hasRole",
        args: [admin, d.timelock!],
      }),
    ).to.equal(true);
    expect(
      await publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "hasRole",
        args: [admin, account.address],
      }),
    ).to.equal(false);
    expect(
      await publicClient.readContract({
        address: d.registry,
        abi: programRegistryAbi,
        functionName: "hasRole",
        args: [admin, d.timelock!],
      }),
    ).to.equal(true);
    const guardianRole = keccak256(toHex("GUARDIAN_ROLE"));
    expect(
      await publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "hasRole",
        args: [guardianRole, "0x00000000000000000000000000000000000000a1"],
      }),
    ).to.equal(true);
    expect(
      await publicClient.readContract({
        address: d.timelock!,
        abi: timelockControllerAbi,
        functionName: "getMinDelay",
      }),
    ).to.equal(86400n);
  });

  it("stores the proposal root merkletreejs (sortPairs) builds over its leafHash values", async () => {
    const { publicClient, walletClient } = clients(3);
    const d = await deploy({ publicClient, walletClient, config: parseDeployConfig(example) });
    for (const n of [1, 2, 3, 7, 33]) {
      const leaves = Array.from({ length: n }, (_, i) => ({
        jobId: BigInt(i * 7 + 1),
        finalStateHash: keccak256(toHex(`leaf ${n} ${i}`)),
      }));
      const hashes = leaves.map((l) =>
        keccak256(
          keccak256(
            encodeAbiParameters([{ type: "uint256" }, { type: "bytes32" }], [l.jobId, l.finalStateHash]),
          ),
        ),
      );
      const tree = new MerkleTree(hashes, keccak256, { sortPairs: true });
      const hash = await walletClient.writeContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "propose",
        args: [leaves],
        value: 10n ** 18n,
      });
      await publicClient.waitForTransactionReceipt({ hash });
      const count = await publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "proposalCount",
      });
      const p = await publicClient.readContract({
        address: d.verdict,
        abi: verdictAbi,
        functionName: "getProposal",
        args: [count],
      });
      expect(p.root, `n=${n}`).to.equal(tree.getHexRoot());
      for (let i = 0; i < n; i++) {
        expect(
          await publicClient.readContract({
            address: d.verdict,
            abi: verdictAbi,
            functionName: "leafHash",
            args: [leaves[i].jobId, leaves[i].finalStateHash],
          }),
        ).to.equal(hashes[i]);
        expect(tree.verify(tree.getHexProof(hashes[i]), hashes[i], tree.getHexRoot())).to.equal(true);
      }
    }
  });

  it("reuses an existing verifier", async () => {
    const { publicClient, walletClient } = clients(2);
    const first = await deploy({ publicClient, walletClient, config: parseDeployConfig(example) });
    const second = await deploy({
      publicClient,
      walletClient,
      config: parseDeployConfig({ ...example, verifier: first.verifier }),
    });
    expect(second.verifier).to.equal(first.verifier);
    expect(second.verdict).to.not.equal(first.verdict);
  });
});

describe("parseDeployConfig", () => {
  const bad: [string, unknown][] = [
    ["k", { ...example, k: 3 }],
    ["k", { ...example, k: 128 }],
    ["params.burnBps", { ...example, params: { ...example.params, burnBps: 0 } }],
    ["params.burnBps", { ...example, params: { ...example.params, burnBps: 10000 } }],
    ["params.proposerBond", { ...example, params: { ...example.params, proposerBond: "-1" } }],
    ["params.maxInputBytes", { ...example, params: { ...example.params, maxInputBytes: 2 ** 30 } }],
    ["params", { k: 2 }],
    ["guardian", { ...example, guardian: "0x1234" }],
    ["timelock.proposers", { ...example, timelock: { minDelaySeconds: 1, proposers: [], executors: [] } }],
  ];
  for (const [path, json] of bad) {
    it(`rejects a bad ${path}`, () => {
      try {
        parseDeployConfig(json);
        expect.fail("accepted");
      } catch (err) {
        expect(err).to.be.instanceOf(DeployConfigError);
        expect((err as DeployConfigError).path).to.equal(path);
      }
    });
  }

  it("parses numbers and decimal strings into bigint", () => {
    const c = parseDeployConfig(example);
    expect(c.params.proposerBond).to.equal(10n ** 18n);
    expect(c.params.challengeWindowSeconds).to.equal(3600n);
    expect(c.timelock).to.equal(undefined);
  });
});

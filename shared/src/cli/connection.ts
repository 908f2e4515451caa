// The connection flags every chain command shares (--rpc-url, --deployment or
// --verdict, --outputs, --keystore/--private-key), each also an environment
// variable, and turning them into viem clients and contract addresses. A
// deployment file (written by `verdict deploy`) names every contract; with
// --verdict alone the others are read from Verdict and its registry.

import { readFileSync } from "node:fs";
import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  isAddress,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { programRegistryAbi, verdictAbi } from "../bindings/abis.ts";
import { RpcUnreachableError } from "../chain/errors.ts";
import { CliFileError, CliUsageError } from "../errors/cli.ts";
import { loadAccount } from "../keys/loadAccount.ts";
import { CONNECTION_ENV } from "./connectionFlags.ts";

export type ConnectionOptions = {
  rpcUrl?: string;
  deployment?: string;
  verdict?: string;
  outputs?: string;
  /** Only the governance commands take it (--timelock). */
  timelock?: string;
  keystore?: string;
  passwordFile?: string;
  privateKey?: string;
};

/** What a command knows about the contracts it talks to. */
export type Contracts = {
  chainId: number;
  verdict: Address;
  registry: Address;
  disputeGame: Address;
  outputs: Address | null;
  verifier: Address | null;
  /** The TimelockController that holds the admin and parameter-setter roles (null: none known). */
  timelock: Address | null;
  /** First block to scan for events. */
  fromBlock: bigint;
};

export type Connection = {
  publicClient: PublicClient<Transport, Chain>;
  contracts: Contracts;
  rpcUrl: string;
};

export type SignerConnection = Connection & { walletClient: WalletClient<Transport, Chain, Account> };

function pick(flag: string | undefined, env: string): string | undefined {
  const v = flag ?? process.env[env];
  return v === "" ? undefined : v;
}

function addressArg(option: string, value: string): Address {
  if (!isAddress(value, { strict: false }))
    throw new CliUsageError({ option, value, reason: "not a 20-byte 0x address" });
  return getAddress(value);
}

/** A deployment file's JSON (`verdict deploy` writes it; block numbers as decimal strings). */
export function parseDeploymentFile(path: string): Omit<Contracts, "chainId"> & { chainId: number | null } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new CliFileError({
      what: "deployment file",
      path,
      reason: code === "ENOENT" ? "no such file (write one with `verdict deploy`)" : "not valid JSON",
      cause,
    });
  }
  const field = (name: string, required: boolean): Address | null => {
    const v = json[name];
    if (v === undefined || v === null) {
      if (required) throw new CliFileError({ what: "deployment file", path, reason: `missing "${name}"` });
      return null;
    }
    if (typeof v !== "string" || !isAddress(v, { strict: false }))
      throw new CliFileError({ what: "deployment file", path, reason: `"${name}" is not an address` });
    return getAddress(v);
  };
  return {
    chainId: typeof json.chainId === "number" ? json.chainId : null,
    verdict: field("verdict", true) as Address,
    registry: field("registry", true) as Address,
    disputeGame: field("disputeGame", true) as Address,
    outputs: field("outputs", false),
    verifier: field("verifier", false),
    timelock: field("timelock", false),
    fromBlock: BigInt(String(json.deployedAtBlock ?? "0")),
  };
}

/** A public client on the chain behind the URL (its id read once), failing clearly when unreachable. */
export async function connectRpc(
  opts: ConnectionOptions,
): Promise<{ publicClient: PublicClient<Transport, Chain>; rpcUrl: string }> {
  const rpcUrl = pick(opts.rpcUrl, CONNECTION_ENV.rpcUrl);
  if (!rpcUrl)
    throw new CliUsageError({
      option: "--rpc-url",
      value: "",
      reason: `required (or set ${CONNECTION_ENV.rpcUrl})`,
    });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) }).getChainId();
  } catch (cause) {
    throw new RpcUnreachableError({ url: rpcUrl, attempts: 2, cause });
  }
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return {
    publicClient: createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 200 }),
    rpcUrl,
  };
}

function missingContracts(): CliUsageError {
  return new CliUsageError({
    option: "--deployment",
    value: "",
    reason: `required: --deployment FILE or --verdict ADDR (or set ${CONNECTION_ENV.deployment} / ${CONNECTION_ENV.verdict})`,
  });
}

/** Clients and contract addresses from the flags and environment. */
export async function connect(opts: ConnectionOptions): Promise<Connection> {
  const file = pick(opts.deployment, CONNECTION_ENV.deployment);
  const verdictFlag = pick(opts.verdict, CONNECTION_ENV.verdict);
  const outputsFlag = pick(opts.outputs, CONNECTION_ENV.outputs);
  const timelockFlag = pick(opts.timelock, CONNECTION_ENV.timelock);
  const timelock = timelockFlag ? addressArg("--timelock", timelockFlag) : null;
  // Bad flags are bad input whether or not the node answers: say so before dialling it.
  if (!file && !verdictFlag) throw missingContracts();
  if (!file && verdictFlag) addressArg("--verdict", verdictFlag);
  if (outputsFlag) addressArg("--outputs", outputsFlag);
  const { publicClient, rpcUrl } = await connectRpc(opts);
  const chainId = publicClient.chain.id;
  let contracts: Contracts;
  if (file) {
    const d = parseDeploymentFile(file);
    if (d.chainId !== null && d.chainId !== chainId)
      throw new CliUsageError({
        option: "--deployment",
        value: file,
        reason: `it is for chain ${d.chainId}, but ${rpcUrl} is chain ${chainId}`,
      });
    contracts = {
      ...d,
      chainId,
      outputs: outputsFlag ? addressArg("--outputs", outputsFlag) : d.outputs,
      timelock: timelock ?? d.timelock,
    };
  } else if (verdictFlag) {
    const verdict = addressArg("--verdict", verdictFlag);
    await requireCode(publicClient, verdict, "--verdict");
    let registry: Address;
    let disputeGame: Address;
    try {
      [registry, disputeGame] = await Promise.all([
        publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "registry" }),
        publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "game" }),
      ]);
    } catch (cause) {
      throw new CliUsageError({
        option: "--verdict",
        value: verdictFlag,
        reason: `not a Verdict contract (${(cause as Error).name})`,
      });
    }
    const approved = await publicClient.getContractEvents({
      address: registry,
      abi: programRegistryAbi,
      eventName: "VerifierApproved",
      fromBlock: 0n,
    });
    contracts = {
      chainId,
      verdict,
      registry,
      disputeGame,
      outputs: outputsFlag ? addressArg("--outputs", outputsFlag) : null,
      verifier: approved.at(-1)?.args.verifier ?? null,
      timelock,
      fromBlock: approved[0]?.blockNumber ?? 0n,
    };
  } else {
    throw missingContracts();
  }
  await requireCode(publicClient, contracts.verdict, file ? "--deployment" : "--verdict");
  return { publicClient, contracts, rpcUrl };
}

async function requireCode(publicClient: PublicClient, address: Address, option: string): Promise<void> {
  const code = await publicClient.getCode({ address });
  if (!code || code === "0x")
    throw new CliUsageError({ option, value: address, reason: "no contract at this address on this chain" });
}

/** The signing account from --keystore/--private-key (or their environment variables). */
export async function loadSigner(opts: ConnectionOptions): Promise<Account> {
  const E = CONNECTION_ENV;
  const env = { ...process.env };
  if (opts.privateKey !== undefined) env[E.privateKey] = opts.privateKey;
  return loadAccount({
    keystore: pick(opts.keystore, E.keystore),
    passwordFile: pick(opts.passwordFile, E.passwordFile),
    passwordEnv: E.password,
    privateKeyEnv: E.privateKey,
    env,
  });
}

export function walletFor(publicClient: PublicClient<Transport, Chain>, rpcUrl: string, account: Account) {
  return createWalletClient({ chain: publicClient.chain, account, transport: http(rpcUrl) });
}

/** connect() plus the signing wallet. */
export async function connectSigner(opts: ConnectionOptions): Promise<SignerConnection> {
  const account = await loadSigner(opts);
  const c = await connect(opts);
  return { ...c, walletClient: walletFor(c.publicClient, c.rpcUrl, account) };
}

/** JSON with bigints as numbers when safe, decimal strings beyond 2^53. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === "bigint"
      ? v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v.toString()
      : v,
  );
}

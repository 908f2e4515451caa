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
import { type LoadAccountReturnType, loadAccount } from "../keys/loadAccount.ts";
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
  return given(flag, env)?.value;
}

/**
 * A setting and how it was given: a flag on the command line (rank 2) beats an
 * environment variable (1), which beats a daemon's config file (0). Two
 * settings that answer one question (which contracts, which key) are ranked
 * together: the stronger one wins, and at one rank they must agree.
 */
export type Given = { value: string; rank: number; source: string };

export const RANK_FLAG = 2;
export const RANK_ENV = 1;
export const RANK_FILE = 0;

/** The flag's value, else the environment variable's ("" counts as unset). */
export function given(
  flag: string | undefined,
  envName: string,
  env: Record<string, string | undefined> = process.env,
): Given | undefined {
  if (flag !== undefined && flag !== "") return { value: flag, rank: RANK_FLAG, source: flagOf(envName) };
  const v = env[envName];
  return v === undefined || v === "" ? undefined : { value: v, rank: RANK_ENV, source: envName };
}

function flagOf(envName: string): string {
  const key = Object.entries(CONNECTION_ENV).find(([, e]) => e === envName)?.[0] ?? envName;
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Of two alternatives, the one given more strongly; both (or neither) when at one rank. */
export function stronger<A extends Given | undefined, B extends Given | undefined>(
  a: A,
  b: B,
): [A | undefined, B | undefined] {
  if (a && b && a.rank !== b.rank) return a.rank > b.rank ? [a, undefined] : [undefined, b];
  return [a, b];
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

export type ContractFlags = { deployment?: Given; verdict?: Given; outputs?: Given };

export type ResolvedContractFlags = {
  /** The deployment file used, and what it names (null: the contracts come from --verdict). */
  file: string | null;
  deployment: ReturnType<typeof parseDeploymentFile> | null;
  verdict: Address;
  /** --outputs, else the deployment file's, else null. */
  outputs: Address | null;
};

/**
 * Which contracts the connection settings name, read without the chain: a
 * deployment file, or a Verdict address. Given both, the stronger one wins (a
 * --verdict flag over VERDICT_DEPLOYMENT, say); at one rank they must agree.
 */
export function resolveContractFlags(f: ContractFlags): ResolvedContractFlags {
  const [file, verdictGiven] = stronger(f.deployment, f.verdict);
  if (!file && !verdictGiven) throw missingContracts();
  const outputs = f.outputs ? addressArg(f.outputs.source, f.outputs.value) : null;
  const verdict = verdictGiven ? addressArg(verdictGiven.source, verdictGiven.value) : null;
  if (!file) return { file: null, deployment: null, verdict: verdict as Address, outputs };
  const d = parseDeploymentFile(file.value);
  if (verdict && verdict !== d.verdict)
    throw new CliUsageError({
      option: (verdictGiven as Given).source,
      value: verdict,
      reason: `the deployment file ${file.value} (${file.source}) names Verdict ${d.verdict}; give one or the other`,
    });
  return { file: file.value, deployment: d, verdict: d.verdict, outputs: outputs ?? d.outputs };
}

/** Clients and contract addresses from the flags and environment. */
export async function connect(opts: ConnectionOptions): Promise<Connection> {
  const E = CONNECTION_ENV;
  const timelockFlag = pick(opts.timelock, E.timelock);
  const timelock = timelockFlag ? addressArg("--timelock", timelockFlag) : null;
  // Bad flags are bad input whether or not the node answers: say so before dialling it.
  const named = resolveContractFlags({
    deployment: given(opts.deployment, E.deployment),
    verdict: given(opts.verdict, E.verdict),
    outputs: given(opts.outputs, E.outputs),
  });
  const { publicClient, rpcUrl } = await connectRpc(opts);
  const chainId = publicClient.chain.id;
  const file = named.file;
  let contracts: Contracts;
  if (named.deployment) {
    const d = named.deployment;
    if (d.chainId !== null && d.chainId !== chainId)
      throw new CliUsageError({
        option: "--deployment",
        value: file as string,
        reason: `it is for chain ${d.chainId}, but ${rpcUrl} is chain ${chainId}`,
      });
    contracts = { ...d, chainId, outputs: named.outputs, timelock: timelock ?? d.timelock };
  } else {
    const verdict = named.verdict;
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
        value: verdict,
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
      outputs: named.outputs,
      verifier: approved.at(-1)?.args.verifier ?? null,
      timelock,
      fromBlock: approved[0]?.blockNumber ?? 0n,
    };
  }
  await requireCode(publicClient, contracts.verdict, file ? "--deployment" : "--verdict");
  return { publicClient, contracts, rpcUrl };
}

async function requireCode(publicClient: PublicClient, address: Address, option: string): Promise<void> {
  const code = await publicClient.getCode({ address });
  if (!code || code === "0x")
    throw new CliUsageError({ option, value: address, reason: "no contract at this address on this chain" });
}

/**
 * Which key the settings name: a keystore or a raw key, the stronger one when
 * they come from different places (--private-key over VERDICT_KEYSTORE, say);
 * both at one rank is refused by loadAccount.
 */
export function pickKey(keystore: Given | undefined, privateKey: Given | undefined) {
  const [k, p] = stronger(keystore, privateKey);
  return { keystore: k?.value, privateKey: p?.value };
}

/**
 * The signing account from --keystore/--private-key or their environment
 * variables (`env`, default process.env); a keystore's password from
 * --password-file, VERDICT_KEYSTORE_PASSWORD or a prompt on a terminal.
 */
export async function loadSigner(
  opts: ConnectionOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<LoadAccountReturnType> {
  const E = CONNECTION_ENV;
  const { keystore, privateKey } = pickKey(
    given(opts.keystore, E.keystore, env),
    given(opts.privateKey, E.privateKey, env),
  );
  return loadAccount({
    keystore,
    passwordFile: given(opts.passwordFile, E.passwordFile, env)?.value,
    passwordEnv: E.password,
    privateKeyEnv: E.privateKey,
    env: { [E.password]: env[E.password], [E.privateKey]: privateKey },
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

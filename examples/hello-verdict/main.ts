// hello-verdict: submit a job, wait for its final result, print its output.
// Startup in one straight line: options → clients (checked against the
// deployment's chain) → submitAndRead → the output bytes on stdout. Progress
// goes to stderr, so `… > out.bin` captures the output alone. Exit codes, as
// the `verdict` CLI's: 0 done, 2 bad input (a typed error that retrying will
// not fix, a revert included), 1 anything else.

import { BaseError } from "@verdict/shared";
import { createPublicClient, createWalletClient, defineChain, hexToBytes, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChainMismatchError, ConnectionError } from "./errors.ts";
import { readOptions, USAGE } from "./options.ts";
import { submitAndRead } from "./submitAndRead.ts";

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { rpcUrl, deployment } = options;

  let chainId: number;
  try {
    chainId = await createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) }).getChainId();
  } catch (cause) {
    throw new ConnectionError({ url: rpcUrl, cause });
  }
  if (chainId !== deployment.chainId)
    throw new ChainMismatchError({ expected: deployment.chainId, actual: chainId, url: rpcUrl });
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // Receipts and results are polled each second (viem's default is 4 s).
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 1000 });
  const walletClient = createWalletClient({
    chain,
    account: privateKeyToAccount(options.privateKey),
    transport: http(rpcUrl),
  });

  const r = await submitAndRead(
    { publicClient, walletClient },
    {
      deployment,
      programId: options.programId,
      input: options.input,
      feeWei: options.feeWei,
      elf: options.elf,
      timeoutMs: options.timeoutMs,
      onProgress: (m) => process.stderr.write(`${m}\n`),
    },
  );
  if (r.status !== 1 || r.exitCode !== 0)
    process.stderr.write(
      `job ${r.jobId}: the program ended with status ${r.status}, exit code ${r.exitCode}\n`,
    );
  process.stdout.write(hexToBytes(r.output));
}

main().catch((err: unknown) => {
  if (err instanceof BaseError) {
    const lines = [`error: ${err.shortMessage}`, ...(err.metaMessages ?? []).map((m) => `  ${m}`)];
    if (err.details) lines.push(`  ${err.details}`);
    process.stderr.write(`${lines.join("\n")}\n`);
    process.exitCode = err.retryable ? 1 : 2;
  } else {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
});

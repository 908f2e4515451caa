// attestInput: a data source signs (EIP-712, domain "Verdict" v1 of the
// deployment) that an input may be submitted to a program by one requester
// with one fee, before a deadline. The requester passes the result to
// submitJob; Verdict checks it against the program's registered signers.

import { type Address, type Hex, hexToBytes } from "viem";
import { inputRoot as computeInputRoot } from "../machine/inputRoot.ts";
import type { ReadClients, WriteClients } from "./client.ts";

export type Attestation = {
  signer: Address;
  nonce: bigint;
  /** Unix time after which Verdict refuses it. Unit: seconds. */
  deadline: bigint;
  signature: Hex;
};

export type AttestInputParameters = {
  verdict: Address;
  programId: bigint;
  input: Hex | Uint8Array;
  /** The only account that may submit the attested job. */
  requester: Address;
  /** The fee the job must carry. Unit: wei. */
  feeWei: bigint;
  /** One-time number of the signer; default: the current time in microseconds. */
  nonce?: bigint;
  /**
   * Default: one hour after the latest block's timestamp when a publicClient
   * is given (the chain's clock is what Verdict checks, and it can run ahead
   * of ours: a time-warped test chain, say), else one hour from the local
   * clock. Unit: unix seconds.
   */
  deadline?: bigint;
};

/** How long a default attestation stays valid. Unit: seconds. */
export const ATTESTATION_LIFETIME_SECONDS = 3600n;

export type AttestInputReturnType = Attestation & { inputRoot: Hex };
export type AttestInputErrorType = Error;

export async function attestInput(
  clients: WriteClients & Partial<ReadClients>,
  p: AttestInputParameters,
): Promise<AttestInputReturnType> {
  const bytes = typeof p.input === "string" ? hexToBytes(p.input) : p.input;
  const inputRoot = computeInputRoot(bytes);
  const chainId = clients.walletClient.chain?.id ?? (await clients.publicClient?.getChainId());
  if (chainId === undefined)
    throw new TypeError("attestInput: the wallet client has no chain; pass a publicClient");
  const nonce = p.nonce ?? BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  const deadline =
    p.deadline ??
    (clients.publicClient
      ? (await clients.publicClient.getBlock({ blockTag: "latest" })).timestamp
      : BigInt(Math.floor(Date.now() / 1000))) + ATTESTATION_LIFETIME_SECONDS;
  const account = clients.walletClient.account;
  const signature = await clients.walletClient.signTypedData({
    account,
    domain: { name: "Verdict", version: "1", chainId, verifyingContract: p.verdict },
    types: {
      InputAttestation: [
        { name: "programId", type: "uint256" },
        { name: "inputRoot", type: "bytes32" },
        { name: "requester", type: "address" },
        { name: "fee", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "InputAttestation",
    message: { programId: p.programId, inputRoot, requester: p.requester, fee: p.feeWei, nonce, deadline },
  });
  return { signer: account.address, nonce, deadline, signature, inputRoot };
}

/** The JSON form `verdict attest` writes and `verdict submit --attestation` reads. */
export function attestationToJson(a: Attestation & { inputRoot?: Hex }): string {
  return JSON.stringify(
    {
      signer: a.signer,
      nonce: a.nonce.toString(),
      deadline: a.deadline.toString(),
      signature: a.signature,
      inputRoot: a.inputRoot,
    },
    null,
    2,
  );
}

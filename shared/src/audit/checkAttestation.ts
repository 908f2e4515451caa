// Re-checks a signed job's data-source attestation from the chain alone: the
// signer was in the program's signer set at the submission block, the EIP-712
// digest (read from the contract at that block) was signed by it — an ECDSA
// signature recovered to the signer, or an ERC-1271 contract that accepted it
// at that block — and the deadline had not passed. A contract signer may stop
// accepting the signature later (key rotated, approval revoked): that does not
// undo a job admitted while it was valid, so it is reported, not failed.

import {
  type Address,
  type Chain,
  type Hex,
  isAddressEqual,
  type PublicClient,
  recoverAddress,
  type Transport,
} from "viem";
import { programRegistryAbi, verdictAbi } from "../bindings/abis.ts";
import type { JobHistory } from "./collectJobHistory.ts";

export const ERC1271_MAGIC = "0x1626ba7e";

const erc1271Abi = [
  {
    type: "function",
    name: "isValidSignature",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bytes4" }],
    stateMutability: "view",
  },
] as const;

export type AttestationCheck = {
  signer: Address;
  nonce: bigint;
  deadline: bigint | null;
  digest: Hex | null;
  signerKind: "eoa" | "erc1271" | "unknown";
  /** The signer was in the program's signer set at the submission block. */
  signerAuthorised: boolean;
  /** The signature was valid for the digest at the submission block (null: not checkable). */
  validAtSubmission: boolean | null;
  /** The same check at the audit block (a contract signer may have revoked it since). */
  validNow: boolean | null;
  deadlineMet: boolean | null;
  /** Why a check could not be made. */
  missing: string[];
};

async function signatureValid(
  client: PublicClient<Transport, Chain>,
  signer: Address,
  digest: Hex,
  signature: Hex,
  blockNumber: bigint,
): Promise<{ kind: "eoa" | "erc1271"; valid: boolean }> {
  // Like OpenZeppelin's SignatureChecker: an ECDSA signature of the signer first, then ERC-1271.
  try {
    if (isAddressEqual(await recoverAddress({ hash: digest, signature }), signer))
      return { kind: "eoa", valid: true };
  } catch {
    // not a 65-byte ECDSA signature
  }
  const code = await client.getCode({ address: signer, blockNumber });
  if (!code || code === "0x") return { kind: "eoa", valid: false };
  try {
    const magic = await client.readContract({
      address: signer,
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [digest, signature],
      blockNumber,
    });
    return { kind: "erc1271", valid: magic.toLowerCase() === ERC1271_MAGIC };
  } catch {
    return { kind: "erc1271", valid: false };
  }
}

export async function checkAttestation(
  client: PublicClient<Transport, Chain>,
  h: JobHistory,
): Promise<AttestationCheck> {
  const sub = h.submission;
  const signer = h.job.signer;
  const out: AttestationCheck = {
    signer,
    nonce: sub?.nonce ?? 0n,
    deadline: null,
    digest: null,
    signerKind: "unknown",
    signerAuthorised: false,
    validAtSubmission: null,
    validNow: null,
    deadlineMet: null,
    missing: [],
  };
  if (!sub) {
    out.missing.push("the JobSubmitted event (scan from an earlier --from-block)");
    return out;
  }
  const at = sub.blockNumber;
  out.signerAuthorised = await client.readContract({
    address: h.contracts.registry,
    abi: programRegistryAbi,
    functionName: "isProgramSigner",
    args: [h.job.programId, signer],
    blockNumber: at,
  });
  if (sub.calldata.kind !== "submitSignedJob") {
    out.missing.push("the signature (the job was not submitted by a direct submitSignedJob call)");
    return out;
  }
  const { deadline, signature } = sub.calldata;
  out.deadline = deadline;
  const blockTime = h.blockTimes.get(at);
  out.deadlineMet = blockTime === undefined ? null : blockTime <= deadline;
  out.digest = await client.readContract({
    address: h.contracts.verdict,
    abi: verdictAbi,
    functionName: "attestationDigest",
    args: [h.job.programId, sub.inputRoot, sub.requester, sub.fee, sub.nonce, deadline],
    blockNumber: at,
  });
  const then = await signatureValid(client, signer, out.digest, signature, at);
  out.signerKind = then.kind;
  out.validAtSubmission = then.valid;
  out.validNow = (await signatureValid(client, signer, out.digest, signature, h.blockNumber)).valid;
  return out;
}

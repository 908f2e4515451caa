// registerProgram: registers a program (root, entry, trace exponent D,
// manifest hash, optional data-source signers) with the ProgramRegistry and
// returns its id. Given an ELF it derives the root and entry itself.

import { type Address, type Hex, parseEventLogs, zeroHash } from "viem";
import { programRegistryAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { loadElf } from "../elf/loadElf.ts";
import { programRoot as computeProgramRoot } from "../machine/createMachine.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import { MissingEventError } from "./errors.ts";

export type RegisterProgramParameters = {
  registry: Address;
  /** The step verifier (machine version) the program runs on: the deployment's `verifier`. */
  verifier: Address;
  /** Trace exponent D: a job may run up to 2^D steps. */
  depth: number;
  /** The RV32IM ELF; or give `programRoot` and `entry` directly. */
  elf?: Uint8Array;
  programRoot?: Hex;
  entry?: number;
  /** keccak256 of the program's manifest (manifest/manifestHash.ts); default zero (no manifest). */
  manifestHash?: Hex;
  /** Data sources whose EIP-712 attestation every input must carry; none = unsigned inputs. */
  signers?: readonly Address[];
};

export type RegisterProgramReturnType = { programId: bigint; programRoot: Hex; entry: number; txHash: Hex };
export type RegisterProgramErrorType = ContractRevertError | MissingEventError | Error;

export async function registerProgram(
  clients: WriteClients,
  p: RegisterProgramParameters,
): Promise<RegisterProgramReturnType> {
  let root = p.programRoot;
  let entry = p.entry;
  if (p.elf) {
    const image = loadElf(p.elf);
    root = computeProgramRoot(image);
    entry = image.entry;
  }
  if (root === undefined || entry === undefined)
    throw new TypeError("registerProgram: give `elf` or both `programRoot` and `entry`");
  const receipt = await sendAndWait(clients, programRegistryAbi, "registerProgram", () =>
    clients.walletClient.writeContract({
      address: p.registry,
      abi: programRegistryAbi,
      functionName: "registerProgram",
      args: [root, entry, p.depth, p.manifestHash ?? zeroHash, p.signers ?? [], p.verifier],
      account: clients.walletClient.account,
      chain: chainOf(clients),
    }),
  );
  const [ev] = parseEventLogs({
    abi: programRegistryAbi,
    eventName: "ProgramRegistered",
    logs: receipt.logs,
  });
  if (!ev) throw new MissingEventError({ eventName: "ProgramRegistered", txHash: receipt.transactionHash });
  return { programId: ev.args.programId, programRoot: root, entry, txHash: receipt.transactionHash };
}

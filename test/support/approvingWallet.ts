// A minimal ERC-1271 contract signer for tests: its owner approves digests
// one by one (the way a multisig pre-approves a message) and can revoke every
// approval at once, so a data source that was valid when a job was admitted
// can stop being valid afterwards. Compiled here with solc-js, so the test
// needs no forge build.

import { createRequire } from "node:module";
import { waitForReceipt } from "@verdict/shared/src/chain/waitForReceipt.ts";
import type { Abi, Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract ApprovingWallet {
    address public immutable owner;
    bool public revoked;
    mapping(bytes32 => bool) public approved;
    constructor() { owner = msg.sender; }
    function approve(bytes32 digest) external { require(msg.sender == owner); approved[digest] = true; }
    function revoke() external { require(msg.sender == owner); revoked = true; }
    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return approved[digest] && !revoked ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}`;

export type ApprovingWallet = {
  address: Address;
  approve: (digest: Hex) => Promise<void>;
  revoke: () => Promise<void>;
};

export async function deployApprovingWallet(
  publicClient: PublicClient<Transport, Chain>,
  owner: WalletClient<Transport, Chain, Account>,
): Promise<ApprovingWallet> {
  const solc = createRequire(import.meta.url)("solc");
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "ApprovingWallet.sol": { content: SOURCE } },
        settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      }),
    ),
  );
  const c = out.contracts["ApprovingWallet.sol"].ApprovingWallet;
  const abi = c.abi as Abi;
  const hash = await owner.deployContract({ abi, bytecode: `0x${c.evm.bytecode.object}` });
  const r = await waitForReceipt(publicClient, { hash });
  const address = r.contractAddress as Address;
  const send = async (functionName: string, args: readonly unknown[]) => {
    const h = await owner.writeContract({ address, abi, functionName, args });
    const rr = await waitForReceipt(publicClient, { hash: h });
    if (rr.status !== "success") throw new Error(`${functionName} reverted`);
  };
  return { address, approve: (d) => send("approve", [d]), revoke: () => send("revoke", []) };
}

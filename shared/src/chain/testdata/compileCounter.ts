// Compiles the tiny contract the chain-layer tests send transactions to (a
// counter with a custom error and an event), with the solc-js of the root
// devDependencies, so these tests need no protocol build.

import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";

const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
error TooBig(uint256 value, uint256 max);
contract Counter {
  event Bumped(uint256 indexed by, uint256 value);
  uint256 public value;
  function bump(uint256 by) external payable {
    if (by > 100) revert TooBig(by, 100);
    value += by;
    emit Bumped(by, value);
  }
}`;

let cached: { abi: Abi; bytecode: Hex } | undefined;

export function compileCounter(): { abi: Abi; bytecode: Hex } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const solc = require("solc");
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "Counter.sol": { content: SOURCE } },
        settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      }),
    ),
  );
  const c = out.contracts["Counter.sol"].Counter;
  cached = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  return cached;
}

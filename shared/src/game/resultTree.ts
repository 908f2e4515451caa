// The result batch of a proposal (docs/spec.md §2.2): leaves (jobId,
// finalStateHash) hashed with the OpenZeppelin standard double keccak, in the
// order given, in a merkletreejs tree with sortPairs (what OpenZeppelin
// MerkleProof verifies; an odd node is promoted unchanged). Used by the
// proposer to propose and record, and by the challenger to open a game.

import { MerkleTree } from "merkletreejs";
import { encodeAbiParameters, type Hex, hexToBytes, keccak256 } from "viem";

export type ResultLeaf = { jobId: bigint; finalStateHash: Hex };

/** keccak256(bytes.concat(keccak256(abi.encode(jobId, finalStateHash)))) — `Verdict.leafHash`. */
export function leafHash(leaf: ResultLeaf): Hex {
  return keccak256(
    keccak256(
      encodeAbiParameters([{ type: "uint256" }, { type: "bytes32" }], [leaf.jobId, leaf.finalStateHash]),
    ),
  );
}

export type ResultTree = {
  root: Hex;
  leaves: readonly ResultLeaf[];
  /** Merkle proof of the leaf at `index` (indexes matter when leaves repeat). */
  proof: (index: number) => Hex[];
};

export function buildResultTree(leaves: readonly ResultLeaf[]): ResultTree {
  if (leaves.length === 0) throw new RangeError("a result batch needs at least one leaf");
  const hashes = leaves.map((l) => Buffer.from(hexToBytes(leafHash(l))));
  const tree = new MerkleTree(hashes, (b: Buffer) => Buffer.from(hexToBytes(keccak256(b))), {
    sortPairs: true,
  });
  return {
    root: tree.getHexRoot() as Hex,
    leaves,
    proof: (index) => tree.getHexProof(hashes[index], index) as Hex[],
  };
}

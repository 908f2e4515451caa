// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Reference sorted-pair Merkle tree (odd node promoted, like merkletreejs sortPairs) written
///         plainly in Solidity, to check the contract's assembly builder and to make proofs in tests.
library TestMerkle {
    function leafHash(uint256 _jobId, bytes32 _stateHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(_jobId, _stateHash))));
    }

    function hashPair(bytes32 _a, bytes32 _b) internal pure returns (bytes32) {
        return _a < _b ? keccak256(abi.encode(_a, _b)) : keccak256(abi.encode(_b, _a));
    }

    function nextLayer(bytes32[] memory _layer) internal pure returns (bytes32[] memory next_) {
        uint256 n = _layer.length;
        next_ = new bytes32[]((n + 1) / 2);
        for (uint256 i; i < n / 2; ++i) {
            next_[i] = hashPair(_layer[2 * i], _layer[2 * i + 1]);
        }
        if (n % 2 == 1) next_[n / 2] = _layer[n - 1];
    }

    function root(bytes32[] memory _leaves) internal pure returns (bytes32) {
        bytes32[] memory layer = _leaves;
        while (layer.length > 1) layer = nextLayer(layer);
        return layer[0];
    }

    function proof(bytes32[] memory _leaves, uint256 _index) internal pure returns (bytes32[] memory proof_) {
        bytes32[] memory buf = new bytes32[](64);
        uint256 len;
        bytes32[] memory layer = _leaves;
        uint256 idx = _index;
        while (layer.length > 1) {
            uint256 sib = idx ^ 1;
            if (sib < layer.length) buf[len++] = layer[sib];
            layer = nextLayer(layer);
            idx >>= 1;
        }
        proof_ = new bytes32[](len);
        for (uint256 i; i < len; ++i) {
            proof_[i] = buf[i];
        }
    }
}

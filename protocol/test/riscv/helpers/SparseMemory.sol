// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test-only model of the machine's memory tree (docs/spec.md §1.3–§1.4): a handful of nonzero
// leaves, the root over all 2^27 leaves, and single/pair proofs in the spec's encoding. Written
// independently of LibMemory (recursive, storage-backed, no assembly) so the two check each other.

contract SparseMemory {
    uint256 internal constant DEPTH = 27;
    uint256 internal constant LEAF_MASK = (1 << 27) - 1;

    bytes32[28] internal zeros;
    uint256[] internal indices;
    mapping(uint256 => bytes32) internal leaves;
    mapping(uint256 => bool) internal known;

    constructor() {
        for (uint256 h = 1; h <= DEPTH; h++) {
            zeros[h] = keccak256(abi.encodePacked(zeros[h - 1], zeros[h - 1]));
        }
    }

    function zero(uint256 _h) external view returns (bytes32) {
        return zeros[_h];
    }

    function setLeaf(uint256 _idx, bytes32 _value) public {
        _idx &= LEAF_MASK;
        if (!known[_idx]) {
            known[_idx] = true;
            indices.push(_idx);
        }
        leaves[_idx] = _value;
    }

    function leaf(uint256 _idx) public view returns (bytes32) {
        return leaves[_idx & LEAF_MASK];
    }

    function storeByte(uint32 _addr, uint8 _value) public {
        uint256 idx = uint256(_addr) >> 5;
        uint256 shift = 8 * (31 - (uint256(_addr) & 31));
        uint256 w = uint256(leaves[idx]);
        w = (w & ~(uint256(0xff) << shift)) | (uint256(_value) << shift);
        setLeaf(idx, bytes32(w));
    }

    function loadByte(uint32 _addr) public view returns (uint8) {
        uint256 shift = 8 * (31 - (uint256(_addr) & 31));
        return uint8(uint256(leaves[uint256(_addr) >> 5]) >> shift);
    }

    /// @notice Little-endian store of the low `_size` bytes of `_value`, wrapping at 2^32.
    function store(uint32 _addr, uint256 _size, uint256 _value) public {
        for (uint256 k = 0; k < _size; k++) {
            storeByte(uint32((uint256(_addr) + k) & 0xffffffff), uint8(_value >> (8 * k)));
        }
    }

    function load(uint32 _addr, uint256 _size) public view returns (uint256 value_) {
        for (uint256 k = 0; k < _size; k++) {
            value_ |= uint256(loadByte(uint32((uint256(_addr) + k) & 0xffffffff))) << (8 * k);
        }
    }

    function storeBytes(uint32 _addr, bytes memory _data) public {
        for (uint256 k = 0; k < _data.length; k++) {
            storeByte(uint32((uint256(_addr) + k) & 0xffffffff), uint8(_data[k]));
        }
    }

    /// @notice Node at height `_h`, index `_i`.
    function node(uint256 _h, uint256 _i) public view returns (bytes32) {
        uint256 lo = _i << _h;
        uint256 hi = (_i + 1) << _h;
        bool any;
        for (uint256 k = 0; k < indices.length; k++) {
            if (indices[k] >= lo && indices[k] < hi) {
                any = true;
                break;
            }
        }
        if (!any) return zeros[_h];
        if (_h == 0) return leaves[_i];
        return keccak256(abi.encodePacked(node(_h - 1, 2 * _i), node(_h - 1, 2 * _i + 1)));
    }

    function root() external view returns (bytes32) {
        return node(DEPTH, 0);
    }

    function singleProof(uint256 _idx) public view returns (bytes memory proof_) {
        _idx &= LEAF_MASK;
        uint32 mask;
        bytes memory sibs;
        for (uint256 h = 0; h < DEPTH; h++) {
            bytes32 sib = node(h, (_idx >> h) ^ 1);
            if (sib != zeros[h]) {
                mask |= uint32(1 << h);
                sibs = bytes.concat(sibs, sib);
            }
        }
        proof_ = abi.encodePacked(leaves[_idx], mask, sibs);
    }

    function pairProof(uint256 _idxA) public view returns (bytes memory proof_) {
        _idxA &= LEAF_MASK;
        uint256 idxB = (_idxA + 1) & LEAF_MASK;
        uint256 m = 0;
        while ((_idxA ^ idxB) >> m != 0) m++;
        uint32 maskA;
        bytes memory sibsA;
        for (uint256 h = 0; h < DEPTH; h++) {
            if (h == m - 1) continue;
            bytes32 sib = node(h, (_idxA >> h) ^ 1);
            if (sib != zeros[h]) {
                maskA |= uint32(1 << h);
                sibsA = bytes.concat(sibsA, sib);
            }
        }
        uint32 maskB;
        bytes memory sibsB;
        for (uint256 h = 0; h + 1 < m; h++) {
            bytes32 sib = node(h, (idxB >> h) ^ 1);
            if (sib != zeros[h]) {
                maskB |= uint32(1 << h);
                sibsB = bytes.concat(sibsB, sib);
            }
        }
        proof_ = abi.encodePacked(leaves[_idxA], leaves[idxB], maskA, sibsA, maskB, sibsB);
    }

    /// @notice The data proof the verifier expects for a `_size`-byte access at `_addr`.
    function accessProof(uint32 _addr, uint256 _size) external view returns (bytes memory) {
        if ((uint256(_addr) & 31) + _size <= 32) return singleProof(uint256(_addr) >> 5);
        return pairProof(uint256(_addr) >> 5);
    }
}

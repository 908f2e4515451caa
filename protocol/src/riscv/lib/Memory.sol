// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProofTruncated, InvalidProofMask, MemoryRootMismatch, InputTooLarge} from "./Errors.sol";

/// @notice Memory pointer to the zero hashes Z0..Z26 of the memory tree (docs/spec.md §1.3),
///         one 32-byte word per height.
type ZeroHashTable is uint256;

/// @title LibMemory
/// @notice Memory proofs of the RV32IM machine (docs/spec.md §1.3–§1.4): opening one leaf (single
///         proof) or two neighbouring leaves (pair proof) against a memory root, reading the
///         little-endian value they hold, and recomputing the root after a store from the same
///         siblings.
/// @dev Proofs are read straight from calldata with a cursor (`_cur`, an absolute calldata
///      offset) that must stay at or below `_end`; nodes are hashed in scratch space (0x00–0x3f),
///      so the hot path allocates only the zero-hash table (and a pair proof's 8-word header).
library LibMemory {
    /// @notice Height of the memory tree: 2^27 leaves of 32 bytes cover 2^32 bytes.
    uint256 internal constant TREE_DEPTH = 27;
    /// @notice Leaf indices are taken modulo 2^27 (the pair after leaf 2^27 − 1 is leaf 0).
    uint256 internal constant LEAF_INDEX_MASK = (1 << 27) - 1;
    /// @notice Z25: the root of an empty input or output region.
    bytes32 internal constant Z25 = 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d;

    /// @notice Largest input: the input region (2^30 bytes) less its 32-byte header.
    uint256 internal constant INPUT_CAPACITY = (1 << 30) - 32;

    /// @dev Bytes of a single proof before its siblings: leaf (32) and mask (4).
    uint256 private constant SINGLE_HEAD = 36;
    /// @dev Bytes of a pair proof before sibsA: leafA (32), leafB (32) and maskA (4).
    uint256 private constant PAIR_HEAD = 68;

    /// @notice Writes Z0..Z26 to fresh memory. Embedded rather than recomputed: 26 keccaks per
    ///         call would cost more than the 27 stores.
    function zeroHashes() internal pure returns (ZeroHashTable z_) {
        assembly ("memory-safe") {
            z_ := mload(0x40)
            mstore(0x40, add(z_, 864))
            mstore(z_, 0)
            mstore(add(z_, 32), 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5)
            mstore(add(z_, 64), 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30)
            mstore(add(z_, 96), 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85)
            mstore(add(z_, 128), 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344)
            mstore(add(z_, 160), 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d)
            mstore(add(z_, 192), 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968)
            mstore(add(z_, 224), 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83)
            mstore(add(z_, 256), 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af)
            mstore(add(z_, 288), 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0)
            mstore(add(z_, 320), 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5)
            mstore(add(z_, 352), 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892)
            mstore(add(z_, 384), 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c)
            mstore(add(z_, 416), 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb)
            mstore(add(z_, 448), 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc)
            mstore(add(z_, 480), 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2)
            mstore(add(z_, 512), 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f)
            mstore(add(z_, 544), 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a)
            mstore(add(z_, 576), 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0)
            mstore(add(z_, 608), 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0)
            mstore(add(z_, 640), 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2)
            mstore(add(z_, 672), 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9)
            mstore(add(z_, 704), 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377)
            mstore(add(z_, 736), 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652)
            mstore(add(z_, 768), 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef)
            mstore(add(z_, 800), 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d)
            mstore(add(z_, 832), 0xb8cd74046ff337f0a7bf2c8e03e10f642c1886798d71806ab1e888d9e5ee87d0)
        }
    }

    /// @notice H(a, b) = keccak256(a ‖ b), the node hash of the memory tree.
    function hashPair(bytes32 _a, bytes32 _b) internal pure returns (bytes32 node_) {
        assembly {
            mstore(0x00, _a)
            mstore(0x20, _b)
            node_ := keccak256(0x00, 0x40)
        }
    }

    /// @notice The input root (§1.3): the height-25 root of le64(length) ‖ 0^24 ‖ `_input`, zero
    ///         padded. Hashes level by level in place over ceil(length / 32) + 1 leaves; the
    ///         missing right neighbour at height h is Zh.
    function inputRoot(ZeroHashTable _z, bytes calldata _input) internal pure returns (bytes32 root_) {
        uint256 n = _input.length;
        // INVARIANT: header and payload fit the 2^30-byte input region.
        if (n > INPUT_CAPACITY) revert InputTooLarge();
        assembly ("memory-safe") {
            let count := add(1, shr(5, add(n, 31)))
            let base := mload(0x40)
            mstore(0x40, add(base, shl(5, count)))
            // Header leaf: the length as 8 little-endian bytes, then zeros.
            mstore(base, 0)
            for { let k := 0 } lt(k, 8) { k := add(k, 1) } { mstore8(add(base, k), shr(shl(3, k), n)) }
            // The last payload leaf is zeroed first so that calldatacopy leaves zero padding.
            mstore(add(base, shl(5, sub(count, 1))), 0)
            calldatacopy(add(base, 32), _input.offset, n)
            for { let h := 0 } lt(h, 25) { h := add(h, 1) } {
                let pairs := shr(1, count)
                for { let k := 0 } lt(k, pairs) { k := add(k, 1) } {
                    mstore(add(base, shl(5, k)), keccak256(add(base, shl(6, k)), 0x40))
                }
                if and(count, 1) {
                    // Odd node out: its right sibling is an empty subtree.
                    mstore(0x00, mload(add(base, shl(6, pairs))))
                    mstore(0x20, mload(add(_z, shl(5, h))))
                    mstore(add(base, shl(5, pairs)), keccak256(0x00, 0x40))
                }
                count := add(pairs, and(count, 1))
            }
            root_ := mload(base)
        }
    }

    /// @notice Opens the `_size`-byte little-endian value at `_addr` (wrapping modulo 2^32) with the
    ///         memory proof at `_cur`: a single proof if the bytes lie in one leaf, else a pair proof.
    /// @param _size 1, 2 or 4.
    /// @return value_ The zero-extended value.
    /// @return next_ The cursor after the proof.
    function load(ZeroHashTable _z, uint256 _cur, uint256 _end, bytes32 _root, uint256 _addr, uint256 _size)
        internal
        pure
        returns (uint256 value_, uint256 next_)
    {
        uint256 off = _addr & 31;
        bytes32 leafA;
        bytes32 leafB;
        if (off + _size <= 32) {
            (leafA, next_) = readSingle(_z, _cur, _end, _addr >> 5, _root);
        } else {
            (leafA, leafB, next_) = readPair(_z, _cur, _end, _addr >> 5, _root);
        }
        assembly {
            // The two leaves side by side are the 64 bytes of memory from the first leaf's start.
            mstore(0x00, leafA)
            mstore(0x20, leafB)
            let be := shr(224, mload(off))
            value_ := and(bswap32(be), sub(shl(shl(3, _size), 1), 1))

            function bswap32(x) -> y {
                y := or(
                    or(shl(24, and(x, 0xff)), shl(8, and(x, 0xff00))),
                    or(and(shr(8, x), 0xff00), shr(24, x))
                )
            }
        }
    }

    /// @notice Stores the low `_size` bytes of `_value` little-endian at `_addr` (wrapping modulo
    ///         2^32), after opening the touched leaf or leaves with the proof at `_cur`.
    /// @return newRoot_ The memory root after the store.
    /// @return next_ The cursor after the proof.
    function store(
        ZeroHashTable _z,
        uint256 _cur,
        uint256 _end,
        bytes32 _root,
        uint256 _addr,
        uint256 _size,
        uint256 _value
    ) internal pure returns (bytes32 newRoot_, uint256 next_) {
        uint256 off = _addr & 31;
        if (off + _size <= 32) {
            bytes32 leaf;
            assembly {
                leaf := calldataload(_cur)
            }
            (bytes32 newLeaf,) = _merge(leaf, 0, off, _size, _value);
            (newRoot_, next_) = writeSingle(_z, _cur, _end, _addr >> 5, _root, newLeaf);
        } else {
            bytes32 leafA;
            bytes32 leafB;
            assembly {
                leafA := calldataload(_cur)
                leafB := calldataload(add(_cur, 32))
            }
            (bytes32 newA, bytes32 newB) = _merge(leafA, leafB, off, _size, _value);
            (newRoot_, next_) = writePair(_z, _cur, _end, _addr >> 5, _root, newA, newB);
        }
    }

    /// @notice Opens leaf `_idx` with the single proof at `_cur` against `_root`.
    function readSingle(ZeroHashTable _z, uint256 _cur, uint256 _end, uint256 _idx, bytes32 _root)
        internal
        pure
        returns (bytes32 leaf_, uint256 next_)
    {
        uint256 mask;
        (leaf_, mask, next_) = _singleHead(_cur, _end);
        (bytes32 root,) = _walk(_z, _cur + SINGLE_HEAD, mask, _idx, leaf_, 0, TREE_DEPTH);
        // INVARIANT: memory is only what the pre-state's root commits to.
        if (root != _root) revert MemoryRootMismatch();
    }

    /// @notice Opens leaf `_idx` with the single proof at `_cur` against `_root` and returns the root
    ///         with that leaf replaced by `_newLeaf`.
    function writeSingle(
        ZeroHashTable _z,
        uint256 _cur,
        uint256 _end,
        uint256 _idx,
        bytes32 _root,
        bytes32 _newLeaf
    ) internal pure returns (bytes32 newRoot_, uint256 next_) {
        bytes32 leaf;
        uint256 mask;
        (leaf, mask, next_) = _singleHead(_cur, _end);
        bytes32 root;
        (root, newRoot_,) = _walk2(_z, _cur + SINGLE_HEAD, mask, _idx, leaf, _newLeaf, 0, TREE_DEPTH);
        // INVARIANT: memory is only what the pre-state's root commits to.
        if (root != _root) revert MemoryRootMismatch();
    }

    /// @notice Opens leaves `_idxA` and `_idxA + 1` (mod 2^27) with the pair proof at `_cur`.
    function readPair(ZeroHashTable _z, uint256 _cur, uint256 _end, uint256 _idxA, bytes32 _root)
        internal
        pure
        returns (bytes32 leafA_, bytes32 leafB_, uint256 next_)
    {
        PairHead memory h = _pairHead(_cur, _end, _idxA);
        leafA_ = h.leafA;
        leafB_ = h.leafB;
        next_ = h.next;
        (bytes32 nodeA, uint256 pA) = _walk(_z, _cur + PAIR_HEAD, h.maskA, _idxA, leafA_, 0, h.meet);
        (bytes32 nodeB,) = _walk(_z, h.sibsB, h.maskB, h.idxB, leafB_, 0, h.meet);
        bytes32 root = _join(nodeA, nodeB, _idxA, h.meet);
        (root,) = _walk(_z, pA, h.maskA, _idxA, root, h.meet + 1, TREE_DEPTH);
        // INVARIANT: memory is only what the pre-state's root commits to.
        if (root != _root) revert MemoryRootMismatch();
    }

    /// @notice Opens leaves `_idxA` and `_idxA + 1` (mod 2^27) with the pair proof at `_cur` and
    ///         returns the root with them replaced by `_newA` and `_newB`, in one walk.
    function writePair(
        ZeroHashTable _z,
        uint256 _cur,
        uint256 _end,
        uint256 _idxA,
        bytes32 _root,
        bytes32 _newA,
        bytes32 _newB
    ) internal pure returns (bytes32 newRoot_, uint256 next_) {
        PairHead memory h = _pairHead(_cur, _end, _idxA);
        next_ = h.next;
        // The struct's leaf fields carry the old path nodes upward: few enough stack slots.
        uint256 pA;
        (h.leafA, _newA, pA) = _walk2(_z, _cur + PAIR_HEAD, h.maskA, _idxA, h.leafA, _newA, 0, h.meet);
        (h.leafB, _newB,) = _walk2(_z, h.sibsB, h.maskB, h.idxB, h.leafB, _newB, 0, h.meet);
        h.leafA = _join(h.leafA, h.leafB, _idxA, h.meet);
        _newA = _join(_newA, _newB, _idxA, h.meet);
        (h.leafA, newRoot_,) = _walk2(_z, pA, h.maskA, _idxA, h.leafA, _newA, h.meet + 1, TREE_DEPTH);
        // INVARIANT: memory is only what the pre-state's root commits to.
        if (h.leafA != _root) revert MemoryRootMismatch();
    }

    /// @dev The decoded fixed part of a pair proof.
    struct PairHead {
        bytes32 leafA;
        bytes32 leafB;
        uint256 maskA;
        uint256 maskB;
        /// @dev idxA + 1 mod 2^27.
        uint256 idxB;
        /// @dev m − 1: the height at which each path's node is the other's sibling.
        uint256 meet;
        /// @dev Calldata offset of sibsB.
        uint256 sibsB;
        /// @dev Calldata offset after the proof.
        uint256 next;
    }

    function _singleHead(uint256 _cur, uint256 _end)
        private
        pure
        returns (bytes32 leaf_, uint256 mask_, uint256 next_)
    {
        // INVARIANT: the leaf and the mask are inside the proof.
        if (_cur + SINGLE_HEAD > _end) revert ProofTruncated();
        assembly {
            leaf_ := calldataload(_cur)
            mask_ := shr(224, calldataload(add(_cur, 32)))
        }
        // INVARIANT: a single proof has siblings at heights 0..26 only.
        if (mask_ >> TREE_DEPTH != 0) revert InvalidProofMask();
        next_ = _cur + SINGLE_HEAD + (_popcount(mask_) << 5);
        // INVARIANT: every sibling the mask announces is inside the proof.
        if (next_ > _end) revert ProofTruncated();
    }

    function _pairHead(uint256 _cur, uint256 _end, uint256 _idxA) private pure returns (PairHead memory h_) {
        // INVARIANT: both leaves and maskA are inside the proof.
        if (_cur + PAIR_HEAD > _end) revert ProofTruncated();
        uint256 maskA;
        uint256 idxB = (_idxA + 1) & LEAF_INDEX_MASK;
        uint256 meet;
        assembly {
            mstore(h_, calldataload(_cur))
            mstore(add(h_, 0x20), calldataload(add(_cur, 32)))
            maskA := shr(224, calldataload(add(_cur, 64)))
            // idxA xor idxB = 2^m − 1; meet = m − 1 = floor(log2(idxA xor idxB)).
            let x := xor(_idxA, idxB)
            meet := shl(4, lt(0xffff, x))
            meet := or(meet, shl(3, lt(0xff, shr(meet, x))))
            meet := or(meet, shl(2, lt(0xf, shr(meet, x))))
            meet := or(meet, shl(1, lt(0x3, shr(meet, x))))
            meet := or(meet, lt(0x1, shr(meet, x)))
        }
        // INVARIANT: sibsA has no sibling above height 26, and none at the meeting height (there
        // the sibling is the other leaf's path node).
        if ((maskA >> TREE_DEPTH) != 0 || (maskA >> meet) & 1 != 0) revert InvalidProofMask();
        uint256 maskBAt = _cur + PAIR_HEAD + (_popcount(maskA) << 5);
        // INVARIANT: sibsA and maskB are inside the proof.
        if (maskBAt + 4 > _end) revert ProofTruncated();
        uint256 maskB;
        assembly {
            maskB := shr(224, calldataload(maskBAt))
        }
        // INVARIANT: sibsB covers only the heights below the meeting height.
        if (maskB >> meet != 0) revert InvalidProofMask();
        h_.maskA = maskA;
        h_.maskB = maskB;
        h_.idxB = idxB;
        h_.meet = meet;
        h_.sibsB = maskBAt + 4;
        h_.next = maskBAt + 4 + (_popcount(maskB) << 5);
        // INVARIANT: every sibling maskB announces is inside the proof.
        if (h_.next > _end) revert ProofTruncated();
    }

    /// @dev Hashes `_node` (index `_idx` at height 0) up from height `_from` to `_to`, taking the
    ///      sibling at height h from calldata at `_p` when bit h of `_mask` is set, else Zh.
    function _walk(
        ZeroHashTable _z,
        uint256 _p,
        uint256 _mask,
        uint256 _idx,
        bytes32 _node,
        uint256 _from,
        uint256 _to
    ) private pure returns (bytes32 node_, uint256 p_) {
        assembly {
            for { let h := _from } lt(h, _to) { h := add(h, 1) } {
                let sib := mload(add(_z, shl(5, h)))
                if and(shr(h, _mask), 1) {
                    sib := calldataload(_p)
                    _p := add(_p, 32)
                }
                // The node goes left when bit h of its index is 0.
                let b := shl(5, and(shr(h, _idx), 1))
                mstore(b, _node)
                mstore(xor(b, 0x20), sib)
                _node := keccak256(0x00, 0x40)
            }
            node_ := _node
            p_ := _p
        }
    }

    /// @dev `_walk` for two versions of the same leaf (before and after a store): same siblings.
    function _walk2(
        ZeroHashTable _z,
        uint256 _p,
        uint256 _mask,
        uint256 _idx,
        bytes32 _old,
        bytes32 _new,
        uint256 _from,
        uint256 _to
    ) private pure returns (bytes32 old_, bytes32 new_, uint256 p_) {
        assembly {
            for { let h := _from } lt(h, _to) { h := add(h, 1) } {
                let sib := mload(add(_z, shl(5, h)))
                if and(shr(h, _mask), 1) {
                    sib := calldataload(_p)
                    _p := add(_p, 32)
                }
                let b := shl(5, and(shr(h, _idx), 1))
                mstore(xor(b, 0x20), sib)
                mstore(b, _old)
                _old := keccak256(0x00, 0x40)
                mstore(b, _new)
                _new := keccak256(0x00, 0x40)
            }
            old_ := _old
            new_ := _new
            p_ := _p
        }
    }

    /// @dev The node at height meet + 1 above the two paths' nodes at height `_meet`.
    function _join(bytes32 _nodeA, bytes32 _nodeB, uint256 _idxA, uint256 _meet)
        private
        pure
        returns (bytes32 node_)
    {
        assembly {
            let b := shl(5, and(shr(_meet, _idxA), 1))
            mstore(b, _nodeA)
            mstore(xor(b, 0x20), _nodeB)
            node_ := keccak256(0x00, 0x40)
        }
    }

    /// @dev Writes the low `_size` bytes of `_value` little-endian at byte `_off` of the 64 bytes
    ///      `_leafA ‖ _leafB` and returns both leaves.
    function _merge(bytes32 _leafA, bytes32 _leafB, uint256 _off, uint256 _size, uint256 _value)
        private
        pure
        returns (bytes32 leafA_, bytes32 leafB_)
    {
        assembly {
            mstore(0x00, _leafA)
            mstore(0x20, _leafB)
            let v := and(_value, 0xffffffff)
            // Little-endian bytes v0 v1 v2 v3 as the top of a big-endian word.
            let be :=
                shl(
                    224,
                    or(
                        or(shl(24, and(v, 0xff)), shl(8, and(v, 0xff00))),
                        or(and(shr(8, v), 0xff00), shr(24, v))
                    )
                )
            let top := not(shr(shl(3, _size), not(0)))
            mstore(_off, or(and(mload(_off), not(top)), and(be, top)))
            leafA_ := mload(0x00)
            leafB_ := mload(0x20)
        }
    }

    /// @dev Number of set bits of a 32-bit value.
    function _popcount(uint256 _x) private pure returns (uint256 n_) {
        assembly {
            let x := sub(_x, and(shr(1, _x), 0x55555555))
            x := add(and(x, 0x33333333), and(shr(2, x), 0x33333333))
            x := and(add(x, shr(4, x)), 0x0f0f0f0f)
            n_ := shr(24, and(mul(x, 0x01010101), 0xffffffff))
        }
    }
}

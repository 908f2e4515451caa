// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Differential test of the two position libraries (issue 14, item 4). The TypeScript side
// (shared/src/game/position.ts and ancestryOf.ts, through shared/src/vectors/positionVectors.ts)
// wrote what it computes for 400 random nodes of random games (D in 1..48, k in 2..64) into
// protocol/test/vectors/position-v1.bin; this replays every vector through `LibPosition` and the
// real DisputeGame's `_parentOf` and `_segmentHashes`. The mocha test beside the generator fails
// when the TS side no longer produces the committed bytes, so a change on either side is caught.

import {Test} from "forge-std/Test.sol";
import {LibPosition, Position} from "../../src/lib/Types.sol";
import {PositionHarness} from "../utils/PositionHarness.sol";

contract LibPosition_Differential_Test is Test {
    /// @dev Field order and types match VECTOR_ABI in shared/src/vectors/positionVectors.ts.
    struct PositionVector {
        uint8 depth;
        uint8 log2K;
        uint64 position;
        uint64 start;
        uint8 log2Len;
        uint64 end;
        uint64[] path;
        uint256[] indices;
        bool[] deciding;
        uint64[][] interiors;
        uint256 childIndex;
        uint8 childParts;
        uint64 child;
    }

    PositionHarness[7] internal games;

    function setUp() public {
        for (uint256 j = 1; j <= 6; j++) {
            games[j] = new PositionHarness(uint256(1) << j);
        }
    }

    function _vectors() internal view returns (PositionVector[] memory) {
        bytes memory data =
            vm.readFileBinary(string.concat(vm.projectRoot(), "/protocol/test/vectors/position-v1.bin"));
        return abi.decode(data, (PositionVector[]));
    }

    /// @dev The proposer's hash at trace position `_t` in every harness game.
    function _h(uint256 _t) internal pure returns (bytes32) {
        return keccak256(abi.encode(_t));
    }

    function _hashes(uint64[] memory _ts) internal pure returns (bytes32[] memory out_) {
        out_ = new bytes32[](_ts.length);
        for (uint256 i; i < _ts.length; i++) {
            out_[i] = _h(_ts[i]);
        }
    }

    function test_position_matchesTypeScriptVectors() public {
        PositionVector[] memory vs = _vectors();
        assertEq(vs.length, 400, "vector count");
        for (uint256 i; i < vs.length; i++) {
            _check(i, vs[i]);
        }
    }

    function _check(uint256 _gameId, PositionVector memory _v) internal {
        Position p = Position.wrap(_v.position);
        // Packing and accessors.
        assertEq(Position.unwrap(LibPosition.wrap(_v.start, _v.log2Len)), _v.position, "wrap");
        assertEq(p.start(), _v.start, "start");
        assertEq(p.log2Len(), _v.log2Len, "log2Len");
        assertEq(p.end(), _v.end, "end");
        // A random child query.
        if (_v.childParts != 0) {
            assertEq(Position.unwrap(p.child(_v.childIndex, _v.childParts)), _v.child, "child");
        }
        PositionHarness game = games[_v.log2K];
        game.setGame(_gameId, _v.depth);
        uint256 levels = _v.path.length;
        assertEq(levels == 0, _v.log2Len == _v.depth, "root iff the path is empty");
        // The path: each step's parent (DisputeGame._parentOf) and child (LibPosition.child).
        for (uint256 l; l < levels; l++) {
            Position parent = Position.wrap(_v.path[l]);
            uint64 node = l + 1 < levels ? _v.path[l + 1] : _v.position;
            assertEq(game.parentOf(_gameId, node), _v.path[l], "parentOf");
            uint8 parts = parent.log2Len() < _v.log2K ? parent.log2Len() : _v.log2K;
            assertEq(Position.unwrap(parent.child(_v.indices[l], parts)), node, "child of parent");
        }
        // The step's ancestry as ancestryOf builds it: only the levels TS says decide the start and
        // the end carry their interior (at the trace positions TS computes), the others are empty.
        // Only those commitments exist, so the contract must read exactly those levels.
        bytes32[][] memory ancestry = new bytes32[][](levels);
        for (uint256 l; l < levels; l++) {
            if (!_v.deciding[l]) continue;
            assertEq(
                _v.interiors[l].length,
                (uint256(1) << (_v.path[l] & 0xff < _v.log2K ? _v.path[l] & 0xff : _v.log2K)) - 1,
                "interior length"
            );
            ancestry[l] = _hashes(_v.interiors[l]);
            game.setInterior(_gameId, _v.path[l], ancestry[l]);
        }
        (bytes32 s, bytes32 e) = game.segmentHashes(_gameId, _v.position, ancestry);
        assertEq(s, _h(_v.start), "segment start hash");
        assertEq(e, _h(_v.end), "segment end hash");
    }
}

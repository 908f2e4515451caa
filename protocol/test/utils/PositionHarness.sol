// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Exposes DisputeGame's position arithmetic (`_parentOf`, `_segmentHashes`) to the differential
// position test (protocol/test/lib/LibPosition.t.sol). It inherits the real contract, so the code
// under test is the deployed code, not a copy.

import {DisputeGame} from "../../src/DisputeGame.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {Game, Position} from "../../src/lib/Types.sol";

/// @notice What `_rootStart` asks Verdict: T(0) is the hash of trace position 0 (`traceHash(0)`).
contract JobStartStub {
    function jobStart(uint256) external pure returns (bytes32 startHash_, address verifier_, uint8 depth_) {
        startHash_ = keccak256(abi.encode(uint256(0)));
        (verifier_, depth_) = (address(0), 0);
    }
}

contract PositionHarness is DisputeGame {
    constructor(uint256 _k) DisputeGame(IVerdict(address(new JobStartStub())), _k) {}

    /// @notice A game of depth `_depth` whose proposer's hash at trace position t is keccak(t).
    function setGame(uint256 _gameId, uint8 _depth) external {
        Game storage g = _games[_gameId];
        g.depth = _depth;
        g.endHash = keccak256(abi.encode(uint256(1) << _depth));
    }

    /// @notice Stores the dissection commitment of the node at `_position`.
    function setInterior(uint256 _gameId, uint64 _position, bytes32[] calldata _interior) external {
        _commits[_gameId][_position] = _commit(_interior);
    }

    function parentOf(uint256 _gameId, uint64 _position) external view returns (uint64) {
        return _parentOf(_games[_gameId], Position.wrap(_position));
    }

    function segmentHashes(uint256 _gameId, uint64 _position, bytes32[][] calldata _ancestry)
        external
        view
        returns (bytes32 start_, bytes32 end_)
    {
        return _segmentHashes(_gameId, _games[_gameId], _position, _ancestry);
    }
}

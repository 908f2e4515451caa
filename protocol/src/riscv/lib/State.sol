// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InvalidStateLength, InvalidStatus, InvalidExitCode, StepCounterOverflow} from "./Errors.sol";

/// @notice Memory pointer to a packed machine state (docs/spec.md §1.1) being edited in place.
/// @dev Layout (173 bytes, big-endian integers), followed by 51 bytes of slack so that every
///      field can be rewritten with one 32-byte read-modify-write:
///
///      | offset | size | field                         |
///      |--------|------|-------------------------------|
///      | 0      | 32   | memRoot                       |
///      | 32     | 4    | pc                            |
///      | 36     | 124  | x1..x31 (xi at 32 + 4·i)      |
///      | 160    | 8    | step                          |
///      | 168    | 1    | status                        |
///      | 169    | 4    | exitCode                      |
type PackedState is uint256;

using LibState for PackedState global;

/// @title LibState
/// @notice Decoding, editing and hashing of the packed RV32IM state. Registers are edited in the
///         packed copy itself: an instruction writes at most one register, so unpacking all 31
///         and repacking them would cost more than the one read-modify-write it needs.
library LibState {
    /// @notice Bytes of the packed state encoding.
    uint256 internal constant SIZE = 173;
    /// @dev Bytes reserved in memory for one packed state (SIZE plus RMW slack, whole words).
    uint256 internal constant ALLOC = 224;

    uint256 internal constant RUNNING = 0;
    uint256 internal constant EXITED = 1;
    uint256 internal constant TRAPPED = 2;

    uint256 internal constant OFFSET_PC = 32;
    uint256 internal constant OFFSET_STEP = 160;
    uint256 internal constant OFFSET_STATUS = 168;
    uint256 internal constant OFFSET_EXIT_CODE = 169;

    /// @dev Clears the top 4 bytes of a word (a uint32 field at the word's start).
    uint256 internal constant KEEP_BELOW_U32 = (1 << 224) - 1;
    /// @dev Clears the top 8 bytes of a word (the uint64 step field).
    uint256 internal constant KEEP_BELOW_U64 = (1 << 192) - 1;

    /// @notice Checks the length, status and exit code of packed state data and copies it to memory.
    function fromCalldata(bytes calldata _data) internal pure returns (PackedState s_) {
        // INVARIANT: only the 173-byte encoding is a state (§1.1).
        if (_data.length != SIZE) revert InvalidStateLength();
        uint256 statusByte;
        uint256 code;
        assembly ("memory-safe") {
            s_ := mload(0x40)
            mstore(0x40, add(s_, ALLOC))
            calldatacopy(s_, _data.offset, SIZE)
            statusByte := byte(0, mload(add(s_, OFFSET_STATUS)))
            code := shr(224, mload(add(s_, OFFSET_EXIT_CODE)))
        }
        // INVARIANT: status is RUNNING, EXITED or TRAPPED; any other byte is not a state.
        if (statusByte > TRAPPED) revert InvalidStatus();
        // INVARIANT: only an EXITED state carries an exit code; no step ever writes one otherwise,
        // so a RUNNING or TRAPPED state with a nonzero code is unreachable and is not a state.
        if (code != 0 && statusByte != EXITED) revert InvalidExitCode();
    }

    /// @notice Hash of a job's initial state (§1.7): `_memRoot`, pc = `_entry`, everything else 0.
    function initialHash(bytes32 _memRoot, uint256 _entry) internal pure returns (bytes32 hash_) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, _memRoot)
            mstore(add(p, 32), shl(224, _entry))
            mstore(add(p, 64), 0)
            mstore(add(p, 96), 0)
            mstore(add(p, 128), 0)
            mstore(add(p, 160), 0)
            hash_ := keccak256(p, SIZE)
        }
    }

    /// @notice keccak256 of the packed state in memory: the state hash.
    function hash(PackedState _s) internal pure returns (bytes32 hash_) {
        assembly {
            hash_ := keccak256(_s, SIZE)
        }
    }

    function memRoot(PackedState _s) internal pure returns (bytes32 root_) {
        assembly {
            root_ := mload(_s)
        }
    }

    function setMemRoot(PackedState _s, bytes32 _root) internal pure {
        assembly {
            mstore(_s, _root)
        }
    }

    function pc(PackedState _s) internal pure returns (uint256 pc_) {
        assembly {
            pc_ := shr(224, mload(add(_s, OFFSET_PC)))
        }
    }

    /// @param _pc New program counter; must already be reduced modulo 2^32.
    function setPc(PackedState _s, uint256 _pc) internal pure {
        assembly {
            let p := add(_s, OFFSET_PC)
            mstore(p, or(and(mload(p), KEEP_BELOW_U32), shl(224, _pc)))
        }
    }

    /// @notice Register `_i` (0..31); x0 reads 0.
    function reg(PackedState _s, uint256 _i) internal pure returns (uint256 value_) {
        assembly {
            // x0 would land on pc's slot: multiply it away instead of branching.
            value_ := mul(shr(224, mload(add(add(_s, 32), shl(2, _i)))), iszero(iszero(_i)))
        }
    }

    /// @notice Writes register `_i` (0..31); a write to x0 is discarded.
    /// @param _value New value; must already be reduced modulo 2^32.
    function setReg(PackedState _s, uint256 _i, uint256 _value) internal pure {
        assembly {
            if _i {
                let p := add(add(_s, 32), shl(2, _i))
                mstore(p, or(and(mload(p), KEEP_BELOW_U32), shl(224, _value)))
            }
        }
    }

    function step(PackedState _s) internal pure returns (uint256 step_) {
        assembly {
            step_ := shr(192, mload(add(_s, OFFSET_STEP)))
        }
    }

    /// @notice step += 1. The counter never wraps: a state at 2^64 − 1 has no next step (§1.1;
    ///         unreachable in practice, traces are at most 2^48 long).
    function incrementStep(PackedState _s) internal pure {
        uint256 next;
        assembly {
            next := add(shr(192, mload(add(_s, OFFSET_STEP))), 1)
        }
        // INVARIANT: step counts executed instructions; it cannot count past 2^64 − 1.
        if (next > type(uint64).max) revert StepCounterOverflow();
        assembly {
            let p := add(_s, OFFSET_STEP)
            mstore(p, or(and(mload(p), KEEP_BELOW_U64), shl(192, next)))
        }
    }

    function status(PackedState _s) internal pure returns (uint256 status_) {
        assembly {
            status_ := byte(0, mload(add(_s, OFFSET_STATUS)))
        }
    }

    function setStatus(PackedState _s, uint256 _status) internal pure {
        assembly {
            mstore8(add(_s, OFFSET_STATUS), _status)
        }
    }

    function exitCode(PackedState _s) internal pure returns (uint256 exitCode_) {
        assembly {
            exitCode_ := shr(224, mload(add(_s, OFFSET_EXIT_CODE)))
        }
    }

    function setExitCode(PackedState _s, uint256 _exitCode) internal pure {
        assembly {
            let p := add(_s, OFFSET_EXIT_CODE)
            mstore(p, or(and(mload(p), KEEP_BELOW_U32), shl(224, _exitCode)))
        }
    }
}

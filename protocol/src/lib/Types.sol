// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Value types and records of the Verdict protocol (docs/spec.md §2). Packed layouts are
// documented as bit tables next to each type so storage and calldata can be audited by hand.

/// @notice A span of time.
/// @dev Unit: seconds.
type Duration is uint64;

/// @notice A point on the protocol's active-time axis: seconds since the epoch minus every
///         second the protocol spent paused (docs/spec.md §2.5). Deadlines and chess clocks are
///         measured on this axis, so a pause freezes them.
/// @dev Unit: seconds.
type Timestamp is uint64;

/// @notice The clock of the side whose turn it is.
/// @dev ┌────────────┬───────────────────────────────────────────────┐
///      │ bits       │ field                                         │
///      ├────────────┼───────────────────────────────────────────────┤
///      │ [255:128]  │ 0                                             │
///      │ [127:64]   │ Duration left to the side on move at `since`  │
///      │ [63:0]     │ Timestamp `since` (active time) the turn began│
///      └────────────┴───────────────────────────────────────────────┘
type Clock is uint128;

/// @notice A disputed trace segment [start, start + 2^log2Len].
/// @dev ┌──────────┬──────────────────────────────┐
///      │ bits     │ field                        │
///      ├──────────┼──────────────────────────────┤
///      │ [63:8]   │ start (trace position, < 2^56)│
///      │ [7:0]    │ log2Len (0..48)              │
///      └──────────┴──────────────────────────────┘
type Position is uint64;

/// @notice Lifecycle of a proposal (docs/spec.md §2.4).
enum ProposalStatus {
    None,
    Pending, // inside its window or with open games
    Finalized, // results settle-able
    Defeated, // a challenger won a game on it
    Invalidated, // governance invalidated it before finalization (bond refunded)
    RolledBack // finalized, then rolled back by governance (results provable again)
}

/// @notice Lifecycle of a game (docs/spec.md §2.3).
enum GameStatus {
    None,
    Active,
    ChallengerWon,
    ProposerWon,
    Closed // proposal no longer pending, or governance invalidated the game: challenger refunded
}

/// @notice How a game was resolved.
enum Resolution {
    Step,
    Timeout
}

/// @notice A result leaf of a proposal: the proposer's claim that job `jobId` ends in `finalStateHash`.
struct Leaf {
    uint256 jobId;
    bytes32 finalStateHash;
}

/// @notice Protocol parameters set by PARAMETER_SETTER_ROLE; each proposal and game snapshots the
///         values that apply to it when it is created.
struct Params {
    /// @dev Unit: wei.
    uint96 proposerBond;
    /// @dev Unit: wei.
    uint96 challengerBond;
    /// @dev Unit: seconds (active time).
    uint64 challengeWindow;
    /// @dev Unit: seconds (active time), per side per game.
    uint64 clockSeconds;
    /// @dev Share of every lost bond that is burned. Unit: basis points, 1..9999.
    uint16 burnBps;
    /// @dev Unit: bytes.
    uint32 maxInputBytes;
    /// @dev Unit: leaves.
    uint32 maxBatchSize;
}

/// @notice A registered program (immutable).
struct Program {
    bytes32 programRoot;
    bytes32 manifestHash;
    address verifier;
    uint32 entry;
    uint8 depth;
    bool signed;
    address registrant;
}

/// @notice A submitted job and its recorded result.
struct Job {
    address requester;
    uint64 programId;
    bytes32 inputRoot;
    address signer; // zero when unsigned
    uint96 fee; // escrowed until the result is recorded, then 0
    bytes32 resultHash; // final state hash of the recorded result (0 = none)
    uint64 resultProposalId; // proposal the result came from (valid only while that proposal is Finalized)
}

/// @notice A bonded batch of results.
struct Proposal {
    address proposer;
    Timestamp deadline; // active time at which the window closes
    ProposalStatus status;
    bytes32 root;
    uint96 bond;
    uint16 burnBps;
    uint64 jobCount; // jobs that existed at proposal time; leaves with larger ids never count
    uint32 leafCount;
    uint32 openGames;
    uint64 finalizedAt; // block timestamp, 0 unless finalized
}

/// @notice One dissection game on one leaf.
struct Game {
    address challenger;
    uint64 proposalId;
    GameStatus status;
    bytes32 startHash;
    bytes32 endHash;
    bytes32 interiorCommit; // NO_INTERIOR when it is the proposer's turn to dissect
    Clock clock; // the side on move
    Duration idle; // time left to the side not on move
    Position position;
    address verifier;
    uint96 bond;
    uint64 jobId;
    uint16 burnBps;
}

/// @notice The opened output of a job's final state.
struct Output {
    bytes32 stateHash; // the final state it was opened from; stale if != the job's result
    bytes32 outputRoot;
    uint64 steps;
    uint32 exitCode;
    uint8 status;
}

using LibDuration for Duration global;
using LibTimestamp for Timestamp global;
using LibClock for Clock global;
using LibPosition for Position global;

/// @notice Helpers for Duration.
library LibDuration {
    function raw(Duration _d) internal pure returns (uint64 value_) {
        value_ = Duration.unwrap(_d);
    }
}

/// @notice Helpers for Timestamp.
library LibTimestamp {
    function raw(Timestamp _t) internal pure returns (uint64 value_) {
        value_ = Timestamp.unwrap(_t);
    }
}

/// @notice Packing and reading of Clock.
library LibClock {
    function wrap(Duration _left, Timestamp _since) internal pure returns (Clock clock_) {
        clock_ = Clock.wrap((uint128(Duration.unwrap(_left)) << 64) | uint128(Timestamp.unwrap(_since)));
    }

    function left(Clock _c) internal pure returns (Duration left_) {
        left_ = Duration.wrap(uint64(Clock.unwrap(_c) >> 64));
    }

    function since(Clock _c) internal pure returns (Timestamp since_) {
        since_ = Timestamp.wrap(uint64(Clock.unwrap(_c)));
    }

    /// @notice Time left to the side on move at active time `_now`; 0 once it ran out.
    function leftAt(Clock _c, Timestamp _now) internal pure returns (Duration left_) {
        uint64 elapsed = Timestamp.unwrap(_now) - Timestamp.unwrap(since(_c));
        uint64 l = Duration.unwrap(left(_c));
        left_ = Duration.wrap(elapsed >= l ? 0 : l - elapsed);
    }
}

/// @notice Packing and arithmetic of Position.
library LibPosition {
    function wrap(uint64 _start, uint8 _log2Len) internal pure returns (Position position_) {
        position_ = Position.wrap((_start << 8) | uint64(_log2Len));
    }

    function start(Position _p) internal pure returns (uint64 start_) {
        start_ = Position.unwrap(_p) >> 8;
    }

    function log2Len(Position _p) internal pure returns (uint8 log2Len_) {
        log2Len_ = uint8(Position.unwrap(_p));
    }

    /// @notice Sub-segment `_index` of `2^_log2Parts` equal parts.
    function child(Position _p, uint256 _index, uint8 _log2Parts) internal pure returns (Position child_) {
        uint8 childLog2 = log2Len(_p) - _log2Parts;
        child_ = wrap(start(_p) + uint64(_index << childLog2), childLog2);
    }
}

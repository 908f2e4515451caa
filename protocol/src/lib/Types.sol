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

/// @notice Lifecycle of one node of a game's claim tree (docs/spec.md §2.3).
enum NodeStatus {
    None, // never challenged
    Challenged, // challenged; the proposer must dissect it (length > 1) or anyone may step it (length 1)
    Dissected, // the proposer posted its interior hashes; anyone may challenge a part
    Defeated, // resolved: the proposer's claim here failed (challenger paid)
    Upheld, // resolved: the challenge failed (its bond went to the proposer)
    Refunded // resolved after governance invalidated the proposal: every bond went back to its poster
}

/// @notice A result leaf of a proposal: the proposer's claim that job `jobId` ends in `finalStateHash`.
struct Leaf {
    uint256 jobId;
    bytes32 finalStateHash;
}

/// @notice Protocol parameters set by PARAMETER_SETTER_ROLE (behind the timelock). Each proposal
///         snapshots every value that governs its window, games and bonds when it is made, so a
///         change never reaches a pending proposal; each is bounded (docs/spec.md §2.5).
struct Params {
    /// @dev Stake of a proposal, the reward pool of its leaves if it is defeated. Unit: wei.
    uint96 proposerBond;
    /// @dev Bond of every claim below a leaf: a challenge (opening a game, or challenging a part)
    ///      and a dissection. Unit: wei.
    uint96 claimBond;
    /// @dev Unit: seconds (active time).
    uint64 challengeWindow;
    /// @dev Time budget of each side along each path of a game's claim tree. Unit: seconds (active time).
    uint64 clockSeconds;
    /// @dev Share of every forfeited bond that is burned (rounded up, so at least 1 wei). Unit: basis points.
    uint16 burnBps;
    /// @dev Unit: bytes.
    uint32 maxInputBytes;
    /// @dev Unit: leaves.
    uint32 maxBatchSize;
    /// @dev A job whose result is not recorded this long after submission lets its requester
    ///      reclaim the fee. Unit: seconds (active time).
    uint64 feeTimeout;
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
    uint96 fee; // escrowed until the result is recorded or the fee reclaimed, then 0
    bytes32 resultHash; // final state hash of the recorded result (0 = none)
    uint64 resultProposalId; // proposal the result came from (valid only while that proposal is Finalized)
    Timestamp recordedAt; // active time the result was first recorded (fee claim clock)
    Timestamp reclaimAt; // active time from which the requester may take back an unearned fee
}

/// @notice A bonded batch of results, with the parameters it snapshotted when it was made.
struct Proposal {
    address proposer;
    Timestamp deadline; // active time at which the window closes
    ProposalStatus status;
    bytes32 root;
    uint96 stake; // proposerBond at proposal time
    uint96 claimBond; // bond of every claim in this proposal's games
    uint64 clockSeconds; // per side, per path of its games
    uint16 burnBps;
    uint64 jobCount; // jobs that existed at proposal time; leaves with larger ids never count
    uint32 leafCount;
    uint64 finalizedAt; // block timestamp, 0 unless finalized
    Timestamp revealedAt; // active time of `propose` (fee lock)
    uint96 rewardPool; // after a defeat: what is left of the stake for the openers of defeated leaves
    uint96 rewardShare; // after a defeat: what each defeated leaf's opener receives
    uint64 commitBlock; // block of the commitment the proposal revealed (fee priority)
}

/// @notice One game: the claim tree of one leaf of one proposal, shared by every challenger. It
///         copies what it needs of its proposal's snapshot so that a move reads nothing elsewhere.
/// @dev Slot 0 holds what every move reads (proposal, clock base and budget, bond); slot 1 what
///      dissections and resolutions add. T(0) is not stored: `GameOpened` carries it, and a step
///      whose start is T(0) derives it again through `Verdict.jobStart`.
struct Game {
    uint64 proposalId;
    Timestamp openedAt; // when the root was challenged; node times are offsets from it
    uint24 clockSeconds; // per side, per path
    uint96 claimBond;
    address proposer; // the only party that may dissect
    uint64 jobId;
    uint8 depth; // D of the job's program: the root covers [0, 2^D]
    uint16 burnBps;
    address verifier; // the program's step verifier
    bytes32 endHash; // the leaf's final state hash (the proposer's claim)
}

/// @notice One node of a game's claim tree: the proposer's claim that its hash at the node's start
///         leads to its hash at the node's end. Nodes are keyed by their position (the proposer's
///         tree is unique), posted once and answer every challenger.
/// @dev One storage slot: ┌──────────┬──────────────────────────────────────────────────────────┐
///                        │ bits     │ field                                                    │
///                        ├──────────┼──────────────────────────────────────────────────────────┤
///                        │ [159:0]  │ challenger: who challenged it (and posted claimBond)     │
///                        │ [183:160]│ proposerUsed: proposer time on the path before it        │
///                        │ [207:184]│ challengerUsed: challenger time on the path before it    │
///                        │ [231:208]│ dissectDelay: proposer time spent here before dissecting │
///                        │ [239:232]│ status                                                   │
///                        │ [247:240]│ openChildren: challenged parts not yet resolved          │
///                        │ [255:248]│ defeatedChildren: parts resolved Defeated                │
///                        └──────────┴──────────────────────────────────────────────────────────┘
///      Durations are seconds of active time, at most MAX_CLOCK_SECONDS (< 2^24). The node was
///      challenged at `openedAt + proposerUsed + challengerUsed` and dissected `dissectDelay` later.
struct Node {
    address challenger;
    uint24 proposerUsed;
    uint24 challengerUsed;
    uint24 dissectDelay;
    NodeStatus status;
    uint8 openChildren;
    uint8 defeatedChildren;
}

/// @notice Per-proposal summary of its games, read by `Verdict.finalize`.
struct Disputes {
    uint32 games; // games opened on the proposal
    uint32 rootsOpen; // games whose root is not resolved yet
    Timestamp lastOpenAt; // active time the last game opened
    bool defeated; // some node failed (the proposal was told)
    bool invalidated; // governance invalidated the proposal: every bond is refunded
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

    /// @notice Trace position of the end of the segment.
    function end(Position _p) internal pure returns (uint64 end_) {
        end_ = start(_p) + uint64(1 << log2Len(_p));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Leaf, Game, Node, NodeStatus, Disputes} from "../lib/Types.sol";

/// @title IDisputeGame
/// @notice The external surface of the dispute games (docs/spec.md §2.3): one claim tree per
///         (proposal, leaf), shared by every challenger. The proposer's k-ary dissection of a
///         node is posted once and answers everyone; every challenge is bonded with the proposal's
///         `claimBond` and every dissection with a k-th of it; each side's time is accounted per path of the
///         tree; moves can be batched with `multicall`. Claim bonds are held here, in a ledger of
///         pull credits of its own; proposal stakes and job fees are held by `Verdict`.
interface IDisputeGame {
    /// @notice What can happen next at a node (docs/spec.md §2.3).
    enum Turn {
        None, // not challenged, or already resolved
        Dissect, // the proposer must dissect it before its path clock runs out
        Pick, // dissected: anyone may challenge one of its parts until the challenger path clock runs out
        Step, // length 1: anyone may execute the step before the challenger path clock runs out
        Resolve, // its outcome is decided: anyone may resolve it (pays the bonds)
        Children // its window is over but challenged parts are still unresolved
    }

    ////////////////////////////////////////////////////////////////
    //                           Events                           //
    ////////////////////////////////////////////////////////////////

    /// @notice A game was opened on a leaf; its root node is challenged by `opener`.
    event GameOpened(
        uint256 indexed gameId,
        uint256 indexed proposalId,
        uint256 indexed jobId,
        address opener,
        bytes32 startHash,
        bytes32 endHash,
        uint8 depth,
        uint64 openedAt
    );
    /// @notice A node was challenged (the root by the opening, a part by `challenge`).
    ///         `parent` is the parent's position (0 for the root) and `index` the part.
    event NodeChallenged(
        uint256 indexed gameId,
        uint64 indexed position,
        address indexed challenger,
        uint64 parent,
        uint256 index,
        uint64 proposerUsed,
        uint64 challengerUsed
    );
    /// @notice The proposer dissected a node: `interior[i]` is its hash at the end of part i.
    event NodeDissected(
        uint256 indexed gameId, uint64 indexed position, bytes32[] interior, uint64 proposerUsed
    );
    /// @notice A one-step proof was executed on a length-1 node.
    event NodeStepped(
        uint256 indexed gameId,
        uint64 indexed position,
        address stepper,
        bytes32 preStateHash,
        bytes32 postStateHash,
        bytes32 endHash
    );
    /// @notice A node was resolved and its bonds paid.
    event NodeResolved(
        uint256 indexed gameId,
        uint64 indexed position,
        NodeStatus status,
        address challenger,
        uint256 challengerPaid,
        uint256 proposerPaid,
        uint256 burned
    );
    /// @notice Governance invalidated the game (and with it its proposal): every bond is refunded.
    event GameInvalidated(uint256 indexed gameId, uint256 indexed proposalId, address indexed by);
    /// @notice `account` was credited `amount` wei in this contract's ledger.
    event Credited(address indexed account, uint256 amount);
    /// @notice `account` withdrew `amount` wei from this contract's ledger.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `amount` wei were sent to the burn address.
    event Burned(uint256 amount);

    ////////////////////////////////////////////////////////////////
    //                           Moves                            //
    ////////////////////////////////////////////////////////////////
    // Every move is payable: ETH sent with it is credited to the sender, and a bond is then
    // taken from the sender's credit (`InsufficientCredit`). Inside `multicall` the ETH is
    // credited once, before the first call.

    /// @notice Opens the game of a leaf of a Pending proposal inside its window and challenges its
    ///         root. One game per (proposal, leaf): `GameExists` if it is already open.
    function openGame(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof)
        external
        payable
        returns (uint256 gameId_);

    /// @notice The proposer dissects a challenged node into `2^min(log2 k, log2Len)` parts.
    function dissect(uint256 _gameId, uint64 _position, bytes32[] calldata _interior) external payable;

    /// @notice Challenges part `_index` of a dissected node (anyone, once per part).
    function challenge(uint256 _gameId, uint64 _parent, uint256 _index) external payable;

    /// @notice Executes the one-step proof of a challenged length-1 node (anyone). `_ancestry[l]`
    ///         is the interior posted by the dissection at level l on the path from the root, so
    ///         the contract can derive the node's start and end hashes.
    function step(
        uint256 _gameId,
        uint64 _position,
        bytes32[][] calldata _ancestry,
        bytes calldata _stateData,
        bytes calldata _proof
    ) external payable;

    /// @notice Resolves a node whose outcome is decided and pays its bonds (anyone).
    function resolveNode(uint256 _gameId, uint64 _position) external payable;

    /// @notice Runs several calls to this contract in one transaction (moves of any games).
    function multicall(bytes[] calldata _calls) external payable returns (bytes[] memory results_);

    /// @notice Credits `msg.value` to the sender (to fund later bonds).
    function deposit() external payable;

    /// @notice Pays the caller's whole credit in this ledger (also while paused).
    function withdraw() external returns (uint256 amount_);

    /// @notice Guardian: invalidates the game's proposal (it can never finalize) so that every bond
    ///         of every game on it is refunded.
    function invalidateGame(uint256 _gameId) external;

    /// @notice Verdict only: the proposal was invalidated; its games refund every bond on resolution.
    function onProposalInvalidated(uint256 _proposalId) external;

    /// @notice Verdict only: the pause state changed (mirrored here so a move needs no external call).
    function onPauseChanged(uint64 _pausedAt, uint64 _pausedTotal) external;

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    function K() external view returns (uint256);

    function VERDICT() external view returns (address);

    function gameCount() external view returns (uint256);

    /// @notice The game of (proposal, leaf hash); 0 if none.
    function gameOf(uint256 _proposalId, bytes32 _leafHash) external view returns (uint256);

    function getGame(uint256 _gameId) external view returns (Game memory);

    function getNode(uint256 _gameId, uint64 _position) external view returns (Node memory);

    /// @notice The bond every dissection in game `_gameId` posts: its claim bond divided by k.
    function dissectionBond(uint256 _gameId) external view returns (uint256);

    /// @notice keccak256 of the packed interior hashes of a dissected node (0 if undissected).
    function interiorCommit(uint256 _gameId, uint64 _position) external view returns (bytes32);

    /// @notice What can happen at a node now, and the seconds left on the clock that bounds it.
    function nodeTurn(uint256 _gameId, uint64 _position)
        external
        view
        returns (Turn turn_, uint64 leftSeconds_);

    /// @notice The summary `Verdict.finalize` checks.
    function disputes(uint256 _proposalId) external view returns (Disputes memory);

    function credit(address _account) external view returns (uint256);

    /// @notice Active time as this contract sees it (always equal to `Verdict.activeNow()`).
    function activeNow() external view returns (uint64);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Leaf, Params, Job, Proposal, Game, Output, Resolution, GameStatus} from "../lib/Types.sol";

/// @title IVerdict
/// @notice The external surface of the Verdict protocol contract (docs/spec.md §2): jobs, bonded result batches, k-ary dissection games, settlement, credits and governance.
///         Programs live in IProgramRegistry.
///         Daemons and the TypeScript bindings are built against this interface.
interface IVerdict {
    /// @notice Whose move it is in a game and what kind of move (docs/spec.md §2.3).
    enum Turn {
        None, // game not active
        Dissect, // proposer posts interior hashes
        Pick, // challenger picks a sub-segment
        Step, // challenger submits the one-step proof
        Close // proposal no longer pending: anyone may close the game (refund)
    }

    ////////////////////////////////////////////////////////////////
    //                           Events                           //
    ////////////////////////////////////////////////////////////////

    /// @notice A job was submitted. `input` is the full input; `signer`/`nonce` are zero when unsigned.
    event JobSubmitted(
        uint256 indexed jobId,
        uint256 indexed programId,
        address indexed requester,
        bytes32 inputRoot,
        address signer,
        uint256 nonce,
        uint256 fee,
        bytes input
    );
    /// @notice A batch of results was proposed. `deadline` is on the active-time axis.
    event Proposed(
        uint256 indexed proposalId,
        address indexed proposer,
        bytes32 root,
        uint256 bond,
        uint64 deadline,
        uint256 jobCount,
        Leaf[] leaves
    );
    /// @notice A game was opened on one leaf. `startHash` is the job's initial state hash derived onchain.
    event GameOpened(
        uint256 indexed gameId,
        uint256 indexed proposalId,
        uint256 indexed jobId,
        address challenger,
        bytes32 startHash,
        bytes32 endHash,
        uint8 depth,
        uint256 bond,
        uint64 clockSeconds
    );
    /// @notice The proposer dissected segment [start, start + 2^log2Len] with `interior` hashes.
    event Dissected(
        uint256 indexed gameId, uint64 start, uint8 log2Len, bytes32[] interior, uint64 proposerLeftSeconds
    );
    /// @notice The challenger picked sub-segment `index`; the new segment and its end hashes.
    event Picked(
        uint256 indexed gameId,
        uint256 index,
        uint64 start,
        uint8 log2Len,
        bytes32 startHash,
        bytes32 endHash,
        uint64 challengerLeftSeconds
    );
    /// @notice The one-step proof was executed at trace position `position`.
    event Stepped(
        uint256 indexed gameId, uint64 position, bytes32 preStateHash, bytes32 postStateHash, bytes32 endHash
    );
    /// @notice A game was resolved; `status` is ChallengerWon or ProposerWon.
    event GameResolved(
        uint256 indexed gameId,
        uint256 indexed proposalId,
        GameStatus status,
        Resolution resolution,
        address winner,
        uint256 paid,
        uint256 burned
    );
    /// @notice A game was closed without a winner and its challenger refunded (proposal no longer pending,
    ///         or governance invalidated the game: `byGovernance`).
    event GameClosed(uint256 indexed gameId, uint256 indexed proposalId, bool byGovernance, uint256 refund);
    /// @notice A challenger won on this proposal: it can never finalize.
    event ProposalDefeated(uint256 indexed proposalId, uint256 indexed gameId);
    /// @notice The proposal finalized; its bond is credited back to the proposer.
    event ProposalFinalized(uint256 indexed proposalId, uint256 finalizedSeq);
    /// @notice A job's result was recorded from a finalized proposal; the fee was credited to `proposer`.
    event ResultRecorded(
        uint256 indexed jobId,
        uint256 indexed proposalId,
        bytes32 finalStateHash,
        address proposer,
        uint256 fee
    );
    /// @notice A job's final state was opened.
    event OutputOpened(
        uint256 indexed jobId,
        bytes32 indexed finalStateHash,
        uint8 status,
        uint32 exitCode,
        uint64 steps,
        bytes32 outputRoot
    );
    /// @notice The output bytes of a job, verified against the opened output root.
    event OutputData(uint256 indexed jobId, bytes32 indexed outputRoot, bytes output);
    /// @notice `account` was credited `amount` wei (withdraw with `withdraw`).
    event Credited(address indexed account, uint256 amount);
    /// @notice `account` withdrew `amount` wei.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `amount` wei were sent to the burn address.
    event Burned(uint256 amount);
    /// @notice New parameters (apply to proposals and games created from now on).
    event ParamsSet(Params params);
    /// @notice The protocol was paused at active time `activeAt`.
    event ProtocolPausedAt(address indexed by, uint64 activeAt);
    /// @notice The protocol was unpaused; `pausedSeconds` were added back to every clock and window.
    event ProtocolUnpaused(address indexed by, uint64 pausedSeconds);
    /// @notice Governance invalidated a pending proposal; its bond is refunded.
    event ProposalInvalidated(uint256 indexed proposalId, address indexed by);
    /// @notice Governance rolled back a finalized proposal: its results are no longer valid.
    event ProposalRolledBack(uint256 indexed proposalId, uint64 finalizedAt);
    /// @notice Progress of a rollback call.
    event RollbackProgress(uint64 afterTimestamp, uint256 rolledBack, bool done);

    ////////////////////////////////////////////////////////////////
    //                      Programs & jobs                       //
    ////////////////////////////////////////////////////////////////

    function submitJob(uint256 _programId, bytes calldata _input) external payable returns (uint256 jobId_);

    function submitSignedJob(
        uint256 _programId,
        bytes calldata _input,
        address _signer,
        uint256 _nonce,
        uint256 _deadline,
        bytes calldata _signature
    ) external payable returns (uint256 jobId_);

    ////////////////////////////////////////////////////////////////
    //                     Proposals & games                      //
    ////////////////////////////////////////////////////////////////

    function propose(Leaf[] calldata _leaves) external payable returns (uint256 proposalId_);

    function openGame(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof)
        external
        payable
        returns (uint256 gameId_);

    function dissect(uint256 _gameId, bytes32[] calldata _interior) external;

    function pick(uint256 _gameId, bytes32[] calldata _interior, uint256 _index) external;

    function step(uint256 _gameId, bytes calldata _stateData, bytes calldata _proof) external;

    function claimTimeout(uint256 _gameId) external;

    function closeGame(uint256 _gameId) external;

    function finalize(uint256 _proposalId) external;

    ////////////////////////////////////////////////////////////////
    //                 Results, outputs, credits                  //
    ////////////////////////////////////////////////////////////////

    function recordResult(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof) external;

    function recordResults(uint256 _proposalId, Leaf[] calldata _leaves, bytes32[][] calldata _proofs)
        external;

    function openOutput(
        uint256 _jobId,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external;

    /// @notice Emits a job's output bytes after checking they hash (§1.3 layout) to the opened output root.
    function publishOutput(uint256 _jobId, bytes calldata _output) external;

    function withdraw() external returns (uint256 amount_);

    ////////////////////////////////////////////////////////////////
    //                         Governance                         //
    ////////////////////////////////////////////////////////////////

    function setParams(Params calldata _params) external;

    function pause() external;

    function unpause() external;

    function invalidateProposal(uint256 _proposalId) external;

    function invalidateGame(uint256 _gameId) external;

    function rollback(uint64 _afterTimestamp, uint256 _maxProposals)
        external
        returns (uint256 rolledBack_, bool done_);

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    function K() external view returns (uint256);

    function params() external view returns (Params memory);

    function activeNow() external view returns (uint64);

    function paused() external view returns (bool);

    /// @notice The program registry this contract reads programs from.
    function registry() external view returns (address);

    function jobCount() external view returns (uint256);

    function proposalCount() external view returns (uint256);

    function gameCount() external view returns (uint256);

    function finalizedCount() external view returns (uint256);

    function getJob(uint256 _jobId) external view returns (Job memory);

    function nonceUsed(address _signer, uint256 _nonce) external view returns (bool);

    /// @notice EIP-712 digest a data source signs for (programId, inputRoot, nonce, deadline).
    function attestationDigest(uint256 _programId, bytes32 _inputRoot, uint256 _nonce, uint256 _deadline)
        external
        view
        returns (bytes32);

    /// @notice The job's initial state hash T(0), derived through its program's verifier.
    function initialStateHash(uint256 _jobId) external view returns (bytes32);

    function getProposal(uint256 _proposalId) external view returns (Proposal memory);

    function getGame(uint256 _gameId) external view returns (Game memory);

    /// @notice Whose move it is, and the seconds left on the mover's clock (0 = timeout claimable).
    function gameTurn(uint256 _gameId) external view returns (Turn turn_, uint64 leftSeconds_);

    /// @notice A job's valid result: `final_` false when none was recorded or it was rolled back.
    function result(uint256 _jobId)
        external
        view
        returns (bool final_, bytes32 finalStateHash_, uint256 proposalId_);

    /// @notice A job's opened output; `current_` false when never opened or opened for a result no longer valid.
    function output(uint256 _jobId) external view returns (Output memory output_, bool current_);

    function credit(address _account) external view returns (uint256);

    /// @notice Leaf hash of (jobId, finalStateHash): OpenZeppelin standard double keccak.
    function leafHash(uint256 _jobId, bytes32 _finalStateHash) external pure returns (bytes32);
}

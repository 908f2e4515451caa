// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Leaf, Params, Job, Proposal} from "../lib/Types.sol";

/// @title IVerdict
/// @notice The external surface of the Verdict protocol contract (docs/spec.md §2): jobs, bonded result
///         batches, finalization, results, outputs, stakes, fees, credits and governance. Programs live
///         in IProgramRegistry, the dispute games in IDisputeGame (which calls the `on*` hooks).
///         Daemons and the TypeScript bindings are built against this interface.
interface IVerdict {
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
    /// @notice A node of game `gameId` failed: the proposal can never finalize. `burned` is the burn
    ///         share of its stake (burned when its first defeated root resolves); `rewardShare` what
    ///         each defeated leaf's opener will receive.
    event ProposalDefeated(
        uint256 indexed proposalId, uint256 indexed gameId, uint256 burned, uint256 rewardShare
    );
    /// @notice The opener of a defeated leaf's game received its share of the proposal's stake.
    event LeafRewardPaid(uint256 indexed proposalId, address indexed opener, uint256 amount);
    /// @notice Every game of a defeated proposal is resolved; what was left of its stake was burned.
    event StakeSettled(uint256 indexed proposalId, uint256 burned);
    /// @notice A job's requester took back the fee of a job nobody proved in time.
    event FeeReclaimed(uint256 indexed jobId, address indexed requester, uint256 fee);
    /// @notice The proposal finalized; its bond is credited back to the proposer.
    event ProposalFinalized(uint256 indexed proposalId, uint256 finalizedSeq);
    /// @notice A batch commitment was made (first one counts).
    event ProposalCommitted(bytes32 indexed commitment, address indexed by, uint256 blockNumber);
    /// @notice A job's fee was paid to the proposer of its recorded result.
    event FeeClaimed(
        uint256 indexed jobId, uint256 indexed proposalId, address indexed proposer, uint256 fee
    );
    /// @notice A job's result was recorded (or its fee claim moved to an earlier-committed proposal with
    ///         the same result); `fee` is the escrowed fee, paid later by `claimFee`.
    event ResultRecorded(
        uint256 indexed jobId,
        uint256 indexed proposalId,
        bytes32 finalStateHash,
        address proposer,
        uint256 fee
    );
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

    /// @notice Commits to a batch before revealing it: `keccak256(abi.encode(proposer, root, salt))`.
    ///         The first commitment's block ranks the batch for fees (docs/spec.md §2.2).
    function commitProposal(bytes32 _commitment) external;

    /// @notice Reveals a committed batch (commitment mined in an earlier block), with exactly
    ///         `proposerBond` as stake.
    function propose(Leaf[] calldata _leaves, bytes32 _salt) external payable returns (uint256 proposalId_);

    function finalize(uint256 _proposalId) external;

    ////////////////////////////////////////////////////////////////
    //                 Results, outputs, credits                  //
    ////////////////////////////////////////////////////////////////

    function recordResult(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof) external;

    function recordResults(uint256 _proposalId, Leaf[] calldata _leaves, bytes32[][] calldata _proofs)
        external;

    function withdraw() external returns (uint256 amount_);

    /// @notice Pays a recorded job's fee to the proposer of its result, once every proposal committed
    ///         earlier with the same result had time to take it: from the result proposal's reveal plus
    ///         `maxSpan()` (the longest window + 3 clocks ever in force) plus a 600 s margin.
    function claimFee(uint256 _jobId) external;

    /// @notice The requester of a job without a recorded result takes its fee back once
    ///         `feeTimeout` of active time has passed since submission.
    function reclaimFee(uint256 _jobId) external;

    ////////////////////////////////////////////////////////////////
    //                  Hooks of the dispute game                 //
    ////////////////////////////////////////////////////////////////

    /// @notice A node of a game on the proposal failed: Pending → Defeated. Only the dispute game;
    ///         idempotent once Defeated.
    function onDefeat(uint256 _proposalId, uint256 _gameId) external;

    /// @notice A game's root was resolved. On a defeated proposal: the first call burns the burn share of
    ///         the stake; pays the opener its leaf reward if `_defeated`; when `_last` (no root left
    ///         open) burns what is left of the stake.
    function onRootResolved(uint256 _proposalId, address _opener, bool _defeated, bool _last) external;

    /// @notice The guardian invalidated a game: its proposal is invalidated with it.
    function onInvalidate(uint256 _proposalId, address _by) external;

    ////////////////////////////////////////////////////////////////
    //                         Governance                         //
    ////////////////////////////////////////////////////////////////

    function setParams(Params calldata _params) external;

    function pause() external;

    function unpause() external;

    function invalidateProposal(uint256 _proposalId) external;

    function rollback(uint64 _afterTimestamp, uint256 _maxProposals)
        external
        returns (uint256 rolledBack_, bool done_);

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    function params() external view returns (Params memory);

    function activeNow() external view returns (uint64);

    function paused() external view returns (bool);

    /// @notice The longest `challengeWindow + 3 * clockSeconds` ever in force. Unit: seconds.
    function maxSpan() external view returns (uint64);

    /// @notice Block of the first commitment `_commitment` (0 if none or already revealed).
    function commitments(bytes32 _commitment) external view returns (uint256);

    /// @notice The program registry this contract reads programs from.
    function registry() external view returns (address);

    function jobCount() external view returns (uint256);

    function proposalCount() external view returns (uint256);

    /// @notice The dispute game contract (fixed at deployment).
    function game() external view returns (address);

    /// @notice Active time now and whether the protocol is paused (one call for the game).
    function clockState() external view returns (uint64 activeNow_, bool paused_);

    /// @notice What a game on job `_jobId` needs: T(0), the program's verifier and D.
    function jobStart(uint256 _jobId)
        external
        view
        returns (bytes32 startHash_, address verifier_, uint8 depth_);

    function finalizedCount() external view returns (uint256);

    function getJob(uint256 _jobId) external view returns (Job memory);

    function nonceUsed(address _signer, uint256 _nonce) external view returns (bool);

    /// @notice EIP-712 digest a data source signs: the job's program and input root, the requester who
    ///         must submit it and the fee it must carry, a nonce and a deadline.
    function attestationDigest(
        uint256 _programId,
        bytes32 _inputRoot,
        address _requester,
        uint256 _fee,
        uint256 _nonce,
        uint256 _deadline
    ) external view returns (bytes32);

    /// @notice The job's initial state hash T(0), derived through its program's verifier.
    function initialStateHash(uint256 _jobId) external view returns (bytes32);

    function getProposal(uint256 _proposalId) external view returns (Proposal memory);

    /// @notice The part of a proposal a game needs when it opens (proposer, deadline, status, root,
    ///         claimBond, clockSeconds, burnBps, jobCount; the other fields are zero): four slots.
    function gameTerms(uint256 _proposalId) external view returns (Proposal memory);

    /// @notice A job's valid result: `final_` false when none was recorded or it was rolled back.
    function result(uint256 _jobId)
        external
        view
        returns (bool final_, bytes32 finalStateHash_, uint256 proposalId_);

    function credit(address _account) external view returns (uint256);

    /// @notice Leaf hash of (jobId, finalStateHash): OpenZeppelin standard double keccak.
    function leafHash(uint256 _jobId, bytes32 _finalStateHash) external pure returns (bytes32);
}

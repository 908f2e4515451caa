// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Every custom error of the Verdict protocol contracts, grouped by concern (docs/spec.md §2).

////////////////////////////////////////////////////////////////
//                      Programs & verifiers                  //
////////////////////////////////////////////////////////////////

/// @notice Thrown when a program names a verifier that governance has not approved or has retired.
error VerifierNotApproved(address verifier);
/// @notice Thrown when governance approves a verifier that is already approved or retired.
error VerifierAlreadyKnown(address verifier);
/// @notice Thrown when a program's trace exponent D is zero.
error InvalidDepth(uint8 depth);
/// @notice Thrown when a program's trace exponent D is above the registry's governance-set `maxDepth`.
error DepthAboveLimit(uint8 depth, uint8 maxDepth);
/// @notice Thrown when governance sets a `maxDepth` outside 1..MAX_DEPTH (48).
error InvalidMaxDepth(uint8 maxDepth);
/// @notice Thrown when a program lists more data-source signers than allowed.
error TooManySigners(uint256 count);
/// @notice Thrown when a signer or another required address is the zero address.
error ZeroAddress();
/// @notice Thrown when a program id does not exist.
error UnknownProgram(uint256 programId);

////////////////////////////////////////////////////////////////
//                            Jobs                            //
////////////////////////////////////////////////////////////////

/// @notice Thrown when a job's input is longer than `maxInputBytes`.
error InputTooLarge(uint256 length, uint256 max);
/// @notice Thrown when an unsigned job is submitted for a program that requires a data-source signature.
error SignatureRequired(uint256 programId);
/// @notice Thrown when the claimed signer is not one of the program's data-source signers.
error SignerNotAuthorised(address signer);
/// @notice Thrown when a signed input attestation is used after its deadline.
error SignatureExpired(uint256 deadline);
/// @notice Thrown when a (signer, nonce) pair was already used.
error NonceUsed(address signer, uint256 nonce);
/// @notice Thrown when the signature does not verify for the claimed signer.
error InvalidSignature();
/// @notice Thrown when a job fee does not fit in 96 bits.
error FeeTooLarge(uint256 fee);
/// @notice Thrown when a job id does not exist.
error UnknownJob(uint256 jobId);
/// @notice Thrown when someone other than the job's requester reclaims its fee.
error NotRequester(uint256 jobId);
/// @notice Thrown when a fee is reclaimed before `feeTimeout` or for a job with a recorded result.
error FeeNotReclaimable(uint256 jobId);

////////////////////////////////////////////////////////////////
//                         Proposals                          //
////////////////////////////////////////////////////////////////

/// @notice Thrown when a proposal has no leaves.
error EmptyBatch();
/// @notice Thrown when a proposal has more than `maxBatchSize` leaves.
error BatchTooLarge(uint256 count, uint256 max);
/// @notice Thrown when the ETH sent is not exactly the bond required.
error WrongBond(uint256 sent, uint256 required);
/// @notice Thrown when a batch is revealed without a commitment mined in an earlier block.
error NotCommitted(bytes32 commitment);
/// @notice Thrown when a fee is claimed before earlier-committed proposals could take it.
error FeeLocked(uint256 jobId, uint64 unlockAt);
/// @notice Thrown when a proposal id does not exist.
error UnknownProposal(uint256 proposalId);
/// @notice Thrown when an action needs a Pending proposal.
error ProposalNotPending(uint256 proposalId);
/// @notice Thrown when a game is opened after the proposal's challenge window.
error WindowClosed(uint256 proposalId);
/// @notice Thrown when a proposal is finalized before its challenge window has passed.
error WindowOpen(uint256 proposalId);
/// @notice Thrown when a proposal is finalized while its games can still change its fate.
error GamesOpen(uint256 proposalId);
/// @notice Thrown when a leaf's Merkle proof does not verify against the proposal's root.
error InvalidLeafProof();
/// @notice Thrown when a leaf names a job that did not exist when the proposal was made.
error JobNotInScope(uint256 jobId);

////////////////////////////////////////////////////////////////
//                           Games                            //
////////////////////////////////////////////////////////////////

/// @notice Thrown when a game id does not exist.
error UnknownGame(uint256 gameId);
/// @notice Thrown when a game is opened on a (proposal, leaf) that already has one: join it instead.
error GameExists(uint256 gameId);
/// @notice Thrown when a move needs a node in another state (e.g. dissecting an undisputed node).
error WrongNodeState(uint64 position, uint8 status);
/// @notice Thrown when a part of a dissection is challenged a second time.
error AlreadyChallenged(uint64 position);
/// @notice Thrown when someone other than the proposal's proposer dissects.
error NotProposer();
/// @notice Thrown when a move is made after the mover's path clock ran out.
error ClockExpired();
/// @notice Thrown when a node is resolved before the clock that decides it has run out.
error ClockNotExpired(uint256 leftSeconds);
/// @notice Thrown when a dissected node is resolved while some of its challenged parts are not.
error ChildrenOpen(uint256 openChildren);
/// @notice Thrown when a dissection posts the wrong number of interior hashes.
error WrongInteriorLength(uint256 length, uint256 expected);
/// @notice Thrown when a step's ancestry does not match the stored dissection commitments.
error InteriorMismatch();
/// @notice Thrown when a step's ancestry has the wrong number of levels.
error WrongAncestryLength(uint256 length, uint256 expected);
/// @notice Thrown when a part index is not below the number of parts.
error IndexOutOfRange(uint256 index, uint256 parts);
/// @notice Thrown when the packed pre-state of a step does not hash to the node's start hash.
error PreStateMismatch(bytes32 stateHash, bytes32 startHash);
/// @notice Thrown when a move is made in a game whose proposal governance invalidated (resolve it: refunds).
error GameVoid(uint256 gameId);
/// @notice Thrown when the sender's credit plus the ETH sent does not cover a bond.
error InsufficientCredit(uint256 available, uint256 required);
/// @notice Thrown when `withdraw` is called inside a `multicall` (no payout, hence no re-entry, mid-batch).
error WithdrawInBatch();
/// @notice Thrown when a hook is called by anyone but the protocol's own other contract.
error Unauthorized();

////////////////////////////////////////////////////////////////
//                   Results, outputs, credits                //
////////////////////////////////////////////////////////////////

/// @notice Thrown when results are recorded from a proposal that is not Finalized.
error ProposalNotFinalized(uint256 proposalId);
/// @notice Thrown when a job already has a valid recorded result.
error ResultAlreadyRecorded(uint256 jobId);
/// @notice Thrown when a job has no valid recorded result.
error NoResult(uint256 jobId);
/// @notice Thrown when output bytes do not hash to the opened output root.
error OutputMismatch(bytes32 computed, bytes32 outputRoot);
/// @notice Thrown when the caller has no credit to withdraw.
error NothingToWithdraw();
/// @notice Thrown when an ETH transfer fails.
error TransferFailed();
/// @notice Thrown when two arrays that must have equal length do not.
error LengthMismatch();

////////////////////////////////////////////////////////////////
//                         Governance                         //
////////////////////////////////////////////////////////////////

/// @notice Thrown when an action is attempted while the protocol is paused.
error ProtocolPaused();
/// @notice Thrown when an action needs the protocol to be paused.
error ProtocolNotPaused();
/// @notice Thrown when parameters are out of range.
error InvalidParams();
/// @notice Thrown when the branching factor k is not a power of two in 2..64.
error InvalidBranching(uint256 k);

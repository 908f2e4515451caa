// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The Verdict protocol contract (docs/spec.md §2): jobs (programs come from ProgramRegistry) with onchain input roots,
// bonded result batches, k-ary dissection games decided by a pluggable one-step verifier,
// settlement through pull credits, and governance (pause that freezes time, invalidation,
// rollback, verifier retirement). One contract holds all ETH so that its balance can be checked
// against what it owes in one place.

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import {IVerdict} from "./interfaces/IVerdict.sol";
import {IProgramRegistry} from "./interfaces/IProgramRegistry.sol";
import "./lib/Errors.sol";
import {
    Duration,
    Timestamp,
    Clock,
    Position,
    LibClock,
    LibPosition,
    ProposalStatus,
    GameStatus,
    Resolution,
    Leaf,
    Params,
    Program,
    Job,
    Proposal,
    Game,
    Output
} from "./lib/Types.sol";

/// @title Verdict
/// @notice Optimistic verifiable computation: bonded result batches defended in k-ary dissection games.
contract Verdict is IVerdict, AccessControl, EIP712 {
    /// @notice Semantic version of the protocol contract.
    string public constant version = "0.1.0";

    /// @notice May pause/unpause, invalidate proposals and games, roll back, retire verifiers.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice May set bonds, window, clock, burn share and size limits (new proposals/games only).
    bytes32 public constant PARAMETER_SETTER_ROLE = keccak256("PARAMETER_SETTER_ROLE");

    /// @notice EIP-712 type of a data source's attestation of a job input.
    bytes32 public constant ATTESTATION_TYPEHASH =
        keccak256("InputAttestation(uint256 programId,bytes32 inputRoot,uint256 nonce,uint256 deadline)");

    /// @notice Where the burned share of lost bonds is sent.
    address public constant BURN_ADDRESS = address(0xdEaD);

    /// @notice Largest input the machine's input region can hold (2^30 bytes minus the header).
    uint32 public constant INPUT_REGION_CAPACITY = (1 << 30) - 32;

    /// @dev Sentinel stored in `Game.interiorCommit` when no dissection awaits a pick. Nonzero so
    ///      that each dissection rewrites a nonzero slot instead of paying for a fresh one.
    bytes32 internal constant NO_INTERIOR = bytes32(uint256(1));

    /// @notice Where programs (and their verifiers) are registered.
    IProgramRegistry internal immutable REGISTRY;
    /// @notice Branching factor k of the dissection (a power of two).
    uint256 internal immutable BRANCHING;
    /// @notice log2(k).
    uint8 internal immutable LOG2_K;

    Params internal _params;
    /// @dev Block timestamp when the current pause began; 0 while running.
    uint64 internal _pausedAt;
    /// @dev Unit: seconds. Total time spent paused in completed pauses.
    uint64 internal _pausedTotal;

    uint256 public jobCount;
    uint256 public proposalCount;
    uint256 public gameCount;

    mapping(uint256 jobId => Job) internal _jobs;
    mapping(address signer => mapping(uint256 nonce => bool)) public nonceUsed;
    mapping(uint256 proposalId => Proposal) internal _proposals;
    mapping(uint256 gameId => Game) internal _games;
    mapping(uint256 jobId => Output) internal _outputs;
    mapping(address account => uint256 wei_) internal _credits;
    /// @dev Finalized proposal ids in finalization order; rollback pops from the end.
    uint256[] internal _finalized;

    /// @param _registry The program registry.
    /// @param _admin DEFAULT_ADMIN_ROLE holder (a TimelockController in production).
    /// @param _guardian GUARDIAN_ROLE holder (zero: none yet).
    /// @param _parameterSetter PARAMETER_SETTER_ROLE holder (zero: none yet).
    /// @param _k Branching factor: a power of two in 2..64.
    /// @param _initialParams Initial parameters (validated like `setParams`).
    constructor(
        IProgramRegistry _registry,
        address _admin,
        address _guardian,
        address _parameterSetter,
        uint256 _k,
        Params memory _initialParams
    ) EIP712("Verdict", "1") {
        // INVARIANT: k is a power of two, 2 <= k <= 64, so every segment length 2^l splits evenly.
        if (_k < 2 || _k > 64 || _k & (_k - 1) != 0) revert InvalidBranching(_k);
        // INVARIANT: someone can always govern.
        if (_admin == address(0) || address(_registry) == address(0)) revert ZeroAddress();
        REGISTRY = _registry;
        BRANCHING = _k;
        uint8 log2k;
        while ((uint256(1) << log2k) < _k) ++log2k;
        LOG2_K = log2k;
        _grantRole(DEFAULT_ADMIN_ROLE, _admin);
        if (_guardian != address(0)) _grantRole(GUARDIAN_ROLE, _guardian);
        if (_parameterSetter != address(0)) _grantRole(PARAMETER_SETTER_ROLE, _parameterSetter);
        _setParams(_initialParams);
    }

    ////////////////////////////////////////////////////////////////
    //                         Modifiers                          //
    ////////////////////////////////////////////////////////////////

    modifier whenNotPaused() {
        // INVARIANT: while paused no party can change the game state, so no clock can run out unseen.
        if (_pausedAt != 0) revert ProtocolPaused();
        _;
    }

    ////////////////////////////////////////////////////////////////
    //                      Programs & jobs                       //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function submitJob(uint256 _programId, bytes calldata _input)
        external
        payable
        whenNotPaused
        returns (uint256 jobId_)
    {
        Program memory program = _program(_programId);
        // INVARIANT: a program with data sources only accepts attested inputs.
        if (program.signed) revert SignatureRequired(_programId);
        bytes32 root = _computeInputRoot(program, _input);
        jobId_ = _storeJob(_programId, root, address(0), 0, _input);
    }

    /// @inheritdoc IVerdict
    function submitSignedJob(
        uint256 _programId,
        bytes calldata _input,
        address _signer,
        uint256 _nonce,
        uint256 _deadline,
        bytes calldata _signature
    ) external payable whenNotPaused returns (uint256 jobId_) {
        Program memory program = _program(_programId);
        // INVARIANT: only the program's own data sources can attest its inputs.
        if (!REGISTRY.isProgramSigner(_programId, _signer)) revert SignerNotAuthorised(_signer);
        if (block.timestamp > _deadline) revert SignatureExpired(_deadline);
        // INVARIANT: each (signer, nonce) admits at most one job.
        if (nonceUsed[_signer][_nonce]) revert NonceUsed(_signer, _nonce);
        bytes32 root = _computeInputRoot(program, _input);
        bytes32 digest = attestationDigest(_programId, root, _nonce, _deadline);
        if (!SignatureChecker.isValidSignatureNow(_signer, digest, _signature)) revert InvalidSignature();
        nonceUsed[_signer][_nonce] = true;
        jobId_ = _storeJob(_programId, root, _signer, _nonce, _input);
    }

    ////////////////////////////////////////////////////////////////
    //                     Proposals & games                      //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function propose(Leaf[] calldata _leaves) external payable whenNotPaused returns (uint256 proposalId_) {
        Params memory params_ = _params;
        uint256 n = _leaves.length;
        if (n == 0) revert EmptyBatch();
        if (n > params_.maxBatchSize) revert BatchTooLarge(n, params_.maxBatchSize);
        // INVARIANT: every proposal locks exactly the bond in force when it is made.
        if (msg.value != params_.proposerBond) revert WrongBond(msg.value, params_.proposerBond);
        bytes32 root = _merkleRoot(_leaves);
        proposalId_ = ++proposalCount;
        Timestamp deadline = Timestamp.wrap(_activeNow().raw() + params_.challengeWindow);
        uint64 jobs = uint64(jobCount);
        Proposal storage p = _proposals[proposalId_];
        p.proposer = msg.sender;
        p.deadline = deadline;
        p.status = ProposalStatus.Pending;
        p.root = root;
        p.bond = params_.proposerBond;
        p.burnBps = params_.burnBps;
        p.jobCount = jobs;
        p.leafCount = uint32(n);
        emit Proposed(proposalId_, msg.sender, root, params_.proposerBond, deadline.raw(), jobs, _leaves);
    }

    /// @inheritdoc IVerdict
    function openGame(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof)
        external
        payable
        whenNotPaused
        returns (uint256 gameId_)
    {
        Proposal storage p = _pendingProposal(_proposalId);
        Timestamp now_ = _activeNow();
        // INVARIANT: games start only inside the window, so finality is at most W + 2 clocks.
        if (now_.raw() >= p.deadline.raw()) revert WindowClosed(_proposalId);
        // INVARIANT: only leaves that can ever be recorded are worth disputing.
        if (_leaf.jobId == 0 || _leaf.jobId > p.jobCount) revert JobNotInScope(_leaf.jobId);
        if (!MerkleProof.verifyCalldata(_proof, p.root, _leafHash(_leaf.jobId, _leaf.finalStateHash))) {
            revert InvalidLeafProof();
        }
        Params memory params_ = _params;
        if (msg.value != params_.challengerBond) revert WrongBond(msg.value, params_.challengerBond);
        gameId_ = ++gameCount;
        p.openGames += 1;
        _initGame(gameId_, _proposalId, _leaf, now_, params_);
    }

    /// @dev Writes a new game on `_leaf` (split out of openGame to keep the stack shallow).
    function _initGame(
        uint256 _gameId,
        uint256 _proposalId,
        Leaf calldata _leaf,
        Timestamp _now,
        Params memory _p
    ) internal {
        Job storage job = _jobs[_leaf.jobId];
        Program memory program = REGISTRY.getProgram(job.programId);
        // INVARIANT: the agreed start of the dispute is derived onchain, never posted by a party.
        bytes32 startHash = IStepVerifier(program.verifier)
            .initialStateHash(program.programRoot, program.entry, job.inputRoot);
        uint8 depth = program.depth;
        Game storage g = _games[_gameId];
        Duration clock = Duration.wrap(_p.clockSeconds);
        g.challenger = msg.sender;
        g.proposalId = uint64(_proposalId);
        g.status = GameStatus.Active;
        g.startHash = startHash;
        g.endHash = _leaf.finalStateHash;
        g.interiorCommit = NO_INTERIOR;
        g.clock = LibClock.wrap(clock, _now);
        g.idle = clock;
        g.position = LibPosition.wrap(0, depth);
        g.verifier = program.verifier;
        g.bond = _p.challengerBond;
        g.jobId = uint64(_leaf.jobId);
        g.burnBps = _p.burnBps;
        emit GameOpened(
            _gameId,
            _proposalId,
            _leaf.jobId,
            msg.sender,
            startHash,
            _leaf.finalStateHash,
            depth,
            _p.challengerBond,
            _p.clockSeconds
        );
    }

    /// @inheritdoc IVerdict
    function dissect(uint256 _gameId, bytes32[] calldata _interior) external whenNotPaused {
        (Game storage g, Proposal storage p) = _activeGame(_gameId);
        // INVARIANT: only the proposer dissects, and only when no dissection awaits a pick and len > 1.
        if (msg.sender != p.proposer || g.interiorCommit != NO_INTERIOR) revert NotYourTurn();
        Position pos = g.position;
        uint8 log2Len = pos.log2Len();
        if (log2Len == 0) revert NotYourTurn();
        uint256 expected = (uint256(1) << _min(LOG2_K, log2Len)) - 1;
        if (_interior.length != expected) revert WrongInteriorLength(_interior.length, expected);
        Timestamp now_ = _activeNow();
        Duration left = g.clock.leftAt(now_);
        // INVARIANT: a side whose clock ran out can no longer move (only claimTimeout).
        if (left.raw() == 0) revert ClockExpired();
        g.interiorCommit = _commit(_interior);
        // Chess clock: the challenger is on move from now with the time it had left.
        g.clock = LibClock.wrap(g.idle, now_);
        g.idle = left;
        emit Dissected(_gameId, pos.start(), log2Len, _interior, left.raw());
    }

    /// @inheritdoc IVerdict
    function pick(uint256 _gameId, bytes32[] calldata _interior, uint256 _index) external whenNotPaused {
        (Game storage g,) = _activeGame(_gameId);
        bytes32 commit = g.interiorCommit;
        // INVARIANT: only the challenger picks, and only a dissection it has not picked yet.
        if (msg.sender != g.challenger || commit == NO_INTERIOR) revert NotYourTurn();
        // INVARIANT: the interior hashes are exactly the ones the proposer committed to.
        if (_commit(_interior) != commit) revert InteriorMismatch();
        uint256 parts = _interior.length + 1;
        if (_index >= parts) revert IndexOutOfRange(_index, parts);
        Timestamp now_ = _activeNow();
        Duration left = g.clock.leftAt(now_);
        if (left.raw() == 0) revert ClockExpired();

        bytes32 newStart = _index == 0 ? g.startHash : _interior[_index - 1];
        bytes32 newEnd = _index == parts - 1 ? g.endHash : _interior[_index];
        Position pos = g.position;
        Position child = pos.child(_index, _min(LOG2_K, pos.log2Len()));
        g.startHash = newStart;
        g.endHash = newEnd;
        g.interiorCommit = NO_INTERIOR;
        g.position = child;
        if (child.log2Len() != 0) {
            // Chess clock: back to the proposer; at length 1 the challenger stays on move to step.
            g.clock = LibClock.wrap(g.idle, now_);
            g.idle = left;
        }
        emit Picked(_gameId, _index, child.start(), child.log2Len(), newStart, newEnd, left.raw());
    }

    /// @inheritdoc IVerdict
    function step(uint256 _gameId, bytes calldata _stateData, bytes calldata _proof) external whenNotPaused {
        (Game storage g,) = _activeGame(_gameId);
        // INVARIANT: the one-step proof comes from the challenger at segment length 1 only.
        if (msg.sender != g.challenger || g.interiorCommit != NO_INTERIOR || g.position.log2Len() != 0) {
            revert NotYourTurn();
        }
        if (g.clock.leftAt(_activeNow()).raw() == 0) revert ClockExpired();
        bytes32 pre = keccak256(_stateData);
        // INVARIANT: the step starts from the agreed state of the segment.
        if (pre != g.startHash) revert PreStateMismatch(pre, g.startHash);
        bytes32 post = IStepVerifier(g.verifier).step(_stateData, _proof);
        bytes32 endHash = g.endHash;
        emit Stepped(_gameId, g.position.start(), pre, post, endHash);
        // INVARIANT: the verifier's post-state alone decides the game.
        if (post != endHash) _challengerWins(_gameId, g, Resolution.Step);
        else _proposerWins(_gameId, g, Resolution.Step);
    }

    /// @inheritdoc IVerdict
    function claimTimeout(uint256 _gameId) external whenNotPaused {
        (Game storage g,) = _activeGame(_gameId);
        uint64 left = g.clock.leftAt(_activeNow()).raw();
        // INVARIANT: a side loses on time only once its own clock has run out.
        if (left != 0) revert ClockNotExpired(left);
        if (_challengerOnMove(g)) _proposerWins(_gameId, g, Resolution.Timeout);
        else _challengerWins(_gameId, g, Resolution.Timeout);
    }

    /// @inheritdoc IVerdict
    function closeGame(uint256 _gameId) external whenNotPaused {
        Game storage g = _games[_gameId];
        if (g.status == GameStatus.None) revert UnknownGame(_gameId);
        if (g.status != GameStatus.Active) revert GameNotActive(_gameId);
        uint256 proposalId = g.proposalId;
        // INVARIANT: a game is closed without a winner only once its proposal can no longer finalize.
        if (_proposals[proposalId].status == ProposalStatus.Pending) revert ProposalStillPending(proposalId);
        _close(_gameId, g, false);
    }

    /// @inheritdoc IVerdict
    function finalize(uint256 _proposalId) external whenNotPaused {
        Proposal storage p = _pendingProposal(_proposalId);
        // INVARIANT: results finalize only after the full window and with no game left undecided.
        if (_activeNow().raw() < p.deadline.raw()) revert WindowOpen(_proposalId);
        if (p.openGames != 0) revert GamesOpen(_proposalId, p.openGames);
        p.status = ProposalStatus.Finalized;
        p.finalizedAt = uint64(block.timestamp);
        _finalized.push(_proposalId);
        _credit(p.proposer, p.bond);
        emit ProposalFinalized(_proposalId, _finalized.length - 1);
    }

    ////////////////////////////////////////////////////////////////
    //                 Results, outputs, credits                  //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function recordResult(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof)
        external
        whenNotPaused
    {
        Proposal storage p = _finalizedProposal(_proposalId);
        _verifyRecordable(p, _leaf, _proof);
        if (_resultValid(_jobs[_leaf.jobId])) revert ResultAlreadyRecorded(_leaf.jobId);
        _record(_proposalId, p.proposer, _leaf);
    }

    /// @inheritdoc IVerdict
    /// @dev Jobs that already hold a valid result are skipped (so racing settlers do not revert
    ///      each other); any invalid proof reverts the whole call.
    function recordResults(uint256 _proposalId, Leaf[] calldata _leaves, bytes32[][] calldata _proofs)
        external
        whenNotPaused
    {
        if (_leaves.length != _proofs.length) revert LengthMismatch();
        Proposal storage p = _finalizedProposal(_proposalId);
        address proposer = p.proposer;
        for (uint256 i; i < _leaves.length; ++i) {
            _verifyRecordable(p, _leaves[i], _proofs[i]);
            if (!_resultValid(_jobs[_leaves[i].jobId])) _record(_proposalId, proposer, _leaves[i]);
        }
    }

    /// @inheritdoc IVerdict
    function openOutput(
        uint256 _jobId,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external whenNotPaused {
        Job storage job = _jobs[_jobId];
        // INVARIANT: outputs are only ever opened from a valid finalized result.
        if (!_resultValid(job)) revert NoResult(_jobId);
        bytes32 stateHash = job.resultHash;
        (uint8 status, uint32 exitCode, uint64 steps) = IStepVerifier(
                REGISTRY.getProgram(job.programId).verifier
            ).openFinalState(stateHash, _stateData, _programSubroot, _inputSubroot, _outputRoot);
        _outputs[_jobId] = Output({
            stateHash: stateHash, outputRoot: _outputRoot, steps: steps, exitCode: exitCode, status: status
        });
        emit OutputOpened(_jobId, stateHash, status, exitCode, steps, _outputRoot);
    }

    /// @inheritdoc IVerdict
    function publishOutput(uint256 _jobId, bytes calldata _output) external whenNotPaused {
        (Output memory out, bool current) = output(_jobId);
        if (!current) revert NoResult(_jobId);
        // Same layout and hash as the input region (§1.3), so the verifier's inputRoot computes it.
        bytes32 computed =
            IStepVerifier(REGISTRY.getProgram(_jobs[_jobId].programId).verifier).inputRoot(_output);
        if (computed != out.outputRoot) revert OutputMismatch(computed, out.outputRoot);
        emit OutputData(_jobId, computed, _output);
    }

    /// @inheritdoc IVerdict
    /// @dev Allowed while paused: what the contract owes is always withdrawable. The credit is zeroed
    ///      before the transfer, so a re-entering recipient finds nothing more to take.
    function withdraw() external returns (uint256 amount_) {
        amount_ = _credits[msg.sender];
        if (amount_ == 0) revert NothingToWithdraw();
        _credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount_);
        (bool ok,) = payable(msg.sender).call{value: amount_}("");
        if (!ok) revert TransferFailed();
    }

    ////////////////////////////////////////////////////////////////
    //                         Governance                         //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function setParams(Params calldata _newParams) external onlyRole(PARAMETER_SETTER_ROLE) {
        _setParams(_newParams);
    }

    /// @inheritdoc IVerdict
    function pause() external onlyRole(GUARDIAN_ROLE) {
        if (_pausedAt != 0) revert ProtocolPaused();
        _pausedAt = uint64(block.timestamp);
        emit ProtocolPausedAt(msg.sender, _activeNow().raw());
    }

    /// @inheritdoc IVerdict
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        if (_pausedAt == 0) revert ProtocolNotPaused();
        uint64 pausedSeconds = uint64(block.timestamp) - _pausedAt;
        // Every deadline and clock lives on the active-time axis, so adding the pause to the
        // offset gives every party back exactly the time the pause took.
        _pausedTotal += pausedSeconds;
        _pausedAt = 0;
        emit ProtocolUnpaused(msg.sender, pausedSeconds);
    }

    /// @inheritdoc IVerdict
    function invalidateProposal(uint256 _proposalId) external onlyRole(GUARDIAN_ROLE) {
        Proposal storage p = _pendingProposal(_proposalId);
        p.status = ProposalStatus.Invalidated;
        // Refund rule (§2.5): governance invalidation is no proof of fault, so the bond is returned
        // in full; open games are closed (challengers refunded) through closeGame.
        _credit(p.proposer, p.bond);
        emit ProposalInvalidated(_proposalId, msg.sender);
    }

    /// @inheritdoc IVerdict
    function invalidateGame(uint256 _gameId) external onlyRole(GUARDIAN_ROLE) {
        Game storage g = _games[_gameId];
        if (g.status == GameStatus.None) revert UnknownGame(_gameId);
        if (g.status != GameStatus.Active) revert GameNotActive(_gameId);
        _close(_gameId, g, true);
    }

    /// @inheritdoc IVerdict
    function rollback(uint64 _afterTimestamp, uint256 _maxProposals)
        external
        onlyRole(GUARDIAN_ROLE)
        returns (uint256 rolledBack_, bool done_)
    {
        // INVARIANT: nothing finalizes while a rollback is in progress, so the log only shrinks.
        if (_pausedAt == 0) revert ProtocolNotPaused();
        uint256 len = _finalized.length;
        while (len != 0 && rolledBack_ < _maxProposals) {
            uint256 id = _finalized[len - 1];
            Proposal storage p = _proposals[id];
            if (p.finalizedAt <= _afterTimestamp) break;
            // Results recorded from a rolled-back proposal stop being valid lazily (see _resultValid),
            // so the work per call is bounded by proposals, not by jobs.
            p.status = ProposalStatus.RolledBack;
            _finalized.pop();
            --len;
            ++rolledBack_;
            emit ProposalRolledBack(id, p.finalizedAt);
        }
        done_ = len == 0 || _proposals[_finalized[len - 1]].finalizedAt <= _afterTimestamp;
        emit RollbackProgress(_afterTimestamp, rolledBack_, done_);
    }

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function registry() external view returns (address) {
        return address(REGISTRY);
    }

    /// @inheritdoc IVerdict
    function K() external view returns (uint256) {
        return BRANCHING;
    }

    /// @inheritdoc IVerdict
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @inheritdoc IVerdict
    function activeNow() external view returns (uint64) {
        return _activeNow().raw();
    }

    /// @inheritdoc IVerdict
    function paused() external view returns (bool) {
        return _pausedAt != 0;
    }

    /// @inheritdoc IVerdict
    function finalizedCount() external view returns (uint256) {
        return _finalized.length;
    }

    /// @inheritdoc IVerdict
    function getJob(uint256 _jobId) external view returns (Job memory) {
        return _jobs[_jobId];
    }

    /// @inheritdoc IVerdict
    function attestationDigest(uint256 _programId, bytes32 _inputRoot, uint256 _nonce, uint256 _deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(ATTESTATION_TYPEHASH, _programId, _inputRoot, _nonce, _deadline))
        );
    }

    /// @inheritdoc IVerdict
    function initialStateHash(uint256 _jobId) external view returns (bytes32) {
        Job storage job = _jobs[_jobId];
        if (job.programId == 0) revert UnknownJob(_jobId);
        Program memory program = REGISTRY.getProgram(job.programId);
        return
            IStepVerifier(program.verifier)
                .initialStateHash(program.programRoot, program.entry, job.inputRoot);
    }

    /// @inheritdoc IVerdict
    function getProposal(uint256 _proposalId) external view returns (Proposal memory) {
        return _proposals[_proposalId];
    }

    /// @inheritdoc IVerdict
    function getGame(uint256 _gameId) external view returns (Game memory) {
        return _games[_gameId];
    }

    /// @inheritdoc IVerdict
    function gameTurn(uint256 _gameId) external view returns (Turn turn_, uint64 leftSeconds_) {
        Game storage g = _games[_gameId];
        if (g.status != GameStatus.Active) return (Turn.None, 0);
        if (_proposals[g.proposalId].status != ProposalStatus.Pending) return (Turn.Close, 0);
        if (g.interiorCommit != NO_INTERIOR) turn_ = Turn.Pick;
        else if (g.position.log2Len() == 0) turn_ = Turn.Step;
        else turn_ = Turn.Dissect;
        leftSeconds_ = g.clock.leftAt(_activeNow()).raw();
    }

    /// @inheritdoc IVerdict
    function result(uint256 _jobId)
        public
        view
        returns (bool final_, bytes32 finalStateHash_, uint256 proposalId_)
    {
        Job storage job = _jobs[_jobId];
        if (_resultValid(job)) return (true, job.resultHash, job.resultProposalId);
    }

    /// @inheritdoc IVerdict
    function output(uint256 _jobId) public view returns (Output memory output_, bool current_) {
        output_ = _outputs[_jobId];
        (bool final_, bytes32 stateHash,) = result(_jobId);
        current_ = final_ && output_.stateHash == stateHash;
    }

    /// @inheritdoc IVerdict
    function credit(address _account) external view returns (uint256) {
        return _credits[_account];
    }

    /// @inheritdoc IVerdict
    function leafHash(uint256 _jobId, bytes32 _finalStateHash) external pure returns (bytes32) {
        return _leafHash(_jobId, _finalStateHash);
    }

    ////////////////////////////////////////////////////////////////
    //                          Internals                         //
    ////////////////////////////////////////////////////////////////

    /// @dev Active time: wall time minus every second spent paused; frozen while paused.
    function _activeNow() internal view returns (Timestamp now_) {
        uint64 wall = _pausedAt != 0 ? _pausedAt : uint64(block.timestamp);
        now_ = Timestamp.wrap(wall - _pausedTotal);
    }

    function _program(uint256 _programId) internal view returns (Program memory program_) {
        program_ = REGISTRY.getProgram(_programId);
        if (program_.verifier == address(0)) revert UnknownProgram(_programId);
    }

    function _computeInputRoot(Program memory _prog, bytes calldata _input)
        internal
        view
        returns (bytes32 root_)
    {
        uint256 max = _params.maxInputBytes;
        if (_input.length > max) revert InputTooLarge(_input.length, max);
        root_ = IStepVerifier(_prog.verifier).inputRoot(_input);
    }

    function _storeJob(
        uint256 _programId,
        bytes32 _root,
        address _signer,
        uint256 _nonce,
        bytes calldata _input
    ) internal returns (uint256 jobId_) {
        if (msg.value > type(uint96).max) revert FeeTooLarge(msg.value);
        jobId_ = ++jobCount;
        Job storage job = _jobs[jobId_];
        job.requester = msg.sender;
        job.programId = uint64(_programId);
        job.inputRoot = _root;
        if (_signer != address(0) || msg.value != 0) {
            job.signer = _signer;
            job.fee = uint96(msg.value);
        }
        emit JobSubmitted(jobId_, _programId, msg.sender, _root, _signer, _nonce, msg.value, _input);
    }

    function _pendingProposal(uint256 _proposalId) internal view returns (Proposal storage p_) {
        p_ = _proposals[_proposalId];
        if (p_.status == ProposalStatus.None) revert UnknownProposal(_proposalId);
        if (p_.status != ProposalStatus.Pending) revert ProposalNotPending(_proposalId);
    }

    function _finalizedProposal(uint256 _proposalId) internal view returns (Proposal storage p_) {
        p_ = _proposals[_proposalId];
        if (p_.status == ProposalStatus.None) revert UnknownProposal(_proposalId);
        if (p_.status != ProposalStatus.Finalized) revert ProposalNotFinalized(_proposalId);
    }

    /// @dev An Active game on a Pending proposal (moves and timeouts need both).
    function _activeGame(uint256 _gameId) internal view returns (Game storage g_, Proposal storage p_) {
        g_ = _games[_gameId];
        if (g_.status == GameStatus.None) revert UnknownGame(_gameId);
        if (g_.status != GameStatus.Active) revert GameNotActive(_gameId);
        p_ = _proposals[g_.proposalId];
        if (p_.status != ProposalStatus.Pending) revert ProposalNotPending(g_.proposalId);
    }

    function _challengerOnMove(Game storage _g) internal view returns (bool) {
        return _g.interiorCommit != NO_INTERIOR || _g.position.log2Len() == 0;
    }

    /// @dev The first challenger win defeats the proposal and takes its bond (minus the burn share).
    function _challengerWins(uint256 _gameId, Game storage _g, Resolution _how) internal {
        uint256 proposalId = _g.proposalId;
        Proposal storage p = _proposals[proposalId];
        _g.status = GameStatus.ChallengerWon;
        p.status = ProposalStatus.Defeated;
        p.openGames -= 1;
        uint256 burned = uint256(p.bond) * p.burnBps / 10_000;
        uint256 paid = uint256(_g.bond) + p.bond - burned;
        _credit(_g.challenger, paid);
        _burn(burned);
        emit ProposalDefeated(proposalId, _gameId);
        emit GameResolved(_gameId, proposalId, GameStatus.ChallengerWon, _how, _g.challenger, paid, burned);
    }

    /// @dev A proposer win takes the challenger's bond (minus the burn share); the proposal stays pending.
    function _proposerWins(uint256 _gameId, Game storage _g, Resolution _how) internal {
        uint256 proposalId = _g.proposalId;
        Proposal storage p = _proposals[proposalId];
        _g.status = GameStatus.ProposerWon;
        p.openGames -= 1;
        uint256 burned = uint256(_g.bond) * _g.burnBps / 10_000;
        uint256 paid = _g.bond - burned;
        _credit(p.proposer, paid);
        _burn(burned);
        emit GameResolved(_gameId, proposalId, GameStatus.ProposerWon, _how, p.proposer, paid, burned);
    }

    function _close(uint256 _gameId, Game storage _g, bool _byGovernance) internal {
        uint256 proposalId = _g.proposalId;
        Proposal storage p = _proposals[proposalId];
        _g.status = GameStatus.Closed;
        if (p.status == ProposalStatus.Pending) p.openGames -= 1;
        _credit(_g.challenger, _g.bond);
        emit GameClosed(_gameId, proposalId, _byGovernance, _g.bond);
    }

    function _verifyRecordable(Proposal storage _p, Leaf calldata _leaf, bytes32[] calldata _proof)
        internal
        view
    {
        if (_leaf.jobId == 0 || _leaf.jobId > _p.jobCount) revert JobNotInScope(_leaf.jobId);
        if (!MerkleProof.verifyCalldata(_proof, _p.root, _leafHash(_leaf.jobId, _leaf.finalStateHash))) {
            revert InvalidLeafProof();
        }
    }

    /// @dev A recorded result counts only while the proposal it came from is Finalized (not rolled back).
    function _resultValid(Job storage _job) internal view returns (bool) {
        uint256 pid = _job.resultProposalId;
        return pid != 0 && _proposals[pid].status == ProposalStatus.Finalized;
    }

    function _record(uint256 _proposalId, address _proposer, Leaf calldata _leaf) internal {
        Job storage job = _jobs[_leaf.jobId];
        job.resultHash = _leaf.finalStateHash;
        job.resultProposalId = uint64(_proposalId);
        uint256 fee = job.fee;
        if (fee != 0) {
            job.fee = 0;
            _credit(_proposer, fee);
        }
        emit ResultRecorded(_leaf.jobId, _proposalId, _leaf.finalStateHash, _proposer, fee);
    }

    function _credit(address _account, uint256 _amount) internal {
        if (_amount == 0) return;
        _credits[_account] += _amount;
        emit Credited(_account, _amount);
    }

    function _burn(uint256 _amount) internal {
        if (_amount == 0) return;
        (bool ok,) = BURN_ADDRESS.call{value: _amount}("");
        if (!ok) revert TransferFailed();
        emit Burned(_amount);
    }

    function _setParams(Params memory _p) internal {
        // INVARIANT: bonds and clocks are nonzero, and 0 < burn < 100% so that a self-challenge
        // always costs the burn share while an honest challenger still profits.
        if (
            _p.proposerBond == 0 || _p.challengerBond == 0 || _p.challengeWindow == 0 || _p.clockSeconds == 0
                || _p.burnBps == 0 || _p.burnBps >= 10_000 || _p.maxInputBytes == 0
                || _p.maxInputBytes > INPUT_REGION_CAPACITY || _p.maxBatchSize == 0
        ) revert InvalidParams();
        _params = _p;
        emit ParamsSet(_p);
    }

    function _leafHash(uint256 _jobId, bytes32 _finalStateHash) internal pure returns (bytes32 leaf_) {
        assembly ("memory-safe") {
            mstore(0x00, _jobId)
            mstore(0x20, _finalStateHash)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf_ := keccak256(0x00, 0x20)
        }
    }

    /// @dev keccak256 of the packed interior hashes (what a dissection stores).
    function _commit(bytes32[] calldata _interior) internal pure returns (bytes32 commit_) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, _interior.length)
            calldatacopy(ptr, _interior.offset, size)
            commit_ := keccak256(ptr, size)
        }
    }

    /// @dev Root of the sorted-pair tree over the double-hashed leaves, odd nodes promoted unchanged
    ///      (merkletreejs with sortPairs, OpenZeppelin MerkleProof compatible). Built in place in free
    ///      memory: one pass hashes the leaves, then each level overwrites the front of the buffer.
    function _merkleRoot(Leaf[] calldata _leaves) internal pure returns (bytes32 root_) {
        assembly ("memory-safe") {
            let n := _leaves.length
            let buf := mload(0x40)
            let src := _leaves.offset
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                calldatacopy(0x00, add(src, shl(6, i)), 0x40)
                mstore(0x00, keccak256(0x00, 0x40))
                mstore(add(buf, shl(5, i)), keccak256(0x00, 0x20))
            }
            for {} gt(n, 1) {} {
                let half := shr(1, n)
                for { let i := 0 } lt(i, half) { i := add(i, 1) } {
                    let a := mload(add(buf, shl(6, i)))
                    let b := mload(add(buf, add(shl(6, i), 0x20)))
                    switch lt(a, b)
                    case 1 {
                        mstore(0x00, a)
                        mstore(0x20, b)
                    }
                    default {
                        mstore(0x00, b)
                        mstore(0x20, a)
                    }
                    mstore(add(buf, shl(5, i)), keccak256(0x00, 0x40))
                }
                if and(n, 1) { mstore(add(buf, shl(5, half)), mload(add(buf, shl(5, sub(n, 1))))) }
                n := add(half, and(n, 1))
            }
            root_ := mload(buf)
        }
    }

    function _min(uint8 _a, uint8 _b) internal pure returns (uint8) {
        return _a < _b ? _a : _b;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The Verdict protocol contract (docs/spec.md §2): jobs (programs come from ProgramRegistry) with
// onchain input roots, committed-then-revealed bonded result batches, finalization, results and
// outputs, fees, proposer stakes, and governance (pause that freezes time, invalidation, rollback).
// The dispute games live in DisputeGame, which reports defeats and resolved roots through the
// `on*` hooks. This contract holds every proposer stake and job fee; DisputeGame holds claim bonds.

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import {IVerdict} from "./interfaces/IVerdict.sol";
import {IDisputeGame} from "./interfaces/IDisputeGame.sol";
import {IProgramRegistry} from "./interfaces/IProgramRegistry.sol";
import "./lib/Errors.sol";
import {LibMoney} from "./lib/LibMoney.sol";
import {Timestamp, ProposalStatus, Leaf, Params, Program, Job, Proposal, Disputes} from "./lib/Types.sol";

/// @title Verdict
/// @notice Optimistic verifiable computation: committed, bonded result batches, defended in the shared
///         claim trees of DisputeGame, finalized, recorded and paid.
contract Verdict is IVerdict, AccessControl, EIP712 {
    /// @notice Semantic version of the protocol contract.
    string public constant version = "0.2.0";

    /// @notice May pause/unpause, invalidate proposals and games, roll back, retire verifiers. It can
    ///         stop things, never approve them.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice May set bonds, window, clock, burn share and limits (within bounds; new proposals only).
    bytes32 public constant PARAMETER_SETTER_ROLE = keccak256("PARAMETER_SETTER_ROLE");

    /// @notice EIP-712 type of a data source's attestation of a job input. It binds the requester and
    ///         the fee, so nobody else can submit the attested job first (with another fee).
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "InputAttestation(uint256 programId,bytes32 inputRoot,address requester,uint256 fee,uint256 nonce,uint256 deadline)"
    );

    /// @notice Where the burned share of forfeited stakes is sent.
    address public constant BURN_ADDRESS = address(0xdEaD);

    /// @notice Largest input the machine's input region can hold (2^30 bytes minus the header).
    uint32 public constant INPUT_REGION_CAPACITY = (1 << 30) - 32;

    /// @notice Largest `maxInputBytes` governance may set: a job's input travels in calldata (data
    ///         availability) and its root is computed here, so a limit is only real if a job at it
    ///         fits in a block. At 512 KiB of non-zero bytes `submitJob` costs 21.0M gas (EIP-7623
    ///         floor 40 gas/byte; inputRoot 7.7M of execution), 70 % of a 30M block; at 1 MiB it
    ///         would cost 42.0M and could never be submitted (protocol/test/scenarios/InputLimit.t.sol,
    ///         docs/spec.md §2.5). Below INPUT_REGION_CAPACITY.
    /// @dev Unit: bytes.
    uint32 public constant MAX_INPUT_BYTES = 1 << 19;

    /// @notice Bounds of every parameter (docs/spec.md §2.5): no setter can make a window or a clock
    ///         too short to answer in, a bond too large to post, or a burn that rounds to nothing.
    /// @dev Unit: seconds.
    uint64 public constant MIN_WINDOW_SECONDS = 60;
    /// @dev Unit: seconds.
    uint64 public constant MAX_WINDOW_SECONDS = 30 days;
    /// @dev Unit: seconds.
    uint64 public constant MIN_CLOCK_SECONDS = 60;
    /// @dev Unit: seconds. Below 2^24 (node durations are uint24).
    uint64 public constant MAX_CLOCK_SECONDS = 7 days;
    /// @dev Unit: wei.
    uint96 public constant MIN_BOND = 1 gwei;
    /// @dev Unit: wei.
    uint96 public constant MAX_BOND = 1000 ether;
    /// @dev Unit: basis points. At most half of a forfeited bond is burned, so winners are paid.
    uint16 public constant MAX_BURN_BPS = 5000;
    /// @dev Unit: leaves.
    uint32 public constant MAX_BATCH_SIZE = 4096;
    /// @dev Unit: seconds.
    uint64 public constant MAX_FEE_TIMEOUT_SECONDS = 365 days;
    /// @notice Extra time a recorded fee stays locked beyond two clocks, so that an earlier-committed
    ///         proposal with the same result can still take it (docs/spec.md §2.4).
    /// @dev Unit: seconds.
    uint64 public constant FEE_MARGIN_SECONDS = 600;

    /// @notice Where programs (and their verifiers) are registered.
    IProgramRegistry internal immutable REGISTRY;
    /// @notice The dispute games of this protocol (fixed at deployment).
    IDisputeGame internal immutable GAME;

    Params internal _params;
    /// @dev Block timestamp when the current pause began; 0 while running.
    uint64 internal _pausedAt;
    /// @dev Unit: seconds. Total time spent paused in completed pauses.
    uint64 internal _pausedTotal;
    /// @dev Unit: seconds. The largest `challengeWindow + 3 * clockSeconds` ever in force: no proposal
    ///      finalizes later than this after its reveal (fee lock, §2.4).
    uint64 internal _maxSpan;

    uint256 public jobCount;
    uint256 public proposalCount;

    mapping(uint256 jobId => Job) internal _jobs;
    mapping(address signer => mapping(uint256 nonce => bool)) public nonceUsed;
    mapping(uint256 proposalId => Proposal) internal _proposals;
    mapping(bytes32 commitment => uint256 blockNumber) public commitments;
    mapping(address account => uint256 wei_) internal _credits;
    /// @dev Finalized proposal ids in finalization order; rollback pops from the end.
    uint256[] internal _finalized;

    /// @param _registry The program registry.
    /// @param _game The dispute game contract, deployed just before with this contract's address.
    /// @param _admin DEFAULT_ADMIN_ROLE holder (a TimelockController in production).
    /// @param _guardian GUARDIAN_ROLE holder (zero: none yet).
    /// @param _parameterSetter PARAMETER_SETTER_ROLE holder (the timelock in production; zero: none yet).
    /// @param _initialParams Initial parameters (validated like `setParams`).
    constructor(
        IProgramRegistry _registry,
        IDisputeGame _game,
        address _admin,
        address _guardian,
        address _parameterSetter,
        Params memory _initialParams
    ) EIP712("Verdict", "1") {
        // INVARIANT: someone can always govern, and the game is bound to this contract both ways.
        if (_admin == address(0) || address(_registry) == address(0) || address(_game) == address(0)) {
            revert ZeroAddress();
        }
        if (_game.VERDICT() != address(this)) revert Unauthorized();
        REGISTRY = _registry;
        GAME = _game;
        _grantRole(DEFAULT_ADMIN_ROLE, _admin);
        if (_guardian != address(0)) _grantRole(GUARDIAN_ROLE, _guardian);
        if (_parameterSetter != address(0)) _grantRole(PARAMETER_SETTER_ROLE, _parameterSetter);
        _setParams(_initialParams);
    }

    ////////////////////////////////////////////////////////////////
    //                         Modifiers                          //
    ////////////////////////////////////////////////////////////////

    modifier whenNotPaused() {
        if (_pausedAt != 0) revert ProtocolPaused();
        _;
    }

    modifier onlyGame() {
        if (msg.sender != address(GAME)) revert Unauthorized();
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
        bytes32 digest = attestationDigest(_programId, root, msg.sender, msg.value, _nonce, _deadline);
        if (!SignatureChecker.isValidSignatureNow(_signer, digest, _signature)) revert InvalidSignature();
        nonceUsed[_signer][_nonce] = true;
        jobId_ = _storeJob(_programId, root, _signer, _nonce, _input);
    }

    ////////////////////////////////////////////////////////////////
    //                   Proposals & finalization                 //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function commitProposal(bytes32 _commitment) external whenNotPaused {
        // INVARIANT: the first commitment of a batch counts; it is made before anyone can see the leaves.
        if (commitments[_commitment] == 0) commitments[_commitment] = block.number;
        emit ProposalCommitted(_commitment, msg.sender, block.number);
    }

    /// @inheritdoc IVerdict
    function propose(Leaf[] calldata _leaves, bytes32 _salt)
        external
        payable
        whenNotPaused
        returns (uint256 proposalId_)
    {
        Params memory params_ = _params;
        uint256 n = _leaves.length;
        if (n == 0) revert EmptyBatch();
        if (n > params_.maxBatchSize) revert BatchTooLarge(n, params_.maxBatchSize);
        // INVARIANT: every proposal locks exactly the stake in force when it is made.
        if (msg.value != params_.proposerBond) revert WrongBond(msg.value, params_.proposerBond);
        bytes32 root = _merkleRoot(_leaves);
        uint64 commitBlock = _consumeCommitment(root, _salt);
        proposalId_ = ++proposalCount;
        _storeProposal(proposalId_, root, uint32(n), commitBlock, params_);
        Proposal storage p = _proposals[proposalId_];
        emit Proposed(
            proposalId_, msg.sender, root, params_.proposerBond, p.deadline.raw(), p.jobCount, _leaves
        );
    }

    /// @dev The block of the caller's commitment to (root, salt), which must be mined already.
    function _consumeCommitment(bytes32 _root, bytes32 _salt) internal returns (uint64 commitBlock_) {
        bytes32 commitment = keccak256(abi.encode(msg.sender, _root, _salt));
        uint256 commitBlock = commitments[commitment];
        // INVARIANT: a batch is revealed only after its commitment was mined, so a copier who learns
        //            the leaves from the reveal always commits later (and ranks after it for fees).
        if (commitBlock == 0 || commitBlock >= block.number) revert NotCommitted(commitment);
        delete commitments[commitment];
        commitBlock_ = uint64(commitBlock);
    }

    /// @dev Writes a new Pending proposal with its snapshot of the parameters.
    function _storeProposal(uint256 _id, bytes32 _root, uint32 _n, uint64 _commitBlock, Params memory _ps)
        internal
    {
        Proposal storage p = _proposals[_id];
        p.proposer = msg.sender;
        p.deadline = Timestamp.wrap(_activeNow().raw() + _ps.challengeWindow);
        p.status = ProposalStatus.Pending;
        p.root = _root;
        p.stake = _ps.proposerBond;
        p.claimBond = _ps.claimBond;
        p.clockSeconds = _ps.clockSeconds;
        p.burnBps = _ps.burnBps;
        p.jobCount = uint64(jobCount);
        p.leafCount = _n;
        p.commitBlock = _commitBlock;
        p.revealedAt = _activeNow();
    }

    /// @inheritdoc IVerdict
    function finalize(uint256 _proposalId) external whenNotPaused {
        Proposal storage p = _pendingProposal(_proposalId);
        uint64 now_ = _activeNow().raw();
        // INVARIANT: results finalize only after the full window ...
        if (now_ < p.deadline.raw()) revert WindowOpen(_proposalId);
        Disputes memory d = GAME.disputes(_proposalId);
        // ... and once no game can change the proposal's fate: every path of every game has run out
        // of time (a game lasts at most two clocks) and a challenger has had one more clock to resolve
        // a node the proposer failed to dissect (which defeats the proposal).
        if (d.games != 0 && now_ < d.lastOpenAt.raw() + 3 * p.clockSeconds) revert GamesOpen(_proposalId);
        p.status = ProposalStatus.Finalized;
        p.finalizedAt = uint64(block.timestamp);
        _finalized.push(_proposalId);
        _credit(p.proposer, p.stake);
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
        if (!_record(_proposalId, p, _leaf)) revert ResultAlreadyRecorded(_leaf.jobId);
    }

    /// @inheritdoc IVerdict
    /// @dev Jobs whose result cannot be (re)recorded from this proposal are skipped (so racing settlers
    ///      do not revert each other); any invalid proof reverts the whole call.
    function recordResults(uint256 _proposalId, Leaf[] calldata _leaves, bytes32[][] calldata _proofs)
        external
        whenNotPaused
    {
        if (_leaves.length != _proofs.length) revert LengthMismatch();
        Proposal storage p = _finalizedProposal(_proposalId);
        for (uint256 i; i < _leaves.length; ++i) {
            _verifyRecordable(p, _leaves[i], _proofs[i]);
            _record(_proposalId, p, _leaves[i]);
        }
    }

    /// @inheritdoc IVerdict
    function claimFee(uint256 _jobId) external whenNotPaused {
        Job storage job = _jobs[_jobId];
        if (!_resultValid(job)) revert NoResult(_jobId);
        uint256 fee = job.fee;
        if (fee == 0) revert NothingToWithdraw();
        Proposal storage p = _proposals[job.resultProposalId];
        uint64 unlockAt = p.revealedAt.raw() + _maxSpan + FEE_MARGIN_SECONDS;
        // INVARIANT: a fee is paid only once every proposal committed earlier with the same result has
        //            had the time to finalize and take it (a copier never earns it). Such a proposal was
        //            revealed before this one's commitment, so it finalized (or fell) within the longest
        //            window plus three clocks ever in force after this one's reveal, whatever governance
        //            changed in between.
        if (_activeNow().raw() < unlockAt) revert FeeLocked(_jobId, unlockAt);
        job.fee = 0;
        _credit(p.proposer, fee);
        emit FeeClaimed(_jobId, job.resultProposalId, p.proposer, fee);
    }

    /// @inheritdoc IVerdict
    function reclaimFee(uint256 _jobId) external whenNotPaused {
        Job storage job = _jobs[_jobId];
        if (job.programId == 0) revert UnknownJob(_jobId);
        if (msg.sender != job.requester) revert NotRequester(_jobId);
        uint256 fee = job.fee;
        // INVARIANT: a fee comes back only for a job nobody proved in time.
        if (fee == 0 || _resultValid(job) || _activeNow().raw() < job.reclaimAt.raw()) {
            revert FeeNotReclaimable(_jobId);
        }
        job.fee = 0;
        _credit(msg.sender, fee);
        emit FeeReclaimed(_jobId, msg.sender, fee);
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
    //                  Hooks of the dispute game                 //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IVerdict
    function onDefeat(uint256 _proposalId, uint256 _gameId) external onlyGame {
        Proposal storage p = _proposals[_proposalId];
        if (p.status != ProposalStatus.Pending) return;
        p.status = ProposalStatus.Defeated;
        // Self-challenges never pay: the burn share of the stake (rounded up) is burned when the
        // proposal's first defeated root resolves; the rest pays the openers of its defeated leaves.
        (uint256 burned, uint256 share) = _defeatTerms(p);
        emit ProposalDefeated(_proposalId, _gameId, burned, share);
    }

    /// @inheritdoc IVerdict
    function onRootResolved(uint256 _proposalId, address _opener, bool _defeated, bool _last)
        external
        onlyGame
    {
        Proposal storage p = _proposals[_proposalId];
        if (p.status != ProposalStatus.Defeated) return;
        uint256 pool = p.rewardPool;
        uint256 share = p.rewardShare;
        if (share == 0) {
            // First settlement of the defeat (share > 0: stake >= MIN_BOND > burn + leafCount).
            uint256 burned;
            (burned, share) = _defeatTerms(p);
            pool = p.stake - burned;
            p.rewardShare = uint96(share);
            _burn(burned);
        }
        if (_defeated) {
            // Each defeated leaf's opener gets the same share, whoever else opened games: the
            // proposer's own challenges on other leaves cannot shrink it.
            uint256 paid = share < pool ? share : pool;
            pool -= paid;
            _credit(_opener, paid);
            emit LeafRewardPaid(_proposalId, _opener, paid);
        }
        if (_last) {
            _burn(pool);
            emit StakeSettled(_proposalId, pool);
            pool = 0;
        }
        p.rewardPool = uint96(pool);
    }

    /// @dev Burn share of a defeated proposal's stake and each defeated leaf's reward.
    function _defeatTerms(Proposal storage _p) internal view returns (uint256 burned_, uint256 share_) {
        uint256 stake = _p.stake;
        burned_ = LibMoney.burnOf(stake, _p.burnBps);
        share_ = (stake - burned_) / _p.leafCount;
    }

    /// @inheritdoc IVerdict
    function onInvalidate(uint256 _proposalId, address _by) external onlyGame {
        _invalidate(_proposalId, _by);
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
        GAME.onPauseChanged(_pausedAt, _pausedTotal);
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
        GAME.onPauseChanged(0, _pausedTotal);
        emit ProtocolUnpaused(msg.sender, pausedSeconds);
    }

    /// @inheritdoc IVerdict
    function invalidateProposal(uint256 _proposalId) external onlyRole(GUARDIAN_ROLE) {
        _invalidate(_proposalId, msg.sender);
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
    function game() external view returns (address) {
        return address(GAME);
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
    function maxSpan() external view returns (uint64) {
        return _maxSpan;
    }

    /// @inheritdoc IVerdict
    function clockState() external view returns (uint64 activeNow_, bool paused_) {
        return (_activeNow().raw(), _pausedAt != 0);
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
    function attestationDigest(
        uint256 _programId,
        bytes32 _inputRoot,
        address _requester,
        uint256 _fee,
        uint256 _nonce,
        uint256 _deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(ATTESTATION_TYPEHASH, _programId, _inputRoot, _requester, _fee, _nonce, _deadline)
            )
        );
    }

    /// @inheritdoc IVerdict
    function initialStateHash(uint256 _jobId) external view returns (bytes32 startHash_) {
        (startHash_,,) = jobStart(_jobId);
    }

    /// @inheritdoc IVerdict
    function jobStart(uint256 _jobId)
        public
        view
        returns (bytes32 startHash_, address verifier_, uint8 depth_)
    {
        Job storage job = _jobs[_jobId];
        if (job.programId == 0) revert UnknownJob(_jobId);
        Program memory program = REGISTRY.getProgram(job.programId);
        // INVARIANT: the agreed start of every dispute is derived onchain, never posted by a party.
        startHash_ = IStepVerifier(program.verifier)
            .initialStateHash(program.programRoot, program.entry, job.inputRoot);
        verifier_ = program.verifier;
        depth_ = program.depth;
    }

    /// @inheritdoc IVerdict
    function getProposal(uint256 _proposalId) external view returns (Proposal memory) {
        return _proposals[_proposalId];
    }

    /// @inheritdoc IVerdict
    function gameTerms(uint256 _proposalId) external view returns (Proposal memory p_) {
        Proposal storage p = _proposals[_proposalId];
        (p_.proposer, p_.deadline, p_.status, p_.root) = (p.proposer, p.deadline, p.status, p.root);
        (p_.claimBond, p_.clockSeconds, p_.burnBps, p_.jobCount) =
        (p.claimBond, p.clockSeconds, p.burnBps, p.jobCount);
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
    function credit(address _account) external view returns (uint256) {
        return _credits[_account];
    }

    /// @inheritdoc IVerdict
    function leafHash(uint256 _jobId, bytes32 _finalStateHash) external pure returns (bytes32) {
        return LibMoney.leafHash(_jobId, _finalStateHash);
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
        if (msg.value != 0) job.reclaimAt = Timestamp.wrap(_activeNow().raw() + _params.feeTimeout);
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

    /// @dev Governance stops a Pending proposal: it can never finalize, and every bond goes back to
    ///      whoever posted it (refund rule, §2.5), the stake here, claim bonds in the game.
    function _invalidate(uint256 _proposalId, address _by) internal {
        Proposal storage p = _pendingProposal(_proposalId);
        p.status = ProposalStatus.Invalidated;
        _credit(p.proposer, p.stake);
        GAME.onProposalInvalidated(_proposalId);
        emit ProposalInvalidated(_proposalId, _by);
    }

    function _verifyRecordable(Proposal storage _p, Leaf calldata _leaf, bytes32[] calldata _proof)
        internal
        view
    {
        if (_leaf.jobId == 0 || _leaf.jobId > _p.jobCount) revert JobNotInScope(_leaf.jobId);
        if (!MerkleProof.verifyCalldata(
                _proof, _p.root, LibMoney.leafHash(_leaf.jobId, _leaf.finalStateHash)
            )) {
            revert InvalidLeafProof();
        }
    }

    /// @dev A recorded result counts only while the proposal it came from is Finalized (not rolled back).
    function _resultValid(Job storage _job) internal view returns (bool) {
        uint256 pid = _job.resultProposalId;
        return pid != 0 && _proposals[pid].status == ProposalStatus.Finalized;
    }

    /// @dev Records `_leaf` as the job's result, or moves an unclaimed fee's claim to this proposal when
    ///      it committed the same result earlier than the one recorded. Returns false if neither applies.
    function _record(uint256 _proposalId, Proposal storage _p, Leaf calldata _leaf) internal returns (bool) {
        Job storage job = _jobs[_leaf.jobId];
        if (_resultValid(job)) {
            bool earlier = job.fee != 0 && job.resultHash == _leaf.finalStateHash
                && _p.commitBlock < _proposals[job.resultProposalId].commitBlock;
            if (!earlier) return false;
        } else {
            job.resultHash = _leaf.finalStateHash;
            job.recordedAt = _activeNow();
        }
        job.resultProposalId = uint64(_proposalId);
        emit ResultRecorded(_leaf.jobId, _proposalId, _leaf.finalStateHash, _p.proposer, job.fee);
        return true;
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
        // INVARIANT: every parameter is bounded, so no setter (even a compromised one) can make a
        //            window or clock too short to answer in, a bond unpostable, or a burn zero; and a
        //            fee is reclaimable only after an honest proposal had time to finalize.
        if (
            _p.proposerBond < MIN_BOND || _p.proposerBond > MAX_BOND || _p.claimBond < MIN_BOND
                || _p.claimBond > MAX_BOND || _p.challengeWindow < MIN_WINDOW_SECONDS
                || _p.challengeWindow > MAX_WINDOW_SECONDS || _p.clockSeconds < MIN_CLOCK_SECONDS
                || _p.clockSeconds > MAX_CLOCK_SECONDS || _p.burnBps == 0 || _p.burnBps > MAX_BURN_BPS
                || _p.maxInputBytes == 0 || _p.maxInputBytes > MAX_INPUT_BYTES || _p.maxBatchSize == 0
                || _p.maxBatchSize > MAX_BATCH_SIZE || _p.feeTimeout > MAX_FEE_TIMEOUT_SECONDS
                || _p.feeTimeout < _p.challengeWindow + 4 * _p.clockSeconds + FEE_MARGIN_SECONDS
        ) revert InvalidParams();
        _params = _p;
        uint64 span = _p.challengeWindow + 3 * _p.clockSeconds;
        if (span > _maxSpan) _maxSpan = span;
        emit ParamsSet(_p);
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
}

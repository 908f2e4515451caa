// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The dispute games of the Verdict protocol (docs/spec.md §2.3). One game per (proposal, leaf): a
// k-ary claim tree in which the proposer's dissection of a node is posted once and answers every
// challenger, every claim (a challenge or a dissection) is bonded, each side's time is accounted
// per path, and bonds are settled bottom-up: a failed claim's bond goes to whoever countered it.
// A single failed node defeats the proposal at once (Verdict.onDefeat). Claim bonds live in this
// contract's own ledger of pull credits; proposal stakes and job fees live in Verdict.

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IDisputeGame} from "./interfaces/IDisputeGame.sol";
import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import {IVerdict} from "./interfaces/IVerdict.sol";
import "./lib/Errors.sol";
import {LibMoney} from "./lib/LibMoney.sol";
import {
    Timestamp,
    Position,
    LibPosition,
    ProposalStatus,
    Leaf,
    Proposal,
    Game,
    Node,
    NodeStatus,
    Disputes
} from "./lib/Types.sol";

/// @title DisputeGame
/// @notice Shared k-ary claim trees over the proposer's trace, decided by one-step proofs.
contract DisputeGame is IDisputeGame {
    /// @notice Semantic version of the game contract.
    string public constant version = "0.2.0";

    /// @notice The guardian role of Verdict (may invalidate a game, which invalidates its proposal).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Where the burned share of forfeited bonds is sent.
    address public constant BURN_ADDRESS = address(0xdEaD);

    /// @notice The protocol contract whose proposals the games dispute.
    IVerdict internal immutable VERDICT_;
    /// @notice Branching factor k of the dissection (a power of two, 2..64).
    uint256 internal immutable BRANCHING;
    /// @notice log2(k).
    uint8 internal immutable LOG2_K;

    uint256 public gameCount;

    /// @dev Mirror of Verdict's pause state (pushed by Verdict in the same transaction), so that a
    ///      move reads the active time without an external call.
    uint64 internal _pausedAt;
    /// @dev Unit: seconds.
    uint64 internal _pausedTotal;

    mapping(uint256 gameId => Game) internal _games;
    mapping(uint256 gameId => mapping(uint64 position => Node)) internal _nodes;
    mapping(uint256 gameId => mapping(uint64 position => bytes32)) internal _commits;
    mapping(bytes32 proposalLeaf => uint256 gameId) internal _gameOf;
    mapping(uint256 proposalId => Disputes) internal _disputes;
    mapping(address account => uint256 wei_) internal _credits;

    /// @dev True while `multicall` runs its calls: the ETH sent was credited once already.
    bool internal transient _batching;

    /// @param _verdict The protocol contract (deployed right after this one, at a predicted address).
    /// @param _k Branching factor: a power of two in 2..64.
    constructor(IVerdict _verdict, uint256 _k) {
        // INVARIANT: k is a power of two, 2 <= k <= 64, so every segment length 2^l splits evenly and
        //            a node never has more than 64 parts (they are counted in uint8).
        if (_k < 2 || _k > 64 || _k & (_k - 1) != 0) revert InvalidBranching(_k);
        if (address(_verdict) == address(0)) revert ZeroAddress();
        VERDICT_ = _verdict;
        BRANCHING = _k;
        uint8 log2k;
        while ((uint256(1) << log2k) < _k) ++log2k;
        LOG2_K = log2k;
    }

    ////////////////////////////////////////////////////////////////
    //                         Modifiers                          //
    ////////////////////////////////////////////////////////////////

    modifier whenNotPaused() {
        // INVARIANT: while paused nothing moves, so no clock can run out unseen.
        if (_pausedAt != 0) revert ProtocolPaused();
        _;
    }

    modifier onlyVerdict() {
        if (msg.sender != address(VERDICT_)) revert Unauthorized();
        _;
    }

    ////////////////////////////////////////////////////////////////
    //                           Moves                            //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IDisputeGame
    function openGame(uint256 _proposalId, Leaf calldata _leaf, bytes32[] calldata _proof)
        external
        payable
        whenNotPaused
        returns (uint256 gameId_)
    {
        Proposal memory p = VERDICT_.gameTerms(_proposalId);
        if (p.status == ProposalStatus.None) revert UnknownProposal(_proposalId);
        if (p.status != ProposalStatus.Pending) revert ProposalNotPending(_proposalId);
        Timestamp now_ = _now();
        // INVARIANT: games open only inside the window, so every game ends by deadline + 2 clocks.
        if (Timestamp.unwrap(now_) >= Timestamp.unwrap(p.deadline)) revert WindowClosed(_proposalId);
        // INVARIANT: only leaves that can ever be recorded are worth disputing.
        if (_leaf.jobId == 0 || _leaf.jobId > p.jobCount) revert JobNotInScope(_leaf.jobId);
        bytes32 leaf = LibMoney.leafHash(_leaf.jobId, _leaf.finalStateHash);
        if (!MerkleProof.verifyCalldata(_proof, p.root, leaf)) revert InvalidLeafProof();
        bytes32 key = keccak256(abi.encode(_proposalId, leaf));
        // INVARIANT: a claim is posted once: one tree per (proposal, leaf) answers every challenger.
        uint256 existing = _gameOf[key];
        if (existing != 0) revert GameExists(existing);

        gameId_ = ++gameCount;
        _gameOf[key] = gameId_;
        _create(gameId_, _proposalId, _leaf, p, now_);
    }

    /// @dev Writes a new game and its challenged root (split out of openGame: stack depth).
    function _create(
        uint256 _gameId,
        uint256 _proposalId,
        Leaf calldata _leaf,
        Proposal memory _p,
        Timestamp _now_
    ) internal {
        (bytes32 startHash, address verifier, uint8 depth) = VERDICT_.jobStart(_leaf.jobId);
        Game storage g = _games[_gameId];
        g.proposer = _p.proposer;
        g.proposalId = uint64(_proposalId);
        g.depth = depth;
        g.burnBps = _p.burnBps;
        g.verifier = verifier;
        g.openedAt = _now_;
        g.clockSeconds = uint24(_p.clockSeconds);
        g.claimBond = _p.claimBond;
        g.jobId = uint64(_leaf.jobId);
        g.endHash = _leaf.finalStateHash;

        Disputes storage d = _disputes[_proposalId];
        d.games += 1;
        d.rootsOpen += 1;
        d.lastOpenAt = _now_;

        uint64 root = Position.unwrap(LibPosition.wrap(0, depth));
        Node storage n = _nodes[_gameId][root];
        n.challenger = msg.sender;
        n.status = NodeStatus.Challenged;
        _take(msg.sender, _p.claimBond);
        emit GameOpened(
            _gameId,
            _proposalId,
            _leaf.jobId,
            msg.sender,
            startHash,
            _leaf.finalStateHash,
            depth,
            Timestamp.unwrap(_now_)
        );
        emit NodeChallenged(_gameId, root, msg.sender, 0, 0, 0, 0);
    }

    /// @inheritdoc IDisputeGame
    function dissect(uint256 _gameId, uint64 _position, bytes32[] calldata _interior)
        external
        payable
        whenNotPaused
    {
        // No invalidation check: a bond posted after an invalidation is refunded like every other
        // (only steps and resolutions move money, and both check it).
        Game storage g = _game(_gameId);
        // INVARIANT: the proposer's tree holds only the proposer's claims.
        if (msg.sender != g.proposer) revert NotProposer();
        Node storage n = _nodes[_gameId][_position];
        uint8 log2Len = LibPosition.log2Len(Position.wrap(_position));
        if (n.status != NodeStatus.Challenged || log2Len == 0) {
            revert WrongNodeState(_position, uint8(n.status));
        }
        uint256 elapsed = Timestamp.unwrap(_now()) - _challengedAt(g, n);
        // INVARIANT: the proposer's time on this path is what it spent on the nodes above plus here.
        if (n.proposerUsed + elapsed >= g.clockSeconds) revert ClockExpired();
        uint256 expected = (uint256(1) << _min(LOG2_K, log2Len)) - 1;
        if (_interior.length != expected) revert WrongInteriorLength(_interior.length, expected);
        _commits[_gameId][_position] = _commit(_interior);
        n.dissectDelay = uint24(elapsed);
        n.status = NodeStatus.Dissected;
        _take(msg.sender, _dissectionBond(g));
        emit NodeDissected(_gameId, _position, _interior, uint64(n.proposerUsed + elapsed));
    }

    /// @inheritdoc IDisputeGame
    function challenge(uint256 _gameId, uint64 _parent, uint256 _index) external payable whenNotPaused {
        Game storage g = _game(_gameId);
        Node storage parent = _nodes[_gameId][_parent];
        if (parent.status != NodeStatus.Dissected) revert WrongNodeState(_parent, uint8(parent.status));
        uint256 elapsed = Timestamp.unwrap(_now()) - _challengedAt(g, parent) - parent.dissectDelay;
        // INVARIANT: challengers' time on a path is bounded like the proposer's.
        if (parent.challengerUsed + elapsed >= g.clockSeconds) revert ClockExpired();
        Position pp = Position.wrap(_parent);
        uint8 log2Parts = _min(LOG2_K, pp.log2Len());
        if (_index >= (uint256(1) << log2Parts)) revert IndexOutOfRange(_index, uint256(1) << log2Parts);
        Position cp = pp.child(_index, log2Parts);
        uint64 child = Position.unwrap(cp);
        Node storage c = _nodes[_gameId][child];
        // INVARIANT: a claim is challenged once; later challengers join the existing challenge.
        if (c.status != NodeStatus.None) revert AlreadyChallenged(child);
        uint24 proposerUsed = parent.proposerUsed + parent.dissectDelay;
        uint24 challengerUsed = uint24(parent.challengerUsed + elapsed);
        c.challenger = msg.sender;
        c.proposerUsed = proposerUsed;
        c.challengerUsed = challengerUsed;
        c.status = NodeStatus.Challenged;
        parent.openChildren += 1;
        _take(msg.sender, g.claimBond);
        emit NodeChallenged(_gameId, child, msg.sender, _parent, _index, proposerUsed, challengerUsed);
    }

    /// @inheritdoc IDisputeGame
    function step(
        uint256 _gameId,
        uint64 _position,
        bytes32[][] calldata _ancestry,
        bytes calldata _stateData,
        bytes calldata _proof
    ) external payable whenNotPaused {
        _absorb();
        bool defeated = _execute(_gameId, _position, _ancestry, _stateData, _proof);
        Game storage g = _games[_gameId];
        Node storage n = _nodes[_gameId][_position];
        // INVARIANT: the verifier's post-state alone decides a length-1 node.
        if (defeated) _defeat(_gameId, g, _position, n, false, msg.sender);
        else _uphold(_gameId, g, _position, n, false);
    }

    /// @inheritdoc IDisputeGame
    function resolveNode(uint256 _gameId, uint64 _position) external payable whenNotPaused {
        _absorb();
        Game storage g = _game(_gameId);
        Node storage n = _nodes[_gameId][_position];
        NodeStatus status = n.status;
        if (status != NodeStatus.Challenged && status != NodeStatus.Dissected) {
            revert WrongNodeState(_position, uint8(status));
        }
        Disputes storage d = _disputes[g.proposalId];
        // Refund rule (§2.5): governance invalidation is no proof of fault.
        if (d.invalidated) return _refund(_gameId, g, _position, n);
        (Turn turn, uint64 left) = _turn(g, _position, n);
        if (turn == Turn.Children) revert ChildrenOpen(n.openChildren);
        if (turn != Turn.Resolve) revert ClockNotExpired(left);
        if (status == NodeStatus.Dissected) {
            if (n.defeatedChildren != 0) _defeat(_gameId, g, _position, n, true, n.challenger);
            else _uphold(_gameId, g, _position, n, true);
        } else if (LibPosition.log2Len(Position.wrap(_position)) != 0) {
            // INVARIANT: a proposer that does not dissect a challenged node in time loses it.
            _defeat(_gameId, g, _position, n, false, n.challenger);
        } else {
            // INVARIANT: a length-1 challenge nobody proved in time fails.
            _uphold(_gameId, g, _position, n, false);
        }
    }

    /// @inheritdoc IDisputeGame
    function multicall(bytes[] calldata _calls) external payable returns (bytes[] memory results_) {
        bool outer = !_batching;
        if (outer) {
            if (msg.value != 0) _credit(msg.sender, msg.value);
            _batching = true;
        }
        results_ = new bytes[](_calls.length);
        for (uint256 i; i < _calls.length; ++i) {
            (bool ok, bytes memory ret) = address(this).delegatecall(_calls[i]);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            results_[i] = ret;
        }
        if (outer) _batching = false;
    }

    /// @inheritdoc IDisputeGame
    function deposit() external payable {
        _absorb();
    }

    /// @inheritdoc IDisputeGame
    /// @dev Allowed while paused: what the contract owes is always withdrawable. The credit is zeroed
    ///      before the transfer, so a re-entering recipient finds nothing more to take.
    function withdraw() external returns (uint256 amount_) {
        // INVARIANT: no untrusted call happens while a batch runs, so nothing can re-enter a
        //            multicall (whose ETH was credited once, up front).
        if (_batching) revert WithdrawInBatch();
        amount_ = _credits[msg.sender];
        if (amount_ == 0) revert NothingToWithdraw();
        _credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount_);
        (bool ok,) = payable(msg.sender).call{value: amount_}("");
        if (!ok) revert TransferFailed();
    }

    ////////////////////////////////////////////////////////////////
    //                 Governance and Verdict hooks               //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IDisputeGame
    function invalidateGame(uint256 _gameId) external {
        if (!IAccessControl(address(VERDICT_)).hasRole(GUARDIAN_ROLE, msg.sender)) revert Unauthorized();
        Game storage g = _game(_gameId);
        // INVARIANT: governance can stop a proposal, never approve one: a game is never dropped while
        //            its proposal may still finalize. Verdict invalidates the proposal (Pending only)
        //            and calls back `onProposalInvalidated`.
        VERDICT_.onInvalidate(g.proposalId, msg.sender);
        emit GameInvalidated(_gameId, g.proposalId, msg.sender);
    }

    /// @notice Verdict: the proposal was invalidated; every bond of its games is refunded on resolution.
    function onProposalInvalidated(uint256 _proposalId) external onlyVerdict {
        _disputes[_proposalId].invalidated = true;
    }

    /// @notice Verdict: the pause state changed.
    function onPauseChanged(uint64 _newPausedAt, uint64 _newPausedTotal) external onlyVerdict {
        _pausedAt = _newPausedAt;
        _pausedTotal = _newPausedTotal;
    }

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IDisputeGame
    function K() external view returns (uint256) {
        return BRANCHING;
    }

    /// @inheritdoc IDisputeGame
    function VERDICT() external view returns (address) {
        return address(VERDICT_);
    }

    /// @inheritdoc IDisputeGame
    function gameOf(uint256 _proposalId, bytes32 _leafHash_) external view returns (uint256) {
        return _gameOf[keccak256(abi.encode(_proposalId, _leafHash_))];
    }

    /// @inheritdoc IDisputeGame
    function getGame(uint256 _gameId) external view returns (Game memory) {
        return _games[_gameId];
    }

    /// @inheritdoc IDisputeGame
    function dissectionBond(uint256 _gameId) external view returns (uint256) {
        return _dissectionBond(_game(_gameId));
    }

    /// @inheritdoc IDisputeGame
    function getNode(uint256 _gameId, uint64 _position) external view returns (Node memory) {
        return _nodes[_gameId][_position];
    }

    /// @inheritdoc IDisputeGame
    function interiorCommit(uint256 _gameId, uint64 _position) external view returns (bytes32) {
        return _commits[_gameId][_position];
    }

    /// @inheritdoc IDisputeGame
    function nodeTurn(uint256 _gameId, uint64 _position)
        external
        view
        returns (Turn turn_, uint64 leftSeconds_)
    {
        Game storage g = _games[_gameId];
        Node storage n = _nodes[_gameId][_position];
        if (n.status != NodeStatus.Challenged && n.status != NodeStatus.Dissected) return (Turn.None, 0);
        if (_disputes[g.proposalId].invalidated) return (Turn.Resolve, 0);
        return _turn(g, _position, n);
    }

    /// @inheritdoc IDisputeGame
    function disputes(uint256 _proposalId) external view returns (Disputes memory) {
        return _disputes[_proposalId];
    }

    /// @inheritdoc IDisputeGame
    function credit(address _account) external view returns (uint256) {
        return _credits[_account];
    }

    /// @notice Active time as this contract sees it (equal to `Verdict.activeNow()`).
    function activeNow() external view returns (uint64) {
        return Timestamp.unwrap(_now());
    }

    ////////////////////////////////////////////////////////////////
    //                          Internals                         //
    ////////////////////////////////////////////////////////////////

    function _now() internal view returns (Timestamp now_) {
        uint64 wall = _pausedAt != 0 ? _pausedAt : uint64(block.timestamp);
        now_ = Timestamp.wrap(wall - _pausedTotal);
    }

    function _game(uint256 _gameId) internal view returns (Game storage g_) {
        g_ = _games[_gameId];
        if (g_.proposalId == 0) revert UnknownGame(_gameId);
    }

    /// @dev A game whose proposal was not invalidated (moves need one).
    function _liveGame(uint256 _gameId) internal view returns (Game storage g_) {
        g_ = _game(_gameId);
        if (_disputes[g_.proposalId].invalidated) revert GameVoid(_gameId);
    }

    /// @dev Active time at which the node was challenged: path times add up from the opening.
    function _challengedAt(Game storage _g, Node storage _n) internal view returns (uint256) {
        return uint256(Timestamp.unwrap(_g.openedAt)) + _n.proposerUsed + _n.challengerUsed;
    }

    /// @dev What can happen at an open node, and the seconds left on the clock that bounds it.
    function _turn(Game storage _g, uint64 _position, Node storage _n)
        internal
        view
        returns (Turn turn_, uint64 left_)
    {
        uint256 now_ = Timestamp.unwrap(_now());
        uint256 at = _challengedAt(_g, _n);
        uint256 clock = _g.clockSeconds;
        uint256 used;
        if (_n.status == NodeStatus.Dissected) {
            used = _n.challengerUsed + (now_ - at - _n.dissectDelay);
            turn_ = Turn.Pick;
        } else if (LibPosition.log2Len(Position.wrap(_position)) != 0) {
            used = _n.proposerUsed + (now_ - at);
            turn_ = Turn.Dissect;
        } else {
            used = _n.challengerUsed + (now_ - at);
            turn_ = Turn.Step;
        }
        if (used < clock) return (turn_, uint64(clock - used));
        turn_ = _n.status == NodeStatus.Dissected && _n.openChildren != 0 ? Turn.Children : Turn.Resolve;
    }

    /// @dev Checks and executes the step of a challenged length-1 node; true if the proposer's end
    ///      hash is wrong.
    function _execute(
        uint256 _gameId,
        uint64 _position,
        bytes32[][] calldata _ancestry,
        bytes calldata _stateData,
        bytes calldata _proof
    ) internal returns (bool defeated_) {
        Game storage g = _liveGame(_gameId);
        Node storage n = _nodes[_gameId][_position];
        if (n.status != NodeStatus.Challenged || LibPosition.log2Len(Position.wrap(_position)) != 0) {
            revert WrongNodeState(_position, uint8(n.status));
        }
        if (n.challengerUsed + (Timestamp.unwrap(_now()) - _challengedAt(g, n)) >= g.clockSeconds) {
            revert ClockExpired();
        }
        (bytes32 startHash, bytes32 endHash) = _segmentHashes(_gameId, g, _position, _ancestry);
        {
            bytes32 pre = keccak256(_stateData);
            // INVARIANT: the step starts from the proposer's own claim at the node's start.
            if (pre != startHash) revert PreStateMismatch(pre, startHash);
        }
        bytes32 post = IStepVerifier(g.verifier).step(_stateData, _proof);
        emit NodeStepped(_gameId, _position, msg.sender, startHash, post, endHash);
        defeated_ = post != endHash;
    }

    /// @dev Start and end hash of the node at `_position`. Walking down from the root, a part's start is
    ///      the parent's interior hash before it (or the parent's start for part 0) and its end the hash
    ///      after it (or the parent's end for the last part), so only the deepest level that moved the
    ///      start and the deepest that moved the end matter. `_ancestry` has one entry per level; those
    ///      two are checked against their stored commitments (each commitment is keyed by position, so
    ///      it stands on its own) and the others are ignored (pass them empty).
    function _segmentHashes(
        uint256 _gameId,
        Game storage _g,
        uint64 _position,
        bytes32[][] calldata _ancestry
    ) internal view returns (bytes32 start_, bytes32 end_) {
        Position cur = LibPosition.wrap(0, _g.depth);
        Position target = Position.wrap(_position);
        uint256 startLevel = type(uint256).max;
        uint256 endLevel = type(uint256).max;
        uint256 startIndex;
        uint256 endIndex;
        uint256 level;
        while (cur.log2Len() > target.log2Len()) {
            uint8 log2Parts = _min(LOG2_K, cur.log2Len());
            uint256 index = (target.start() - cur.start()) >> (cur.log2Len() - log2Parts);
            if (index != 0) (startLevel, startIndex) = (level, index - 1);
            if (index != (uint256(1) << log2Parts) - 1) (endLevel, endIndex) = (level, index);
            cur = cur.child(index, log2Parts);
            ++level;
        }
        if (level != _ancestry.length) revert WrongAncestryLength(_ancestry.length, level);
        start_ = startLevel == type(uint256).max
            ? _rootStart(_g)
            : _interiorAt(_gameId, _g, target, startLevel, _ancestry[startLevel], startIndex);
        end_ = endLevel == type(uint256).max
            ? _g.endHash
            : _interiorAt(_gameId, _g, target, endLevel, _ancestry[endLevel], endIndex);
    }

    /// @dev Hash `_index` of the interior committed by the ancestor of `_target` at `_level`.
    function _interiorAt(
        uint256 _gameId,
        Game storage _g,
        Position _target,
        uint256 _level,
        bytes32[] calldata _interior,
        uint256 _index
    ) internal view returns (bytes32) {
        Position anc = LibPosition.wrap(0, _g.depth);
        for (uint256 l; l < _level; ++l) {
            uint8 log2Parts = _min(LOG2_K, anc.log2Len());
            anc = anc.child((_target.start() - anc.start()) >> (anc.log2Len() - log2Parts), log2Parts);
        }
        if (_commit(_interior) != _commits[_gameId][Position.unwrap(anc)]) revert InteriorMismatch();
        return _interior[_index];
    }

    /// @dev T(0) of the game's job, derived onchain again (it is not stored).
    function _rootStart(Game storage _g) internal view returns (bytes32 start_) {
        (start_,,) = VERDICT_.jobStart(_g.jobId);
    }

    /// @dev The proposer's claim at the node failed: the challenger gets its bond back and its
    ///      reward (a share of the parent dissection's bond, or for the root the leaf's share of the
    ///      proposal's stake); the node's own dissection bond, if any, paid its defeated parts and the
    ///      rest is burned. When a step decided it, the stepper (`_prover`) gets half of the share, so
    ///      whoever proves a defeat on a node someone else occupies is paid for the proof, and a copied
    ///      step still leaves the challenger half.
    function _defeat(
        uint256 _gameId,
        Game storage _g,
        uint64 _position,
        Node storage _n,
        bool _dissected,
        address _prover
    ) internal {
        _n.status = NodeStatus.Defeated;
        uint256 bond = _g.claimBond;
        address challenger = _n.challenger;
        uint256 dBond = _dissectionBond(_g);
        uint256 burned = _dissected ? dBond - _share(dBond, _position) * _n.defeatedChildren : 0;
        _proposalDefeated(_gameId, _g);
        Position pos = Position.wrap(_position);
        uint256 reward;
        if (pos.log2Len() == _g.depth) {
            Disputes storage d = _disputes[_g.proposalId];
            d.rootsOpen -= 1;
            VERDICT_.onRootResolved(_g.proposalId, challenger, true, d.rootsOpen == 0);
        } else {
            uint256 rewardBurn;
            (reward, rewardBurn) = _parentShare(_gameId, _g, pos);
            burned += rewardBurn;
        }
        uint256 proverCut = _prover != challenger ? reward / 2 : 0;
        _credit(_prover, proverCut);
        _credit(challenger, bond + reward - proverCut);
        _burn(burned);
        emit NodeResolved(
            _gameId, _position, NodeStatus.Defeated, challenger, bond + reward - proverCut, 0, burned
        );
    }

    /// @dev One failed claim of the proposer is enough: the proposal can never finalize.
    function _proposalDefeated(uint256 _gameId, Game storage _g) internal {
        Disputes storage d = _disputes[_g.proposalId];
        if (d.defeated) return;
        d.defeated = true;
        VERDICT_.onDefeat(_g.proposalId, _gameId);
    }

    /// @dev Marks a defeated part in its parent and returns the part's reward out of the parent
    ///      dissection's bond, net of its burn share, and that burn share.
    function _parentShare(uint256 _gameId, Game storage _g, Position _pos)
        internal
        returns (uint256 net_, uint256 burn_)
    {
        uint64 parentPos = _parentOf(_g, _pos);
        Node storage parent = _nodes[_gameId][parentPos];
        parent.openChildren -= 1;
        parent.defeatedChildren += 1;
        uint256 share = _share(_dissectionBond(_g), parentPos);
        burn_ = LibMoney.burnOf(share, _g.burnBps);
        net_ = share - burn_;
    }

    /// @dev The challenge failed: its bond goes to the proposer (minus the burn share), and the node's
    ///      dissection bond, if any, goes back to the proposer.
    function _uphold(uint256 _gameId, Game storage _g, uint64 _position, Node storage _n, bool _dissected)
        internal
    {
        _n.status = NodeStatus.Upheld;
        uint256 bond = _g.claimBond;
        uint256 burned = LibMoney.burnOf(bond, _g.burnBps);
        uint256 paid = bond - burned;
        if (_dissected) paid += _dissectionBond(_g);
        Position pos = Position.wrap(_position);
        if (pos.log2Len() == _g.depth) {
            uint256 proposalId = _g.proposalId;
            Disputes storage d = _disputes[proposalId];
            d.rootsOpen -= 1;
            if (d.rootsOpen == 0 && d.defeated) {
                VERDICT_.onRootResolved(proposalId, _n.challenger, false, true);
            }
        } else {
            _nodes[_gameId][_parentOf(_g, pos)].openChildren -= 1;
        }
        _credit(_g.proposer, paid);
        _burn(burned);
        emit NodeResolved(_gameId, _position, NodeStatus.Upheld, _n.challenger, 0, paid, burned);
    }

    /// @dev Governance invalidated the proposal: every bond still held at this node goes back to
    ///      whoever posted it (no defeat can precede an invalidation, so no share was paid out).
    function _refund(uint256 _gameId, Game storage _g, uint64 _position, Node storage _n) internal {
        bool dissected = _n.status == NodeStatus.Dissected;
        _n.status = NodeStatus.Refunded;
        uint256 bond = _g.claimBond;
        uint256 dBond = _dissectionBond(_g);
        uint256 proposerPaid = dissected ? dBond - _share(dBond, _position) * _n.defeatedChildren : 0;
        Position pos = Position.wrap(_position);
        if (pos.log2Len() == _g.depth) _disputes[_g.proposalId].rootsOpen -= 1;
        else _nodes[_gameId][_parentOf(_g, pos)].openChildren -= 1;
        _credit(_n.challenger, bond);
        _credit(_g.proposer, proposerPaid);
        emit NodeResolved(_gameId, _position, NodeStatus.Refunded, _n.challenger, bond, proposerPaid, 0);
    }

    /// @dev Position of the parent of a non-root node. Levels are fixed by D: the root has log2Len D
    ///      and each level below takes min(log2 k, log2Len) off.
    function _parentOf(Game storage _g, Position _p) internal view returns (uint64 parent_) {
        uint8 l = _g.depth;
        uint8 target = _p.log2Len();
        uint8 parts;
        while (true) {
            parts = _min(LOG2_K, l);
            if (l - parts == target) break;
            l -= parts;
        }
        uint64 mask = (uint64(1) << l) - 1;
        parent_ = Position.unwrap(LibPosition.wrap(_p.start() & ~mask, l));
    }

    /// @dev The bond of a dissection: a k-th of the claim bond. Every dissection answers a challenge
    ///      that cost its challenger the whole claim bond, so an attacker who challenges a correct
    ///      claim must lock k times what the honest proposer locks to answer it (§2.7, capital).
    function _dissectionBond(Game storage _g) internal view returns (uint256) {
        return uint256(_g.claimBond) >> LOG2_K;
    }

    /// @dev What each defeated part of a dissection at `_position` receives out of its bond.
    function _share(uint256 _bond, uint64 _position) internal view returns (uint256) {
        return _bond >> _min(LOG2_K, LibPosition.log2Len(Position.wrap(_position)));
    }

    /// @dev Takes a bond from `_from`'s credit after crediting the ETH sent with this call.
    function _take(address _from, uint256 _amount) internal {
        uint256 value = _batching ? 0 : msg.value;
        if (value == _amount) return;
        uint256 available = _credits[_from] + value;
        if (available < _amount) revert InsufficientCredit(available, _amount);
        _credits[_from] = available - _amount;
    }

    /// @dev Credits the ETH sent with a call that takes no bond.
    function _absorb() internal {
        if (!_batching && msg.value != 0) _credit(msg.sender, msg.value);
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

    /// @dev keccak256 of the packed interior hashes (what a dissection stores).
    function _commit(bytes32[] calldata _interior) internal pure returns (bytes32 commit_) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, _interior.length)
            calldatacopy(ptr, _interior.offset, size)
            commit_ := keccak256(ptr, size)
        }
    }

    function _min(uint8 _a, uint8 _b) internal pure returns (uint8) {
        return _a < _b ? _a : _b;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzz handler of the protocol invariants (Protocol.invariants.t.sol), on the real RV32IM verifier with
// the echo guest's trace and step proofs (protocol/test/fixtures/echo.json; every job runs that input).
//
// Actors: an honest proposer and an honest challenger (both always online: `warp` lets them answer
// everything before time moves, so their moves take no path time), a dishonest proposer (wrong leaves,
// dissects when it likes, with its faulty trace or garbage), attackers (open, challenge, step, batch,
// resolve at random), the guardian (pause, unpause, invalidate, rollback), the parameter setter, and
// both of them trying the registry's admin powers (depth limit, admin role), which must always fail.
//
// Calls are NOT pre-filtered by the contracts' own checks: every fuzzed call is made, a revert is
// counted per (action, error selector) and checked against the errors that action may legitimately
// raise; anything else (a panic, an empty revert, an unlisted error) counts as unexpected. An honest
// party's move must never revert.
//
// Outcomes are predicted: before each call the handler decides, from its own model (pause state,
// active time, each side's clock per path, node and proposal states, credits, parameters, results),
// never from the contracts' storage, whether the call must revert or must succeed; a call that does
// the other is a violation (`outcomeViolations`). Every prediction here is exact: each condition
// the contracts check is one the model tracks. Node resolutions are predicted too (the status a step
// or a resolution must give) and the model applies its own prediction, not what the contract did.
//
// Money is modelled here, independently of the contracts: every wei sent, every bond held per node,
// every payout and burn follows the rules of docs/spec.md §2 as the handler computes them (a challenge
// posts the claim bond, a dissection a k-th of it, a defeated part is paid its share of the dissection
// bond above it); the invariants compare the contracts' balances, credits and burns with this model.

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Verdict} from "../../src/Verdict.sol";
import {DisputeGame} from "../../src/DisputeGame.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {IProgramRegistry} from "../../src/interfaces/IProgramRegistry.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import "../../src/lib/Errors.sol";
import {
    Leaf,
    Params,
    Proposal,
    ProposalStatus,
    NodeStatus,
    Position,
    LibPosition
} from "../../src/lib/Types.sol";
import {TestMerkle} from "../utils/TestMerkle.sol";

contract GameHandler is CommonBase, StdCheats, StdUtils {
    address internal constant DEAD = address(0xdEaD);
    uint256 internal constant HONEST = type(uint256).max;
    uint256 public constant FUNDS = 1_000_000 ether;
    string internal constant FIXTURE = "protocol/test/fixtures/echo.json";
    bytes4 internal constant PANIC = 0x4e487b71;

    Verdict public immutable verdict;
    DisputeGame public immutable game;
    address public immutable registry;
    address public immutable guardian;
    address public immutable setter;
    uint256 public immutable programId;
    uint8 public immutable depth;
    uint8 internal immutable LOG2_K;

    bytes internal input;
    bytes32[] internal trace;
    uint256 internal halt;
    bytes32 internal finalHash;

    address public constant HONEST_PROPOSER = address(0x1111);
    address public constant HONEST_CHALLENGER = address(0x2222);
    address public constant DISHONEST_PROPOSER = address(0x3333);
    address public constant REQUESTER = address(0x4444);
    address[] public actors; // every address that moves money (honest, dishonest, attackers)
    address[] public attackers;

    ////////////////////////////////////////////////////////////////
    //                            Model                           //
    ////////////////////////////////////////////////////////////////

    struct ProposalM {
        address proposer;
        uint256 stake;
        uint256 claimBond;
        uint16 bps;
        uint32 leafCount;
        uint32 rootsOpen;
        uint8 status; // ProposalStatus as the model sees it
        uint256 pool;
        uint256 share;
        bool wrong; // some leaf is wrong
        bool settledByHonest; // honest proposer finalized and recorded it
    }

    struct GameM {
        uint256 pid;
        uint256 fault; // the proposer's trace fault on this leaf (HONEST = the leaf is right)
        uint256 jobId;
    }

    struct NodeM {
        uint8 status; // NodeStatus
        address challenger;
        uint8 defeatedChildren;
        uint256 heldDiss; // what is left of its dissection bond (claimBond / k when posted)
    }

    struct JobM {
        address requester;
        uint256 fee;
        uint64 reclaimAt; // active time from which an unproved job's fee may be taken back
        uint256 resultPid; // proposal its result was recorded from (0: none)
        bytes32 resultHash;
    }

    mapping(uint256 pid => ProposalM) public pm;
    mapping(uint256 pid => Leaf[]) internal _leavesOf;
    mapping(uint256 pid => uint256[]) internal _faultsOf;
    mapping(uint256 pid => uint256[]) internal _gamesOf;
    mapping(uint256 pid => mapping(uint256 leafIndex => uint256 gid)) internal _gameOfLeaf;
    uint256 public proposalCountM;

    mapping(uint256 gid => GameM) public gm;
    uint256 public gameCountM;
    mapping(uint256 gid => mapping(uint64 pos => NodeM)) internal _nm;
    mapping(uint256 gid => mapping(uint64 pos => bytes32[])) internal _interior;
    mapping(uint256 gid => uint64[]) internal _nodesOf;

    mapping(uint256 jobId => JobM) public jm;
    uint256 public jobCountM;

    /// @dev Parameters in force (the deployment's, then every setParams the model let through), and the
    ///      largest window + 3 clocks ever in force (the fee lock).
    Params internal _paramsM;
    uint64 internal _maxSpanM;
    /// @dev Block of each pending commitment, block of each proposal's commitment, active time of each
    ///      reveal.
    mapping(bytes32 commitment => uint256 blockNumber) internal _commitsM;
    mapping(uint256 pid => uint256) internal _commitBlockM;
    mapping(uint256 pid => uint64) internal _revealedAtM;
    /// @dev Finalized proposals in finalization order (rollback pops from the end), and when (wall time).
    uint256[] internal _finalizedM;
    mapping(uint256 pid => uint64) internal _finalizedAtM;

    /// @notice The honest challenger's money per game: bonds posted, bonds still held in open nodes,
    ///         and what came back (bonds, rewards, prover cuts, the leaf's share of the stake).
    mapping(uint256 gid => uint256) public hcPosted;
    mapping(uint256 gid => uint256) public hcHeld;
    mapping(uint256 gid => uint256) public hcBack;
    /// @notice Nodes an honest party was right about that the contract resolved against it: a node whose
    ///         start the proposer claims right and end wrong (the honest challenger's side) Upheld, or a
    ///         node of the honest proposer's games Defeated.
    uint256 public honestLosses;
    bytes32 public lastHonestLoss;

    ////////////////////////////////////////////////////////////////
    //                           Ghosts                           //
    ////////////////////////////////////////////////////////////////

    /// @dev Credits each ledger owes each actor, as the model computes them.
    mapping(address => uint256) public ghostGameCredit;
    mapping(address => uint256) public ghostVerdictCredit;
    /// @dev Wei each actor has locked in open nodes and pending stakes (counted at face value).
    mapping(address => uint256) public ghostHeldBy;
    /// @dev Claim bonds held by the game in open nodes and undistributed dissection bonds.
    uint256 public ghostGameHeld;
    /// @dev Stakes of Pending proposals, reward pools of Defeated ones, escrowed fees.
    uint256 public ghostStakeHeld;
    uint256 public ghostPoolHeld;
    uint256 public ghostFeesHeld;
    /// @dev Every wei the model says was burned.
    uint256 public ghostBurned;
    /// @dev Withdrawals that paid another amount than the model's credit.
    uint256 public ghostWithdrawMismatch;

    /// @dev Reverts per (action, error selector); successful calls per action.
    mapping(bytes32 action => mapping(bytes4 err => uint256)) public reverts;
    mapping(bytes32 action => uint256) public calls;
    bytes32[] internal _actions;
    mapping(bytes32 => bool) internal _seenAction;
    uint256 public unexpectedReverts;
    bytes32 public lastUnexpectedAction;
    bytes public lastUnexpectedError;

    /// @notice Calls whose outcome (revert or success) was not the one the model predicted, and node or
    ///         proposal states the contracts reached that the model did not (the last one's name; true
    ///         if it succeeded although it had to revert).
    uint256 public outcomeViolations;
    bytes32 public lastOutcomeViolation;
    bool public lastOutcomeSucceeded;

    // Clock model: the handler's own account of active time and of each side's time on each path
    // (docs/spec.md §2.3), kept from the times it made each move, so that a move the contract lets
    // through after its clock ran out, an early finalization or a timeout awarded to the wrong side is
    // seen even when no money invariant moves.
    struct ClockM {
        uint64 challengedAt; // active time of the challenge
        uint64 dissectedAt; // active time of the dissection (0 = not dissected)
        uint64 propUsed; // proposer time on the path above the node
        uint64 chalUsed; // challenger time on the path above the node
    }

    mapping(uint256 gid => mapping(uint64 pos => ClockM)) internal _ck;
    mapping(uint256 pid => uint64) internal _clockOf;
    mapping(uint256 pid => uint64) internal _deadlineOf;
    mapping(uint256 pid => uint64) internal _lastOpenOf;
    mapping(uint256 pid => uint32) internal _gamesOpened;
    uint64 internal _pausedAtM;
    uint64 internal _pausedTotalM;
    /// @notice Moves the contract accepted although the clock model forbids them.
    uint256 public clockViolations;
    bytes32 public lastClockViolation;

    /// @dev Smallest clock any proposal was made with (bounds the warps).
    uint64 public minClock;
    uint64 public maxClock;
    uint64 public maxWindow;

    constructor(
        Verdict _verdict,
        DisputeGame _game,
        address _guardian,
        address _setter,
        uint256 _programId,
        uint8 _depth,
        Params memory _initial
    ) {
        verdict = _verdict;
        game = _game;
        registry = _verdict.registry();
        guardian = _guardian;
        setter = _setter;
        programId = _programId;
        depth = _depth;
        uint8 l;
        while ((uint256(1) << l) < _game.K()) ++l;
        LOG2_K = l;
        string memory json = vm.readFile(FIXTURE);
        input = vm.parseJsonBytes(json, ".input");
        trace = vm.parseJsonBytes32Array(json, ".trace");
        halt = vm.parseJsonUint(json, ".halt");
        finalHash = vm.parseJsonBytes32(json, ".finalHash");
        actors.push(HONEST_PROPOSER);
        actors.push(HONEST_CHALLENGER);
        actors.push(DISHONEST_PROPOSER);
        actors.push(REQUESTER);
        for (uint256 i; i < 3; ++i) {
            address a = address(uint160(0xA000 + i));
            attackers.push(a);
            actors.push(a);
        }
        for (uint256 i; i < actors.length; ++i) {
            vm.deal(actors[i], FUNDS);
        }
        // the deployment's parameters (passed in, not read back): the model's starting point
        _paramsM = _initial;
        _maxSpanM = _initial.challengeWindow + 3 * _initial.clockSeconds;
        minClock = _initial.clockSeconds;
        maxClock = _initial.clockSeconds;
        maxWindow = _initial.challengeWindow;
    }

    ////////////////////////////////////////////////////////////////
    //                        Views for tests                     //
    ////////////////////////////////////////////////////////////////

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function actionCount() external view returns (uint256) {
        return _actions.length;
    }

    function actionAt(uint256 _i) external view returns (bytes32) {
        return _actions[_i];
    }

    function leavesOf(uint256 _pid) external view returns (Leaf[] memory) {
        return _leavesOf[_pid];
    }

    /// @dev The bond a dissection in game `_gid` posts, as the model computes it: the claim bond
    ///      snapshotted by the game's proposal, divided by k.
    function dissectionBondM(uint256 _gid) public view returns (uint256) {
        return pm[gm[_gid].pid].claimBond >> LOG2_K;
    }

    /// @dev What `_who` gained since funding, held wei counted at face value (model, not contracts).
    function equity(address _who) public view returns (int256) {
        return int256(_who.balance + ghostGameCredit[_who] + ghostVerdictCredit[_who] + ghostHeldBy[_who])
            - int256(FUNDS);
    }

    /// @dev What `_who` holds outright now: ETH and credits (nothing in play).
    function net(address _who) public view returns (int256) {
        return int256(_who.balance + ghostGameCredit[_who] + ghostVerdictCredit[_who]) - int256(FUNDS);
    }

    function trueHash(uint256 _t) public view returns (bytes32) {
        return _t >= halt ? finalHash : trace[_t];
    }

    /// @notice States the contracts hold that differ from the model's: a node's status, a proposal's
    ///         status, a job's recorded result, or the number of jobs, proposals or games.
    function stateMismatches() external view returns (uint256 n_) {
        if (game.gameCount() != gameCountM || verdict.proposalCount() != proposalCountM) ++n_;
        if (verdict.jobCount() != jobCountM) ++n_;
        for (uint256 gid = 1; gid <= gameCountM; ++gid) {
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                if (uint8(game.getNode(gid, nodes[i]).status) != _nm[gid][nodes[i]].status) ++n_;
            }
        }
        for (uint256 pid = 1; pid <= proposalCountM; ++pid) {
            if (uint8(verdict.getProposal(pid).status) != pm[pid].status) ++n_;
        }
        for (uint256 jobId = 1; jobId <= jobCountM; ++jobId) {
            (bool final_, bytes32 h, uint256 rp) = verdict.result(jobId);
            bool valid = _resultValidM(jobId);
            if (final_ != valid || (valid && (h != jm[jobId].resultHash || rp != jm[jobId].resultPid))) ++n_;
        }
    }

    /// @notice Nodes an honest party is right about that the contract does not (yet) hold as its win:
    ///         a node whose start the proposer claims right and end wrong (the honest challenger plays
    ///         every such node, whoever opened it) that is not Defeated, a node of the honest
    ///         proposer's games that is not Upheld. Refunded (governance invalidation) counts as a win.
    function honestNodesNotWon() external view returns (uint256 n_) {
        for (uint256 gid = 1; gid <= gameCountM; ++gid) {
            bool honestGame = pm[gm[gid].pid].proposer == HONEST_PROPOSER;
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                uint64 pos = nodes[i];
                if (!honestGame && !_onWrongPath(gid, pos)) continue;
                NodeStatus s = game.getNode(gid, pos).status;
                if (s == NodeStatus.Refunded) continue;
                if (s != (honestGame ? NodeStatus.Upheld : NodeStatus.Defeated)) ++n_;
            }
        }
    }

    ////////////////////////////////////////////////////////////////
    //                      Calls and reverts                     //
    ////////////////////////////////////////////////////////////////

    function _count(bytes32 _action) internal {
        if (!_seenAction[_action]) {
            _seenAction[_action] = true;
            _actions.push(_action);
        }
    }

    /// @dev Makes the call as `_who`; counts the outcome; a revert outside `_allowed` is unexpected, and
    ///      an outcome other than the model's (`_mustRevert`) is a violation.
    function _call(
        bytes32 _action,
        address _who,
        address _to,
        uint256 _value,
        bytes memory _data,
        bytes4[] memory _allowed,
        bool _mustRevert
    ) internal returns (bool ok_, bytes memory ret_) {
        _count(_action);
        vm.prank(_who);
        (ok_, ret_) = _to.call{value: _value}(_data);
        if (ok_ == _mustRevert) _outcomeViolation(_action, ok_);
        if (ok_) {
            calls[_action]++;
            return (ok_, ret_);
        }
        bytes4 sel = ret_.length >= 4 ? bytes4(ret_) : bytes4(0);
        reverts[_action][sel]++;
        bool allowed;
        if (sel != PANIC && sel != bytes4(0)) {
            for (uint256 i; i < _allowed.length; ++i) {
                if (_allowed[i] == sel) allowed = true;
            }
        }
        if (!allowed) {
            unexpectedReverts++;
            lastUnexpectedAction = _action;
            lastUnexpectedError = ret_;
        }
    }

    function _outcomeViolation(bytes32 _what, bool _succeeded) internal {
        outcomeViolations++;
        lastOutcomeViolation = _what;
        lastOutcomeSucceeded = _succeeded;
    }

    function _e(bytes4 _a) internal pure returns (bytes4[] memory l_) {
        l_ = new bytes4[](1);
        l_[0] = _a;
    }

    function _e(bytes4 _a, bytes4 _b) internal pure returns (bytes4[] memory l_) {
        l_ = new bytes4[](2);
        l_[0] = _a;
        l_[1] = _b;
    }

    function _e(bytes4 _a, bytes4 _b, bytes4 _c) internal pure returns (bytes4[] memory l_) {
        l_ = new bytes4[](3);
        (l_[0], l_[1], l_[2]) = (_a, _b, _c);
    }

    function _e(bytes4 _a, bytes4 _b, bytes4 _c, bytes4 _d) internal pure returns (bytes4[] memory l_) {
        l_ = new bytes4[](4);
        (l_[0], l_[1], l_[2], l_[3]) = (_a, _b, _c, _d);
    }

    function _e(bytes4 _a, bytes4 _b, bytes4 _c, bytes4 _d, bytes4 _f)
        internal
        pure
        returns (bytes4[] memory l_)
    {
        l_ = new bytes4[](5);
        (l_[0], l_[1], l_[2], l_[3], l_[4]) = (_a, _b, _c, _d, _f);
    }

    function _cat(bytes4[] memory _a, bytes4[] memory _b) internal pure returns (bytes4[] memory l_) {
        l_ = new bytes4[](_a.length + _b.length);
        for (uint256 i; i < _a.length; ++i) {
            l_[i] = _a[i];
        }
        for (uint256 i; i < _b.length; ++i) {
            l_[_a.length + i] = _b[i];
        }
    }

    /// @dev Errors any move of a game may raise for a party that does not check the state first.
    function _moveErrors() internal pure returns (bytes4[] memory) {
        return _cat(
            _e(ProtocolPaused.selector, UnknownGame.selector, GameVoid.selector, WrongNodeState.selector),
            _e(ClockExpired.selector, InsufficientCredit.selector)
        );
    }

    ////////////////////////////////////////////////////////////////
    //                     Positions and traces                   //
    ////////////////////////////////////////////////////////////////

    function _len(uint64 _p) internal pure returns (uint8) {
        return uint8(_p);
    }

    function _start(uint64 _p) internal pure returns (uint64) {
        return _p >> 8;
    }

    function _rootPos() internal view returns (uint64) {
        return Position.unwrap(LibPosition.wrap(0, depth));
    }

    function _lp(uint64 _p) internal view returns (uint8) {
        return _len(_p) < LOG2_K ? _len(_p) : LOG2_K;
    }

    function _childOf(uint64 _p, uint256 _i) internal view returns (uint64) {
        return Position.unwrap(LibPosition.child(Position.wrap(_p), _i, _lp(_p)));
    }

    function _path(uint64 _p) internal view returns (uint64[] memory path_) {
        uint64[] memory buf = new uint64[](64);
        uint256 n;
        uint64 cur = _rootPos();
        buf[n++] = cur;
        while (_len(cur) > _len(_p)) {
            uint8 lp = _lp(cur);
            cur = _childOf(cur, (_start(_p) - _start(cur)) >> (_len(cur) - lp));
            buf[n++] = cur;
        }
        path_ = new uint64[](n);
        for (uint256 i; i < n; ++i) {
            path_[i] = buf[i];
        }
    }

    function _parentOf(uint64 _p) internal view returns (uint64) {
        uint64[] memory path = _path(_p);
        return path[path.length - 2];
    }

    function _traceHash(uint256 _fault, uint256 _t) internal view returns (bytes32) {
        if (_fault == HONEST || _t <= _fault) return trueHash(_t);
        return keccak256(abi.encode("bad state", _t));
    }

    /// @dev The proposer's claimed (start, end) hashes of a node, from the posted interiors.
    function _claims(uint256 _gid, uint64 _p) internal view returns (bytes32 start_, bytes32 end_) {
        GameM storage g = gm[_gid];
        start_ = trueHash(0);
        end_ = _leavesOf[g.pid][_leafIndexOf(_gid)].finalStateHash;
        uint64[] memory path = _path(_p);
        for (uint256 l; l + 1 < path.length; ++l) {
            bytes32[] storage interior = _interior[_gid][path[l]];
            uint256 index = (_start(path[l + 1]) - _start(path[l])) >> (_len(path[l]) - _lp(path[l]));
            if (index != 0) start_ = interior[index - 1];
            if (index != interior.length) end_ = interior[index];
        }
    }

    mapping(uint256 gid => uint256) internal _leafIdx;

    function _leafIndexOf(uint256 _gid) internal view returns (uint256) {
        return _leafIdx[_gid];
    }

    function _ancestry(uint256 _gid, uint64 _p) internal view returns (bytes32[][] memory anc_) {
        uint64[] memory path = _path(_p);
        anc_ = new bytes32[][](path.length - 1);
        for (uint256 l; l + 1 < path.length; ++l) {
            anc_[l] = _interior[_gid][path[l]];
        }
    }

    function _interiorFor(uint64 _p, uint256 _fault) internal view returns (bytes32[] memory interior_) {
        uint8 lp = _lp(_p);
        uint256 n = uint256(1) << lp;
        uint256 partLen = uint256(1) << (_len(_p) - lp);
        interior_ = new bytes32[](n - 1);
        for (uint256 i = 1; i < n; ++i) {
            interior_[i - 1] = _traceHash(_fault, _start(_p) + i * partLen);
        }
    }

    function _stepData(uint256 _t) internal view returns (bytes memory pre_, bytes memory proof_) {
        string memory json = vm.readFile(FIXTURE);
        if (_t >= halt) return (vm.parseJsonBytes(json, ".finalState"), "");
        string memory i = vm.toString(_t);
        pre_ = vm.parseJsonBytes(json, string.concat(".preStates[", i, "]"));
        proof_ = vm.parseJsonBytes(json, string.concat(".proofs[", i, "]"));
    }

    function _hashes(uint256 _pid) internal view returns (bytes32[] memory h_) {
        Leaf[] storage ls = _leavesOf[_pid];
        h_ = new bytes32[](ls.length);
        for (uint256 i; i < ls.length; ++i) {
            h_[i] = TestMerkle.leafHash(ls[i].jobId, ls[i].finalStateHash);
        }
    }

    ////////////////////////////////////////////////////////////////
    //                      Model: resolutions                    //
    ////////////////////////////////////////////////////////////////

    function _burnOf(uint256 _amount, uint256 _bps) internal pure returns (uint256) {
        return (_amount * _bps + 9_999) / 10_000;
    }

    function _creditGame(address _who, uint256 _amount) internal {
        ghostGameCredit[_who] += _amount;
    }

    /// @dev Credits `_who` in the game's ledger out of game `_gid` (the honest challenger's per-game
    ///      account follows).
    function _pay(uint256 _gid, address _who, uint256 _amount) internal {
        ghostGameCredit[_who] += _amount;
        if (_who == HONEST_CHALLENGER) hcBack[_gid] += _amount;
    }

    function _release(address _who, uint256 _amount) internal {
        ghostHeldBy[_who] -= _amount;
        ghostGameHeld -= _amount;
    }

    /// @dev A proposal the model had Pending turned Defeated: the stake's burn share goes, the rest
    ///      becomes the pool of the defeated leaves' openers.
    function _applyDefeat(uint256 _pid) internal {
        ProposalM storage p = pm[_pid];
        if (p.status != uint8(ProposalStatus.Pending)) return;
        p.status = uint8(ProposalStatus.Defeated);
        // the stake stays held until the first root resolves (Verdict burns its share then)
        ghostStakeHeld -= p.stake;
        ghostHeldBy[p.proposer] -= p.stake;
        ghostPoolHeld += p.stake;
        p.pool = p.stake;
    }

    function _rootResolved(uint256 _gid, uint256 _pid, address _opener, bool _defeated) internal {
        ProposalM storage p = pm[_pid];
        p.rootsOpen -= 1;
        if (p.status != uint8(ProposalStatus.Defeated)) return;
        // Verdict hears of a root only when it is defeated or the last one
        if (!_defeated && p.rootsOpen != 0) return;
        if (p.share == 0) {
            uint256 burn = _burnOf(p.stake, p.bps);
            p.share = (p.stake - burn) / p.leafCount;
            p.pool -= burn;
            ghostPoolHeld -= burn;
            ghostBurned += burn;
        }
        if (_defeated) {
            uint256 share = p.share < p.pool ? p.share : p.pool;
            p.pool -= share;
            ghostPoolHeld -= share;
            ghostVerdictCredit[_opener] += share;
            if (_opener == HONEST_CHALLENGER) hcBack[_gid] += share;
        }
        if (p.rootsOpen == 0) {
            ghostBurned += p.pool;
            ghostPoolHeld -= p.pool;
            p.pool = 0;
        }
    }

    /// @dev Applies the money of a node that just resolved to `_status` (model rules, spec §2).
    function _applyResolution(uint256 _gid, uint64 _p, uint8 _status, address _prover) internal {
        GameM storage g = gm[_gid];
        ProposalM storage p = pm[g.pid];
        NodeM storage n = _nm[_gid][_p];
        address proposerAddr = p.proposer;
        uint256 bond = p.claimBond;
        bool root = _len(_p) == depth;
        n.status = _status;
        _release(n.challenger, bond);
        if (n.challenger == HONEST_CHALLENGER) hcHeld[_gid] -= bond;
        uint256 diss = n.heldDiss;
        if (diss != 0) _release(proposerAddr, diss);
        n.heldDiss = 0;
        if (_status == uint8(NodeStatus.Defeated)) {
            ghostBurned += diss;
            uint256 reward = root ? 0 : _partReward(_gid, _p);
            uint256 cut = _prover != address(0) && _prover != n.challenger ? reward / 2 : 0;
            _pay(_gid, _prover, cut);
            _pay(_gid, n.challenger, bond + reward - cut);
            if (root) _rootResolved(_gid, g.pid, n.challenger, true);
        } else if (_status == uint8(NodeStatus.Upheld)) {
            uint256 burn = _burnOf(bond, p.bps);
            ghostBurned += burn;
            _pay(_gid, proposerAddr, bond - burn + diss);
            if (root) _rootResolved(_gid, g.pid, n.challenger, false);
        } else if (_status == uint8(NodeStatus.Refunded)) {
            _pay(_gid, n.challenger, bond);
            _pay(_gid, proposerAddr, diss);
            if (root) pm[g.pid].rootsOpen -= 1;
        } else {
            revert("model: not a resolution");
        }
    }

    /// @dev A defeated non-root node: its parent pays it its share of the parent's dissection bond (a
    ///      k-th of the claim bond, split in as many shares as the parent has parts); returns the
    ///      share net of its burn.
    function _partReward(uint256 _gid, uint64 _p) internal returns (uint256 reward_) {
        uint64 parent = _parentOf(_p);
        NodeM storage pn = _nm[_gid][parent];
        pn.defeatedChildren += 1;
        uint256 share = dissectionBondM(_gid) >> _lp(parent);
        _release(pm[gm[_gid].pid].proposer, share);
        pn.heldDiss -= share;
        uint256 sb = _burnOf(share, pm[gm[_gid].pid].bps);
        ghostBurned += sb;
        reward_ = share - sb;
    }

    /// @dev A call resolved node `_p` of game `_gid`, which by the model had to end `_expected`. The model
    ///      applies its own prediction (a first defeat defeats a Pending proposal, spec §2.3), not what
    ///      the contract did; then the contract's node and proposal must match it, and the contract's
    ///      outcome must not go against an honest party that was right about the node.
    function _resolved(uint256 _gid, uint64 _p, address _prover, uint8 _expected) internal {
        uint256 pid = gm[_gid].pid;
        if (_expected == uint8(NodeStatus.Defeated)) _applyDefeat(pid);
        _applyResolution(_gid, _p, _expected, _prover);
        uint8 actual = uint8(game.getNode(_gid, _p).status);
        if (actual != _expected) _outcomeViolation("node outcome", true);
        if (uint8(verdict.getProposal(pid).status) != pm[pid].status) {
            _outcomeViolation("proposal outcome", true);
        }
        if (actual == uint8(NodeStatus.Upheld) && _onWrongPath(_gid, _p)) {
            _honestLoss("challenger lost a node");
        }
        if (actual == uint8(NodeStatus.Defeated) && pm[pid].proposer == HONEST_PROPOSER) {
            _honestLoss("proposer lost a node");
        }
    }

    function _honestLoss(bytes32 _what) internal {
        honestLosses++;
        lastHonestLoss = _what;
    }

    function _pausedM() internal view returns (bool) {
        return _pausedAtM != 0;
    }

    /// @dev The proposer's time on the path ran out at this challenged node (it can no longer dissect).
    function _dissectLate(uint256 _gid, uint64 _p) internal view returns (bool) {
        ClockM storage c = _ck[_gid][_p];
        return c.propUsed + (_nowM() - c.challengedAt) >= _clockOf[gm[_gid].pid];
    }

    /// @dev The challengers' time on the path ran out at this dissected node (no part can be challenged).
    function _pickLate(uint256 _gid, uint64 _p) internal view returns (bool) {
        ClockM storage c = _ck[_gid][_p];
        return c.chalUsed + (_nowM() - c.dissectedAt) >= _clockOf[gm[_gid].pid];
    }

    /// @dev Parts of a dissected node that are challenged and not resolved.
    function _openChildren(uint256 _gid, uint64 _p) internal view returns (uint256 n_) {
        if (_len(_p) == 0) return 0;
        uint256 parts = uint256(1) << _lp(_p);
        for (uint256 i; i < parts; ++i) {
            uint8 s = _nm[_gid][_childOf(_p, i)].status;
            if (s == uint8(NodeStatus.Challenged) || s == uint8(NodeStatus.Dissected)) ++n_;
        }
    }

    /// @dev Whether resolveNode on the node must revert, by the model, and if not the status it must give.
    function _resolveOutcome(uint256 _gid, uint64 _p)
        internal
        view
        returns (bool mustRevert_, uint8 status_)
    {
        uint8 s = _nm[_gid][_p].status;
        if (_pausedM() || (s != uint8(NodeStatus.Challenged) && s != uint8(NodeStatus.Dissected))) {
            return (true, 0);
        }
        // refund rule (spec §2.5): an invalidated proposal's nodes resolve at once, every bond back
        if (pm[gm[_gid].pid].status == uint8(ProposalStatus.Invalidated)) {
            return (false, uint8(NodeStatus.Refunded));
        }
        bool due;
        (due, status_) = _expectedResolution(_gid, _p);
        // a pick window that ran out with parts still open waits for them (ChildrenOpen)
        mustRevert_ = !due || (s == uint8(NodeStatus.Dissected) && _openChildren(_gid, _p) != 0);
    }

    /// @dev Whether a step of the node from the true pre-state at its start must revert, and if not
    ///      whether it defeats the proposer's claim (the true post-state is not its end claim). Exact
    ///      given the fixture: the pre-state sent hashes to the trace's hash at the start, and the
    ///      verifier's post-state is the trace's next hash (the honest steps check both every run).
    function _stepOutcome(uint256 _gid, uint64 _p) internal view returns (bool mustRevert_, bool defeats_) {
        if (_pausedM() || pm[gm[_gid].pid].status == uint8(ProposalStatus.Invalidated)) return (true, false);
        if (_nm[_gid][_p].status != uint8(NodeStatus.Challenged) || _len(_p) != 0) return (true, false);
        ClockM storage c = _ck[_gid][_p];
        if (c.chalUsed + (_nowM() - c.challengedAt) >= _clockOf[gm[_gid].pid]) return (true, false);
        (bytes32 s, bytes32 e) = _claims(_gid, _p);
        if (s != trueHash(_start(_p))) return (true, false);
        defeats_ = e != trueHash(_start(_p) + 1);
    }

    /// @dev Whether challenging part `_idx` of `_parent` as `_who` with `_value` must revert.
    function _challengeMustRevert(address _who, uint256 _gid, uint64 _parent, uint256 _idx, uint256 _value)
        internal
        view
        returns (bool)
    {
        // no invalidation check: a challenge after an invalidation is accepted and refunded later
        if (_pausedM() || _nm[_gid][_parent].status != uint8(NodeStatus.Dissected)) return true;
        if (_pickLate(_gid, _parent) || _idx >= (uint256(1) << _lp(_parent))) return true;
        if (_nm[_gid][_childOf(_parent, _idx)].status != uint8(NodeStatus.None)) return true;
        return ghostGameCredit[_who] + _value < pm[gm[_gid].pid].claimBond;
    }

    function _nowM() internal view returns (uint64) {
        return (_pausedAtM != 0 ? _pausedAtM : uint64(block.timestamp)) - _pausedTotalM;
    }

    function _pauseChanged(bool _paused) internal {
        if (_paused) {
            _pausedAtM = uint64(block.timestamp);
        } else {
            _pausedTotalM += uint64(block.timestamp) - _pausedAtM;
            _pausedAtM = 0;
        }
    }

    function _violation(bytes32 _what) internal {
        clockViolations++;
        lastClockViolation = _what;
    }

    /// @dev What resolveNode must do with a node, by the model: whether its clock has run out and, if
    ///      so, the status it must end in.
    function _expectedResolution(uint256 _gid, uint64 _p) internal view returns (bool due_, uint8 status_) {
        NodeM storage n = _nm[_gid][_p];
        ClockM storage c = _ck[_gid][_p];
        uint64 clock = _clockOf[gm[_gid].pid];
        uint64 now_ = _nowM();
        if (n.status == uint8(NodeStatus.Dissected)) {
            // the challengers' pick window, on the challengers' clock
            due_ = c.chalUsed + (now_ - c.dissectedAt) >= clock;
            status_ = n.defeatedChildren != 0 ? uint8(NodeStatus.Defeated) : uint8(NodeStatus.Upheld);
        } else if (_len(_p) != 0) {
            // the proposer did not dissect in time: it loses the node
            due_ = c.propUsed + (now_ - c.challengedAt) >= clock;
            status_ = uint8(NodeStatus.Defeated);
        } else {
            // nobody proved the step in time: the challenge fails
            due_ = c.chalUsed + (now_ - c.challengedAt) >= clock;
            status_ = uint8(NodeStatus.Upheld);
        }
    }

    function _addNode(uint256 _gid, uint64 _p, address _who) internal {
        ClockM storage c = _ck[_gid][_p];
        c.challengedAt = _nowM();
        if (_p != _rootPos()) {
            ClockM storage pc = _ck[_gid][_parentOf(_p)];
            c.propUsed = pc.propUsed + (pc.dissectedAt - pc.challengedAt);
            c.chalUsed = pc.chalUsed + (c.challengedAt - pc.dissectedAt);
            if (c.chalUsed >= _clockOf[gm[_gid].pid]) _violation("challenge after the clock");
        }
        NodeM storage n = _nm[_gid][_p];
        n.status = uint8(NodeStatus.Challenged);
        n.challenger = _who;
        _nodesOf[_gid].push(_p);
        uint256 bond = pm[gm[_gid].pid].claimBond;
        ghostGameHeld += bond;
        ghostHeldBy[_who] += bond;
        if (_who == HONEST_CHALLENGER) {
            hcPosted[_gid] += bond;
            hcHeld[_gid] += bond;
        }
    }

    function _addDissection(uint256 _gid, uint64 _p, bytes32[] memory _int) internal {
        ClockM storage c = _ck[_gid][_p];
        c.dissectedAt = _nowM();
        if (c.propUsed + (c.dissectedAt - c.challengedAt) >= _clockOf[gm[_gid].pid]) {
            _violation("dissect after the clock");
        }
        NodeM storage n = _nm[_gid][_p];
        n.status = uint8(NodeStatus.Dissected);
        uint256 bond = dissectionBondM(_gid);
        n.heldDiss = bond;
        ghostGameHeld += bond;
        ghostHeldBy[pm[gm[_gid].pid].proposer] += bond;
        for (uint256 i; i < _int.length; ++i) {
            _interior[_gid][_p].push(_int[i]);
        }
    }

    ////////////////////////////////////////////////////////////////
    //                     Fuzzed actions: jobs                   //
    ////////////////////////////////////////////////////////////////

    function _actor(uint256 _seed) internal view returns (address) {
        return actors[_seed % actors.length];
    }

    function _attacker(uint256 _seed) internal view returns (address) {
        return attackers[_seed % attackers.length];
    }

    /// @dev A job by the requester or an attacker (the honest parties pay no fees, so their nets
    ///      measure the game alone).
    function submitJob(uint256 _actorSeed, uint256 _fee) public {
        address who = _actorSeed % 2 == 0 ? REQUESTER : _attacker(_actorSeed >> 1);
        uint256 fee = _fee % 3 == 0 ? 0 : _bound(_fee, 1, 2 ether);
        (bool ok, bytes memory ret) = _call(
            "submitJob",
            who,
            address(verdict),
            fee,
            abi.encodeCall(IVerdict.submitJob, (programId, input)),
            _e(ProtocolPaused.selector),
            _pausedM()
        );
        if (!ok) return;
        uint256 jobId = abi.decode(ret, (uint256));
        jobCountM = jobId;
        jm[jobId].requester = who;
        jm[jobId].fee = fee;
        if (fee != 0) jm[jobId].reclaimAt = _nowM() + _paramsM.feeTimeout;
        ghostFeesHeld += fee;
    }

    /// @dev A proposal by the honest proposer (every leaf right) or the dishonest one (each leaf wrong
    ///      with probability 1/2, at a random step), committed in one block and revealed in the next.
    function propose(bool _honest, uint256 _count, uint256 _jobSeed, uint256 _faultSeed) external {
        if (jobCountM == 0) submitJob(_jobSeed, _count);
        if (jobCountM == 0) return;
        address who = _honest ? HONEST_PROPOSER : DISHONEST_PROPOSER;
        uint256 n = _bound(_count, 1, 4);
        Leaf[] memory leaves = new Leaf[](n);
        uint256[] memory faults = new uint256[](n);
        bool wrong;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(_faultSeed, i)));
            faults[i] = !_honest && r % 2 == 0 ? (r >> 8) % (uint256(1) << depth) : HONEST;
            if (faults[i] != HONEST) wrong = true;
            uint256 jobId = (uint256(keccak256(abi.encode(_jobSeed, i))) % jobCountM) + 1;
            leaves[i] = Leaf(jobId, _traceHash(faults[i], uint256(1) << depth));
        }
        uint256 pid = _commitAndReveal(who, leaves, keccak256(abi.encode(_faultSeed, "salt")));
        if (pid == 0) return;
        Params memory ps = _paramsM;
        proposalCountM = pid;
        ProposalM storage p = pm[pid];
        p.proposer = who;
        p.stake = ps.proposerBond;
        p.claimBond = ps.claimBond;
        p.bps = ps.burnBps;
        p.leafCount = uint32(n);
        p.status = uint8(ProposalStatus.Pending);
        p.wrong = wrong;
        _clockOf[pid] = ps.clockSeconds;
        _deadlineOf[pid] = _nowM() + ps.challengeWindow;
        for (uint256 i; i < n; ++i) {
            _leavesOf[pid].push(leaves[i]);
            _faultsOf[pid].push(faults[i]);
        }
        ghostStakeHeld += ps.proposerBond;
        ghostHeldBy[who] += ps.proposerBond;
        if (ps.clockSeconds < minClock) minClock = ps.clockSeconds;
        if (ps.clockSeconds > maxClock) maxClock = ps.clockSeconds;
        if (ps.challengeWindow > maxWindow) maxWindow = ps.challengeWindow;
    }

    /// @dev Commits `_leaves` in this block and reveals them in the next; the new proposal's id, or 0.
    function _commitAndReveal(address _who, Leaf[] memory _leaves, bytes32 _salt)
        internal
        returns (uint256 pid_)
    {
        bytes32[] memory hashes = new bytes32[](_leaves.length);
        for (uint256 i; i < _leaves.length; ++i) {
            hashes[i] = TestMerkle.leafHash(_leaves[i].jobId, _leaves[i].finalStateHash);
        }
        bytes32 commitment = keccak256(abi.encode(_who, TestMerkle.root(hashes), _salt));
        (bool ok,) = _call(
            "commitProposal",
            _who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.commitProposal, (commitment)),
            _e(ProtocolPaused.selector),
            _pausedM()
        );
        if (!ok) return 0;
        // the first commitment counts (a reveal that reverted leaves it standing)
        if (_commitsM[commitment] == 0) _commitsM[commitment] = block.number;
        vm.roll(block.number + 1);
        bytes memory ret;
        (ok, ret) = _call(
            "propose",
            _who,
            address(verdict),
            _paramsM.proposerBond,
            abi.encodeCall(IVerdict.propose, (_leaves, _salt)),
            _e(ProtocolPaused.selector, BatchTooLarge.selector, NotCommitted.selector),
            _pausedM() || _leaves.length > _paramsM.maxBatchSize || _commitsM[commitment] == 0
                || _commitsM[commitment] >= block.number
        );
        if (!ok) return 0;
        pid_ = abi.decode(ret, (uint256));
        _commitBlockM[pid_] = _commitsM[commitment];
        delete _commitsM[commitment];
        _revealedAtM[pid_] = _nowM();
    }

    ////////////////////////////////////////////////////////////////
    //                   Fuzzed actions: games                    //
    ////////////////////////////////////////////////////////////////

    function _open(
        bytes32 _action,
        address _who,
        uint256 _pid,
        uint256 _idx,
        uint256 _value,
        bytes4[] memory _allowed
    ) internal returns (bool ok_) {
        Leaf memory leaf = _leavesOf[_pid][_idx];
        bytes memory ret;
        (ok_, ret) = _call(
            _action,
            _who,
            address(game),
            _value,
            abi.encodeCall(IDisputeGame.openGame, (_pid, leaf, TestMerkle.proof(_hashes(_pid), _idx))),
            _allowed,
            _openMustRevert(_who, _pid, _idx, _value)
        );
        if (!ok_) return false;
        uint256 gid = abi.decode(ret, (uint256));
        gameCountM = gid;
        gm[gid] = GameM({pid: _pid, fault: _faultsOf[_pid][_idx], jobId: leaf.jobId});
        _leafIdx[gid] = _idx;
        _gamesOf[_pid].push(gid);
        // duplicate leaves share one game: every index with this leaf maps to it
        for (uint256 i; i < _leavesOf[_pid].length; ++i) {
            Leaf storage l = _leavesOf[_pid][i];
            if (l.jobId == leaf.jobId && l.finalStateHash == leaf.finalStateHash) _gameOfLeaf[_pid][i] = gid;
        }
        pm[_pid].rootsOpen += 1;
        _lastOpenOf[_pid] = _nowM();
        _gamesOpened[_pid] += 1;
        _addNode(gid, _rootPos(), _who);
        // the bond is taken from the ETH sent plus the sender's credit; what is left stays credited
        ghostGameCredit[_who] = ghostGameCredit[_who] + _value - pm[_pid].claimBond;
    }

    /// @dev Opening a game on leaf `_idx` of `_pid` as `_who` with `_value` must revert: paused, the
    ///      proposal not Pending, its window over, the leaf's game open already, or bond not covered.
    function _openMustRevert(address _who, uint256 _pid, uint256 _idx, uint256 _value)
        internal
        view
        returns (bool)
    {
        return _pausedM() || pm[_pid].status != uint8(ProposalStatus.Pending) || _nowM() >= _deadlineOf[_pid]
            || _gameOfLeaf[_pid][_idx] != 0 || ghostGameCredit[_who] + _value < pm[_pid].claimBond;
    }

    /// @dev An attacker opens a game on any leaf of any proposal, with the bond, more, or less.
    function attackOpen(uint256 _actorSeed, uint256 _pidSeed, uint256 _leafSeed, uint256 _valueSeed)
        external
    {
        if (proposalCountM == 0) return;
        uint256 pid = (_pidSeed % proposalCountM) + 1;
        uint256 idx = _leafSeed % _leavesOf[pid].length;
        uint256 bond = pm[pid].claimBond;
        uint256 value = _valueSeed % 8 == 0 ? bond - 1 : (_valueSeed % 8 == 1 ? bond + 1 gwei : bond);
        _open(
            "attackOpen",
            _attacker(_actorSeed),
            pid,
            idx,
            value,
            _cat(
                _e(
                    ProtocolPaused.selector,
                    WindowClosed.selector,
                    ProposalNotPending.selector,
                    GameExists.selector
                ),
                _e(InsufficientCredit.selector)
            )
        );
    }

    function _pickGame(uint256 _seed) internal view returns (uint256) {
        return gameCountM == 0 ? 0 : (_seed % gameCountM) + 1;
    }

    function _pickNode(uint256 _gid, uint256 _seed) internal view returns (uint64) {
        uint64[] storage nodes = _nodesOf[_gid];
        return nodes[_seed % nodes.length];
    }

    /// @dev Half the time a random node; otherwise the first node (from a random offset, over every
    ///      game) in `_status` whose length is 1 when `_unit`, longer otherwise: the fuzzer reaches deep
    ///      game states without the handler ever checking clocks or turns for it.
    function _pickBiased(uint256 _seed, uint8 _status, bool _unit)
        internal
        view
        returns (uint256 gid_, uint64 pos_)
    {
        gid_ = _pickGame(_seed);
        if (gid_ == 0) return (0, 0);
        pos_ = _pickNode(gid_, _seed >> 32);
        if (_seed % 2 == 0) return (gid_, pos_);
        for (uint256 j; j < gameCountM; ++j) {
            uint256 gid = ((gid_ - 1 + j) % gameCountM) + 1;
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                uint64 pos = nodes[(i + (_seed >> 64)) % nodes.length];
                if (_nm[gid][pos].status == _status && (_len(pos) == 0) == _unit) return (gid, pos);
            }
        }
    }

    /// @dev An attacker challenges a random part of a random node (any state), or an index out of range.
    function attackChallenge(uint256 _actorSeed, uint256 _gidSeed, uint256 _idx) external {
        (uint256 gid, uint64 parent) = _pickBiased(_gidSeed, uint8(NodeStatus.Dissected), false);
        if (gid == 0) return;
        uint256 idx = _idx % ((uint256(1) << LOG2_K) + 1);
        address who = _attacker(_actorSeed);
        uint256 bond = pm[gm[gid].pid].claimBond;
        (bool ok,) = _call(
            "attackChallenge",
            who,
            address(game),
            bond,
            abi.encodeCall(IDisputeGame.challenge, (gid, parent, idx)),
            _cat(_moveErrors(), _e(AlreadyChallenged.selector, IndexOutOfRange.selector)),
            _challengeMustRevert(who, gid, parent, idx, bond)
        );
        if (ok) _addNode(gid, _childOf(parent, idx), who);
    }

    /// @dev An attacker batches up to four challenges (random parts of one node) in one multicall,
    ///      sending the bonds once (sometimes one bond short).
    function attackMulticall(uint256 _actorSeed, uint256 _gidSeed, uint256 _mask) external {
        (uint256 gid, uint64 parent) = _pickBiased(_gidSeed, uint8(NodeStatus.Dissected), false);
        if (gid == 0) return;
        uint256 parts = uint256(1) << _lp(parent);
        bytes[] memory batch = new bytes[](4);
        uint64[] memory children = new uint64[](4);
        uint256 n;
        for (uint256 i; i < parts && n < 4; ++i) {
            if ((_mask >> i) & 1 == 0) continue;
            batch[n] = abi.encodeCall(IDisputeGame.challenge, (gid, parent, i));
            children[n] = _childOf(parent, i);
            ++n;
        }
        if (n == 0) return;
        assembly ("memory-safe") {
            mstore(batch, n)
        }
        uint256 bond = pm[gm[gid].pid].claimBond;
        uint256 value = (_mask >> 200) % 5 == 0 ? (n - 1) * bond : n * bond;
        address who = _attacker(_actorSeed);
        // the batch's ETH is credited once, up front; each challenge then takes a bond from the credit
        bool mustRevert = _pausedM() || _nm[gid][parent].status != uint8(NodeStatus.Dissected)
            || _pickLate(gid, parent) || ghostGameCredit[who] + value < n * bond;
        for (uint256 i; i < n; ++i) {
            if (_nm[gid][children[i]].status != uint8(NodeStatus.None)) mustRevert = true;
        }
        (bool ok,) = _call(
            "attackMulticall",
            who,
            address(game),
            value,
            abi.encodeCall(IDisputeGame.multicall, (batch)),
            _cat(_moveErrors(), _e(AlreadyChallenged.selector)),
            mustRevert
        );
        if (!ok) return;
        for (uint256 i; i < n; ++i) {
            _addNode(gid, children[i], who);
        }
        ghostGameCredit[who] = ghostGameCredit[who] + value - n * bond;
    }

    /// @dev Anyone steps a random node from the true pre-state at its start.
    function attackStep(uint256 _actorSeed, uint256 _gidSeed) external {
        (uint256 gid, uint64 pos) = _pickBiased(_gidSeed, uint8(NodeStatus.Challenged), true);
        if (gid == 0) return;
        address who = _attacker(_actorSeed);
        _stepAs("attackStep", who, gid, pos, _cat(_moveErrors(), _e(PreStateMismatch.selector)));
    }

    /// @dev An attacker challenges a random length-1 part of a dissected node (the first one from a random
    ///      game) and steps it from the true pre-state at once: off the honest challenger's path this
    ///      reaches the steps nobody else makes, a part whose start the proposer claims wrong (the step
    ///      must revert: no pre-state hashes to a wrong claim) or whose claims are both right (upheld).
    function attackDeep(uint256 _actorSeed, uint256 _gidSeed, uint256 _idx) external {
        for (uint256 j; j < gameCountM; ++j) {
            uint256 gid = ((_gidSeed % gameCountM + j) % gameCountM) + 1;
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                uint64 parent = nodes[(i + (_gidSeed >> 64)) % nodes.length];
                if (_nm[gid][parent].status == uint8(NodeStatus.Dissected) && _len(parent) == _lp(parent)) {
                    return
                        _challengeAndStep(
                            _attacker(_actorSeed), gid, parent, _idx % (uint256(1) << _lp(parent))
                        );
                }
            }
        }
    }

    function _challengeAndStep(address _who, uint256 _gid, uint64 _parent, uint256 _idx) internal {
        uint256 bond = pm[gm[_gid].pid].claimBond;
        bool mustRevert = _challengeMustRevert(_who, _gid, _parent, _idx, bond);
        (bool ok,) = _call(
            "attackDeepChallenge",
            _who,
            address(game),
            bond,
            abi.encodeCall(IDisputeGame.challenge, (_gid, _parent, _idx)),
            _cat(_moveErrors(), _e(AlreadyChallenged.selector)),
            mustRevert
        );
        uint64 child = _childOf(_parent, _idx);
        if (ok) _addNode(_gid, child, _who);
        _stepAs("attackDeepStep", _who, _gid, child, _cat(_moveErrors(), _e(PreStateMismatch.selector)));
    }

    function _stepAs(bytes32 _action, address _who, uint256 _gid, uint64 _pos, bytes4[] memory _allowed)
        internal
        returns (bool ok_)
    {
        (bytes memory pre, bytes memory proof) = _stepData(_start(_pos));
        bytes32[][] memory anc = _ancestry(_gid, _pos);
        (bool mustRevert, bool defeats) = _stepOutcome(_gid, _pos);
        (ok_,) = _call(
            _action,
            _who,
            address(game),
            0,
            abi.encodeCall(IDisputeGame.step, (_gid, _pos, anc, pre, proof)),
            _allowed,
            mustRevert
        );
        // a step the model forbade leaves the model as it was (the violation fails the run)
        if (ok_ && !mustRevert) {
            _resolved(_gid, _pos, _who, defeats ? uint8(NodeStatus.Defeated) : uint8(NodeStatus.Upheld));
        }
    }

    /// @dev The dishonest proposer dissects a random node of a random game with its faulty trace, or
    ///      with garbage; it may also try games that are not its own. It sends the dissection bond, one
    ///      wei less (the rest from its credit, if any), or the whole claim bond (the surplus stays
    ///      credited).
    function dishonestDissect(uint256 _gidSeed, uint256 _nodeSeed, bool _garbage) external {
        (uint256 gid, uint64 pos) = _pickBiased(_gidSeed, uint8(NodeStatus.Challenged), false);
        if (gid == 0 || _len(pos) == 0) return; // no interior to make up
        bytes32[] memory interior = _interiorFor(pos, gm[gid].fault);
        if (_garbage) {
            for (uint256 i; i < interior.length; ++i) {
                interior[i] = keccak256(abi.encode(_nodeSeed, i));
            }
        }
        uint256 dBond = dissectionBondM(gid);
        uint256 v = _nodeSeed % 4;
        uint256 value = v == 0 ? dBond - 1 : (v == 1 ? pm[gm[gid].pid].claimBond : dBond);
        // no invalidation check: a dissection after an invalidation is accepted and refunded later
        bool mustRevert = _pausedM() || pm[gm[gid].pid].proposer != DISHONEST_PROPOSER
            || _nm[gid][pos].status != uint8(NodeStatus.Challenged) || _dissectLate(gid, pos)
            || ghostGameCredit[DISHONEST_PROPOSER] + value < dBond;
        (bool ok,) = _call(
            "dishonestDissect",
            DISHONEST_PROPOSER,
            address(game),
            value,
            abi.encodeCall(IDisputeGame.dissect, (gid, pos, interior)),
            _cat(_moveErrors(), _e(NotProposer.selector)),
            mustRevert
        );
        if (!ok) return;
        _addDissection(gid, pos, interior);
        // the bond is taken from the ETH sent plus the sender's credit; what is left stays credited
        ghostGameCredit[DISHONEST_PROPOSER] = ghostGameCredit[DISHONEST_PROPOSER] + value - dBond;
    }

    /// @dev The dishonest proposer answers every challenged node of its games at once (faulty trace),
    ///      as a proposer that plays on to the one-step proof would, and the honest parties answer;
    ///      up to five such rounds (enough to reach the steps at D = 10, k = 4).
    function dishonestDefendAll(uint256 _seed) external {
        uint256 rounds = 1 + _seed % 5;
        for (uint256 r; r < rounds; ++r) {
            _dishonestDefendAll();
            honestTick();
        }
    }

    function _dishonestDefendAll() internal {
        uint256 count;
        // the batch reverts as a whole if one node is past the proposer's clock
        bool late;
        for (uint256 gid = 1; gid <= gameCountM; ++gid) {
            if (pm[gm[gid].pid].proposer != DISHONEST_PROPOSER) continue;
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                if (_nm[gid][nodes[i]].status == uint8(NodeStatus.Challenged) && _len(nodes[i]) != 0) {
                    ++count;
                    if (_dissectLate(gid, nodes[i])) late = true;
                }
            }
        }
        if (count == 0) return;
        bytes[] memory batch = new bytes[](count);
        uint256[] memory bg = new uint256[](count);
        uint64[] memory bp = new uint64[](count);
        uint256 value;
        uint256 k;
        for (uint256 gid = 1; gid <= gameCountM; ++gid) {
            if (pm[gm[gid].pid].proposer != DISHONEST_PROPOSER) continue;
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                uint64 pos = nodes[i];
                if (_nm[gid][pos].status != uint8(NodeStatus.Challenged) || _len(pos) == 0) continue;
                batch[k] = abi.encodeCall(IDisputeGame.dissect, (gid, pos, _interiorFor(pos, gm[gid].fault)));
                (bg[k], bp[k]) = (gid, pos);
                value += dissectionBondM(gid);
                ++k;
            }
        }
        (bool ok,) = _call(
            "dishonestDefendAll",
            DISHONEST_PROPOSER,
            address(game),
            value,
            abi.encodeCall(IDisputeGame.multicall, (batch)),
            _moveErrors(),
            _pausedM() || late
        );
        if (!ok) return;
        for (uint256 i; i < count; ++i) {
            _addDissection(bg[i], bp[i], _interiorFor(bp[i], gm[bg[i]].fault));
        }
    }

    function resolve(uint256 _actorSeed, uint256 _gidSeed) external {
        (uint256 gid, uint64 pos) = _pickBiased(_gidSeed, uint8(NodeStatus.Challenged), _gidSeed % 3 == 0);
        if (gid == 0) return;
        (bool mustRevert, uint8 expected) = _resolveOutcome(gid, pos);
        (bool ok,) = _call(
            "resolve",
            _actor(_actorSeed),
            address(game),
            0,
            abi.encodeCall(IDisputeGame.resolveNode, (gid, pos)),
            _e(
                ProtocolPaused.selector,
                WrongNodeState.selector,
                ClockNotExpired.selector,
                ChildrenOpen.selector
            ),
            mustRevert
        );
        if (!ok) return;
        if (pm[gm[gid].pid].status != uint8(ProposalStatus.Invalidated)) {
            uint8 before = _nm[gid][pos].status;
            if (before != uint8(NodeStatus.Challenged) && before != uint8(NodeStatus.Dissected)) {
                _violation("resolved a settled node");
            } else if (mustRevert) {
                _violation("resolved too early");
            } else if (uint8(game.getNode(gid, pos).status) != expected) {
                _violation("timeout to the wrong side");
            }
        }
        // a resolution the model forbade leaves the model as it was (the violation fails the run)
        if (!mustRevert) _resolved(gid, pos, address(0), expected);
    }

    function deposit(uint256 _actorSeed, uint256 _value) external {
        address who = _actor(_actorSeed);
        uint256 value = _bound(_value, 1, 1 ether);
        (bool ok,) = _call(
            "deposit",
            who,
            address(game),
            value,
            abi.encodeCall(IDisputeGame.deposit, ()),
            new bytes4[](0),
            false
        );
        if (ok) _creditGame(who, value);
    }

    ////////////////////////////////////////////////////////////////
    //               Fuzzed actions: settlement, money            //
    ////////////////////////////////////////////////////////////////

    function finalize(uint256 _actorSeed, uint256 _pidSeed) external {
        if (proposalCountM == 0) return;
        _finalize("finalize", _actor(_actorSeed), (_pidSeed % proposalCountM) + 1);
    }

    function _finalize(bytes32 _action, address _who, uint256 _pid) internal returns (bool ok_) {
        // INVARIANT (model): after the window, and once every game of the proposal is past the time
        // in which it could still defeat it (two clocks, plus one to resolve).
        bool early = _nowM() < _deadlineOf[_pid];
        bool gamesOpen = _gamesOpened[_pid] != 0 && _nowM() < _lastOpenOf[_pid] + 3 * _clockOf[_pid];
        (ok_,) = _call(
            _action,
            _who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.finalize, (_pid)),
            _e(ProtocolPaused.selector, WindowOpen.selector, GamesOpen.selector, ProposalNotPending.selector),
            _pausedM() || pm[_pid].status != uint8(ProposalStatus.Pending) || early || gamesOpen
        );
        if (!ok_) return false;
        if (early) _violation("finalize in the window");
        if (gamesOpen) _violation("finalize with a game open");
        ProposalM storage p = pm[_pid];
        p.status = uint8(ProposalStatus.Finalized);
        _finalizedM.push(_pid);
        _finalizedAtM[_pid] = uint64(block.timestamp);
        ghostStakeHeld -= p.stake;
        ghostHeldBy[p.proposer] -= p.stake;
        ghostVerdictCredit[p.proposer] += p.stake;
    }

    function recordResult(uint256 _pidSeed, uint256 _leafSeed) external {
        if (proposalCountM == 0) return;
        uint256 pid = (_pidSeed % proposalCountM) + 1;
        _record("recordResult", HONEST_CHALLENGER, pid, _leafSeed % _leavesOf[pid].length);
    }

    /// @dev The result recorded for a job counts while its proposal is Finalized (not rolled back).
    function _resultValidM(uint256 _jobId) internal view returns (bool) {
        uint256 pid = jm[_jobId].resultPid;
        return pid != 0 && pm[pid].status == uint8(ProposalStatus.Finalized);
    }

    function _record(bytes32 _action, address _who, uint256 _pid, uint256 _idx) internal returns (bool ok_) {
        Leaf memory leaf = _leavesOf[_pid][_idx];
        bool valid = _resultValidM(leaf.jobId);
        (ok_,) = _call(
            _action,
            _who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.recordResult, (_pid, leaf, TestMerkle.proof(_hashes(_pid), _idx))),
            _e(ProtocolPaused.selector, ProposalNotFinalized.selector, ResultAlreadyRecorded.selector),
            _pausedM() || pm[_pid].status != uint8(ProposalStatus.Finalized)
                || (valid && !_earlier(_pid, leaf))
        );
        if (!ok_) return false;
        JobM storage j = jm[leaf.jobId];
        if (!valid) j.resultHash = leaf.finalStateHash;
        j.resultPid = _pid;
    }

    /// @dev A recorded result is replaced only by the same result committed earlier, to move an unclaimed
    ///      fee to the first committer.
    function _earlier(uint256 _pid, Leaf memory _leaf) internal view returns (bool) {
        JobM storage j = jm[_leaf.jobId];
        return j.fee != 0 && j.resultHash == _leaf.finalStateHash
            && _commitBlockM[_pid] < _commitBlockM[j.resultPid];
    }

    function claimFee(uint256 _actorSeed, uint256 _jobSeed) external {
        if (jobCountM == 0) return;
        uint256 jobId = (_jobSeed % jobCountM) + 1;
        JobM storage j = jm[jobId];
        bool valid = _resultValidM(jobId);
        // the fee is locked until every proposal committed earlier could have finalized (spec §2.4)
        bool locked = valid && _nowM() < _revealedAtM[j.resultPid] + _maxSpanM + 600;
        (bool ok,) = _call(
            "claimFee",
            _actor(_actorSeed),
            address(verdict),
            0,
            abi.encodeCall(IVerdict.claimFee, (jobId)),
            _e(ProtocolPaused.selector, NoResult.selector, NothingToWithdraw.selector, FeeLocked.selector),
            _pausedM() || !valid || j.fee == 0 || locked
        );
        if (!ok) return;
        uint256 fee = j.fee;
        j.fee = 0;
        ghostFeesHeld -= fee;
        ghostVerdictCredit[pm[j.resultPid].proposer] += fee;
    }

    function reclaimFee(uint256 _actorSeed, uint256 _jobSeed) external {
        if (jobCountM == 0) return;
        uint256 jobId = (_jobSeed % jobCountM) + 1;
        JobM storage j = jm[jobId];
        address who = _actorSeed % 2 == 0 ? j.requester : _actor(_actorSeed);
        (bool ok,) = _call(
            "reclaimFee",
            who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.reclaimFee, (jobId)),
            _e(ProtocolPaused.selector, NotRequester.selector, FeeNotReclaimable.selector),
            _pausedM() || who != j.requester || j.fee == 0 || _resultValidM(jobId) || _nowM() < j.reclaimAt
        );
        if (!ok) return;
        uint256 fee = j.fee;
        j.fee = 0;
        ghostFeesHeld -= fee;
        ghostVerdictCredit[who] += fee;
    }

    function withdraw(uint256 _actorSeed, bool _fromGame) external {
        address who = _actor(_actorSeed);
        address target = _fromGame ? address(game) : address(verdict);
        uint256 expected = _fromGame ? ghostGameCredit[who] : ghostVerdictCredit[who];
        (bool ok, bytes memory ret) = _call(
            _fromGame ? bytes32("withdrawGame") : bytes32("withdrawVerdict"),
            who,
            target,
            0,
            abi.encodeWithSignature("withdraw()"),
            _e(NothingToWithdraw.selector),
            expected == 0
        );
        if (!ok) return;
        uint256 amount = abi.decode(ret, (uint256));
        if (amount != expected) ghostWithdrawMismatch++;
        if (_fromGame) ghostGameCredit[who] = 0;
        else ghostVerdictCredit[who] = 0;
    }

    ////////////////////////////////////////////////////////////////
    //                 Fuzzed actions: governance                 //
    ////////////////////////////////////////////////////////////////

    /// @dev Someone without the role: the setter or an attacker.
    function _intruder(uint256 _seed) internal view returns (address) {
        return _seed % 2 == 0 ? setter : _attacker(_seed >> 1);
    }

    function _pauseAs(address _who) internal {
        bool intruder = _who != guardian;
        (bool ok,) = _call(
            "pause",
            _who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.pause, ()),
            _e(ProtocolPaused.selector, IAccessControl.AccessControlUnauthorizedAccount.selector),
            intruder || _pausedM()
        );
        if (ok && !intruder) _pauseChanged(true);
    }

    /// @dev The guardian's powers; one call in eight is made by someone else, and must revert.
    function guardianAct(uint256 _seed, uint256 _target) external {
        uint256 kind = _seed % 16;
        address who = (_seed >> 8) % 8 == 0 ? _intruder(_seed >> 16) : guardian;
        bool intruder = who != guardian;
        bytes4 denied = IAccessControl.AccessControlUnauthorizedAccount.selector;
        // an intruder's call the contract let through changes nothing in the model (the violation
        // fails the run)
        if (kind < 1) {
            _pauseAs(who);
        } else if (kind < 12) {
            (bool ok,) = _call(
                "unpause",
                who,
                address(verdict),
                0,
                abi.encodeCall(IVerdict.unpause, ()),
                _e(ProtocolNotPaused.selector, denied),
                intruder || !_pausedM()
            );
            if (ok && !intruder) _pauseChanged(false);
        } else if (kind < 14) {
            uint256 gid = _pickGame(_target);
            if (gid == 0) return;
            // no pause check: governance can stop a proposal while paused
            (bool ok,) = _call(
                "invalidateGame",
                who,
                address(game),
                0,
                abi.encodeCall(IDisputeGame.invalidateGame, (gid)),
                _e(ProposalNotPending.selector, Unauthorized.selector),
                intruder || pm[gm[gid].pid].status != uint8(ProposalStatus.Pending)
            );
            if (ok && !intruder) _applyInvalidation(gm[gid].pid);
        } else if (kind < 15) {
            if (proposalCountM == 0) return;
            uint256 pid = (_target % proposalCountM) + 1;
            (bool ok,) = _call(
                "invalidateProposal",
                who,
                address(verdict),
                0,
                abi.encodeCall(IVerdict.invalidateProposal, (pid)),
                _e(ProposalNotPending.selector, denied),
                intruder || pm[pid].status != uint8(ProposalStatus.Pending)
            );
            if (ok && !intruder) _applyInvalidation(pid);
        } else {
            // pauses are rare and short: half the rollbacks pause first, so that some go through
            if (!_pausedM() && _target % 2 == 0) _pauseAs(who);
            uint64 after_ = uint64(block.timestamp - _bound(_target >> 1, 0, 2 days));
            (bool ok,) = _call(
                "rollback",
                who,
                address(verdict),
                0,
                abi.encodeCall(IVerdict.rollback, (after_, 3)),
                _e(ProtocolNotPaused.selector, denied),
                intruder || !_pausedM()
            );
            if (!ok || intruder) return;
            // the model's own log: up to three of the latest finalizations after `after_` roll back
            for (uint256 i; i < 3 && _finalizedM.length != 0; ++i) {
                uint256 pid = _finalizedM[_finalizedM.length - 1];
                if (_finalizedAtM[pid] <= after_) break;
                pm[pid].status = uint8(ProposalStatus.RolledBack);
                _finalizedM.pop();
            }
        }
    }

    function _applyInvalidation(uint256 _pid) internal {
        ProposalM storage p = pm[_pid];
        p.status = uint8(ProposalStatus.Invalidated);
        ghostStakeHeld -= p.stake;
        ghostHeldBy[p.proposer] -= p.stake;
        ghostVerdictCredit[p.proposer] += p.stake;
    }

    /// @dev The setter picks parameters: usually inside the bounds, sometimes outside (must revert);
    ///      one call in eight is made by someone without the role (must revert).
    function setterAct(uint256 _seed) external {
        Params memory p = _paramsM;
        bool outside = _seed % 4 == 0;
        address who =
            (_seed >> 2) % 8 == 0 ? ((_seed >> 5) % 2 == 0 ? guardian : _attacker(_seed >> 6)) : setter;
        p.proposerBond = uint96(_bound(_seed >> 8, 0.01 ether, 2 ether));
        p.claimBond = uint96(_bound(_seed >> 40, 0.001 ether, 0.5 ether));
        p.burnBps = uint16(_bound(_seed >> 72, 1, 5000));
        p.clockSeconds = uint64(_bound(_seed >> 96, 30 minutes, 2 hours));
        p.challengeWindow = uint64(_bound(_seed >> 128, 1 hours, 1 days));
        p.feeTimeout = p.challengeWindow + 4 * p.clockSeconds + 600 + uint64(_bound(_seed >> 160, 0, 3 days));
        p.maxBatchSize = uint32(_bound(_seed >> 192, 1, 64));
        if (outside) {
            uint256 which = (_seed >> 224) % 5;
            if (which == 0) p.burnBps = 0;
            else if (which == 1) p.clockSeconds = 59;
            else if (which == 2) p.claimBond = 1000 ether + 1;
            else if (which == 3) p.challengeWindow = 59;
            else p.feeTimeout = p.challengeWindow;
        }
        (bool ok,) = _call(
            "setParams",
            who,
            address(verdict),
            0,
            abi.encodeCall(IVerdict.setParams, (p)),
            _e(InvalidParams.selector, IAccessControl.AccessControlUnauthorizedAccount.selector),
            outside || who != setter
        );
        if (!ok || outside || who != setter) return;
        _paramsM = p;
        uint64 span = p.challengeWindow + 3 * p.clockSeconds;
        if (span > _maxSpanM) _maxSpanM = span;
    }

    /// @dev A compromised guardian or setter key tries the registry's admin powers: raising (or
    ///      lowering) the depth limit, or granting itself the admin role. Both belong to the timelock
    ///      alone, so every attempt must revert AccessControlUnauthorizedAccount. Or anyone calls the
    ///      hooks the two contracts keep for each other (defeat, root resolution, invalidation,
    ///      pause), which must revert Unauthorized.
    function roleAbuse(uint256 _seed) external {
        address who = _seed % 2 == 0 ? guardian : setter;
        uint256 kind = (_seed >> 1) % 4;
        bytes4 denied = IAccessControl.AccessControlUnauthorizedAccount.selector;
        if (kind == 0) {
            _call(
                "setMaxDepth",
                who,
                registry,
                0,
                abi.encodeCall(IProgramRegistry.setMaxDepth, (uint8(_seed >> 8))),
                _e(denied),
                true
            );
        } else if (kind == 1) {
            _call(
                "grantRegistryAdmin",
                who,
                registry,
                0,
                abi.encodeCall(IAccessControl.grantRole, (bytes32(0), who)),
                _e(denied),
                true
            );
        } else {
            address caller = (_seed >> 3) % 2 == 0 ? who : _attacker(_seed >> 4);
            uint256 pid = proposalCountM == 0 ? 1 : ((_seed >> 16) % proposalCountM) + 1;
            uint256 which = (_seed >> 8) % 5;
            bool toGame = which >= 3;
            bytes memory data;
            if (which == 0) data = abi.encodeCall(IVerdict.onDefeat, (pid, 1));
            else if (which == 1) data = abi.encodeCall(IVerdict.onRootResolved, (pid, caller, true, true));
            else if (which == 2) data = abi.encodeCall(IVerdict.onInvalidate, (pid, caller));
            else if (which == 3) data = abi.encodeCall(IDisputeGame.onPauseChanged, (1, 0));
            else data = abi.encodeCall(IDisputeGame.onProposalInvalidated, (pid));
            _call(
                "hookAbuse",
                caller,
                toGame ? address(game) : address(verdict),
                0,
                data,
                _e(Unauthorized.selector),
                true
            );
        }
    }

    ////////////////////////////////////////////////////////////////
    //                 Time, and the honest parties               //
    ////////////////////////////////////////////////////////////////

    /// @dev The honest parties answer everything, then time moves (up to one clock).
    function warp(uint256 _seconds) public {
        // pauses are short: half the warps begin with the guardian unpausing
        if (_pausedM() && _seconds % 2 == 0) {
            (bool ok,) = _call(
                "unpause",
                guardian,
                address(verdict),
                0,
                abi.encodeCall(IVerdict.unpause, ()),
                _e(ProtocolNotPaused.selector),
                false
            );
            if (ok) _pauseChanged(false);
        }
        honestTick();
        uint256 s = _seconds % 4 == 0 ? _bound(_seconds, 1, minClock) : _bound(_seconds, 1, 10 minutes);
        vm.warp(block.timestamp + s);
        vm.roll(block.number + 1);
    }

    /// @dev Several hours in clock-sized steps, the honest parties answering before each.
    function warpLong(uint256 _steps) external {
        uint256 n = _bound(_steps, 1, 12);
        for (uint256 i; i < n; ++i) {
            warp(minClock * 4);
        }
    }

    /// @dev Everything the always-online honest parties do, at the current time (so their own moves
    ///      take no path time). They act on the model's view, which mirrors every successful call.
    function honestTick() public {
        if (_pausedM()) return;
        for (uint256 pid = 1; pid <= proposalCountM; ++pid) {
            ProposalM storage p = pm[pid];
            if (p.proposer == HONEST_PROPOSER) _honestProposerOn(pid);
            else _honestChallengerOn(pid);
        }
    }

    /// @dev The honest proposer dissects every challenged node of its games in one multicall (sending
    ///      exactly the dissection bonds), and finalizes and records its proposal once it can.
    function _honestProposerOn(uint256 _pid) internal {
        ProposalM storage p = pm[_pid];
        if (p.status == uint8(ProposalStatus.Invalidated)) return;
        uint256[] storage gids = _gamesOf[_pid];
        uint256 count;
        for (uint256 g; g < gids.length; ++g) {
            uint64[] storage nodes = _nodesOf[gids[g]];
            for (uint256 i; i < nodes.length; ++i) {
                NodeM storage n = _nm[gids[g]][nodes[i]];
                if (n.status == uint8(NodeStatus.Challenged) && _len(nodes[i]) != 0) ++count;
            }
        }
        if (count != 0) {
            bool late;
            bytes[] memory batch = new bytes[](count);
            uint256[] memory bg = new uint256[](count);
            uint64[] memory bp = new uint64[](count);
            uint256 k;
            uint256 value;
            for (uint256 g; g < gids.length; ++g) {
                uint64[] storage nodes = _nodesOf[gids[g]];
                for (uint256 i; i < nodes.length; ++i) {
                    NodeM storage n = _nm[gids[g]][nodes[i]];
                    if (n.status != uint8(NodeStatus.Challenged) || _len(nodes[i]) == 0) continue;
                    batch[k] = abi.encodeCall(
                        IDisputeGame.dissect, (gids[g], nodes[i], _interiorFor(nodes[i], HONEST))
                    );
                    (bg[k], bp[k]) = (gids[g], nodes[i]);
                    value += dissectionBondM(gids[g]);
                    if (_dissectLate(gids[g], nodes[i])) late = true;
                    ++k;
                }
            }
            (bool ok,) = _call(
                "honestDissect",
                HONEST_PROPOSER,
                address(game),
                value,
                abi.encodeCall(IDisputeGame.multicall, (batch)),
                new bytes4[](0),
                late
            );
            if (ok) {
                for (uint256 i; i < count; ++i) {
                    _addDissection(bg[i], bp[i], _interiorFor(bp[i], HONEST));
                }
            }
        }
        if (p.status == uint8(ProposalStatus.Pending) && !p.settledByHonest) {
            if (_nowM() < _deadlineOf[_pid]) return;
            if (_finalize("honestFinalize", HONEST_PROPOSER, _pid)) {
                for (uint256 i; i < _leavesOf[_pid].length; ++i) {
                    _record("honestRecord", HONEST_PROPOSER, _pid, i);
                }
                p.settledByHonest = true;
            }
        }
    }

    /// @dev The honest challenger opens a game on every wrong leaf it sees inside the window, challenges
    ///      the leftmost wrong part of every dissected node whose start it agrees with and end it does
    ///      not, and steps every such length-1 node, whoever occupies it. It plays in every game of the
    ///      proposal, also one an attacker opened on a right leaf: a proposer that dissects such a game
    ///      with wrong hashes makes a wrong claim there, which the honest challenger is right about.
    function _honestChallengerOn(uint256 _pid) internal {
        ProposalM storage p = pm[_pid];
        if (p.status == uint8(ProposalStatus.Invalidated)) return;
        if (p.status == uint8(ProposalStatus.Pending) && _nowM() < _deadlineOf[_pid]) {
            for (uint256 i; i < _leavesOf[_pid].length; ++i) {
                if (_faultsOf[_pid][i] == HONEST || _gameOfLeaf[_pid][i] != 0) continue;
                _open("honestOpen", HONEST_CHALLENGER, _pid, i, p.claimBond, new bytes4[](0));
            }
        }
        uint256[] storage gids = _gamesOf[_pid];
        for (uint256 g; g < gids.length; ++g) {
            uint256 gid = gids[g];
            uint64[] storage nodes = _nodesOf[gid];
            for (uint256 i; i < nodes.length; ++i) {
                if (_onWrongPath(gid, nodes[i])) _honestPlay(gid, nodes[i], p.claimBond);
            }
        }
    }

    /// @dev The honest challenger challenges the leftmost wrong part of a dissected node, unless someone
    ///      did already.
    function _honestChallenge(uint256 _gid, uint64 _pos, uint256 _bond) internal {
        uint256 idx = _leftmostWrong(_gid, _pos);
        uint64 child = _childOf(_pos, idx);
        if (_nm[_gid][child].status != uint8(NodeStatus.None)) return;
        bool mustRevert = _challengeMustRevert(HONEST_CHALLENGER, _gid, _pos, idx, _bond);
        (bool ok,) = _call(
            "honestChallenge",
            HONEST_CHALLENGER,
            address(game),
            _bond,
            abi.encodeCall(IDisputeGame.challenge, (_gid, _pos, idx)),
            new bytes4[](0),
            mustRevert
        );
        if (ok) _addNode(_gid, child, HONEST_CHALLENGER);
    }

    /// @dev The honest challenger's move at a node it is right about, if it has one.
    function _honestPlay(uint256 _gid, uint64 _pos, uint256 _bond) internal {
        uint8 status = _nm[_gid][_pos].status;
        if (status == uint8(NodeStatus.Dissected)) {
            _honestChallenge(_gid, _pos, _bond);
        } else if (status == uint8(NodeStatus.Challenged) && _len(_pos) == 0) {
            _stepAs("honestStep", HONEST_CHALLENGER, _gid, _pos, new bytes4[](0));
        } else if (status == uint8(NodeStatus.Challenged)) {
            // the proposer did not dissect a node of our path in time: resolve it now (the
            // proposal finalizes one clock after every path ran out, spec §2.4)
            (bool mustRevert, uint8 expected) = _resolveOutcome(_gid, _pos);
            if (mustRevert) return;
            (bool ok,) = _call(
                "honestResolve",
                HONEST_CHALLENGER,
                address(game),
                0,
                abi.encodeCall(IDisputeGame.resolveNode, (_gid, _pos)),
                new bytes4[](0),
                false
            );
            if (ok) _resolved(_gid, _pos, address(0), expected);
        }
    }

    /// @dev The proposer's claim at the node's start is right and at its end wrong.
    function _onWrongPath(uint256 _gid, uint64 _p) internal view returns (bool) {
        (bytes32 s, bytes32 e) = _claims(_gid, _p);
        return s == trueHash(_start(_p)) && e != trueHash(_start(_p) + (uint256(1) << _len(_p)));
    }

    function _leftmostWrong(uint256 _gid, uint64 _p) internal view returns (uint256) {
        bytes32[] storage interior = _interior[_gid][_p];
        uint256 partLen = uint256(1) << (_len(_p) - _lp(_p));
        for (uint256 i; i < interior.length; ++i) {
            if (interior[i] != trueHash(_start(_p) + (i + 1) * partLen)) return i;
        }
        return interior.length;
    }

    ////////////////////////////////////////////////////////////////
    //                    Settlement after a run                  //
    ////////////////////////////////////////////////////////////////

    /// @dev Ends the run: unpause, let every clock run out (honest parties answering), resolve every
    ///      node bottom-up, finalize what can be. Returns false if a resolution or an honest
    ///      finalization failed.
    function settle() external returns (bool ok_) {
        ok_ = true;
        if (_pausedM()) {
            (bool ok,) = _call(
                "unpause",
                guardian,
                address(verdict),
                0,
                abi.encodeCall(IVerdict.unpause, ()),
                new bytes4[](0),
                false
            );
            if (ok) _pauseChanged(false);
            else ok_ = false;
        }
        for (uint256 i; i < 8; ++i) {
            warp(minClock);
        }
        honestTick();
        vm.warp(block.timestamp + 2 * uint256(maxClock) + maxWindow);
        for (uint256 gid = 1; gid <= gameCountM; ++gid) {
            uint64[] storage nodes = _nodesOf[gid];
            for (uint8 len; len <= depth; ++len) {
                for (uint256 i; i < nodes.length; ++i) {
                    if (_len(nodes[i]) != len) continue;
                    uint8 s = _nm[gid][nodes[i]].status;
                    if (s != uint8(NodeStatus.Challenged) && s != uint8(NodeStatus.Dissected)) continue;
                    // every clock ran out and the parts are resolved first: each resolution must go
                    // through (the model says so too, or the call is a violation)
                    (bool mustRevert, uint8 expected) = _resolveOutcome(gid, nodes[i]);
                    (bool ok,) = _call(
                        "settleResolve",
                        address(this),
                        address(game),
                        0,
                        abi.encodeCall(IDisputeGame.resolveNode, (gid, nodes[i])),
                        new bytes4[](0),
                        mustRevert
                    );
                    if (!ok || mustRevert) ok_ = false;
                    else _resolved(gid, nodes[i], address(0), expected);
                }
            }
        }
        honestTick(); // the honest proposer finalizes and records
        for (uint256 pid = 1; pid <= proposalCountM; ++pid) {
            if (pm[pid].proposer == HONEST_PROPOSER && pm[pid].status == uint8(ProposalStatus.Pending)) {
                ok_ = false;
            }
        }
    }
}

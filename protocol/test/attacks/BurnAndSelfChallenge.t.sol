// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 5 of issue 9: the burn must never round to zero, so that a proposer challenging itself (to
// recover its stake, or to waste the honest side's time) always loses money. Burns round up, bonds are
// at least MIN_BOND and burnBps at least 1: every forfeited amount burns at least 1 wei, for the
// smallest parameters the bounds allow.

import {AttackBase} from "./AttackBase.sol";
import {Verdict} from "../../src/Verdict.sol";
import {Leaf, Params, NodeStatus, ProposalStatus} from "../../src/lib/Types.sol";

contract BurnAndSelfChallengeTest is AttackBase {
    function _tiny(uint256 _stake, uint256 _bond, uint256 _bps) internal {
        Params memory p = verdict.params();
        p.proposerBond = uint96(_stake);
        p.claimBond = uint96(_bond);
        p.burnBps = uint16(_bps);
        vm.prank(setter);
        verdict.setParams(p);
    }

    /// @dev The smallest bonds and burn the bounds allow: every forfeit still burns >= 1 wei.
    function test_burn_minimumParams_atLeastOneWei() public {
        _tiny(verdict.MIN_BOND(), verdict.MIN_BOND(), 1);
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, sock);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(_clock());
        uint256 dead = DEAD.balance;
        game.resolveNode(gid, _rootPos()); // Upheld: the sock's bond is forfeited
        assertGe(DEAD.balance - dead, 1);
        assertEq(DEAD.balance - dead, _burnOf(1 gwei, 1));
        assertEq(_burnOf(1, 1), 1, "even 1 wei at 1 bps burns 1 wei");
    }

    /// @dev A proposer with a wrong leaf opens its own game from a second address and lets it time out
    ///      to collect the leaf's reward: it gets back its stake minus the (rounded-up) burn, never more.
    function testFuzz_selfChallenge_wrongLeaf_alwaysLoses(uint256 _stake, uint256 _bond, uint256 _bps)
        public
    {
        _tiny(bound(_stake, 1 gwei, 10 ether), bound(_bond, 1 gwei, 10 ether), bound(_bps, 1, 5000));
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, 5));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, sock);
        _warpActive(_clock());
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        assertLt(_net(proposer) + _net(sock), 0);
        assertLe(_net(proposer) + _net(sock), -int256(_burnOf(verdict.getProposal(pid).stake, _bps_(pid))));
    }

    /// @dev Self-challenges of every kind on a correct or wrong leaf (open it, challenge parts, leave
    ///      parts undefended, step or not): the proposer's side always ends with less than it had.
    function testFuzz_selfChallenge_anyStrategy_alwaysLoses(
        uint256 _bond,
        uint256 _bps,
        uint256 _strategy,
        bool _wrongLeaf
    ) public {
        _tiny(1 ether, bound(_bond, 1 gwei, 1 ether), bound(_bps, 1, 5000));
        uint256 fault = _wrongLeaf ? 1000 : HONEST;
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, fault));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, sock);
        uint256 s = _strategy % 4;
        if (s == 0) {
            // dissect the root, the sock challenges nothing more
            _dissect(gid, _rootPos(), fault);
        } else if (s == 1) {
            // the sock challenges every part; the proposer defends none of them
            _dissect(gid, _rootPos(), fault);
            for (uint256 i; i < 16; ++i) {
                _challenge(gid, _rootPos(), i, sock);
            }
        } else if (s == 2) {
            // the sock challenges every part; the proposer defends all of them
            _dissect(gid, _rootPos(), fault);
            for (uint256 i; i < 16; ++i) {
                _dissect(gid, _challenge(gid, _rootPos(), i, sock), fault);
            }
        } else {
            // a whole path down to a step, played by the proposer against itself
            uint64 leafPos = _descend(gid, fault, HONEST, sock);
            _step(gid, leafPos, proposer);
        }
        _warpActive(3 * _clock());
        _resolveSubtree(gid, _rootPos());
        assertLt(_net(proposer) + _net(sock), 0, "a self-challenge never pays");
    }

    function _bps_(uint256 _pid) internal view returns (uint256) {
        return verdict.getProposal(_pid).burnBps;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fixture of the attack tests (issue 9): the toy machine with the example deploy settings of the issue
// (k = 16, D = 32, clock 1800 s, stake 1 ETH, claim bond 0.5 ETH, burn 20 %), and the net result of
// every party in wei across both ledgers (ETH held + credit in Verdict + credit in DisputeGame), so an
// attack is judged by what each side ends up with, not by what the contracts say about themselves.

import {VerdictBase} from "../utils/VerdictBase.sol";
import {Params, NodeStatus} from "../../src/lib/Types.sol";

abstract contract AttackBase is VerdictBase {
    address internal constant DEAD = address(0xdEaD);
    uint256 internal constant FUNDS = 1_000_000 ether;

    address internal attacker = makeAddr("attacker");
    address internal sock = makeAddr("sock"); // the dishonest proposer's second address

    function _k() internal pure virtual override returns (uint256) {
        return 16;
    }

    function _depth() internal pure virtual override returns (uint8) {
        return 32;
    }

    function _params() internal pure virtual override returns (Params memory p_) {
        p_ = Params({
            proposerBond: 1 ether,
            claimBond: 0.5 ether,
            challengeWindow: 1 days,
            clockSeconds: 1800,
            burnBps: 2000,
            maxInputBytes: 4096,
            maxBatchSize: 1024,
            feeTimeout: 7 days
        });
    }

    function setUp() public virtual override {
        super.setUp();
        _fund(attacker);
        _fund(sock);
        address[6] memory funded = [proposer, challenger, challenger2, requester, admin, guardian];
        for (uint256 i; i < funded.length; ++i) {
            _fund(funded[i]);
        }
    }

    function _fund(address _who) internal {
        vm.deal(_who, FUNDS);
    }

    /// @dev What `_who` gained (or lost, negative) since funding: ETH plus credits in both ledgers.
    function _net(address _who) internal view returns (int256) {
        return int256(_who.balance + verdict.credit(_who) + game.credit(_who)) - int256(FUNDS);
    }

    function _netOf(address[] memory _who) internal view returns (int256 sum_) {
        for (uint256 i; i < _who.length; ++i) {
            sum_ += _net(_who[i]);
        }
    }

    /// @dev Resolves every challenged node below and including `_p`, bottom-up (after the clocks ran out).
    function _resolveSubtree(uint256 _gameId, uint64 _p) internal {
        NodeStatus s = _status(_gameId, _p);
        if (s == NodeStatus.Dissected) {
            for (uint256 i; i < _parts(_p); ++i) {
                _resolveSubtree(_gameId, _child(_p, i));
            }
        }
        if (s == NodeStatus.Challenged || s == NodeStatus.Dissected) game.resolveNode(_gameId, _p);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 10, item 2: a program's D is the work it can ask of every watchtower per job (up to 2^D steps),
// and anyone registers programs. With only the hard cap, anyone could register an existing image again
// at D = 48. The registry now refuses D above the governance-set `maxDepth`, which only its admin (the
// timelock) can change, within 1..48: a compromised guardian or setter key cannot lift it, and a
// lowering never breaks a program registered before it.

import {AttackBase} from "./AttackBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Leaf, Program, ProposalStatus} from "../../src/lib/Types.sol";
import "../../src/lib/Errors.sol";

contract DepthLimitTest is AttackBase {
    uint256 internal constant FAULT = 4242;

    function _unauthorized(address _who, bytes32 _role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, _who, _role);
    }

    /// @dev Registers the fixture's image again at `_depth`, as anyone could; `_revert` (if not empty)
    ///      is the error expected.
    function _reregister(address _who, uint8 _depth, bytes memory _revert) internal returns (uint256) {
        Program memory p = registry.getProgram(programId);
        vm.prank(_who);
        if (_revert.length != 0) vm.expectRevert(_revert);
        return registry.registerProgram(
            p.programRoot, p.entry, _depth, p.manifestHash, new address[](0), p.verifier
        );
    }

    function _aboveLimit(uint8 _depth, uint8 _limit) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(DepthAboveLimit.selector, _depth, _limit);
    }

    /// @dev The attack: the program's image registered again at the hard cap, so that every job of the
    ///      copy asks 2^48 steps of each watchtower. Refused above the deploy limit (32).
    function test_reregisterAboveLimit_reverts() public {
        assertEq(registry.maxDepth(), _maxDepth());
        _reregister(attacker, 48, _aboveLimit(48, _maxDepth()));
        _reregister(attacker, _maxDepth() + 1, _aboveLimit(_maxDepth() + 1, _maxDepth()));
        // at the limit it is an ordinary registration
        assertEq(registry.getProgram(_reregister(attacker, _maxDepth(), "")).depth, _maxDepth());
    }

    /// @dev A compromised guardian (or setter) key cannot lift the limit, nor make itself admin to do it.
    function test_compromisedGuardian_cannotChangeMaxDepth() public {
        bytes32 adminRole = registry.DEFAULT_ADMIN_ROLE();
        address[2] memory keys = [guardian, setter];
        for (uint256 i; i < keys.length; ++i) {
            vm.startPrank(keys[i]);
            vm.expectRevert(_unauthorized(keys[i], adminRole));
            registry.setMaxDepth(48);
            vm.expectRevert(_unauthorized(keys[i], adminRole));
            registry.setMaxDepth(1); // lowering (to block new programs) is the admin's too
            vm.expectRevert(_unauthorized(keys[i], adminRole));
            registry.grantRole(adminRole, keys[i]);
            vm.stopPrank();
            assertFalse(registry.hasRole(adminRole, keys[i]));
        }
        assertEq(registry.maxDepth(), _maxDepth());
        _reregister(guardian, 48, _aboveLimit(48, _maxDepth()));
    }

    /// @dev Production: the admin role sits in a TimelockController. After the hand-over, the deployer
    ///      and the guardian cannot change the limit; the timelock does, only after its delay (so a change
    ///      is public for that long), and never beyond the hard cap.
    function test_timelock_isTheOnlyPathToChangeMaxDepth() public {
        address[] memory ops = new address[](1);
        ops[0] = admin;
        TimelockController tl = new TimelockController(2 days, ops, ops, address(0));
        bytes32 adminRole = registry.DEFAULT_ADMIN_ROLE();
        vm.startPrank(admin); // the deployer
        registry.grantRole(adminRole, address(tl));
        registry.renounceRole(adminRole, admin);
        vm.expectRevert(_unauthorized(admin, adminRole));
        registry.setMaxDepth(48);
        vm.stopPrank();

        bytes memory raise = abi.encodeCall(registry.setMaxDepth, (40));
        bytes32 proposerRole = tl.PROPOSER_ROLE();
        vm.prank(guardian);
        vm.expectRevert(_unauthorized(guardian, proposerRole));
        tl.schedule(address(registry), 0, raise, 0, 0, 2 days);

        vm.startPrank(admin);
        tl.schedule(address(registry), 0, raise, 0, 0, 2 days);
        // not ready before the delay
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector,
                tl.hashOperation(address(registry), 0, raise, 0, 0),
                bytes32(1 << uint8(TimelockController.OperationState.Ready))
            )
        );
        tl.execute(address(registry), 0, raise, 0, 0);
        vm.warp(block.timestamp + 2 days);
        tl.execute(address(registry), 0, raise, 0, 0);
        assertEq(registry.maxDepth(), 40);

        // even the timelock cannot go past the hard cap
        bytes memory beyond = abi.encodeCall(registry.setMaxDepth, (49));
        tl.schedule(address(registry), 0, beyond, 0, 0, 2 days);
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert(abi.encodeWithSelector(InvalidMaxDepth.selector, 49));
        tl.execute(address(registry), 0, beyond, 0, 0);
        vm.stopPrank();
        assertEq(registry.maxDepth(), 40);
    }

    /// @dev A program registered before a lowering keeps its D and keeps working: a wrong proposal on
    ///      it is still defeated at full depth, an honest one still finalizes.
    function test_lowering_existingProgramKeepsWorking() public {
        vm.prank(admin);
        registry.setMaxDepth(8);
        assertEq(registry.getProgram(programId).depth, _depth());
        _reregister(attacker, _depth(), _aboveLimit(_depth(), 8));

        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, challenger);
        assertEq(game.getGame(gid).depth, _depth());
        uint64 leafPos = _descend(gid, FAULT, HONEST, challenger);
        _step(gid, leafPos, challenger);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));

        uint256 job2 = _submit("y", 0);
        uint256 pid2 = _propose(_one(_leaf(job2, HONEST)));
        _warpActive(1 days);
        verdict.finalize(pid2);
        assertEq(uint8(verdict.getProposal(pid2).status), uint8(ProposalStatus.Finalized));
    }
}

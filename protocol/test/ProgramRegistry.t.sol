// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests for ProgramRegistry: registration, verifier approval and retirement, the governance
// limit on D (maxDepth), every error.

import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ProgramRegistry} from "../src/ProgramRegistry.sol";
import {IProgramRegistry} from "../src/interfaces/IProgramRegistry.sol";
import "../src/lib/Errors.sol";
import {Program} from "../src/lib/Types.sol";
import {ToyVerifier} from "./mocks/ToyVerifier.sol";

contract ProgramRegistryTest is Test {
    ProgramRegistry internal registry;
    ToyVerifier internal v1;
    ToyVerifier internal v2;
    address internal admin = makeAddr("admin");
    address internal guardian = makeAddr("guardian");
    /// @dev The deploy default (shared/src/deploy/parseDeployConfig.ts).
    uint8 internal constant LIMIT = 32;

    function setUp() public {
        v1 = new ToyVerifier(1);
        v2 = new ToyVerifier(2);
        address[] memory vs = new address[](1);
        vs[0] = address(v1);
        registry = new ProgramRegistry(admin, guardian, vs, LIMIT);
    }

    function _unauthorized(address _who, bytes32 _role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, _who, _role);
    }

    function test_constructor_approvesAndGrants() public view {
        assertEq(registry.verifierStatus(address(v1)), 1);
        assertEq(registry.verifierStatus(address(v2)), 0);
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(registry.hasRole(registry.GUARDIAN_ROLE(), guardian));
        assertEq(registry.maxDepth(), LIMIT);
        assertEq(registry.MAX_DEPTH(), 48);
        assertEq(registry.version(), "0.2.0");
    }

    function test_constructor_zeroAdmin_reverts() public {
        vm.expectRevert(ZeroAddress.selector);
        new ProgramRegistry(address(0), guardian, new address[](0), LIMIT);
    }

    function test_constructor_emitsMaxDepthSet() public {
        vm.expectEmit(vm.computeCreateAddress(address(this), vm.getNonce(address(this))));
        emit IProgramRegistry.MaxDepthSet(0, 20);
        ProgramRegistry r = new ProgramRegistry(admin, guardian, new address[](0), 20);
        assertEq(r.maxDepth(), 20);
    }

    /// @dev 0 and above the hard cap are refused; the bounds themselves are accepted.
    function test_constructor_maxDepthOutOfBounds_reverts() public {
        uint8[3] memory bad = [0, 49, 255];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(InvalidMaxDepth.selector, bad[i]));
            new ProgramRegistry(admin, guardian, new address[](0), bad[i]);
        }
        assertEq(new ProgramRegistry(admin, guardian, new address[](0), 1).maxDepth(), 1);
        assertEq(new ProgramRegistry(admin, guardian, new address[](0), 48).maxDepth(), 48);
    }

    function test_registerProgram_storesAndEmits() public {
        address[] memory signers = new address[](2);
        signers[0] = makeAddr("s0");
        signers[1] = makeAddr("s1");
        vm.expectEmit(address(registry));
        emit IProgramRegistry.ProgramRegistered(
            1, address(this), address(v1), bytes32("root"), 0x100, 20, bytes32("manifest"), signers
        );
        uint256 id =
            registry.registerProgram(bytes32("root"), 0x100, 20, bytes32("manifest"), signers, address(v1));
        assertEq(id, 1);
        assertEq(registry.programCount(), 1);
        Program memory p = registry.getProgram(id);
        assertEq(p.programRoot, bytes32("root"));
        assertEq(p.manifestHash, bytes32("manifest"));
        assertEq(p.verifier, address(v1));
        assertEq(p.entry, 0x100);
        assertEq(p.depth, 20);
        assertTrue(p.signed);
        assertEq(p.registrant, address(this));
        assertTrue(registry.isProgramSigner(id, signers[1]));
        assertFalse(registry.isProgramSigner(id, address(this)));
        assertEq(registry.getProgram(2).verifier, address(0));
    }

    function test_registerProgram_unapprovedVerifier_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(VerifierNotApproved.selector, address(v2)));
        registry.registerProgram(0, 0, 10, 0, new address[](0), address(v2));
    }

    function test_registerProgram_depth_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(InvalidDepth.selector, 0));
        registry.registerProgram(0, 0, 0, 0, new address[](0), address(v1));
        vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, LIMIT + 1, LIMIT));
        registry.registerProgram(0, 0, LIMIT + 1, 0, new address[](0), address(v1));
        vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, 48, LIMIT));
        registry.registerProgram(0, 0, 48, 0, new address[](0), address(v1));
        registry.registerProgram(0, 0, LIMIT, 0, new address[](0), address(v1));
        registry.registerProgram(0, 0, 1, 0, new address[](0), address(v1));
        // at the hard cap, D = 48 is the largest any program can have
        vm.prank(admin);
        registry.setMaxDepth(48);
        registry.registerProgram(0, 0, 48, 0, new address[](0), address(v1));
        vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, 49, 48));
        registry.registerProgram(0, 0, 49, 0, new address[](0), address(v1));
        assertEq(registry.programCount(), 3);
    }

    function testFuzz_registerProgram_atMostMaxDepth(uint8 _limit, uint8 _depth) public {
        _limit = uint8(bound(_limit, 1, 48));
        vm.prank(admin);
        registry.setMaxDepth(_limit);
        if (_depth == 0) {
            vm.expectRevert(abi.encodeWithSelector(InvalidDepth.selector, 0));
        } else if (_depth > _limit) {
            vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, _depth, _limit));
        }
        uint256 id = registry.registerProgram(0, 0, _depth, 0, new address[](0), address(v1));
        if (_depth != 0 && _depth <= _limit) assertEq(registry.getProgram(id).depth, _depth);
    }

    function test_setMaxDepth_setsAndEmits() public {
        vm.expectEmit(address(registry));
        emit IProgramRegistry.MaxDepthSet(LIMIT, 20);
        vm.prank(admin);
        registry.setMaxDepth(20);
        assertEq(registry.maxDepth(), 20);
        registry.registerProgram(0, 0, 20, 0, new address[](0), address(v1));
        vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, 21, 20));
        registry.registerProgram(0, 0, 21, 0, new address[](0), address(v1));
        // raising it again admits deeper programs
        vm.expectEmit(address(registry));
        emit IProgramRegistry.MaxDepthSet(20, 40);
        vm.prank(admin);
        registry.setMaxDepth(40);
        registry.registerProgram(0, 0, 40, 0, new address[](0), address(v1));
    }

    function test_setMaxDepth_outOfBounds_reverts() public {
        uint8[3] memory bad = [0, 49, 255];
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(admin);
            vm.expectRevert(abi.encodeWithSelector(InvalidMaxDepth.selector, bad[i]));
            registry.setMaxDepth(bad[i]);
        }
        assertEq(registry.maxDepth(), LIMIT);
        vm.prank(admin);
        registry.setMaxDepth(1);
        vm.prank(admin);
        registry.setMaxDepth(48);
        assertEq(registry.maxDepth(), 48);
    }

    /// @dev Neither the guardian nor anyone else but the admin may change the limit.
    function test_setMaxDepth_onlyAdmin() public {
        bytes32 role = registry.DEFAULT_ADMIN_ROLE();
        address[3] memory who = [guardian, makeAddr("random"), address(this)];
        for (uint256 i; i < who.length; ++i) {
            vm.prank(who[i]);
            vm.expectRevert(_unauthorized(who[i], role));
            registry.setMaxDepth(48);
        }
        assertEq(registry.maxDepth(), LIMIT);
    }

    /// @dev The deploy path: the deployer is admin until it hands the role to the timelock; after
    ///      that only the timelock may change the limit.
    function test_setMaxDepth_deployerAfterHandoverToTimelock_reverts() public {
        address deployer = makeAddr("deployer");
        address timelock = makeAddr("timelock");
        vm.startPrank(deployer);
        ProgramRegistry r = new ProgramRegistry(deployer, guardian, new address[](0), LIMIT);
        r.setMaxDepth(LIMIT - 1);
        r.grantRole(r.DEFAULT_ADMIN_ROLE(), timelock);
        r.renounceRole(r.DEFAULT_ADMIN_ROLE(), deployer);
        vm.expectRevert(_unauthorized(deployer, r.DEFAULT_ADMIN_ROLE()));
        r.setMaxDepth(48);
        vm.stopPrank();
        vm.prank(timelock);
        r.setMaxDepth(LIMIT);
        assertEq(r.maxDepth(), LIMIT);
    }

    /// @dev A program registered before a lowering keeps its D: records never change.
    function test_setMaxDepth_lowering_keepsExistingPrograms() public {
        uint256 id = registry.registerProgram(bytes32("root"), 0x100, LIMIT, 0, new address[](0), address(v1));
        vm.prank(admin);
        registry.setMaxDepth(10);
        assertEq(registry.getProgram(id).depth, LIMIT);
        assertEq(registry.getProgram(id).verifier, address(v1));
        // the same image at the same D is now refused as a new program
        vm.expectRevert(abi.encodeWithSelector(DepthAboveLimit.selector, LIMIT, 10));
        registry.registerProgram(bytes32("root"), 0x100, LIMIT, 0, new address[](0), address(v1));
    }

    function test_registerProgram_signers_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(TooManySigners.selector, 33));
        registry.registerProgram(0, 0, 10, 0, new address[](33), address(v1));
        vm.expectRevert(ZeroAddress.selector);
        registry.registerProgram(0, 0, 10, 0, new address[](1), address(v1));
    }

    function test_approveVerifier() public {
        vm.expectEmit(address(registry));
        emit IProgramRegistry.VerifierApproved(address(v2), 2);
        vm.prank(admin);
        registry.approveVerifier(address(v2));
        assertEq(registry.verifierStatus(address(v2)), 1);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(VerifierAlreadyKnown.selector, address(v2)));
        registry.approveVerifier(address(v2));
        vm.prank(admin);
        vm.expectRevert(ZeroAddress.selector);
        registry.approveVerifier(address(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                address(this),
                registry.DEFAULT_ADMIN_ROLE()
            )
        );
        registry.approveVerifier(address(v2));
    }

    function test_retireVerifier_blocksNewProgramsOnly() public {
        uint256 id = registry.registerProgram(0, 0, 10, 0, new address[](0), address(v1));
        vm.expectEmit(address(registry));
        emit IProgramRegistry.VerifierRetired(address(v1));
        vm.prank(guardian);
        registry.retireVerifier(address(v1));
        assertEq(registry.verifierStatus(address(v1)), 2);
        assertEq(registry.getProgram(id).verifier, address(v1));
        vm.expectRevert(abi.encodeWithSelector(VerifierNotApproved.selector, address(v1)));
        registry.registerProgram(0, 0, 10, 0, new address[](0), address(v1));
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(VerifierNotApproved.selector, address(v1)));
        registry.retireVerifier(address(v1));
        // a retired verifier never comes back
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(VerifierAlreadyKnown.selector, address(v1)));
        registry.approveVerifier(address(v1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                address(this),
                registry.GUARDIAN_ROLE()
            )
        );
        registry.retireVerifier(address(v2));
    }
}

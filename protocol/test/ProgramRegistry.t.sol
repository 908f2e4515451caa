// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests for ProgramRegistry: registration, verifier approval and retirement, every error.

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

    function setUp() public {
        v1 = new ToyVerifier(1);
        v2 = new ToyVerifier(2);
        address[] memory vs = new address[](1);
        vs[0] = address(v1);
        registry = new ProgramRegistry(admin, guardian, vs);
    }

    function test_constructor_approvesAndGrants() public view {
        assertEq(registry.verifierStatus(address(v1)), 1);
        assertEq(registry.verifierStatus(address(v2)), 0);
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(registry.hasRole(registry.GUARDIAN_ROLE(), guardian));
        assertEq(registry.version(), "0.1.0");
    }

    function test_constructor_zeroAdmin_reverts() public {
        vm.expectRevert(ZeroAddress.selector);
        new ProgramRegistry(address(0), guardian, new address[](0));
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
        vm.expectRevert(abi.encodeWithSelector(InvalidDepth.selector, 49));
        registry.registerProgram(0, 0, 49, 0, new address[](0), address(v1));
        registry.registerProgram(0, 0, 48, 0, new address[](0), address(v1));
        registry.registerProgram(0, 0, 1, 0, new address[](0), address(v1));
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

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {VerdictVersion} from "../src/Version.sol";

contract SmokeTest is Test {
    function test_version() public pure {
        assertEq(VerdictVersion.VERSION, "0.1.0");
    }
}

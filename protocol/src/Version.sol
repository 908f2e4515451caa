// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Version string shared by the Verdict protocol contracts.
library VerdictVersion {
    string internal constant VERSION = "0.1.0";
}

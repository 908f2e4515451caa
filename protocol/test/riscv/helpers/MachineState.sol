// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test-only view of the packed machine state (docs/spec.md §1.1) as a struct, with its encoder.

struct MachineState {
    bytes32 memRoot;
    uint32 pc;
    /// @dev x[0] is ignored by the encoding.
    uint32[32] x;
    uint64 step;
    uint8 status;
    uint32 exitCode;
}

library MachineStateEncoding {
    function encode(MachineState memory _s) internal pure returns (bytes memory out_) {
        out_ = abi.encodePacked(_s.memRoot, _s.pc);
        for (uint256 k = 1; k < 32; k++) {
            out_ = bytes.concat(out_, abi.encodePacked(_s.x[k]));
        }
        out_ = bytes.concat(out_, abi.encodePacked(_s.step, _s.status, _s.exitCode));
    }

    function hash(MachineState memory _s) internal pure returns (bytes32) {
        return keccak256(encode(_s));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Deploys the whole protocol from a JSON config (same shape as shared/src/deploy/types.ts):
//   VERDICT_DEPLOY_CONFIG=protocol/script/deploy.example.json \
//   npx forge script protocol/script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast
// Optional keys (admin, guardian, parameterSetter, timelock, verifier) default to the deployer /
// none / a fresh RV32IM. With VERDICT_DEPLOYMENT_OUT set (a path inside the repository, as forge
// only writes there), the addresses are written to it as JSON.

import {Script} from "forge-std/Script.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RV32IM} from "../src/riscv/RV32IM.sol";
import {ProgramRegistry} from "../src/ProgramRegistry.sol";
import {Verdict} from "../src/Verdict.sol";
import {IProgramRegistry} from "../src/interfaces/IProgramRegistry.sol";
import {Params} from "../src/lib/Types.sol";

contract Deploy is Script {
    struct Deployed {
        address verifier;
        address registry;
        address verdict;
        address timelock;
    }

    function run() external returns (Deployed memory d_) {
        string memory json =
            vm.readFile(vm.envOr("VERDICT_DEPLOY_CONFIG", string("protocol/script/deploy.example.json")));
        Params memory params = Params({
            proposerBond: uint96(vm.parseJsonUint(json, ".params.proposerBond")),
            challengerBond: uint96(vm.parseJsonUint(json, ".params.challengerBond")),
            challengeWindow: uint64(vm.parseJsonUint(json, ".params.challengeWindowSeconds")),
            clockSeconds: uint64(vm.parseJsonUint(json, ".params.clockSeconds")),
            burnBps: uint16(vm.parseJsonUint(json, ".params.burnBps")),
            maxInputBytes: uint32(vm.parseJsonUint(json, ".params.maxInputBytes")),
            maxBatchSize: uint32(vm.parseJsonUint(json, ".params.maxBatchSize"))
        });
        uint256 k = vm.parseJsonUint(json, ".k");

        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        d_.verifier = _optAddress(json, ".verifier", address(0));
        if (d_.verifier == address(0)) d_.verifier = address(new RV32IM());
        if (vm.keyExistsJson(json, ".timelock")) {
            d_.timelock = address(
                new TimelockController(
                    vm.parseJsonUint(json, ".timelock.minDelaySeconds"),
                    vm.parseJsonAddressArray(json, ".timelock.proposers"),
                    vm.parseJsonAddressArray(json, ".timelock.executors"),
                    address(0)
                )
            );
        }
        address admin = d_.timelock != address(0) ? d_.timelock : _optAddress(json, ".admin", deployer);
        address guardian = _optAddress(json, ".guardian", deployer);
        address setter = _optAddress(json, ".parameterSetter", deployer);
        address[] memory verifiers = new address[](1);
        verifiers[0] = d_.verifier;
        d_.registry = address(new ProgramRegistry(admin, guardian, verifiers));
        d_.verdict = address(new Verdict(IProgramRegistry(d_.registry), admin, guardian, setter, k, params));
        vm.stopBroadcast();

        string memory outPath = vm.envOr("VERDICT_DEPLOYMENT_OUT", string(""));
        if (bytes(outPath).length != 0) {
            string memory o = "deployment";
            vm.serializeUint(o, "chainId", block.chainid);
            vm.serializeAddress(o, "verifier", d_.verifier);
            vm.serializeAddress(o, "registry", d_.registry);
            vm.serializeAddress(o, "timelock", d_.timelock);
            vm.serializeUint(o, "k", k);
            vm.writeJson(vm.serializeAddress(o, "verdict", d_.verdict), outPath);
        }
    }

    function _optAddress(string memory _json, string memory _key, address _default)
        internal
        view
        returns (address)
    {
        return vm.keyExistsJson(_json, _key) ? vm.parseJsonAddress(_json, _key) : _default;
    }
}

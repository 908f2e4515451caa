// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Deploys the whole protocol from a JSON config (same shape as shared/src/deploy/types.ts):
//   VERDICT_DEPLOY_CONFIG=protocol/script/deploy.example.json \
//   npx forge script protocol/script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast
// Order (fixed by the contracts): verifier, optional timelock, ProgramRegistry, then
// DisputeGame(predicted Verdict address, k) → Verdict(registry, game, ...) → Outputs(verdict).
// Optional keys (admin, guardian, parameterSetter, timelock, verifier, maxDepth,
// params.feeTimeoutSeconds) default to the deployer / the deployer / the deployer / none / a fresh
// RV32IM / 32 / max(7 days, the shortest allowed). With a timelock, every role but the guardian's
// goes to it (admin AND parameter setter); naming another admin or setter next to it is refused.
// With VERDICT_DEPLOYMENT_OUT set (a path inside the repository, as forge only writes there), the
// addresses are written to it as JSON.

import {Script} from "forge-std/Script.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RV32IM} from "../src/riscv/RV32IM.sol";
import {ProgramRegistry} from "../src/ProgramRegistry.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {Verdict} from "../src/Verdict.sol";
import {Outputs} from "../src/Outputs.sol";
import {IProgramRegistry} from "../src/interfaces/IProgramRegistry.sol";
import {IDisputeGame} from "../src/interfaces/IDisputeGame.sol";
import {IVerdict} from "../src/interfaces/IVerdict.sol";
import {Params} from "../src/lib/Types.sol";

contract Deploy is Script {
    /// @dev Same default as shared/src/deploy/parseDeployConfig.ts: 2^32 steps per job at most.
    uint8 internal constant DEFAULT_MAX_DEPTH = 32;

    struct Deployed {
        address verifier;
        address registry;
        address disputeGame;
        address verdict;
        address outputs;
        address timelock;
    }

    struct Roles {
        address admin;
        address guardian;
        address setter;
    }

    function run() external returns (Deployed memory d_) {
        string memory json =
            vm.readFile(vm.envOr("VERDICT_DEPLOY_CONFIG", string("protocol/script/deploy.example.json")));
        Params memory params = _params(json);
        uint256 k = vm.parseJsonUint(json, ".k");
        bool withTimelock = vm.keyExistsJson(json, ".timelock");
        // INVARIANT: with a timelock, no role but the guardian's is held outside it.
        require(
            !withTimelock || (!vm.keyExistsJson(json, ".admin") && !vm.keyExistsJson(json, ".parameterSetter")),
            "admin and parameterSetter must not be set with timelock: the timelock holds them"
        );

        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        d_.verifier = _optAddress(json, ".verifier", address(0));
        if (d_.verifier == address(0)) d_.verifier = address(new RV32IM());
        if (withTimelock) {
            d_.timelock = address(
                new TimelockController(
                    vm.parseJsonUint(json, ".timelock.minDelaySeconds"),
                    vm.parseJsonAddressArray(json, ".timelock.proposers"),
                    vm.parseJsonAddressArray(json, ".timelock.executors"),
                    address(0)
                )
            );
        }
        Roles memory r = Roles({
            admin: withTimelock ? d_.timelock : _optAddress(json, ".admin", deployer),
            guardian: _optAddress(json, ".guardian", deployer),
            setter: withTimelock ? d_.timelock : _optAddress(json, ".parameterSetter", deployer)
        });
        address[] memory verifiers = new address[](1);
        verifiers[0] = d_.verifier;
        d_.registry = address(new ProgramRegistry(r.admin, r.guardian, verifiers, _maxDepth(json)));
        // The game is bound to the Verdict deployed right after it, from the deployer's next nonce.
        address predicted = vm.computeCreateAddress(deployer, vm.getNonce(deployer) + 1);
        d_.disputeGame = address(new DisputeGame(IVerdict(predicted), k));
        d_.verdict = address(
            new Verdict(
                IProgramRegistry(d_.registry), IDisputeGame(d_.disputeGame), r.admin, r.guardian, r.setter, params
            )
        );
        require(d_.verdict == predicted, "Verdict not at the address DisputeGame was bound to");
        d_.outputs = address(new Outputs(IVerdict(d_.verdict)));
        vm.stopBroadcast();

        string memory outPath = vm.envOr("VERDICT_DEPLOYMENT_OUT", string(""));
        if (bytes(outPath).length != 0) _write(outPath, d_, k);
    }

    function _params(string memory _json) internal view returns (Params memory p_) {
        p_ = Params({
            proposerBond: uint96(vm.parseJsonUint(_json, ".params.proposerBond")),
            claimBond: uint96(vm.parseJsonUint(_json, ".params.claimBond")),
            challengeWindow: uint64(vm.parseJsonUint(_json, ".params.challengeWindowSeconds")),
            clockSeconds: uint64(vm.parseJsonUint(_json, ".params.clockSeconds")),
            burnBps: uint16(vm.parseJsonUint(_json, ".params.burnBps")),
            maxInputBytes: uint32(vm.parseJsonUint(_json, ".params.maxInputBytes")),
            maxBatchSize: uint32(vm.parseJsonUint(_json, ".params.maxBatchSize")),
            feeTimeout: 0
        });
        if (vm.keyExistsJson(_json, ".params.feeTimeoutSeconds")) {
            p_.feeTimeout = uint64(vm.parseJsonUint(_json, ".params.feeTimeoutSeconds"));
        } else {
            // Same default as shared/src/deploy/parseDeployConfig.ts.
            uint64 minimum = p_.challengeWindow + 4 * p_.clockSeconds + 600;
            p_.feeTimeout = minimum > 7 days ? minimum : 7 days;
        }
    }

    /// @dev The registry's largest trace exponent D; the registry itself enforces 1..MAX_DEPTH.
    function _maxDepth(string memory _json) internal view returns (uint8) {
        if (!vm.keyExistsJson(_json, ".maxDepth")) return DEFAULT_MAX_DEPTH;
        uint256 raw = vm.parseJsonUint(_json, ".maxDepth");
        // INVARIANT: the value the registry checks is the one in the file (no silent uint8 truncation).
        require(raw <= type(uint8).max, "maxDepth must be in 1..48");
        return uint8(raw);
    }

    function _write(string memory _outPath, Deployed memory _d, uint256 _k) internal {
        string memory o = "deployment";
        vm.serializeUint(o, "chainId", block.chainid);
        vm.serializeAddress(o, "verifier", _d.verifier);
        vm.serializeAddress(o, "registry", _d.registry);
        vm.serializeAddress(o, "disputeGame", _d.disputeGame);
        vm.serializeAddress(o, "outputs", _d.outputs);
        vm.serializeAddress(o, "timelock", _d.timelock);
        vm.serializeUint(o, "k", _k);
        vm.writeJson(vm.serializeAddress(o, "verdict", _d.verdict), _outPath);
    }

    function _optAddress(string memory _json, string memory _key, address _default)
        internal
        view
        returns (address)
    {
        return vm.keyExistsJson(_json, _key) ? vm.parseJsonAddress(_json, _key) : _default;
    }
}

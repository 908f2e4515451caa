// loadDaemonSigner: the key the daemon's configuration names, else (a caller
// that built the configuration without the environment) the environment's,
// the role variable first. The resolution of flags, variables and files is
// tested through the daemons' configs (proposer/src/config.test.ts).

import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { loadDaemonSigner } from "./daemonConnection.ts";

const KEY_A = `0x${"aa".repeat(32)}` as const;
const KEY_B = `0x${"bb".repeat(32)}` as const;
const ROLE = "VERDICT_PROPOSER_KEY";

describe("cli/daemonConnection: loadDaemonSigner", () => {
  it("uses the configured key and ignores the environment's", async () => {
    const a = await loadDaemonSigner(
      { privateKey: KEY_A },
      { [ROLE]: KEY_B, VERDICT_KEYSTORE: "x.json" },
      ROLE,
    );
    expect(a.address).to.equal(privateKeyToAccount(KEY_A).address);
  });

  it("without a configured key: the role variable, over VERDICT_PRIVATE_KEY and VERDICT_KEYSTORE", async () => {
    const env = { [ROLE]: KEY_B, VERDICT_PRIVATE_KEY: KEY_A, VERDICT_KEYSTORE: "x.json" };
    expect((await loadDaemonSigner({}, env, ROLE)).address).to.equal(privateKeyToAccount(KEY_B).address);
    const generic = await loadDaemonSigner({}, { VERDICT_PRIVATE_KEY: KEY_A }, ROLE);
    expect(generic.address).to.equal(privateKeyToAccount(KEY_A).address);
  });

  it("no key anywhere: KeySourceError saying what to set", async () => {
    const err = await loadDaemonSigner({}, {}, ROLE).then(
      () => expect.fail("loaded"),
      (e: Error) => e,
    );
    expect(err.name).to.equal("KeySourceError");
    expect(err.message).to.include("No signing key configured").and.include("VERDICT_PRIVATE_KEY");
  });
});

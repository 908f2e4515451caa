import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { buildConfig } from "./buildConfig.ts";
import { ConfigError, ConfigFileError } from "./errors.ts";
import { addressField, etherField, intField, stringField, urlField } from "./fields.ts";

const schema = {
  rpcUrl: urlField({ description: "RPC endpoint", env: "X_RPC_URL", required: true }),
  verdict: addressField({ description: "contract", env: "X_VERDICT", required: true }),
  bond: etherField({ description: "bond", default: 10n ** 17n }),
  batchSize: intField({ description: "batch", min: 1, max: 1000, default: 16 }),
  secret: stringField({ description: "secret", env: "X_SECRET", secret: true }),
};
const addr = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("config/buildConfig", () => {
  it("merges flags over env over file over defaults, and parses types", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "c.json");
    writeFileSync(
      file,
      JSON.stringify({ rpcUrl: "http://file:1", verdict: addr, batchSize: 4, bond: "1eth" }),
    );
    const c = buildConfig({ schema, file, env: { X_RPC_URL: "http://env:2" }, cli: { batchSize: "8" } });
    expect(c.rpcUrl).to.equal("http://env:2");
    expect(c.verdict).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(c.batchSize).to.equal(8);
    expect(c.bond).to.equal(10n ** 18n);
    expect(c.secret).to.equal(undefined);
  });

  it("reports every problem at once, naming the source", () => {
    const err = (() => {
      try {
        buildConfig({
          schema,
          cli: { batchSize: "0", bond: "lots" },
          env: { X_VERDICT: "0x12" },
          file: { nope: 1 },
        });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).to.be.instanceOf(ConfigError);
    const fields = err.issues.map((i) => i.field).sort();
    expect(fields).to.deep.equal(["batchSize", "bond", "nope", "rpcUrl", "verdict"]);
    expect(err.message).to.match(/batchSize \(from --batch-size\): 0 is below the minimum 1/);
    expect(err.message).to.match(/verdict \(from X_VERDICT\)/);
    expect(err.message).to.match(/rpcUrl .*required.*--rpc-url, X_RPC_URL/);
    expect(err.retryable).to.equal(false);
  });

  it("never echoes a secret's value", () => {
    const schema2 = { k: intField({ description: "k", env: "K", secret: true }) };
    const err = (() => {
      try {
        buildConfig({ schema: schema2, env: { K: "topsecretvalue" } });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).to.not.include("topsecretvalue");
  });

  it("a missing or broken file is a ConfigFileError", () => {
    expect(() => buildConfig({ schema, file: "/nonexistent/x.json" })).to.throw(ConfigFileError, /ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    writeFileSync(join(dir, "bad.json"), "{nope");
    expect(() => buildConfig({ schema, file: join(dir, "bad.json") })).to.throw(
      ConfigFileError,
      /not valid JSON/,
    );
    writeFileSync(join(dir, "arr.json"), "[]");
    expect(() => buildConfig({ schema, file: join(dir, "arr.json") })).to.throw(
      ConfigFileError,
      /not a JSON object/,
    );
  });
});

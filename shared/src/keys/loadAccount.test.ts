import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { privateKeyToAddress } from "viem/accounts";
import {
  KeySourceError,
  KeystoreFormatError,
  KeystorePasswordError,
  PrivateKeyFormatError,
} from "./errors.ts";
import { decryptKeystore, encryptKeystore } from "./keystore.ts";
import { loadAccount } from "./loadAccount.ts";

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as const;

// The canonical v3 test vector (Ethereum wiki "Web3 Secret Storage", pbkdf2 variant), password "testpassword".
const WIKI_PBKDF2 = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    kdf: "pbkdf2",
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: "hmac-sha256",
      salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
    },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};

describe("keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "keys-"));

  it("decrypts the reference pbkdf2 keystore vector", () => {
    expect(decryptKeystore(WIKI_PBKDF2, "testpassword")).to.equal(
      "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d",
    );
  });

  it("round-trips a scrypt keystore and loads the account from keystore + password file", async () => {
    const ks = encryptKeystore({ privateKey: KEY, password: "pw", scryptN: 1024 });
    writeFileSync(join(dir, "ks.json"), JSON.stringify(ks));
    writeFileSync(join(dir, "pw.txt"), "pw\n");
    const acct = await loadAccount({
      keystore: join(dir, "ks.json"),
      passwordFile: join(dir, "pw.txt"),
      prompt: false,
    });
    expect(acct.address).to.equal(privateKeyToAddress(KEY));
    const viaEnv = await loadAccount({
      keystore: join(dir, "ks.json"),
      passwordEnv: "PW",
      env: { PW: "pw" },
      prompt: false,
    });
    expect(viaEnv.address).to.equal(privateKeyToAddress(KEY));
  });

  it("a wrong password is a KeystorePasswordError that does not contain the password", async () => {
    const ks = encryptKeystore({ privateKey: KEY, password: "right", scryptN: 1024 });
    writeFileSync(join(dir, "ks2.json"), JSON.stringify(ks));
    const err = await loadAccount({
      keystore: join(dir, "ks2.json"),
      passwordEnv: "PW",
      env: { PW: "wrongpass" },
      prompt: false,
    }).catch((e) => e);
    expect(err).to.be.instanceOf(KeystorePasswordError);
    expect(err.message).to.not.include("wrongpass");
  });

  it("bad keystore files are KeystoreFormatErrors", async () => {
    writeFileSync(join(dir, "junk.json"), "{}");
    const err = await loadAccount({
      keystore: join(dir, "junk.json"),
      passwordEnv: "PW",
      env: { PW: "x" },
    }).catch((e) => e);
    expect(err).to.be.instanceOf(KeystoreFormatError);
    const err2 = await loadAccount({
      keystore: join(dir, "missing.json"),
      passwordEnv: "PW",
      env: { PW: "x" },
    }).catch((e) => e);
    expect(err2).to.be.instanceOf(KeystoreFormatError);
    expect(err2.message).to.include("ENOENT");
  });

  it("loads a raw key from an env var, rejects a malformed one without echoing it", async () => {
    const a = await loadAccount({ privateKeyEnv: "PK", env: { PK: KEY } });
    expect(a.address).to.equal(privateKeyToAddress(KEY));
    const err = await loadAccount({ privateKeyEnv: "PK", env: { PK: "0xdeadbeefcafe" } }).catch((e) => e);
    expect(err).to.be.instanceOf(PrivateKeyFormatError);
    expect(err.message).to.not.include("deadbeefcafe");
  });

  it("requires exactly one key source", async () => {
    expect(await loadAccount({ privateKeyEnv: "PK", env: {} }).catch((e) => e)).to.be.instanceOf(
      KeySourceError,
    );
    expect(
      await loadAccount({ keystore: "x", privateKeyEnv: "PK", env: { PK: KEY } }).catch((e) => e),
    ).to.be.instanceOf(KeySourceError);
    expect(
      await loadAccount({ keystore: join(dir, "ks.json"), env: {}, prompt: false }).catch((e) => e),
    ).to.be.instanceOf(KeySourceError);
  });

  it("a missing keystore password names the variable the daemon reads", async () => {
    const err = await loadAccount({
      keystore: join(dir, "ks.json"),
      passwordEnv: "VERDICT_KEYSTORE_PASSWORD",
      env: {},
      prompt: false,
    }).catch((e) => e);
    expect(err).to.be.instanceOf(KeySourceError);
    expect(err.message).to.include("--password-file").and.include("set VERDICT_KEYSTORE_PASSWORD");
  });
});

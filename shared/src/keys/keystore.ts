// Ethereum JSON keystore v3 (the geth/web3 format): scrypt or pbkdf2 key
// derivation, aes-128-ctr, keccak256 MAC over derivedKey[16..32] ‖ ciphertext.
// Decryption checks the MAC before using the key, so a wrong password or a
// tampered file is an error, never a wrong account.

import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { bytesToHex, type Hex, hexToBytes, keccak256 } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { KeystoreFormatError, KeystorePasswordError } from "./errors.ts";

export type KeystoreV3 = {
  version: 3;
  id: string;
  address?: string;
  crypto: {
    cipher: "aes-128-ctr";
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: "scrypt" | "pbkdf2";
    kdfparams:
      | { dklen: number; n: number; r: number; p: number; salt: string }
      | { dklen: number; c: number; prf: "hmac-sha256"; salt: string };
    mac: string;
  };
};

const strip = (h: string) => (h.startsWith("0x") ? h.slice(2) : h);

function deriveKey(password: string, kdf: string, params: Record<string, unknown>, path: string): Buffer {
  const salt = Buffer.from(strip(String(params.salt)), "hex");
  const dklen = Number(params.dklen);
  if (dklen !== 32) throw new KeystoreFormatError({ path, reason: `dklen ${dklen}, expected 32` });
  if (kdf === "scrypt") {
    const N = Number(params.n);
    const r = Number(params.r);
    const p = Number(params.p);
    if (!(N > 1 && (N & (N - 1)) === 0))
      throw new KeystoreFormatError({ path, reason: "scrypt n is not a power of 2" });
    return scryptSync(password.normalize("NFKC"), salt, dklen, {
      N,
      r,
      p,
      maxmem: 256 * N * r + 1024 * 1024,
    });
  }
  if (kdf === "pbkdf2") {
    if (params.prf !== "hmac-sha256")
      throw new KeystoreFormatError({ path, reason: `unsupported prf ${params.prf}` });
    return pbkdf2Sync(password.normalize("NFKC"), salt, Number(params.c), dklen, "sha256");
  }
  throw new KeystoreFormatError({ path, reason: `unsupported kdf ${kdf}` });
}

function mac(derived: Buffer, ciphertext: Buffer): string {
  return strip(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
}

/** Decrypts a parsed keystore; `path` is only for messages. */
export function decryptKeystore(json: unknown, password: string, path = "<keystore>"): Hex {
  const ks = json as Partial<KeystoreV3>;
  const c = (ks?.crypto ?? (ks as { Crypto?: KeystoreV3["crypto"] })?.Crypto) as
    | KeystoreV3["crypto"]
    | undefined;
  if (ks?.version !== 3 || !c) throw new KeystoreFormatError({ path, reason: "not a version 3 keystore" });
  if (c.cipher !== "aes-128-ctr")
    throw new KeystoreFormatError({ path, reason: `unsupported cipher ${c.cipher}` });
  const ciphertext = Buffer.from(strip(c.ciphertext ?? ""), "hex");
  if (ciphertext.length !== 32) throw new KeystoreFormatError({ path, reason: "ciphertext is not 32 bytes" });
  const derived = deriveKey(password, c.kdf, c.kdfparams as Record<string, unknown>, path);
  if (mac(derived, ciphertext) !== strip(c.mac ?? "").toLowerCase())
    throw new KeystorePasswordError({ path });
  const decipher = createDecipheriv(
    "aes-128-ctr",
    derived.subarray(0, 16),
    Buffer.from(strip(c.cipherparams.iv), "hex"),
  );
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return bytesToHex(key);
}

/** Reads and decrypts a keystore file. */
export function readKeystore(path: string, password: string): Hex {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KeystoreFormatError({ path, reason: code ? `cannot read (${code})` : "not valid JSON", cause });
  }
  return decryptKeystore(json, password, path);
}

export type EncryptKeystoreParameters = {
  privateKey: Hex;
  password: string;
  /** scrypt N; 2^18 is the geth default. Tests use a small N. */
  scryptN?: number;
};

/** Encrypts a key into a v3 keystore (scrypt). Used by `verdict keys new` and tests. */
export function encryptKeystore({
  privateKey,
  password,
  scryptN = 1 << 18,
}: EncryptKeystoreParameters): KeystoreV3 {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const r = 8;
  const p = 1;
  const derived = scryptSync(password.normalize("NFKC"), salt, 32, {
    N: scryptN,
    r,
    p,
    maxmem: 256 * scryptN * r + 1024 * 1024,
  });
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: strip(privateKeyToAddress(privateKey)).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: ciphertext.toString("hex"),
      cipherparams: { iv: iv.toString("hex") },
      kdf: "scrypt",
      kdfparams: { dklen: 32, n: scryptN, r, p, salt: salt.toString("hex") },
      mac: mac(derived, ciphertext),
    },
  };
}

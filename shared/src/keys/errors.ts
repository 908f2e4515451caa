// Typed errors of key loading. Messages name files and variables, never a key
// or a password.

import { BaseError } from "../errors/base.ts";

export class KeyError extends BaseError {
  override name = "KeyError";
}

/** No key source, or more than one, was configured. */
export class KeySourceError extends KeyError {
  override name = "KeySourceError";
}

/** The keystore file is missing, not JSON, or not a supported v3 keystore. */
export class KeystoreFormatError extends KeyError {
  override name = "KeystoreFormatError";
  constructor({ path, reason, cause }: { path: string; reason: string; cause?: unknown }) {
    super(`Keystore ${path} is unusable: ${reason}.`, {
      cause,
      details: "Expected an Ethereum JSON keystore v3 (scrypt or pbkdf2, aes-128-ctr).",
    });
  }
}

/** The MAC check failed: wrong password (or a tampered file). */
export class KeystorePasswordError extends KeyError {
  override name = "KeystorePasswordError";
  constructor({ path }: { path: string }) {
    super(`Wrong password for keystore ${path} (MAC mismatch).`);
  }
}

/** The raw private key (env var) is malformed. The value itself is never shown. */
export class PrivateKeyFormatError extends KeyError {
  override name = "PrivateKeyFormatError";
  constructor({ source }: { source: string }) {
    super(`Private key in ${source} is not 32 bytes of hex (0x + 64 hex digits).`);
  }
}

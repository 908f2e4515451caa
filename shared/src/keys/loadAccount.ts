// Turns the configured key source into a viem account: exactly one of an
// encrypted keystore (password from a file, an environment variable or an
// interactive prompt) or a raw key in an environment variable. The key lives
// only inside the returned account object; nothing here logs or prints it.

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { type Hex, isHex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { KeySourceError, PrivateKeyFormatError } from "./errors.ts";
import { readKeystore } from "./keystore.ts";

export type LoadAccountParameters = {
  /** Path of a v3 keystore. */
  keystore?: string;
  /** File whose first line is the keystore password. */
  passwordFile?: string;
  /** Name of the environment variable holding the keystore password. */
  passwordEnv?: string;
  /** Name of the environment variable holding a raw private key. */
  privateKeyEnv?: string;
  env?: Record<string, string | undefined>;
  /** Ask on the terminal when no password source is set (only when stdin is a TTY). */
  prompt?: boolean;
};

export type LoadAccountReturnType = PrivateKeyAccount;

/** How to give a keystore password, naming the variable the daemon actually reads. */
function passwordHint(passwordEnv: string | undefined): string {
  return `Try: --password-file <path> (first line is the password)${passwordEnv ? `, or set ${passwordEnv}` : ""}.`;
}

async function promptPassword(question: string, passwordEnv: string | undefined): Promise<string> {
  if (!process.stdin.isTTY)
    throw new KeySourceError("A keystore password is needed but stdin is not a terminal.", {
      metaMessages: [passwordHint(passwordEnv)],
    });
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Mute echo: readline writes typed characters through _writeToOutput.
  const rlm = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  let asked = false;
  rlm._writeToOutput = (s: string) => {
    if (!asked) {
      rlm.output.write(s);
      asked = true;
    }
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

function parseKey(value: string, source: string): Hex {
  const v = value.trim();
  const key = (v.startsWith("0x") ? v : `0x${v}`) as Hex;
  if (!isHex(key) || key.length !== 66) throw new PrivateKeyFormatError({ source });
  return key;
}

export async function loadAccount(params: LoadAccountParameters): Promise<LoadAccountReturnType> {
  const env = params.env ?? process.env;
  const rawKey = params.privateKeyEnv ? env[params.privateKeyEnv] : undefined;
  if (params.keystore && rawKey)
    throw new KeySourceError("Both a keystore and a private key variable are set; use exactly one.", {
      metaMessages: [`Unset ${params.privateKeyEnv} or drop --keystore.`],
    });
  if (params.keystore) {
    let password: string;
    if (params.passwordFile) {
      try {
        password = readFileSync(params.passwordFile, "utf8").split(/\r?\n/)[0];
      } catch (cause) {
        throw new KeySourceError(`Cannot read password file ${params.passwordFile}.`, { cause });
      }
    } else if (params.passwordEnv && env[params.passwordEnv] !== undefined) {
      password = env[params.passwordEnv] as string;
    } else if (params.prompt !== false) {
      password = await promptPassword(`Password for ${params.keystore}: `, params.passwordEnv);
    } else {
      throw new KeySourceError(`No password for keystore ${params.keystore}.`, {
        metaMessages: [passwordHint(params.passwordEnv)],
      });
    }
    return privateKeyToAccount(readKeystore(params.keystore, password));
  }
  if (rawKey) return privateKeyToAccount(parseKey(rawKey, params.privateKeyEnv as string));
  throw new KeySourceError("No signing key configured.", {
    metaMessages: [
      `Try: --keystore <path> (with --password-file) or set ${params.privateKeyEnv ?? "the private key variable"}.`,
    ],
  });
}

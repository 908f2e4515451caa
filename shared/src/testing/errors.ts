// Typed errors of the test-chain utilities (anvil launcher, RPC fault proxy),
// so a test that cannot start its chain says why instead of timing out.

import { BaseError } from "../errors/base.ts";

export type AnvilStartErrorType = AnvilStartError & { name: "AnvilStartError" };
export class AnvilStartError extends BaseError {
  override name = "AnvilStartError";
  constructor({ reason, output, cause }: { reason: string; output?: string; cause?: unknown }) {
    super(`Could not start anvil: ${reason}`, {
      details: output ? `Last output of anvil:\n${output}` : undefined,
      cause,
      // A port race or a slow machine can make a second attempt succeed.
      retryable: true,
      metaMessages: ["Try: `npx -y pnpm@10 install` (the anvil binary ships in @foundry-rs/anvil)."],
    });
  }
}

export type AnvilBinaryNotFoundErrorType = AnvilBinaryNotFoundError & { name: "AnvilBinaryNotFoundError" };
export class AnvilBinaryNotFoundError extends BaseError {
  override name = "AnvilBinaryNotFoundError";
  constructor({ tried }: { tried: string[] }) {
    super("No anvil binary found in node_modules.", {
      details: `Looked at:\n${tried.join("\n")}`,
      metaMessages: ["Try: `npx -y pnpm@10 install` from the repository root."],
    });
  }
}

export type FaultProxyConfigErrorType = FaultProxyConfigError & { name: "FaultProxyConfigError" };
export class FaultProxyConfigError extends BaseError {
  override name = "FaultProxyConfigError";
  constructor({ field, value }: { field: string; value: unknown }) {
    super(`Invalid fault proxy setting ${field}: ${String(value)}.`, {
      details: "Rates are probabilities in [0, 1]; delays are non-negative milliseconds.",
    });
  }
}

export type RedisStartErrorType = RedisStartError & { name: "RedisStartError" };
export class RedisStartError extends BaseError {
  override name = "RedisStartError";
  constructor(reason: string) {
    super(`Could not start redis-server: ${reason}`, {
      metaMessages: ["Try: `bash .ci/install-toolchain.sh` (installs the Debian package redis-server)."],
    });
  }
}

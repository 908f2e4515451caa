// Typed errors of the test utilities (RPC fault proxy, redis), so a test that
// cannot start what it needs says why instead of timing out. The anvil
// launcher's errors are chain errors (chain/errors.ts): the demo embeds anvil too.

import { BaseError } from "../errors/base.ts";

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

// Field parsers for daemon configuration: each turns a raw value (a string
// from a flag or the environment, or a JSON value from the config file) into a
// typed value or throws a plain message that buildConfig attaches to the field.

import { type Address, getAddress, type Hex, isAddress, isHex, parseEther } from "viem";

/** A configurable field: how to parse it and where it may come from. */
export type Field<T> = {
  /** Parses a raw value; throws Error(message) when invalid. */
  parse: (raw: unknown) => T;
  /** One line for --help and error messages. */
  description: string;
  /** Environment variable that may hold the value. */
  env?: string;
  /** Value when no source sets it. */
  default?: T;
  /** Required when there is no default. */
  required?: boolean;
  /** Never echoed in errors or logs (keys, passwords). */
  secret?: boolean;
};

/** The parsed type of a field: optional unless required or defaulted. */
export type FieldValue<F> =
  F extends Field<infer T>
    ? F extends { required: true } | { default: unknown }
      ? T
      : T | undefined
    : never;

type Opts<T> = Omit<Field<T>, "parse">;

function asString(raw: unknown): string {
  if (typeof raw === "string") return raw.trim();
  if (typeof raw === "number" || typeof raw === "bigint") return raw.toString();
  throw new Error(`expected a string, got ${typeof raw}`);
}

export function stringField<O extends Opts<string>>(opts: O): Field<string> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (s === "") throw new Error("must not be empty");
      return s;
    },
  };
}

export function urlField<O extends Opts<string>>(opts: O & { protocols?: string[] }): Field<string> & O {
  const protocols = opts.protocols ?? ["http:", "https:"];
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        throw new Error(`"${s}" is not a URL`);
      }
      if (!protocols.includes(u.protocol)) throw new Error(`"${s}" must use ${protocols.join(" or ")}`);
      return s;
    },
  };
}

export function addressField<O extends Opts<Address>>(opts: O): Field<Address> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (!isAddress(s, { strict: false })) throw new Error(`"${s}" is not a 20-byte hex address`);
      return getAddress(s);
    },
  };
}

export function bytes32Field<O extends Opts<Hex>>(opts: O): Field<Hex> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (!isHex(s) || s.length !== 66) throw new Error("must be 0x followed by 64 hex digits");
      return s.toLowerCase() as Hex;
    },
  };
}

/** Non-negative integer that fits a JS number (ports, counts, milliseconds). */
export function intField<O extends Opts<number>>(
  opts: O & { min?: number; max?: number },
): Field<number> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (!/^\d+$/.test(s)) throw new Error(`"${s}" is not a non-negative integer`);
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw new Error(`${s} is too large`);
      if (opts.min !== undefined && n < opts.min) throw new Error(`${n} is below the minimum ${opts.min}`);
      if (opts.max !== undefined && n > opts.max) throw new Error(`${n} is above the maximum ${opts.max}`);
      return n;
    },
  };
}

/** Non-negative integer as bigint (block numbers, wei amounts). */
export function bigintField<O extends Opts<bigint>>(opts: O): Field<bigint> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (!/^\d+$/.test(s)) throw new Error(`"${s}" is not a non-negative integer`);
      return BigInt(s);
    },
  };
}

/** An amount of ETH: "0.1eth", "0.1 ether", or a plain integer in wei. Parsed to wei. */
export function etherField<O extends Opts<bigint>>(opts: O): Field<bigint> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw).toLowerCase();
      const m = /^(\d+(?:\.\d+)?)\s*(eth|ether|gwei|wei)?$/.exec(s);
      if (!m) throw new Error(`"${s}" is not an amount (e.g. 0.5eth, 10gwei or an integer in wei)`);
      const [, num, unit] = m;
      if (unit === "eth" || unit === "ether") return parseEther(num);
      if (unit === "gwei") return parseEther(num, "gwei");
      if (num.includes(".")) throw new Error(`"${s}": wei amounts are integers`);
      return BigInt(num);
    },
  };
}

export function boolField<O extends Opts<boolean>>(opts: O): Field<boolean> & O {
  return {
    ...opts,
    parse: (raw) => {
      if (typeof raw === "boolean") return raw;
      const s = asString(raw).toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      throw new Error(`"${s}" is not a boolean (true/false)`);
    },
  };
}

export function enumField<const V extends string, O extends Opts<V>>(
  opts: O & { values: readonly V[] },
): Field<V> & O {
  return {
    ...opts,
    parse: (raw) => {
      const s = asString(raw);
      if (!(opts.values as readonly string[]).includes(s))
        throw new Error(`"${s}" is not one of ${opts.values.join(", ")}`);
      return s as V;
    },
  };
}

/**
 * An operator's cap on the trace depth D it executes: a default, and
 * optionally one per program root. Written `32` or `32,0x<programRoot>=40,…`
 * (a JSON config may also give a number). Every value is in [1, 48], the
 * protocol's hard limit.
 */
export type DepthCaps = {
  /** Cap for programs without their own. */
  fallback: number;
  /** Caps by lower-case program root. */
  byRoot: ReadonlyMap<string, number>;
  /** The cap that applies to `programRoot`. */
  capFor: (programRoot: Hex) => number;
  /** The caps written as they are given (`32,0x<programRoot>=40`): what --help shows as the default. */
  toString: () => string;
};

function depthOf(s: string, what: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`${what}: "${s}" is not a whole number`);
  const d = Number(s);
  if (d < 1 || d > 48) throw new Error(`${what}: ${d} is outside [1, 48]`);
  return d;
}

/** Parses `32` or `32,0x<programRoot>=40,…` (throws Error(message) when invalid). */
export function parseDepthCaps(raw: unknown): DepthCaps {
  const parts = asString(raw)
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  let fallback: number | undefined;
  const byRoot = new Map<string, number>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (fallback !== undefined) throw new Error("more than one default cap");
      fallback = depthOf(part, "default cap");
      continue;
    }
    const root = part.slice(0, eq).trim().toLowerCase();
    if (!isHex(root) || root.length !== 66) throw new Error(`"${root}" is not a 32-byte program root`);
    if (byRoot.has(root)) throw new Error(`program root ${root} given twice`);
    byRoot.set(root, depthOf(part.slice(eq + 1).trim(), `cap of ${root}`));
  }
  if (fallback === undefined) throw new Error("needs a default cap, e.g. 32 or 32,0x<programRoot>=40");
  const f = fallback;
  const text = [String(f), ...[...byRoot].map(([root, d]) => `${root}=${d}`)].join(",");
  return { fallback: f, byRoot, capFor: (r) => byRoot.get(r.toLowerCase()) ?? f, toString: () => text };
}

export function depthCapsField<O extends Opts<DepthCaps>>(opts: O): Field<DepthCaps> & O {
  return { ...opts, parse: parseDepthCaps };
}

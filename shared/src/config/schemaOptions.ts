// Commander options from a config schema: one flag per field (kebab-case of
// its name), its description, env var and default in the help. The daemons'
// command lines all read their options this way, so flags, env vars and
// config-file keys never drift apart.

import type { Command } from "commander";
import type { ConfigSchema } from "./buildConfig.ts";

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * A default as the user would write it. A value object says so through its own
 * toString (depth caps print `32`); one without would print "[object Object]",
 * so it is shown as JSON instead.
 */
export function showDefault(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  const text = String(value);
  return text.startsWith("[object ") ? JSON.stringify(value) : text;
}

export function addSchemaOptions(cmd: Command, schema: ConfigSchema): Command {
  for (const [name, field] of Object.entries(schema)) {
    const boolean = typeof field.default === "boolean";
    const flag = boolean ? `--${kebab(name)} [bool]` : `--${kebab(name)} <value>`;
    const def = field.default !== undefined ? ` (default: ${showDefault(field.default)})` : "";
    cmd.option(flag, `${field.description}${field.env ? ` [${field.env}]` : ""}${def}`);
  }
  return cmd;
}

/** Commander's parsed options as buildConfig's `cli` input (bare boolean flags become "true"). */
export function cliValues(opts: Record<string, unknown>): Record<string, unknown> {
  const out = { ...opts };
  for (const k of Object.keys(out)) if (out[k] === true) out[k] = "true";
  return out;
}

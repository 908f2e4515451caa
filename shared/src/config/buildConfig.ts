// Merges a daemon's configuration from, in decreasing priority, command-line
// flags, environment variables, a JSON config file and defaults, parses every
// field and reports ALL problems at once in one ConfigError, so a user fixes
// their setup in one go instead of one error per restart.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, ConfigFileError, type ConfigIssue } from "./errors.ts";
import type { Field, FieldValue } from "./fields.ts";

export type ConfigSchema = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSchema> = { [K in keyof S]: FieldValue<S[K]> };

export type BuildConfigParameters<S extends ConfigSchema> = {
  schema: S;
  /** Parsed flags keyed by field name (commander's camelCase); undefined = not given. */
  cli?: Record<string, unknown>;
  /** Usually process.env. */
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file, or its already-parsed content. */
  file?: string | Record<string, unknown>;
  /**
   * Rules across fields, run once every field is parsed (a field that failed
   * is absent): it may fill fields from others (a deployment file names the
   * contracts) and push issues, reported with the rest. `sources` says where
   * each given field came from ("--flag", "ENV_VAR" or "file <path>").
   */
  refine?: (config: Partial<ConfigOf<S>>, issues: ConfigIssue[], sources: ConfigSources) => void;
};

/** Where each given field came from: "--flag", "ENV_VAR" or "file <path>" (defaults are absent). */
export type ConfigSources = Record<string, string>;

export type BuildConfigReturnType<S extends ConfigSchema> = ConfigOf<S>;
export type BuildConfigErrorType = ConfigError | ConfigFileError;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Reads a JSON config file into an object. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const abs = resolve(path);
    const [reason, hint] =
      code === "ENOENT"
        ? [
            `ENOENT, no such file (${abs}${abs === path ? "" : `, resolved from ${process.cwd()}`})`,
            "Try: check the --config path (relative paths start at the directory you run from), or drop --config to use flags and VERDICT_* variables only.",
          ]
        : code === "EACCES"
          ? [`EACCES, not readable by this user`, `Try: chmod a+r ${abs}, or run as its owner.`]
          : code === "EISDIR"
            ? [`EISDIR, a directory`, "Try: --config names a JSON file, not a directory."]
            : [code ?? "unreadable", undefined];
    throw new ConfigFileError({ path, reason, hint, cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigFileError({ path, reason: `not valid JSON (${(cause as Error).message})`, cause });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ConfigFileError({ path, reason: "top level is not a JSON object" });
  return value as Record<string, unknown>;
}

export function buildConfig<S extends ConfigSchema>(
  params: BuildConfigParameters<S>,
): BuildConfigReturnType<S> {
  const { schema, cli = {}, env = {} } = params;
  const filePath = typeof params.file === "string" ? params.file : "<object>";
  const file = typeof params.file === "string" ? readConfigFile(params.file) : (params.file ?? {});
  const issues: ConfigIssue[] = [];
  const out: Record<string, unknown> = {};
  const sources: ConfigSources = {};

  for (const key of Object.keys(file)) {
    if (!(key in schema)) issues.push({ field: key, source: `file ${filePath}`, message: "unknown option" });
  }

  for (const [name, field] of Object.entries(schema)) {
    let raw: unknown;
    let source: string | undefined;
    if (cli[name] !== undefined) {
      raw = cli[name];
      source = `--${kebab(name)}`;
    } else if (field.env && env[field.env] !== undefined && env[field.env] !== "") {
      raw = env[field.env];
      source = field.env;
    } else if (file[name] !== undefined && file[name] !== null) {
      raw = file[name];
      source = `file ${filePath}`;
    }
    if (source === undefined) {
      if (field.default !== undefined) out[name] = field.default;
      else if (field.required) {
        const where = [`--${kebab(name)}`, field.env, `"${name}" in the config file`]
          .filter(Boolean)
          .join(", ");
        issues.push({
          field: name,
          source: "nowhere",
          message: `required (${field.description}); set ${where}`,
        });
      }
      continue;
    }
    sources[name] = source;
    try {
      out[name] = field.parse(raw);
    } catch (err) {
      const message = (err as Error).message;
      // Parsers quote the raw value; a secret must not reach the terminal.
      issues.push({
        field: name,
        source,
        message: field.secret ? "invalid value (not shown: secret)" : message,
      });
    }
  }
  params.refine?.(out as Partial<ConfigOf<S>>, issues, sources);
  if (issues.length) throw new ConfigError({ issues });
  return out as ConfigOf<S>;
}

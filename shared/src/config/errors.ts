// Typed errors of configuration loading. A bad configuration is never
// retryable: the daemon must exit with a message naming every bad field.

import { BaseError } from "../errors/base.ts";

export type ConfigIssue = {
  /** Field name as written in the config file (camelCase). */
  field: string;
  /** Where the bad value came from: "--flag", "ENV_VAR", "file <path>" or "default". */
  source: string;
  /** What is wrong, in words a user can act on. */
  message: string;
};

export type ConfigErrorType = ConfigError & { name: "ConfigError" };
/** One or more configuration values are missing or invalid; `issues` lists each. */
export class ConfigError extends BaseError {
  override name = "ConfigError";
  readonly issues: ConfigIssue[];
  constructor({ issues }: { issues: ConfigIssue[] }) {
    super(`Invalid configuration: ${issues.length} problem(s).`, {
      metaMessages: issues.map((i) => `- ${i.field} (from ${i.source}): ${i.message}`),
    });
    this.issues = issues;
  }
}

export type ConfigFileErrorType = ConfigFileError & { name: "ConfigFileError" };
/** The config file cannot be read or is not a JSON object. */
export class ConfigFileError extends BaseError {
  override name = "ConfigFileError";
  constructor({
    path,
    reason,
    hint,
    cause,
  }: { path: string; reason: string; hint?: string; cause?: unknown }) {
    super(`Cannot use config file ${path}: ${reason}.`, {
      cause,
      metaMessages: hint ? [hint] : undefined,
      details: "The config file is a JSON object whose keys are the option names (camelCase).",
    });
  }
}

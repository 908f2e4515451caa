// Reads a file named on the command line, turning every filesystem failure
// into a CliFileError that says which argument it was and why. "-" is stdin.

import { readFileSync, statSync } from "node:fs";
import { CliFileError } from "../errors/cli.ts";

export type ReadFileArgErrorType = CliFileError;

/** Largest file the CLI reads: an ELF or input beyond this is a mistake, not a program. */
export const MAX_FILE_BYTES = 1 << 30;

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a parent path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "path too long",
};

/** `what` describes the argument in messages ("ELF file", "input file"). */
export function readFileArg(path: string, what: string): Uint8Array {
  try {
    if (path === "-") return new Uint8Array(readFileSync(0));
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (st.size > MAX_FILE_BYTES)
      throw new CliFileError({
        what,
        path,
        reason: `${st.size} bytes is more than the ${MAX_FILE_BYTES}-byte limit`,
      });
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    if (err instanceof CliFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "";
    throw new CliFileError({ what, path, reason: REASONS[code] ?? (err as Error).message, cause: err });
  }
}

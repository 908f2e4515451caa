// Program manifest: what someone needs to rebuild a program image
// reproducibly. Written by the guest build (guest/examples/<name>/manifest.json);
// its hash (manifestHash) is registered onchain with the program.

/**
 * Recommended fields. Only "is a JSON object" is enforced: the hash covers
 * every field present, so builds may add more (e.g. sdkVersion, elfHash).
 */
export type ProgramManifest = {
  /** Example or program name. */
  name?: string;
  /** Hash of the sources the image was built from (0x-hex). */
  sourceHash?: string;
  /** Compiler and version, e.g. "clang 19.1.7". */
  compiler?: string;
  /** Compiler and linker flags, in order. */
  flags?: string[];
  /** Exact command that rebuilds the ELF. */
  buildCommand?: string;
  [field: string]: unknown;
};

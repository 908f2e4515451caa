// Reproducible build of the example guests: one riscv64-unknown-elf-gcc +
// picolibc invocation per example, run from the guest directory with relative
// paths only, so the ELF depends on the sources and the toolchain version and
// on nothing else (no paths, timestamps, build ids or compiler ident strings).
// Each ELF is checked (RV32IM-only code, segments in the program region) and
// gets a manifest (docs: guest/README.md "Reproducibility").
//
// A program outside guest/examples (`bash guest/build.sh DIR`, `verdict build
// DIR`) is built the same way from every .c/.S file in DIR plus the SDK, with
// the user's defines and flags and without -Werror (the SDK's own sources are
// held to -Werror by the examples' builds).
//
// CLI: bash guest/build.sh [--out DIR] [--qemu-harness] [--define K[=V]]... [--cflag F]...
//      [--name N] [--werror] [name | DIR]...

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BaseError } from "../../shared/src/errors/base.ts";

export const GUEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const COMPILER = "riscv64-unknown-elf-gcc";
export const OBJDUMP = "riscv64-unknown-elf-objdump";
export const LINKER_SCRIPT = "sdk/verdict.ld";
export const BUILD_COMMAND = "bash guest/build.sh";
/** Written in place of the guest directory in a program's recorded flags and command. */
export const GUEST_PLACEHOLDER = "$VERDICT_GUEST";
const PICOLIBC_PACKAGE = "picolibc-riscv64-unknown-elf";
const PROGRAM_REGION_END = 0x80000000;

/** Compiler and linker flags, in order (sources and -o come after them). */
export const GUEST_FLAGS: readonly string[] = [
  "--specs=picolibc.specs",
  "-march=rv32im",
  "-mabi=ilp32",
  "-mcmodel=medlow",
  "-std=gnu11",
  "-O2",
  "-ffunction-sections",
  "-fdata-sections",
  "-fno-common",
  "-fno-ident",
  "-fno-asynchronous-unwind-tables",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-Isdk/include",
  "-nostartfiles",
  `-T${LINKER_SCRIPT}`,
  "-Wl,--build-id=none",
  "-Wl,--gc-sections",
  "-Wl,--strip-debug",
];

/** RV32IM mnemonics as objdump prints them with -M no-aliases; ebreak is the SDK's deliberate trap. */
const ALLOWED_MNEMONICS = new Set(
  (
    "lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw " +
    "addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and " +
    "mul mulh mulhsu mulhu div divu rem remu fence fence.i ecall ebreak"
  ).split(" "),
);

export class GuestBuildError extends BaseError {
  override name = "GuestBuildError";
  constructor(shortMessage: string, parameters: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, { ...parameters, retryable: false });
  }
}

export class ToolchainMissingError extends BaseError {
  override name = "ToolchainMissingError";
  constructor(details: string) {
    super("Guest toolchain not available", {
      details,
      metaMessages: [
        "Try: .ci/install-toolchain.sh (Debian; installs gcc-riscv64-unknown-elf, picolibc, qemu-user)",
      ],
    });
  }
}

export type Toolchain = {
  /** First line of `riscv64-unknown-elf-gcc --version`. */
  compiler: string;
  /** First line of `riscv64-unknown-elf-ld --version`. */
  linker: string;
  /** picolibc Debian package and version. */
  libc: string;
};

function firstLine(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    .split("\n")[0]!
    .trim();
}

/** Probes the toolchain; throws ToolchainMissingError when any part is absent. */
export function detectToolchain(): Toolchain {
  let compiler: string;
  let linker: string;
  try {
    compiler = firstLine(COMPILER, ["--version"]);
    linker = firstLine("riscv64-unknown-elf-ld", ["--version"]);
    firstLine(OBJDUMP, ["--version"]);
  } catch (err) {
    throw new ToolchainMissingError(
      `${COMPILER}, riscv64-unknown-elf-ld or ${OBJDUMP} did not run: ${(err as Error).message}`,
    );
  }
  let version: string;
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a JS template
    version = execFileSync("dpkg-query", ["-W", "-f=${Version}", PICOLIBC_PACKAGE], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (err) {
    throw new ToolchainMissingError(
      `Debian package ${PICOLIBC_PACKAGE} is not installed (${(err as Error).message})`,
    );
  }
  return { compiler, linker, libc: `${PICOLIBC_PACKAGE} ${version}` };
}

export function sha256Hex(data: Uint8Array | string): string {
  return `0x${createHash("sha256").update(data).digest("hex")}`;
}

const SOURCE_EXT = /\.(c|h|S)$/;

function listSources(guestDir: string, rel: string): string[] {
  const dir = path.join(guestDir, rel);
  return readdirSync(dir)
    .filter((f) => SOURCE_EXT.test(f) && statSync(path.join(dir, f)).isFile())
    .map((f) => `${rel}/${f}`);
}

/** Every source an example is built from (SDK and example), sorted by path. */
export function exampleSources(guestDir: string, name: string): string[] {
  const files = [
    ...listSources(guestDir, "sdk"),
    ...listSources(guestDir, "sdk/include"),
    ...listSources(guestDir, `examples/${name}`),
  ];
  return files.sort();
}

/** Example names: directories of guest/examples holding a main.c. */
export function exampleNames(guestDir = GUEST_DIR): string[] {
  const dir = path.join(guestDir, "examples");
  return readdirSync(dir)
    .filter((n) => existsSync(path.join(dir, n, "main.c")))
    .sort();
}

export type GuestManifest = {
  name: string;
  elf: string;
  elfSha256: string;
  elfBytes: number;
  sourceHash: string;
  sources: { path: string; sha256: string }[];
  linkerScript: string;
  linkerScriptHash: string;
  compiler: string;
  linker: string;
  libc: string;
  flags: string[];
  compileCommand: string;
  buildCommand: string;
};

export type BuildGuestParameters = {
  /** Directory holding sdk/ and examples/ (default: this checkout's guest/). */
  guestDir?: string;
  /** Output root; each example goes to <outDir>/<name>/ (default: <guestDir>/examples). */
  outDir?: string;
  /** Examples to build (default: all). */
  names?: string[];
  /** Build the qemu-riscv32 harness variant (<name>.qemu.elf, no manifest); see sdk/qemu/harness.c. */
  harness?: boolean;
  /** Extra -D defines, e.g. { CPUBENCH_ROUNDS: "100u" } (recorded in the manifest flags). */
  defines?: Record<string, string>;
};

export type BuildProgramParameters = {
  /** Directory of the program's sources: every .c and .S file directly in it is compiled. */
  dir: string;
  /** Where <name>.elf and manifest.json go (default: dir). */
  outDir?: string;
  /** Program name, the ELF's base name (default: the directory's name). */
  name?: string;
  /** -D defines; a value of "" defines the macro as 1 (like `-DNAME`). */
  defines?: Record<string, string>;
  /** Extra compiler/linker flags, after the SDK's (so they can override -O2, add -l, ...). */
  cflags?: string[];
  /** Treat warnings as errors in the program too (off by default). */
  werror?: boolean;
  /** Directory holding sdk/ (default: this checkout's guest/). */
  guestDir?: string;
};

const PROGRAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Builds a program from a directory anywhere: its .c/.S files and the SDK, one
 * gcc invocation run from `dir` (program paths relative, so `__FILE__` in an
 * assert message is too), checked like the examples and given a manifest whose
 * SDK paths read `sdk/...` and program paths `./<file>`.
 */
export function buildProgram(parameters: BuildProgramParameters): BuiltGuest {
  const guestDir = path.resolve(parameters.guestDir ?? GUEST_DIR);
  const dir = path.resolve(parameters.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new GuestBuildError(`Program directory ${parameters.dir} does not exist or is not a directory`);
  const name = parameters.name ?? path.basename(dir);
  if (!PROGRAM_NAME.test(name))
    throw new GuestBuildError(`Invalid program name "${name}"`, {
      details: "letters, digits, '.', '_' and '-', not starting with a punctuation mark; pass --name",
    });
  const own = readdirSync(dir)
    .filter((f) => SOURCE_EXT.test(f) && statSync(path.join(dir, f)).isFile())
    .sort();
  const ownCompiled = own.filter((f) => !f.endsWith(".h"));
  if (!ownCompiled.some((f) => f.endsWith(".c") || f.endsWith(".S")))
    throw new GuestBuildError(`No .c or .S file in ${parameters.dir}`);
  const toolchain = detectToolchain();
  const sdk = [...listSources(guestDir, "sdk"), ...listSources(guestDir, "sdk/include")].sort();
  const sdkCompiled = sdk.filter((f) => !f.endsWith(".h"));
  const placeholderFlags = GUEST_FLAGS.filter((f) => parameters.werror || f !== "-Werror").map((f) =>
    f === "-Isdk/include"
      ? `-I${GUEST_PLACEHOLDER}/sdk/include`
      : f === `-T${LINKER_SCRIPT}`
        ? `-T${GUEST_PLACEHOLDER}/${LINKER_SCRIPT}`
        : f,
  );
  placeholderFlags.push(`-ffile-prefix-map=${GUEST_PLACEHOLDER}/=verdict-guest/`);
  for (const [k, v] of Object.entries(parameters.defines ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new GuestBuildError(`Invalid define name "${k}"`);
    placeholderFlags.push(v === "" ? `-D${k}` : `-D${k}=${v}`);
  }
  placeholderFlags.push(...(parameters.cflags ?? []));
  const expand = (f: string) => f.split(GUEST_PLACEHOLDER).join(guestDir);
  const outDir = path.resolve(parameters.outDir ?? dir);
  mkdirSync(outDir, { recursive: true });
  const elfPath = path.join(outDir, `${name}.elf`);
  const compiled = [...ownCompiled, ...sdkCompiled.map((f) => `${GUEST_PLACEHOLDER}/${f}`)];
  const run = spawnSync(COMPILER, [...placeholderFlags.map(expand), "-o", elfPath, ...compiled.map(expand)], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_ALL: "C", SOURCE_DATE_EPOCH: "0" },
  });
  if (run.error || run.status !== 0)
    throw new GuestBuildError(`Compiling program "${name}" failed`, {
      details: (run.stderr ?? "").trim() || String(run.error),
      cause: run.error,
    });
  const warnings = run.stderr.trim();
  const elf = readFileSync(elfPath);
  checkSegments(name, elf);
  checkInstructions(name, elfPath);
  const fileHashes = [
    ...sdk.map((p) => ({ path: p, sha256: sha256Hex(readFileSync(path.join(guestDir, p))) })),
    ...own.map((p) => ({ path: `./${p}`, sha256: sha256Hex(readFileSync(path.join(dir, p))) })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: GuestManifest = {
    name,
    elf: `${name}.elf`,
    elfSha256: sha256Hex(elf),
    elfBytes: elf.length,
    sourceHash: sourceHash(fileHashes),
    sources: fileHashes,
    linkerScript: LINKER_SCRIPT,
    linkerScriptHash: sha256Hex(readFileSync(path.join(guestDir, LINKER_SCRIPT))),
    compiler: toolchain.compiler,
    linker: toolchain.linker,
    libc: toolchain.libc,
    flags: placeholderFlags,
    compileCommand: [COMPILER, ...placeholderFlags, "-o", `${name}.elf`, ...compiled].join(" "),
    buildCommand: `${BUILD_COMMAND} <dir>`,
  };
  const manifestPath = path.join(outDir, "manifest.json");
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { name, elfPath, manifestPath, manifest, warnings: warnings || undefined };
}

export type BuiltGuest = {
  name: string;
  elfPath: string;
  manifestPath: string | undefined;
  manifest: GuestManifest | undefined;
  /** The compiler's warnings on a program build (it succeeded), if any. */
  warnings?: string;
};

/** Builds the examples; throws GuestBuildError / ToolchainMissingError. */
export function buildGuest(parameters: BuildGuestParameters = {}): BuiltGuest[] {
  const guestDir = path.resolve(parameters.guestDir ?? GUEST_DIR);
  const outRoot = path.resolve(parameters.outDir ?? path.join(guestDir, "examples"));
  const toolchain = detectToolchain();
  const available = exampleNames(guestDir);
  const names = parameters.names?.length ? parameters.names : available;
  const built: BuiltGuest[] = [];
  for (const name of names) {
    if (!available.includes(name))
      throw new GuestBuildError(`Unknown example "${name}"`, {
        details: `available: ${available.join(", ")}`,
      });
    built.push(buildOne(guestDir, outRoot, name, toolchain, parameters));
  }
  return built;
}

function buildOne(
  guestDir: string,
  outRoot: string,
  name: string,
  toolchain: Toolchain,
  parameters: BuildGuestParameters,
): BuiltGuest {
  const sources = exampleSources(guestDir, name);
  let compiled = sources.filter((f) => !f.endsWith(".h"));
  const flags = [...GUEST_FLAGS];
  for (const [k, v] of Object.entries(parameters.defines ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    flags.push(`-D${k}=${v}`);
  if (parameters.harness) {
    compiled = compiled.map((f) => (f === "sdk/exit.c" ? "sdk/qemu/harness.c" : f));
    flags.push("-Wl,-e,_start_harness");
  }
  const elfName = parameters.harness ? `${name}.qemu.elf` : `${name}.elf`;
  const outDir = path.join(outRoot, name);
  mkdirSync(outDir, { recursive: true });
  const elfPath = path.join(outDir, elfName);
  try {
    execFileSync(COMPILER, [...flags, "-o", elfPath, ...compiled], {
      cwd: guestDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", SOURCE_DATE_EPOCH: "0" },
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new GuestBuildError(`Compiling example "${name}" failed`, { details: stderr.trim(), cause: err });
  }
  const elf = readFileSync(elfPath);
  checkSegments(name, elf);
  checkInstructions(name, elfPath);
  if (parameters.harness) return { name, elfPath, manifestPath: undefined, manifest: undefined };

  const fileHashes = sources.map((p) => ({
    path: p,
    sha256: sha256Hex(readFileSync(path.join(guestDir, p))),
  }));
  const manifest: GuestManifest = {
    name,
    elf: `examples/${name}/${elfName}`,
    elfSha256: sha256Hex(elf),
    elfBytes: elf.length,
    sourceHash: sourceHash(fileHashes),
    sources: fileHashes,
    linkerScript: LINKER_SCRIPT,
    linkerScriptHash: sha256Hex(readFileSync(path.join(guestDir, LINKER_SCRIPT))),
    compiler: toolchain.compiler,
    linker: toolchain.linker,
    libc: toolchain.libc,
    flags,
    compileCommand: [
      "cd guest &&",
      COMPILER,
      ...flags,
      "-o",
      `examples/${name}/${elfName}`,
      ...compiled,
    ].join(" "),
    buildCommand: `${BUILD_COMMAND} ${name}`,
  };
  const manifestPath = path.join(outDir, "manifest.json");
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { name, elfPath, manifestPath, manifest };
}

/**
 * sha256 over the `sha256sum`-style listing "<hex>  <path>\n" of every source,
 * sorted by path; reproducible in a shell from guest/ with
 * `sha256sum $(... sorted paths ...) | sha256sum`.
 */
export function sourceHash(files: { path: string; sha256: string }[]): string {
  const listing = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256.slice(2)}  ${f.path}\n`)
    .join("");
  return sha256Hex(listing);
}

/** Every PT_LOAD segment must lie inside the program region [0, 0x80000000). */
function checkSegments(name: string, elf: Buffer): void {
  if (elf.length < 52 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1)
    throw new GuestBuildError(`Example "${name}": output is not a 32-bit little-endian ELF`);
  const phoff = elf.readUInt32LE(28);
  const phentsize = elf.readUInt16LE(42);
  const phnum = elf.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== 1) continue;
    const vaddr = elf.readUInt32LE(ph + 8);
    const memsz = elf.readUInt32LE(ph + 20);
    if (vaddr + memsz > PROGRAM_REGION_END)
      throw new GuestBuildError(`Example "${name}": segment ${i} leaves the program region`, {
        details: `vaddr 0x${vaddr.toString(16)}, memsz 0x${memsz.toString(16)}`,
      });
  }
}

/** Disassembles the code and rejects anything outside RV32IM (compressed, CSR, atomics, float). */
function checkInstructions(name: string, elfPath: string): void {
  const listing = execFileSync(OBJDUMP, ["-d", "-M", "no-aliases", elfPath], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const bad: string[] = [];
  for (const line of listing.split("\n")) {
    const m = /^\s*[0-9a-f]+:\s+([0-9a-f]+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const [, encoding, mnemonic] = m;
    if (encoding!.length !== 8 || !ALLOWED_MNEMONICS.has(mnemonic!)) bad.push(line.trim());
  }
  if (bad.length)
    throw new GuestBuildError(`Example "${name}" contains instructions outside RV32IM`, {
      details: bad.slice(0, 20).join("\n"),
    });
}

type CliArgs = BuildGuestParameters & {
  dirs: string[];
  name?: string;
  cflags: string[];
  werror: boolean;
};

const USAGE = `usage: bash guest/build.sh [options] [name | DIR]...
  name            an example under guest/examples (default: all of them)
  DIR             a program directory anywhere (an argument naming an existing directory):
                  every .c/.S file in it plus the SDK -> DIR/<dirname>.elf and DIR/manifest.json
  --out DIR       output root (examples: DIR/<name>/; a program: DIR/)
  --define K[=V]  a -D define (repeatable); also -DK[=V]
  --cflag FLAG    an extra compiler/linker flag (repeatable); $CFLAGS_EXTRA adds more (split on spaces)
  --name N        a program's name (default: its directory's name)
  --werror        treat warnings as errors in a program too (the examples always do)
  --qemu-harness  build the examples' qemu-riscv32 variants
`;

function parseArgs(argv: string[], cwd: string, env: NodeJS.ProcessEnv): CliArgs {
  const p: CliArgs = { names: [], dirs: [], cflags: [], werror: false, defines: {} };
  const need = (i: number, what: string) => {
    const v = argv[i];
    if (v === undefined || v === "") throw new GuestBuildError(`${argv[i - 1]} needs ${what}`);
    return v;
  };
  const define = (d: string) => {
    const eq = d.indexOf("=");
    const [k, v] = eq < 0 ? [d, ""] : [d.slice(0, eq), d.slice(eq + 1)];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new GuestBuildError(`Invalid define "${d}"`);
    p.defines![k] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--out") p.outDir = path.resolve(cwd, need(++i, "a directory"));
    else if (a === "--qemu-harness") p.harness = true;
    else if (a === "--define") define(need(++i, "NAME or NAME=VALUE"));
    else if (a.startsWith("-D") && a.length > 2) define(a.slice(2));
    else if (a === "--cflag") p.cflags.push(need(++i, "a flag"));
    else if (a === "--name") p.name = need(++i, "a name");
    else if (a === "--werror") p.werror = true;
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (a.startsWith("-")) throw new GuestBuildError(`Unknown option ${a}`, { details: USAGE });
    else if (existsSync(path.resolve(cwd, a)) && statSync(path.resolve(cwd, a)).isDirectory())
      p.dirs.push(path.resolve(cwd, a));
    else if (a.includes("/")) throw new GuestBuildError(`Program directory ${a} does not exist`);
    else p.names!.push(a);
  }
  const extra = (env.CFLAGS_EXTRA ?? "").split(/\s+/).filter(Boolean);
  p.cflags.push(...extra);
  if (p.dirs.length > 1 && (p.name !== undefined || p.outDir !== undefined))
    throw new GuestBuildError("--name and --out take one program directory at a time");
  return p;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // build.sh changes to the repository root (where tsx resolves); paths on
    // the command line are the caller's.
    const cwd = process.env.VERDICT_CALLER_CWD ?? process.cwd();
    const args = parseArgs(process.argv.slice(2), cwd, process.env);
    const built: BuiltGuest[] = [];
    for (const dir of args.dirs)
      built.push(
        buildProgram({
          dir,
          outDir: args.outDir,
          name: args.name,
          defines: args.defines,
          cflags: args.cflags,
          werror: args.werror,
        }),
      );
    if (args.names!.length || !args.dirs.length) {
      if (args.cflags.length || args.werror || args.name !== undefined)
        throw new GuestBuildError(
          "--cflag, $CFLAGS_EXTRA, --werror and --name apply to program directories only",
        );
      built.push(...buildGuest(args));
    }
    for (const b of built) {
      if (b.warnings) process.stderr.write(`${b.warnings}\n`);
      const size = statSync(b.elfPath).size;
      const hash = b.manifest ? ` ${b.manifest.elfSha256}` : "";
      process.stdout.write(`${b.name}: ${path.relative(cwd, b.elfPath)} ${size} bytes${hash}\n`);
    }
  } catch (err) {
    const e = err as BaseError;
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(err instanceof GuestBuildError || err instanceof ToolchainMissingError ? 2 : 1);
  }
}

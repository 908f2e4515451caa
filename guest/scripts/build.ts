// Reproducible build of the example guests: one riscv64-unknown-elf-gcc +
// picolibc invocation per example, run from the guest directory with relative
// paths only, so the ELF depends on the sources and the toolchain version and
// on nothing else (no paths, timestamps, build ids or compiler ident strings).
// Each ELF is checked (RV32IM-only code, segments in the program region) and
// gets a manifest (docs: guest/README.md "Reproducibility").
//
// CLI: bash guest/build.sh [--out DIR] [--qemu-harness] [name...]

import { execFileSync } from "node:child_process";
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

export type BuiltGuest = {
  name: string;
  elfPath: string;
  manifestPath: string | undefined;
  manifest: GuestManifest | undefined;
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

function parseArgs(argv: string[]): BuildGuestParameters {
  const p: BuildGuestParameters = { names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--out") {
      const v = argv[++i];
      if (!v) throw new GuestBuildError("--out needs a directory");
      p.outDir = v;
    } else if (a === "--qemu-harness") p.harness = true;
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: bash guest/build.sh [--out DIR] [--qemu-harness] [name...]\n");
      process.exit(0);
    } else if (a.startsWith("-")) throw new GuestBuildError(`Unknown option ${a}`);
    else p.names!.push(a);
  }
  return p;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const b of buildGuest(parseArgs(process.argv.slice(2)))) {
      const size = statSync(b.elfPath).size;
      const hash = b.manifest ? ` ${b.manifest.elfSha256}` : "";
      process.stdout.write(`${b.name}: ${path.relative(process.cwd(), b.elfPath)} ${size} bytes${hash}\n`);
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}

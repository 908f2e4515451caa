// The example apps are tests. examples/hello-verdict runs as its README says
// (its ```sh blocks, verbatim, in bash from the checkout's root) against anvil
// with the echo guest registered and an honest proposer running; what it
// prints must be what the echo program outputs for the input, and the chain
// must agree (job, final result, published output, read back through the
// library). The library's public face is checked as apps meet it: the
// compiled root (shared/dist/index.js) exports what src/index.ts declares, and
// the example imports nothing but the package root and type-checks against it.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  BaseError,
  computeOutputOpening,
  getJob,
  getJobInput,
  programRegistryAbi,
  readOutput,
  waitForResult,
} from "@verdict/shared";
import { expect } from "chai";
import ts from "typescript";
import { bytesToHex, hexToString, parseEther } from "viem";
import { readOptions } from "../examples/hello-verdict/options.ts";
import { startProposer, type TestProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E } from "./support/fixture.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLE = path.join(ROOT, "examples/hello-verdict");
const DEPTH = 12;
/** The shortest window the contracts accept: the app waits for it to close. Unit: seconds. */
const WINDOW_SECONDS = 60;

/** The ```sh blocks of a Markdown file, without those marked no-test (as test/guides.test.ts reads guides). */
function shellBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^```sh([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown))
    if (!m[1]!.split(/\s+/).includes("no-test")) blocks.push(m[2]!);
  return blocks;
}

/** Sessions still running: a timed-out test must not leave an app behind. */
const sessions = new Set<ChildProcess>();

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs a bash script from the checkout's root (asynchronously: anvil's pipe must keep draining). */
async function bash(script: string, env: Record<string, string>): Promise<Run> {
  const child = spawn("bash", ["-c", `set -euo pipefail\n${script}`], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH}`,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  sessions.add(child);
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  sessions.delete(child);
  return { status, stdout, stderr };
}

/** The example's command line (as its README runs it) with other flags. */
const app = (args: string) => `npx tsx examples/hello-verdict/main.ts ${args}`;

describe("examples/hello-verdict (its README, verbatim, on anvil with an honest proposer)", function () {
  this.timeout(300_000);
  let fx: E2EFixture;
  let proposer: TestProposer;
  let env: Record<string, string>;
  before(async () => {
    fx = await setupE2E({ programs: { echo: DEPTH }, challengeWindowSeconds: WINDOW_SECONDS });
    // The deployment file as `verdict deploy` writes it (the block number a decimal string).
    const deploymentFile = path.join(fx.dir, "deployment.json");
    writeFileSync(
      deploymentFile,
      JSON.stringify(
        { ...fx.deployment, deployedAtBlock: fx.deployment.deployedAtBlock.toString() },
        null,
        2,
      ),
    );
    // No --publish-outputs: publishing is left to the app (its --elf path).
    proposer = await startProposer(fx, { keyIndex: KEYS.proposer, programs: ["echo"] });
    env = {
      VERDICT_RPC_URL: fx.anvil.rpcUrl,
      VERDICT_DEPLOYMENT: deploymentFile,
      VERDICT_PRIVATE_KEY: fx.anvil.privateKeys[KEYS.requester]!,
      PROGRAM: String(fx.programIds.echo),
    };
  });
  after(async () => {
    for (const child of sessions) if (child.pid) process.kill(-child.pid, "SIGTERM");
    await proposer?.stop();
    await fx?.stop();
  });

  it("submits, waits for the final result, publishes and prints the echo output; the chain agrees", async () => {
    const readme = readFileSync(path.join(EXAMPLE, "README.md"), "utf8");
    const blocks = shellBlocks(readme);
    expect(blocks).to.have.length(1);
    const input = /--input '([^']*)'/.exec(blocks[0]!)?.[1];
    expect(input, "the README's command names its input").to.be.a("string");
    // What the README's prose promises it prints.
    expect(readme).to.include(`It prints \`${input}\``);

    // The window closes only as chain time passes: move anvil's clock while the app waits.
    let running = true;
    const clock = (async () => {
      while (running) {
        await fx.advance(WINDOW_SECONDS / 2);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const started = performance.now();
    let r: Run;
    try {
      r = await bash(blocks[0]!, env);
    } finally {
      running = false;
      await clock;
    }
    console.log(`      the app ran in ${Math.round(performance.now() - started)} ms`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.equal(input);
    expect(r.stderr).to.match(/^submitted job 1 /m);
    // Published by the app (the proposer, run without --publish-outputs, may have opened it first).
    expect(r.stderr).to.match(/^job 1: output (opened and )?published /m);

    // The chain agrees, read through the library's root.
    const clients = { publicClient: fx.publicClient };
    const { verdict, outputs, registry, deployedAtBlock: fromBlock } = fx.deployment;
    const job = await getJob(clients, { verdict, jobId: 1n });
    expect(job.final).to.equal(true);
    expect(job.requester).to.equal(fx.address(KEYS.requester));
    expect(job.programId).to.equal(fx.programIds.echo);
    expect(job.feeWei).to.equal(parseEther("0.01"));
    const onchain = await getJobInput(clients, { verdict, jobId: 1n, fromBlock });
    expect(hexToString(onchain.input)).to.equal(input);
    const result = await waitForResult(clients, { verdict, jobId: 1n, timeoutMs: 1 });
    expect(result.finalStateHash).to.equal(job.resultHash);
    // What the echo program outputs for this input, by running it here: the final state the chain
    // recorded, and the bytes the app printed.
    const { depth } = await fx.publicClient.readContract({
      address: registry,
      abi: programRegistryAbi,
      functionName: "getProgram",
      args: [job.programId],
    });
    const expected = computeOutputOpening({
      elf: new Uint8Array(readFileSync(EXAMPLES.echo)),
      input: onchain.input,
      depth,
    });
    expect(expected.stateHash).to.equal(job.resultHash);
    expect(expected.output).to.equal(bytesToHex(new TextEncoder().encode(input)));
    const out = await readOutput(clients, { outputs, jobId: 1n, fromBlock });
    expect(out.bytes).to.equal(expected.output);
    expect(out.outputRoot).to.equal(expected.outputRoot);
    expect([out.status, out.exitCode]).to.deep.equal([1, 0]);
  });

  it("bad input fails with a typed error and exit code 2, before anything is sent", async () => {
    const jobs = await fx.read<bigint>("jobCount");
    // The options, in-process: each refusal is a typed error naming the flag.
    const base = ["--program", "1", "--input", "hi"];
    const refused: [string[], Record<string, string>, string, RegExp][] = [
      [base, { VERDICT_PRIVATE_KEY: "" }, "UsageError", /Invalid VERDICT_PRIVATE_KEY: not set/],
      [base, { VERDICT_PRIVATE_KEY: "0x1234" }, "UsageError", /^Invalid VERDICT_PRIVATE_KEY: not 0x/],
      [[...base, "--fee", "lots"], {}, "UsageError", /Invalid --fee "lots": not an amount of ETH/],
      [[...base, "--input-file", "x"], {}, "UsageError", /give exactly one of --input TEXT/],
      [[...base, "--depth", "9"], {}, "UsageError", /Unknown option '--depth'/],
      [["--input", "hi"], {}, "UsageError", /Invalid --program: required/],
      [
        [...base, "--deployment", "nowhere.json"],
        {},
        "FileError",
        /deployment file nowhere\.json: no such file/,
      ],
      [[...base, "--elf", "nowhere.elf"], {}, "FileError", /ELF file nowhere\.elf: ENOENT/],
    ];
    for (const [argv, over, name, message] of refused) {
      const thrown = (() => {
        try {
          readOptions(argv, { ...env, ...over });
        } catch (err) {
          return err as BaseError;
        }
        return undefined;
      })();
      expect(thrown, argv.join(" ")).to.be.instanceOf(BaseError);
      expect([thrown!.name, thrown!.retryable], argv.join(" ")).to.deep.equal([name, false]);
      expect(thrown!.shortMessage, argv.join(" ")).to.match(message);
    }
    // The app as a process: a refused option, and a revert (the simulation fails, nothing is sent).
    const runs = await Promise.all([
      bash(app(`--program "$PROGRAM" --input hi --fee lots`), env),
      bash(app("--program 99 --input hi"), env),
    ]);
    const messages = [/^error: Invalid --fee "lots"/m, /^error: submitJob reverted: UnknownProgram\(99\)/m];
    for (const [i, r] of runs.entries()) {
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.match(messages[i]!);
      expect(r.stdout).to.equal("");
    }
    expect(await fx.read<bigint>("jobCount")).to.equal(jobs);
  });
});

describe("the public library as apps import it (@verdict/shared)", function () {
  this.timeout(120_000);
  const exampleFiles = readdirSync(EXAMPLE)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(EXAMPLE, f));
  /** Every import specifier of the example's sources, with its file. */
  const imports = exampleFiles.flatMap((file) =>
    ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((i) => ({
      file: path.relative(ROOT, file),
      specifier: i.fileName,
    })),
  );

  it("the compiled root (shared/dist/index.js) exports every value src/index.ts declares, the actions among them", async () => {
    const dist = path.join(ROOT, "shared/dist/index.js");
    expect(existsSync(dist), "shared/dist is built by the install (node tools/build-js.mjs)").to.equal(true);
    const compiled: Record<string, unknown> = await import(pathToFileURL(dist).href);
    const source: Record<string, unknown> = await import("../shared/src/index.ts");
    expect(Object.keys(compiled).sort(), "dist is stale: run node tools/build-js.mjs").to.deep.equal(
      Object.keys(source).sort(),
    );
    for (const name of [
      "registerProgram",
      "submitJob",
      "waitForResult",
      "readOutput",
      "publishOutput",
      "computeOutputOpening",
      "getJob",
      "getJobInput",
      "listJobs",
      "listProposals",
      "listGames",
      "getGame",
      "getProposal",
      "finalizeProposal",
      "withdraw",
      "deploy",
    ])
      expect(compiled[name], name).to.be.a("function");
    // And what the example takes from the package, by name.
    const used = exampleFiles.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/import\s*\{([^}]*)\}\s*from\s*"@verdict\/shared"/g)].flatMap(
        (m) =>
          m[1]!
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s && !s.startsWith("type ")),
      ),
    );
    expect(used).to.include.members([
      "submitJob",
      "waitForResult",
      "readOutput",
      "publishOutput",
      "BaseError",
    ]);
    for (const name of used) expect(compiled[name], `${name} (used by the example)`).to.not.equal(undefined);
  });

  it("the example imports only the package root, viem and node builtins, and type-checks against them", () => {
    for (const { file, specifier } of imports) {
      const ok =
        specifier === "@verdict/shared" ||
        specifier === "viem" ||
        specifier === "viem/accounts" ||
        specifier.startsWith("node:") ||
        (specifier.startsWith("./") && existsSync(path.join(EXAMPLE, specifier)));
      expect(ok, `${file} imports ${specifier}`).to.equal(true);
    }
    const configFile = path.join(ROOT, "tsconfig.json");
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    // `npx tsc -p tsconfig.json` (the typecheck script) covers the example too.
    expect(parsed.fileNames).to.include.members(exampleFiles);
    const program = ts.createProgram(exampleFiles, parsed.options);
    // The example's files only: checking them resolves just the library types they use (the whole
    // library is checked by the typecheck script; here that would take many seconds).
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...exampleFiles.flatMap((f) => {
        const sf = program.getSourceFile(f)!;
        return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      }),
    ];
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    });
    expect(diagnostics.length, text).to.equal(0);
    // Types come from the package root too: the types condition of its exports map.
    const shared = program.getSourceFiles().map((f) => path.relative(ROOT, f.fileName));
    expect(shared).to.include("shared/src/index.ts");
  });
});

// Gas of the protocol's user actions on the shared claim-tree game, measured as gasUsed of real
// transactions on anvil (Prague: intrinsic + calldata, or the EIP-7623 floor, + execution), with the
// real RV32IM verifier and the echo guest's real step proofs (protocol/test/fixtures/echo.json).
// Deterministic: automine, and the bench sets every block's timestamp (evm_setNextBlockTimestamp,
// 12 s apart) and base fee, so no move can race a clock however slow the host is. A script, not a
// test: numbers are written to README.md and results.json here, targets are checked and printed.
//
//   npx tsx bench/gas-protocol/run.ts [--no-write]

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeAbiParameters, encodeFunctionData, type Hex, keccak256, toHex } from "viem";
import { disputeGameAbi, verdictAbi } from "../../shared/src/bindings/abis.ts";
import { type BenchChain, createBenchChain, type SendResult } from "../attacks/lib/chain.ts";
import { playDispute, resolveInOrder } from "../attacks/lib/dispute.ts";
import { Batcher, child, interiorOf, move, openGame } from "../attacks/lib/game.ts";
import {
  type Deployment,
  deployProtocol,
  EXAMPLE_PARAMS,
  echo,
  faulty,
  type Leaf,
  propose,
  registerEcho,
  resultTree,
  submitJob,
  T,
  vcall,
} from "../attacks/lib/protocol.ts";

const write = !process.argv.includes("--no-write");
const DEPTH = 32;

type Results = Record<string, number>;

/** Calldata gas of a transaction's input: standard (4/16 per byte) and the EIP-7623 floor (10/40). */
function calldata(data: Hex): { bytes: number; standard: number; floor: number } {
  const b = Buffer.from(data.slice(2), "hex");
  let zero = 0;
  for (const x of b) if (x === 0) zero++;
  const nonzero = b.length - zero;
  return { bytes: b.length, standard: 4 * zero + 16 * nonzero, floor: 10 * (zero + 4 * nonzero) };
}

async function world(c: BenchChain, k: number) {
  const [deployer, proposer, challenger] = c.accounts;
  const d = await deployProtocol(
    c,
    { deployer, admin: deployer.address, guardian: deployer.address, setter: deployer.address },
    k,
    EXAMPLE_PARAMS,
  );
  const programId = await registerEcho(c, d, deployer, DEPTH);
  return { d, programId, deployer, proposer, challenger };
}

async function main(): Promise<void> {
  const c = await createBenchChain({ accounts: 4 });
  const results: Results = {};
  const put = (key: string, v: bigint | number) => {
    results[key] = Number(v);
  };
  try {
    const w16 = await world(c, 16);
    const { d, programId, deployer, proposer, challenger } = w16;
    const submit = await c.must(
      deployer,
      {
        to: d.verdict,
        data: encodeFunctionData({
          abi: verdictAbi,
          functionName: "submitJob",
          args: [programId, echo.input],
        }),
      },
      "submitJob",
    );
    put("submitJob (2-byte input)", submit.gasUsed);
    for (let i = 0; i < 999; i++) await submitJob(c, d, deployer, programId);

    // Commit + propose, per result.
    for (const n of [1, 100, 1000]) {
      const leaves: Leaf[] = Array.from({ length: n }, (_, i) => ({
        jobId: BigInt(i + 1),
        finalStateHash: keccak256(toHex(i)),
      }));
      const { commit, reveal } = await proposeMeasured(c, d, proposer, leaves);
      put(`commitProposal batch ${n}`, commit);
      put(`propose batch ${n} (total)`, reveal);
      put(`commit + propose batch ${n} (per result)`, (commit + reveal) / BigInt(n));
    }

    // A whole single-challenger dispute per k: dishonest proposer (fault mid-run) vs honest
    // challenger, D = 32. Every move of both sides, one transaction each.
    const fault = BigInt(Math.floor(echo.halt / 2));
    const bad = faulty(fault);
    for (const k of [2, 4, 16]) {
      const w = k === 16 ? w16 : await world(c, k);
      const jobId = await submitJob(c, w.d, w.deployer, w.programId);
      const leaves = [{ jobId, finalStateHash: bad(1n << BigInt(DEPTH)) }];
      const pid = await propose(c, w.d, w.proposer, leaves);
      const { book, tx: open } = await openGame(
        c,
        w.d,
        w.challenger,
        pid,
        leaves,
        0,
        resultTree(leaves).proofs,
        DEPTH,
      );
      const play = await playDispute({
        c,
        d: w.d,
        book,
        proposer: w.proposer,
        proposerTrace: bad,
        challenger: w.challenger,
        challengerTrace: T,
      });
      const sum = (xs: SendResult[]) => xs.reduce((s, x) => s + x.gasUsed, 0n);
      const dissects = sum(play.dissections);
      const challenges = sum(play.challenges);
      const step = play.step!;
      const total = open.gasUsed + dissects + challenges + step.gasUsed;
      if (k === 16) {
        put("openGame", open.gasUsed);
        const cd = calldata(await txInput(c, step));
        put("step: calldata bytes (k=16; ancestry: the 2 deciding levels of 8)", cd.bytes);
        put("step: calldata gas, standard (k=16)", cd.standard);
        put("step: EIP-7623 calldata floor (k=16)", 21_000 + cd.floor);
      }
      put(
        `dissect k=${k} (first, ${(1 << Math.min(Math.log2(k), DEPTH)) - 1} hashes)`,
        play.dissections[0].gasUsed,
      );
      put(`challenge k=${k} (first)`, play.challenges[0].gasUsed);
      put(`step (challenger wins, proposal defeated) k=${k}`, step.gasUsed);
      put(`whole dispute D=32 k=${k}: levels`, play.dissections.length);
      put(`whole dispute D=32 k=${k}: proposer (dissects)`, dissects);
      put(
        `whole dispute D=32 k=${k}: challenger (open + challenges + step)`,
        open.gasUsed + challenges + step.gasUsed,
      );
      put(`whole dispute D=32 k=${k}: open+dissects+challenges+step`, total);
      const resolves = await resolveInOrder(
        c,
        w.d,
        w.challenger,
        book.gameId,
        play.path.slice(0, -1).reverse(),
      );
      put(`whole dispute D=32 k=${k}: resolution (every node, bottom-up)`, sum(resolves));
    }

    // Batched moves (k = 16): one game on a correct leaf; challenges, dissections and resolutions
    // of sibling nodes packed 1 / 10 / 100 per transaction (1 = a plain call, not a multicall).
    const jobId = await submitJob(c, d, deployer, programId);
    const leaves = [{ jobId, finalStateHash: T(1n << BigInt(DEPTH)) }];
    const pid = await propose(c, d, proposer, leaves);
    const { book } = await openGame(c, d, challenger, pid, leaves, 0, resultTree(leaves).proofs, DEPTH);
    const bond = d.params.claimBond;
    const dissectionBond = await c.publicClient.readContract({
      address: d.game,
      abi: disputeGameAbi,
      functionName: "dissectionBond",
      args: [book.gameId],
    });
    const batcher = new Batcher(c, d, c.blockGasLimit);
    const root = book.root;
    // The proposer's calls here are all dissections (a k-th of the claim bond), the challenger's all challenges.
    const one = async (who: typeof proposer, calls: Hex[], what: string) =>
      (await batcher.send(who, calls, who === proposer ? dissectionBond : bond, what)).txs;
    await one(proposer, [move.dissect(book.gameId, root, interiorOf(root, 4, T))], "dissect root");
    await one(
      challenger,
      Array.from({ length: 16 }, (_, i) => move.challenge(book.gameId, root, i)),
      "challenge 16",
    );
    const level1 = Array.from({ length: 16 }, (_, i) => child(root, i, 4));
    await one(
      proposer,
      level1.map((p) => move.dissect(book.gameId, p, interiorOf(p, 4, T))),
      "dissect 16",
    );
    const level2 = level1.flatMap((p) => Array.from({ length: 16 }, (_, i) => ({ parent: p, index: i })));
    const sizes = [1, 10, 100];
    const offsets = [0, 1, 11];
    for (let s = 0; s < sizes.length; s++) {
      const slice = level2.slice(offsets[s], offsets[s] + sizes[s]);
      const txs = await one(
        challenger,
        slice.map((x) => move.challenge(book.gameId, x.parent, x.index)),
        `challenge batch ${sizes[s]}`,
      );
      if (txs.length !== 1) throw new Error(`challenge batch ${sizes[s]} did not fit one transaction`);
      put(`challenge: gas per move, batch ${sizes[s]}`, txs[0].gasUsed / BigInt(sizes[s]));
    }
    const challenged = level2.slice(0, 111).map((x) => child(x.parent, x.index, 4));
    for (let s = 0; s < sizes.length; s++) {
      const slice = challenged.slice(offsets[s], offsets[s] + sizes[s]);
      const txs = await one(
        proposer,
        slice.map((p) => move.dissect(book.gameId, p, interiorOf(p, 4, T))),
        `dissect batch ${sizes[s]}`,
      );
      if (txs.length !== 1) throw new Error(`dissect batch ${sizes[s]} did not fit one transaction`);
      put(`dissect: gas per move, batch ${sizes[s]} (15 hashes each)`, txs[0].gasUsed / BigInt(sizes[s]));
    }
    await c.mineAt(c.now() + 2n * d.params.clockSeconds);
    for (let s = 0; s < sizes.length; s++) {
      const slice = challenged.slice(offsets[s], offsets[s] + sizes[s]);
      const r = await batcher.send(
        proposer,
        slice.map((p) => move.resolve(book.gameId, p)),
        0n,
        "resolve",
      );
      if (r.txs.length !== 1) throw new Error(`resolve batch ${sizes[s]} did not fit one transaction`);
      put(`resolveNode (upheld): gas per move, batch ${sizes[s]}`, r.txs[0].gasUsed / BigInt(sizes[s]));
    }

    // Finalize, record and withdraw: an honest single-leaf proposal nobody challenged.
    const hj = await submitJob(c, d, deployer, programId);
    const honest = [{ jobId: hj, finalStateHash: T(1n << BigInt(DEPTH)) }];
    const hp = await propose(c, d, proposer, honest);
    await c.mineAt(c.now() + EXAMPLE_PARAMS.challengeWindow + 1n);
    put(
      "finalize",
      (await c.must(proposer, { to: d.verdict, data: vcall.finalize(hp) }, "finalize")).gasUsed,
    );
    put(
      "recordResult",
      (await c.must(proposer, { to: d.verdict, data: vcall.recordResult(hp, honest[0], []) }, "recordResult"))
        .gasUsed,
    );
    put(
      "withdraw (Verdict)",
      (await c.must(proposer, { to: d.verdict, data: vcall.withdraw() }, "withdraw")).gasUsed,
    );
  } finally {
    await c.stop();
  }

  const targets: [string, string, number][] = [
    ["commit + propose per result at batch 1000", "commit + propose batch 1000 (per result)", 3_000],
    ["k=16 dissect", "dissect k=16 (first, 15 hashes)", 80_000],
    ["whole dispute D=32 k=16", "whole dispute D=32 k=16: open+dissects+challenges+step", 1_500_000],
  ];
  const fmt = (v: number) => v.toLocaleString("en-US");
  const rows = Object.entries(results).map(([k, v]) => `| ${k} | ${fmt(v)} |`);
  const checks = targets.map(([name, key, max]) => {
    const v = results[key];
    return `| ${name} | ${fmt(v)} | ≤ ${fmt(max)} | ${v <= max ? "met" : "MISSED"} |`;
  });
  const md = [
    "# Protocol gas (bench/gas-protocol)",
    "",
    "gasUsed of real transactions on anvil (Prague; includes the 21k intrinsic cost and calldata or the",
    "EIP-7623 floor), real RV32IM verifier, echo guest (`protocol/test/fixtures/echo.json`), program D = 32,",
    "shared claim-tree game (DisputeGame), example economics (bonds 1 / 0.5 ETH, clock 1800 s, burn 20 %).",
    "Deterministic: automine, every block's timestamp set by the bench (12 s apart), so no move races a clock.",
    "Whole dispute: dishonest proposer (fault mid-run) vs one honest challenger, one transaction per move,",
    "both sides summed (open + every dissect + every challenge + the step); the bottom-up resolution that",
    "pays the bonds is listed on its own line. Batched rows: sibling moves of one game packed into one",
    "`multicall` (batch 1 = a plain call).",
    "Regenerate: `npx tsx bench/gas-protocol/run.ts`. Per-test gas of the unit tests is in `.gas-snapshot` here",
    "(`npx forge snapshot --match-path 'protocol/test/{DisputeGame,Verdict,Outputs,ProgramRegistry}.t.sol' --snap bench/gas-protocol/.gas-snapshot`).",
    "",
    "| action | gas |",
    "|---|---|",
    ...rows,
    "",
    "| target | measured | target | |",
    "|---|---|---|---|",
    ...checks,
    "",
    "Reference: the leading deployed fault-proof game prices bonds on about 400k gas per move over up to 73",
    "sequential moves; a leading tournament design spends about 90k gas per binary bisection move.",
    "",
  ].join("\n");
  console.log(md);
  if (write) {
    writeFileSync(join(import.meta.dirname, "README.md"), md);
    writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  }
}

/** commitProposal and propose of `leaves`, each measured. */
async function proposeMeasured(
  c: BenchChain,
  d: Deployment,
  from: BenchChain["accounts"][number],
  leaves: Leaf[],
): Promise<{ commit: bigint; reveal: bigint }> {
  const salt = keccak256(toHex(leaves.length));
  const { root } = resultTree(leaves);
  const commitment = keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [from.address, root, salt],
    ),
  );
  const commit = await c.must(
    from,
    {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "commitProposal", args: [commitment] }),
    },
    "commitProposal",
  );
  const reveal = await c.must(
    from,
    {
      to: d.verdict,
      data: encodeFunctionData({ abi: verdictAbi, functionName: "propose", args: [leaves, salt] }),
      value: d.params.proposerBond,
    },
    "propose",
  );
  return { commit: commit.gasUsed, reveal: reveal.gasUsed };
}

async function txInput(c: BenchChain, r: SendResult): Promise<Hex> {
  return (await c.publicClient.getTransaction({ hash: r.receipt.transactionHash })).input;
}

await main();

// Which executor runs a machine's bulk steps: the block compiler (default) or
// the reference interpreter. The choice never changes results, only speed;
// the interpreter is kept for cross-checks and as the `--interpreter` escape
// hatch. The process default travels in the environment so worker threads
// started later (proposer and challenger pools) inherit it.

/** "compiled": block compiler with interpreter fallback; "interpreter": reference loop only. */
export type ExecutionEngine = "compiled" | "interpreter";

const ENV = "VERDICT_ENGINE";

/** The process default: "interpreter" when VERDICT_ENGINE=interpreter, else "compiled". */
export function defaultEngine(): ExecutionEngine {
  return process.env[ENV] === "interpreter" ? "interpreter" : "compiled";
}

/** Sets the process default (and the environment, for workers started afterwards). */
export function setDefaultEngine(engine: ExecutionEngine): void {
  process.env[ENV] = engine;
}

// Game-trace checkpoints on disk, for both daemons: a trace built once (by
// either daemon, in any process) is restored from the trace cache instead of
// being run again, after a restart too. An entry that fails any check (the
// cache's checksum, the codec's bounds, the replay of its last interval, or
// the prestate of the program and input the caller holds) is dropped and
// reported, and the caller runs the job as if nothing were saved.

import { BaseError } from "../errors/base.ts";
import { decodeTraceCheckpoints, encodeTraceCheckpoints } from "../machine/checkpointCodec.ts";
import { Machine } from "../machine/machine.ts";
import { type CheckpointedTrace, traceFromCheckpoints } from "../machine/trace.ts";
import type { TraceCache, TraceCacheKey } from "./createTraceCache.ts";
import type { WorkContent } from "./workKey.ts";

export type CreateCheckpointStoreParameters = {
  cache: TraceCache;
  /** Checkpoint sets larger than this are not saved (the cache reads and writes entries whole). Unit: bytes. */
  maxBytes?: number;
  /** An entry that passed the cache's checksum but not the checks here (it has been dropped). */
  onCorrupt?: (key: TraceCacheKey, reason: string) => void;
};

export type CheckpointStore = {
  /**
   * The trace saved for this work and interval, or undefined. `prestate`, the
   * packed initial state of the caller's program and input, must equal the
   * saved one: it covers program, entry and input, so a set is never answered
   * for other content than the caller's.
   */
  load: (work: WorkContent, interval: number, prestate: Uint8Array) => CheckpointedTrace | undefined;
  /** Saves the trace's checkpoints under the interval it was asked for; false when too large to save. */
  save: (work: WorkContent, interval: number, trace: CheckpointedTrace) => boolean;
};

/** Cache kind of a checkpoint set built with this requested interval (the same in both daemons). */
export function checkpointsKind(interval: number): string {
  return `checkpoints-i${interval}`;
}

export function createCheckpointStore({
  cache,
  maxBytes = 256 * 2 ** 20,
  onCorrupt,
}: CreateCheckpointStoreParameters): CheckpointStore {
  function load(work: WorkContent, interval: number, prestate: Uint8Array): CheckpointedTrace | undefined {
    const key = { ...work, kind: checkpointsKind(interval) };
    const bytes = cache.get(key);
    if (!bytes) return undefined;
    const drop = (reason: string) => {
      cache.delete(key);
      onCorrupt?.(key, reason);
      return undefined;
    };
    try {
      const cp = decodeTraceCheckpoints(bytes);
      if (cp.depth !== work.depth) return drop(`saved for depth ${cp.depth}, wanted ${work.depth}`);
      // Checked before the replay: the cheaper way to refuse a set of other content.
      if (
        cp.snapshots.length === 0 ||
        Buffer.compare(Machine.fromSnapshot(cp.snapshots[0]).encode(), prestate) !== 0
      )
        return drop("its initial state is not that of the program and input asked for");
      return traceFromCheckpoints(cp);
    } catch (err) {
      return drop(err instanceof BaseError ? err.shortMessage : String(err));
    }
  }

  function save(work: WorkContent, interval: number, trace: CheckpointedTrace): boolean {
    if (trace.checkpointBytes > maxBytes) return false;
    cache.put(
      { ...work, kind: checkpointsKind(interval) },
      encodeTraceCheckpoints(trace.exportCheckpoints()),
    );
    return true;
  }

  return { load, save };
}

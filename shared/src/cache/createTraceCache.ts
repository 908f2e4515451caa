// On-disk cache of trace artefacts (checkpoints, results), keyed by the work's
// content address (workKey.ts: machine version, program root, entry, input
// root, D) and a kind. Any daemon pointing at the same directory shares its
// entries. The cache only ever saves time:
// every entry carries its full key and a SHA-256 of its payload, and a read
// that does not match (truncated write, bit rot, an entry from another machine
// version, a hand-edited file) deletes the entry and reports a miss, so the
// caller recomputes. Writes go to a temporary file and are renamed into place,
// so a crash mid-write leaves either the old entry or none.

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheDirectoryError } from "./errors.ts";
import { type WorkContent, workKey } from "./workKey.ts";

export type TraceCacheKey = WorkContent & {
  /** What is stored, e.g. "result" or "checkpoints-i65536" (one entry per kind per work). */
  kind: string;
};

export type CacheOutcome = "hit" | "miss" | "corrupt";

export type CreateTraceCacheParameters = {
  dir: string;
  /** Called on every lookup (metrics, logs). */
  onLookup?: (outcome: CacheOutcome, key: TraceCacheKey, reason?: string) => void;
};

export type TraceCache = {
  get: (key: TraceCacheKey) => Uint8Array | undefined;
  put: (key: TraceCacheKey, payload: Uint8Array) => void;
  delete: (key: TraceCacheKey) => void;
  /** File that holds the entry (tests corrupt it on purpose). */
  pathOf: (key: TraceCacheKey) => string;
};

const MAGIC = "verdict-trace-cache v1\n";

function keyString(k: TraceCacheKey): string {
  return `${workKey(k)}/${k.kind}`;
}

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

export function createTraceCache({ dir, onLookup }: CreateTraceCacheParameters): TraceCache {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new CacheDirectoryError({ dir, cause });
  }
  const pathOf = (key: TraceCacheKey) => join(dir, `${sha256(Buffer.from(keyString(key))).slice(0, 40)}.bin`);

  function get(key: TraceCacheKey): Uint8Array | undefined {
    const path = pathOf(key);
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch {
      onLookup?.("miss", key);
      return undefined;
    }
    const corrupt = (reason: string) => {
      rmSync(path, { force: true });
      onLookup?.("corrupt", key, reason);
      return undefined;
    };
    const magic = Buffer.from(MAGIC);
    if (buf.length < magic.length || !buf.subarray(0, magic.length).equals(magic))
      return corrupt("bad magic");
    const nl = buf.indexOf(10, magic.length);
    if (nl < 0) return corrupt("no header");
    let header: { key?: string; length?: number; sha256?: string };
    try {
      header = JSON.parse(buf.subarray(magic.length, nl).toString("utf8"));
    } catch {
      return corrupt("unreadable header");
    }
    if (header.key !== keyString(key)) return corrupt("entry is for another key");
    const payload = buf.subarray(nl + 1);
    if (payload.length !== header.length)
      return corrupt(`length ${payload.length}, header says ${header.length}`);
    if (sha256(payload) !== header.sha256) return corrupt("checksum mismatch");
    onLookup?.("hit", key);
    return new Uint8Array(payload);
  }

  function put(key: TraceCacheKey, payload: Uint8Array): void {
    const header = JSON.stringify({ key: keyString(key), length: payload.length, sha256: sha256(payload) });
    const path = pathOf(key);
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC), Buffer.from(`${header}\n`), payload]));
      renameSync(tmp, path);
    } catch (cause) {
      rmSync(tmp, { force: true });
      throw new CacheDirectoryError({ dir, cause });
    }
  }

  return { get, put, delete: (key) => rmSync(pathOf(key), { force: true }), pathOf };
}

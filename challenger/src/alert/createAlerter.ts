// Alerts of the watchtower: every wrong claim it sees becomes an error-level
// log line and, when configured, a JSON POST to a webhook. Delivery is best
// effort with a short timeout and a few retries; an alert can never stall or
// crash the daemon. An alert with a `key` (one per wrong leaf, per lost game…)
// fires once: the key is remembered, and with `persistTo` appended to a file
// in the cache dir, so a restart that re-derives everything from the chain
// does not page anyone a second time for the same wrong claim.

import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { sleep } from "@verdict/shared/src/chain/withRetry.ts";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import type { ChallengerMetrics } from "../metrics/createChallengerMetrics.ts";

export type AlertKind =
  | "wrong_leaf"
  | "wrong_dissection"
  | "refused_move"
  | "late_challenge"
  | "game_lost"
  | "deadline_at_risk"
  | "capacity_shortfall"
  | "over_cap"
  | "move_failed";

export type Alert = {
  kind: AlertKind;
  message: string;
  /** Structured facts (ids, hashes, positions); bigints are sent as decimal strings. */
  data: Record<string, unknown>;
  /** What the alert is about (e.g. "wrong_leaf:<proposal>:<job>"): an alert whose key fired before is only logged at debug. */
  key?: string;
};

export type CreateAlerterParameters = {
  logger: Logger;
  webhookUrl?: string;
  metrics?: Pick<ChallengerMetrics, "alerts" | "webhookFailures">;
  /** Unit: milliseconds. */
  timeoutMs?: number;
  retries?: number;
  /** Identifies this watchtower in webhook payloads. */
  source?: string;
};

export type Alerter = {
  /** Fires the alert; false when its key fired before (in this process or, after persistTo, a previous one). */
  alert: (a: Alert) => boolean;
  /** Remembers fired keys in `file` (one per line) and loads those fired before; call once at start-up. */
  persistTo: (file: string) => void;
  /** Resolves when every webhook delivery started so far has finished (shutdown, tests). */
  flush: () => Promise<void>;
};

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

export function createAlerter({
  logger,
  webhookUrl,
  metrics,
  timeoutMs = 5000,
  retries = 2,
  source = "verdict-challenger",
}: CreateAlerterParameters): Alerter {
  const inflight = new Set<Promise<void>>();
  const log = logger.child({ component: "alert" });
  const fired = new Set<string>();
  let file: string | undefined;

  function remember(key: string) {
    fired.add(key);
    if (!file) return;
    try {
      appendFileSync(file, `${key}\n`);
    } catch (err) {
      // Losing the record only risks a repeated alert after a restart, never a missed one.
      log.warn({ file, err: (err as Error).message }, "cannot record a fired alert");
    }
  }

  async function deliver(body: string) {
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const res = await fetch(webhookUrl as string, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return;
        // A 4xx will not get better by retrying.
        if (res.status >= 400 && res.status < 500) throw new Error(`HTTP ${res.status}`);
        throw Object.assign(new Error(`HTTP ${res.status}`), { retry: true });
      } catch (err) {
        const retry =
          (err as { retry?: boolean }).retry !== false &&
          attempt < retries &&
          !/^HTTP 4/.test((err as Error).message);
        if (!retry) {
          metrics?.webhookFailures.inc();
          log.warn({ err: (err as Error).message }, "alert webhook delivery failed");
          return;
        }
        await sleep(250 * 2 ** attempt);
      }
    }
  }

  return {
    alert({ kind, message, data, key }) {
      const safe = jsonSafe(data) as Record<string, unknown>;
      if (key !== undefined && fired.has(key)) {
        log.debug({ alert: kind, key, ...safe }, `already alerted: ${message}`);
        return false;
      }
      if (key !== undefined) remember(key);
      metrics?.alerts.inc({ kind });
      log.error({ alert: kind, ...safe }, message);
      if (!webhookUrl) return true;
      const body = JSON.stringify({ source, kind, message, data: safe, time: new Date().toISOString() });
      const p = deliver(body).finally(() => inflight.delete(p));
      inflight.add(p);
      return true;
    },
    persistTo(path) {
      file = path;
      try {
        for (const k of readFileSync(path, "utf8").split("\n")) if (k) fired.add(k);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT")
          log.warn({ file: path, err: (err as Error).message }, "cannot read fired alerts; they may repeat");
      }
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch {
        // reported on the first append
      }
      log.info({ file: path, remembered: fired.size }, "alert keys persisted");
    },
    flush: async () => {
      await Promise.all([...inflight]);
    },
  };
}

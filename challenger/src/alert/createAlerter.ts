// Alerts of the watchtower: every wrong claim it sees becomes an error-level
// log line and, when configured, a JSON POST to a webhook. Delivery is best
// effort with a short timeout and a few retries; an alert can never stall or
// crash the daemon.

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
  alert: (a: Alert) => void;
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
    alert({ kind, message, data }) {
      metrics?.alerts.inc({ kind });
      const safe = jsonSafe(data) as Record<string, unknown>;
      log.error({ alert: kind, ...safe }, message);
      if (!webhookUrl) return;
      const body = JSON.stringify({ source, kind, message, data: safe, time: new Date().toISOString() });
      const p = deliver(body).finally(() => inflight.delete(p));
      inflight.add(p);
    },
    flush: async () => {
      await Promise.all([...inflight]);
    },
  };
}

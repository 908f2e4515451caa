// The shipped Prometheus rules and Grafana dashboard against the daemons'
// real metric registries: the rules file parses as a Prometheus rule file,
// and every verdict_* series it or the dashboard names is one a daemon
// exports, so a renamed metric cannot leave an alert that never fires.

import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "yaml";
import { createChallengerMetrics } from "../../challenger/src/metrics/createChallengerMetrics.ts";
import { createProposerMetrics } from "../../proposer/src/metrics.ts";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");

/** Every series name a daemon exports (histograms as _bucket/_sum/_count). */
async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of [createProposerMetrics({ defaults: false }), createChallengerMetrics({ defaults: false })])
    for (const metric of await m.registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === "histogram")
        for (const s of ["_bucket", "_sum", "_count"]) names.add(metric.name + s);
    }
  return names;
}

const named = (expr: string) => expr.match(/\bverdict_[a-z0-9_]+/g) ?? [];

type Rule = { alert?: string; expr?: unknown; for?: string; labels?: Record<string, string> };

describe("ops: Prometheus rules and Grafana dashboard", () => {
  it("the rules parse and every alert is complete", () => {
    const doc = parse(read("ops/prometheus/verdict-rules.yml")) as {
      groups: { name: string; rules: Rule[] }[];
    };
    expect(doc.groups).to.be.an("array").that.is.not.empty;
    const alerts = new Set<string>();
    for (const g of doc.groups) {
      expect(g.name).to.be.a("string");
      for (const r of g.rules) {
        expect(r.alert, JSON.stringify(r)).to.match(/^[A-Z][A-Za-z]+$/);
        expect(alerts.has(r.alert as string), `duplicate ${r.alert}`).to.equal(false);
        alerts.add(r.alert as string);
        expect(r.expr, r.alert).to.be.a("string").that.is.not.empty;
        expect(r.labels?.severity, r.alert).to.be.oneOf(["critical", "warning"]);
        if (r.for !== undefined) expect(r.for, r.alert).to.match(/^\d+[smh]$/);
      }
    }
    for (const a of ["VerdictCannotAffordBond", "VerdictChainPollStale", "VerdictProtocolPaused"])
      expect(alerts).to.include(a);
  });

  it("every metric the rules name exists in a daemon's registry", async () => {
    const have = await exported();
    const doc = parse(read("ops/prometheus/verdict-rules.yml")) as { groups: { rules: Rule[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    const missing = rules.flatMap((r) =>
      named(String(r.expr))
        .filter((n) => !have.has(n))
        .map((n) => `${r.alert}: ${n}`),
    );
    expect(missing).to.deep.equal([]);
    expect(rules.flatMap((r) => named(String(r.expr))).length).to.be.greaterThan(10);
  });

  it("every metric the dashboard plots exists in a daemon's registry", async () => {
    const have = await exported();
    const dash = JSON.parse(read("ops/grafana/verdict-dashboard.json")) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const exprs = dash.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
    );
    expect(exprs.length).to.be.greaterThan(10);
    const missing = exprs.flatMap((e) =>
      named(e.expr)
        .filter((n) => !have.has(n))
        .map((n) => `${e.panel}: ${n}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it("a renamed metric would be caught", () => {
    expect(named("rate(verdict_proposer_no_such_metric_total[5m]) > 0")).to.deep.equal([
      "verdict_proposer_no_such_metric_total",
    ]);
  });
});

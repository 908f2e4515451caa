// The explorer's page: one HTML shell, one stylesheet, one script, served as
// they are (no framework, no build step). The script routes on the path,
// reads the view's JSON under /api/, draws it with DOM calls (text only,
// never HTML from data), and draws again whenever /api/stream says the index
// moved. The layout is one column on a phone and wider on a laptop.

export const EXPLORER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verdict explorer</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="/">Verdict explorer</a>
  <nav><a href="/">Jobs</a><a href="/proposals">Proposals</a><a href="/games">Games</a></nav>
  <span id="live" class="live" title="live updates">connecting…</span>
</header>
<main id="view"><p class="muted">Loading…</p></main>
</body>
</html>
`;

export const EXPLORER_CSS = `
:root { --bg:#fbfbfd; --fg:#1d1f24; --muted:#6a7080; --line:#dde0e8; --card:#fff;
  --prop:#2f6fd6; --chal:#d2542c; --ok:#1e8e4a; --bad:#c0392b; --warn:#b7791f; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; flex-wrap:wrap; gap:.5rem 1.25rem; align-items:center; padding:.75rem 1rem; border-bottom:1px solid var(--line); background:var(--card); position:sticky; top:0; z-index:1; }
.brand { font-weight:700; color:var(--fg); text-decoration:none; }
nav { display:flex; gap:1rem; }
nav a { color:var(--prop); text-decoration:none; }
.live { margin-left:auto; font-size:.85rem; color:var(--muted); }
.live.on::before { content:""; display:inline-block; width:.55rem; height:.55rem; border-radius:50%; background:var(--ok); margin-right:.35rem; }
main { max-width:1100px; margin:0 auto; padding:1rem; }
h1 { font-size:1.35rem; margin:.25rem 0 1rem; }
h2 { font-size:1.1rem; margin:1.5rem 0 .5rem; }
a { color:var(--prop); }
.muted { color:var(--muted); }
.mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:.85em; overflow-wrap:anywhere; }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.8rem; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
.badge { display:inline-block; padding:.05rem .45rem; border-radius:.6rem; font-size:.8rem; background:#eef0f5; }
.badge.final, .badge.Finalized, .badge.verified, .badge.Upheld { background:#dff3e6; color:var(--ok); }
.badge.Defeated, .badge.rolled-back, .badge.RolledBack, .badge.Invalidated { background:#fbe3e0; color:var(--bad); }
.badge.proposed, .badge.Pending, .badge.Challenged, .badge.Dissected { background:#fdf1dc; color:var(--warn); }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.3rem 1rem; background:var(--card); border:1px solid var(--line); padding:.75rem 1rem; margin:0; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; overflow-wrap:anywhere; }
.card { background:var(--card); border:1px solid var(--line); border-radius:.4rem; padding:.75rem 1rem; margin:.75rem 0; }
.now { border-left:4px solid var(--warn); }
.clocks { display:grid; grid-template-columns:1fr 1fr; gap:.75rem; }
.clock .bar, .seg { position:relative; height:.8rem; background:#eceef3; border-radius:.2rem; overflow:hidden; }
.clock .fill { position:absolute; top:0; bottom:0; left:0; }
.clock.proposer .fill { background:var(--prop); }
.clock.challenger .fill { background:var(--chal); }
.clock.running .label::after { content:" (running)"; color:var(--warn); }
.round { background:var(--card); border:1px solid var(--line); border-left:4px solid var(--chal); border-radius:.4rem; padding:.75rem 1rem; margin:.75rem 0; }
.round header { all:unset; display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:baseline; }
.round h3 { margin:0; font-size:1rem; }
.seg { height:1.1rem; margin:.5rem 0 .2rem; }
.seg .part { position:absolute; top:0; bottom:0; border-right:1px solid #fff; }
.seg .part.picked { background:var(--chal); }
.seg .whole { position:absolute; top:0; bottom:0; background:var(--chal); min-width:3px; }
.axis { display:flex; justify-content:space-between; font-size:.75rem; color:var(--muted); }
.claims { display:grid; grid-template-columns:1fr 1fr; gap:.5rem 1rem; margin-top:.5rem; }
.claims .side { border-top:2px solid var(--line); padding-top:.35rem; }
.claims .side.proposer { border-color:var(--prop); }
.claims .side.challenger { border-color:var(--chal); }
ol.interior { margin:.25rem 0; padding-left:2.75rem; max-height:14rem; overflow:auto; }
ol.interior li.picked { color:var(--chal); font-weight:600; }
.step { border-left:4px solid var(--ok); }
.step.fails { border-left-color:var(--bad); }
ol.timeline { list-style:none; padding:0; margin:0; }
ol.timeline li { display:grid; grid-template-columns:11rem 1fr; gap:.2rem 1rem; padding:.4rem 0; border-bottom:1px solid var(--line); }
.error { color:var(--bad); }
@media (max-width: 640px) {
  body { font-size:14px; }
  main { padding:.6rem; }
  table, thead, tbody, tr, th, td { display:block; }
  thead { display:none; }
  tr { border-bottom:1px solid var(--line); padding:.35rem 0; }
  td { border:0; padding:.15rem .6rem; }
  td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); }
  .claims, .clocks { grid-template-columns:1fr; }
  dl.facts { grid-template-columns:1fr; }
  dl.facts dt { margin-top:.3rem; }
  ol.timeline li { grid-template-columns:1fr; }
}
`;

export const EXPLORER_JS = `"use strict";
(() => {
const view = document.getElementById("view");
const live = document.getElementById("live");
const WEI = 10n ** 18n;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "style") for (const [p, x] of Object.entries(v)) e.style.setProperty(p, x);
    else e.setAttribute(k, String(v));
  }
  for (const c of kids.flat(Infinity)) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
const short = (h) => (typeof h === "string" && h.length > 14 ? h.slice(0, 10) + "…" + h.slice(-4) : String(h ?? "—"));
const hash = (h) => el("code", { class: "mono", title: h || "" }, short(h));
function eth(wei) {
  const w = BigInt(wei); const neg = w < 0n; const a = neg ? -w : w;
  const frac = (a % WEI).toString().padStart(18, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + (a / WEI).toString() + (frac ? "." + frac.slice(0, 6) : "") + " ETH";
}
const when = (t) => (t === null || t === undefined ? "" : new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z").replace("T", " "));
const badge = (s) => el("span", { class: "badge " + String(s).replace(/\\s+/g, "-") }, s);
const link = (href, text) => el("a", { href }, text);
const secs = (s) => { s = Number(s); return s >= 3600 ? Math.floor(s / 3600) + "h " + Math.floor((s % 3600) / 60) + "m" : s >= 60 ? Math.floor(s / 60) + "m " + (s % 60) + "s" : s + "s"; };
function facts(pairs) { return el("dl", { class: "facts" }, pairs.filter(Boolean).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])); }
function table(cols, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, cols.map((c) => el("th", {}, c)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((v, i) => el("td", { "data-label": cols[i] }, v))))));
}
async function get(path) {
  const r = await fetch(path, { headers: { accept: "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

const routes = [
  [/^\\/$|^\\/jobs\\/?$/, jobsPage],
  [/^\\/jobs\\/([0-9]+)$/, jobPage],
  [/^\\/proposals\\/?$/, proposalsPage],
  [/^\\/games\\/?$/, gamesPage],
  [/^\\/games\\/([0-9]+)$/, gamePage],
];

async function jobsPage() {
  const jobs = await get("/api/jobs");
  return [el("h1", {}, "Jobs"), jobs.length === 0 ? el("p", { class: "muted" }, "No job submitted yet.") :
    table(["job", "status", "program", "fee", "result", "input", "games"], jobs.map((j) => [
      link("/jobs/" + j.jobId, "#" + j.jobId), badge(j.status), "#" + j.programId, eth(j.fee),
      j.result ? hash(j.result) : el("span", { class: "muted" }, "—"), j.inputBytes + " bytes",
      j.games.length ? j.games.map((g, i) => [i ? ", " : "", link("/games/" + g, "#" + g)]) : "—"]))];
}

async function jobPage(id) {
  const j = await get("/api/jobs/" + id);
  return [el("h1", {}, "Job #" + j.jobId + " ", badge(j.status)),
    facts([["program", "#" + j.programId], ["requester", hash(j.requester)], ["fee", eth(j.fee)],
      ["input", j.inputBytes + " bytes"], ["result", j.result ? hash(j.result) : "none final yet"],
      ["submitted in block", String(j.blockNumber)]]),
    el("h2", {}, "Proposals"), j.proposals.length === 0 ? el("p", { class: "muted" }, "Not proposed yet.") :
      table(["proposal", "status", "proposer", "claims", "games"], j.proposals.map((p) => [
        "#" + p.proposalId, badge(p.status), hash(p.proposer),
        hash((p.leaves.find((l) => String(l.jobId) === String(j.jobId)) || {}).finalStateHash),
        p.games.length ? p.games.map((g, i) => [i ? ", " : "", link("/games/" + g, "#" + g)]) : "—"])),
    el("h2", {}, "Audit timeline"),
    el("p", { class: "muted" }, "From the chain's events. Re-executing the job is left to ", el("code", {}, "verdict audit " + j.jobId + " --elf …"), "."),
    el("ol", { class: "timeline", "data-testid": "timeline" }, j.timeline.map((e) =>
      el("li", { "data-kind": e.kind }, el("span", { class: "muted" }, when(e.time) + " · block " + e.blockNumber), el("span", {}, e.text))))];
}

async function proposalsPage() {
  const ps = await get("/api/proposals");
  return [el("h1", {}, "Proposals"), ps.length === 0 ? el("p", { class: "muted" }, "No proposal yet.") :
    table(["proposal", "status", "proposer", "stake", "results", "games", "block"], ps.map((p) => [
      "#" + p.proposalId, badge(p.status), hash(p.proposer), eth(p.bond),
      p.leaves.map((l, i) => [i ? ", " : "", link("/jobs/" + l.jobId, "job #" + l.jobId)]),
      p.games.length ? p.games.map((g, i) => [i ? ", " : "", link("/games/" + g, "#" + g)]) : "—", String(p.blockNumber)]))];
}

async function gamesPage() {
  const gs = await get("/api/games");
  return [el("h1", {}, "Games"), gs.length === 0 ? el("p", { class: "muted" }, "No dispute yet.") :
    table(["game", "outcome", "proposal", "job", "opened by", "moves"], gs.map((g) => [
      link("/games/" + g.gameId, "#" + g.gameId), badge(g.outcome), "#" + g.proposalId,
      link("/jobs/" + g.jobId, "#" + g.jobId), hash(g.opener), String(g.moves)]))];
}

function clock(side, who, used, total, running, left) {
  const pct = Math.min(100, (Number(used) / Math.max(1, Number(total))) * 100);
  return el("div", { class: "clock " + side + (running ? " running" : ""), "data-testid": "clock-" + side },
    el("div", { class: "label" }, who + ": " + secs(used) + " used of " + secs(total) + (running ? ", " + secs(left) + " left" : "")),
    el("div", { class: "bar" }, el("div", { class: "fill", style: { width: pct + "%" } })));
}

const TURN_TEXT = { Dissect: "the proposer must dissect", Pick: "a challenger may pick a part", Step: "a challenger may execute the step onchain", Resolve: "anyone may resolve (pays the bonds)", Children: "waiting for challenged parts to resolve", None: "nothing to do" };

function roundCard(g, n, byPos) {
  const total = 2 ** g.depth;
  const parent = n.parent === null ? null : byPos.get(String(n.parent));
  const lo = parent ? Number(parent.start) : 0, hi = parent ? Number(parent.end) : total;
  const parts = parent && parent.dissection ? parent.dissection.interior.length + 1 : 1;
  const bar = parent
    ? el("div", { class: "seg", title: "part " + n.index + " of [" + lo + ", " + hi + "]" },
        Array.from({ length: parts }, (_, i) => el("div", { class: "part" + (i === Number(n.index) ? " picked" : ""),
          style: { left: (i * 100 / parts) + "%", width: (100 / parts) + "%" } })))
    : el("div", { class: "seg" }, el("div", { class: "whole", style: { left: "0%", width: "100%" } }));
  const picked = new Set(n.picked.map(String));
  const d = n.dissection;
  return el("section", { class: "round", "data-level": n.level, "data-position": n.position, "data-testid": "round" },
    el("header", {}, el("h3", {}, "Round " + (n.level + 1) + ": [" + n.start + ", " + n.end + "]"),
      el("span", { class: "muted" }, "2^" + n.log2Len + " steps" + (parent ? ", part " + n.index + " of " + parts + " of [" + lo + ", " + hi + "]" : ", the whole trace")),
      badge(n.status)),
    bar, el("div", { class: "axis" }, el("span", {}, String(lo)), el("span", {}, String(hi))),
    el("div", { class: "claims" },
      el("div", { class: "side proposer" }, el("strong", {}, "proposer "), hash(g.proposer),
        el("div", {}, "claims T(" + n.start + ") = ", hash(n.startHash)),
        el("div", {}, "and T(" + n.end + ") = ", hash(n.endHash)),
        d ? el("details", { open: d.interior.length <= 16 ? "" : null }, el("summary", {}, "dissected into " + (d.interior.length + 1) + " parts (block " + d.blockNumber + ")"),
          el("ol", { class: "interior", start: 1 }, d.interior.map((x, i) =>
            el("li", { class: picked.has(String(i)) ? "picked" : null }, "T(" + x.position + ") = ", hash(x.hash)))))
          : el("div", { class: "muted" }, n.log2Len === 0 ? "one instruction: no dissection" : "not dissected yet")),
      el("div", { class: "side challenger" }, el("strong", {}, "challenger "), hash(n.challenger),
        el("div", {}, "agrees at " + n.start + ", disputes the hash at " + n.end),
        el("div", { class: "muted" }, "challenged in block " + n.challenged.blockNumber + (n.challenged.time ? " · " + when(n.challenged.time) : "")),
        n.picked.length ? el("div", {}, "then picked part" + (n.picked.length > 1 ? "s " : " ") + n.picked.join(", ")) : null)),
    el("div", { class: "clocks" },
      clock("proposer", "proposer clock", n.proposerUsedSeconds, g.clockSeconds, n.turn === "Dissect", n.leftSeconds),
      clock("challenger", "challenger clock", n.challengerUsedSeconds, g.clockSeconds, n.turn === "Pick" || n.turn === "Step", n.leftSeconds)),
    n.step ? el("div", { class: "card step" + (n.step.holds ? "" : " fails"), "data-testid": "step" },
      el("strong", {}, "Final step: one-step proof of step " + n.start), " executed onchain by ", hash(n.step.by),
      el("div", {}, "T(" + n.start + ") = ", hash(n.step.preStateHash), " → computed T(" + n.end + ") = ", hash(n.step.postStateHash)),
      el("div", {}, "the proposer claimed ", hash(n.step.endHash), ": ", el("strong", {}, n.step.holds ? "the claim holds" : "the claim fails"))) : null,
    n.resolved ? el("div", { class: "muted" }, "resolved " + n.resolved.status + " in block " + n.resolved.blockNumber + ": challenger " + eth(n.resolved.challengerPaid) + ", proposer " + eth(n.resolved.proposerPaid) + ", burned " + eth(n.resolved.burned)) : null);
}

async function gamePage(id) {
  const g = await get("/api/games/" + id);
  const byPos = new Map(g.rounds.map((n) => [String(n.position), n]));
  const open = g.rounds.filter((n) => n.turn !== "None");
  const active = open.length ? open[open.length - 1] : null;
  const t = g.totals;
  return [el("h1", {}, "Game #" + g.gameId + " ", badge(g.outcome)),
    facts([["proposal", ["#" + g.proposalId + " ", badge(g.proposalStatus)]], ["job", link("/jobs/" + g.jobId, "#" + g.jobId)],
      ["proposer", hash(g.proposer)], ["opened by", hash(g.opener)],
      ["trace", "[0, 2^" + g.depth + "], k = " + g.k + " parts per dissection"],
      ["claimed final state", hash(g.endHash)], ["clock", secs(g.clockSeconds) + " per side, per path"],
      ["bonds", eth(g.claimBond) + " per challenge, " + eth(g.dissectionBond) + " per dissection"],
      ["indexed block", String(g.blockNumber)]]),
    active ? el("div", { class: "card now", "data-testid": "turn", "data-turn": active.turn },
      el("strong", {}, "Now: "), TURN_TEXT[active.turn] || active.turn, " at [" + active.start + ", " + active.end + "]",
      (active.turn === "Dissect" || active.turn === "Pick" || active.turn === "Step") ? " (" + secs(active.leftSeconds) + " left)" : "")
      : el("div", { class: "card", "data-testid": "turn", "data-turn": "None" }, "No move pending: " + g.outcome + "."),
    el("h2", {}, "Dissection, round by round"),
    el("div", { id: "rounds", "data-count": g.rounds.length }, g.rounds.map((n) => roundCard(g, n, byPos))),
    el("h2", {}, "Bond flows"),
    el("p", { class: "muted" }, "posted " + eth(t.posted) + " · to challengers " + eth(t.toChallengers) + " · to the proposer " + eth(t.toProposer) + " · burned " + eth(t.burned)),
    g.bonds.length ? table(["block", "from", "to", "amount", "why"], g.bonds.map((b) => [String(b.blockNumber),
      b.from.startsWith("0x") ? hash(b.from) : b.from, b.to.startsWith("0x") ? hash(b.to) : b.to, eth(b.amount), b.why])) : null];
}

let drawing = false, again = false;
async function draw() {
  if (drawing) { again = true; return; }
  drawing = true;
  try {
    const path = location.pathname;
    for (const [re, page] of routes) {
      const m = re.exec(path);
      if (!m) continue;
      const y = window.scrollY;
      try {
        const nodes = await page(m[1]);
        view.replaceChildren(...nodes.flat().filter(Boolean));
      } catch (err) {
        view.replaceChildren(el("p", { class: "error" }, String(err.message || err)));
      }
      window.scrollTo(0, y);
      return;
    }
    view.replaceChildren(el("p", { class: "error" }, "No such page."));
  } finally {
    drawing = false;
    if (again) { again = false; draw(); }
  }
}

function connect() {
  const es = new EventSource("/api/stream");
  es.addEventListener("cursor", (e) => {
    const c = JSON.parse(e.data).cursor;
    document.body.dataset.cursor = c;
    live.textContent = "block " + c;
    live.className = "live on";
    draw();
  });
  es.onerror = () => { live.textContent = "reconnecting…"; live.className = "live"; };
}
draw();
connect();
})();
`;

// npm run search -- [--json] [--k 5] "truy vấn"
// Prints the top passages of the hybrid search (BM25 + vectors, fused), with the province and
// year detected in the query applied as filters.
// npm run search -- --figures [--json] "truy vấn": the stored figures matching the query's
// province, year, kind and words instead.

import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { startApp } from "../app.js";
import { parseQuestion } from "../../knowledge/answer/slots.js";
import { queryFigures } from "../../knowledge/figures/query.js";
import { runCli } from "./run.js";

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const kIdx = argv.indexOf("--k");
  const k = kIdx >= 0 ? Math.max(1, Math.min(50, Number(argv[kIdx + 1]) || 5)) : 5;
  const query = argv.filter((a, i) => !a.startsWith("--") && !(kIdx >= 0 && i === kIdx + 1)).join(" ").trim();
  if (!query) {
    process.stderr.write('Cách dùng: npm run search -- [--json] [--k 5] "truy vấn"\n');
    return 2;
  }
  const config = loadConfig();
  const app = await startApp(config, { log: createLogger(config) });
  const slots = parseQuestion(query, app.engine.provinces);
  if (argv.includes("--figures")) {
    const kind = slots.kind === "plan-ratio" ? "plan-ratio" : slots.kind ?? undefined;
    const found = queryFigures(app.engine, { province: slots.province ?? undefined, year: slots.year ?? undefined, kind, measure: slots.terms.join(" ") || undefined, limit: k });
    const rows = found.map(({ figure: f, match }) => ({
      document: f.docId,
      raw: f.raw.replace(/\s+/g, " "),
      value: f.value,
      unit: f.unit,
      per: f.per,
      qualifier: f.qualifier,
      kind: f.kind,
      period: f.period,
      match: Math.round(match * 100) / 100,
      sentence: f.sentence.replace(/\s+/g, " "),
    }));
    if (json) process.stdout.write(`${JSON.stringify({ query, results: rows })}\n`);
    else for (const r of rows) process.stdout.write(`${r.raw}  (${r.kind}, ${r.period.date ?? r.period.year ?? ""})\n   ${r.sentence.slice(0, 200)}\n`);
    return 0;
  }
  const t0 = performance.now();
  const hits = await app.engine.searcher.search(query, { k, filters: { province: slots.province, year: slots.year } });
  const ms = performance.now() - t0;
  const rows = hits.map((h, i) => ({
    rank: i + 1,
    document: h.doc.id,
    title: h.doc.title,
    section: h.chunk.path.join(" › "),
    page: h.chunk.page,
    score: Math.round(h.score * 10000) / 10000,
    keywordRank: h.keywordRank,
    vectorRank: h.vectorRank,
    text: h.chunk.text,
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ query, filters: { province: slots.province, year: slots.year }, ms: Math.round(ms * 10) / 10, results: rows })}\n`);
  } else {
    for (const r of rows) {
      process.stdout.write(`#${r.rank} ${r.title}\n   ${r.section}\n   ${r.text.replace(/\s+/g, " ").slice(0, 240)}…\n\n`);
    }
  }
  return 0;
}

runCli(main);

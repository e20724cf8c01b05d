// Developer aid: prints the slots, the scoped documents and the top-scored figures of a question.
// npx tsx scripts/debug-question.ts "câu hỏi"
import { loadConfig } from "../bot/config.js";
import { createLogger } from "../bot/log.js";
import { startApp } from "../bot/app.js";
import { parseQuestion } from "../knowledge/answer/slots.js";
import { rankOf, scoreFigures } from "../knowledge/answer/select.js";

const q = process.argv.slice(2).join(" ");
const config = loadConfig();
const app = await startApp(config, { log: createLogger({ logLevel: "warn" }) });
const slots = parseQuestion(q, app.engine.provinces);
console.log(JSON.stringify({ ...slots, question: undefined }, null, 0));
const docIds = app.engine.docs.filter((d) => !slots.province || d.province === slots.province).map((d) => d.id);
const hits = await app.engine.searcher.search(slots.folded, { k: 10, filters: { docIds } });
for (const h of hits.slice(0, 5)) console.log("hit", h.chunk.id, h.keywordRank, h.vectorRank, h.chunk.path.at(-1));
const ranked = scoreFigures(app.engine, slots, docIds, { hitRank: rankOf(hits) });
for (const s of ranked.slice(0, 8)) {
  const p = Object.entries(s.parts).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(" ");
  console.log(s.score.toFixed(2), s.figure.raw.replace(/\s+/g, " "), s.figure.kind, s.figure.period.year, "|", p, "|", s.figure.measure.slice(0, 80));
}

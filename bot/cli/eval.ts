// npm run eval -- FILE.jsonl [--verbose] [--json]
// Scores answers (numbers and terms stated, refusals), citation hits, retrieval Recall@5, and
// the plain BM25 baseline on the same questions. With a language model configured it also
// reports who wrote each answer (model or offline fallback, and why), guard interventions and
// token use.

import { readFile } from "node:fs/promises";
import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { startApp } from "../app.js";
import { parseEvalFile, recallAt, scoreAnswer, summarize } from "../eval/score.js";
import { parseQuestion } from "../../knowledge/answer/slots.js";
import { docsInScope } from "../../knowledge/answer/answerer.js";
import { expandQuery } from "../../knowledge/answer/select.js";
import { createBaseline, fixedChunks } from "../../knowledge/search/baseline.js";
import { runCli } from "./run.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith("--"));
  if (!file) {
    process.stderr.write("Usage: npm run eval -- FILE.jsonl [--verbose] [--json]\n");
    return 2;
  }
  const items = parseEvalFile(await readFile(file, "utf8"));
  const config = loadConfig();
  const log = createLogger({ logLevel: config.logLevel === "info" ? "warn" : config.logLevel });
  const app = await startApp(config, { log });
  const { engine } = app;
  const scores = [];
  const recall: boolean[] = [];
  const recallUnfiltered: boolean[] = [];
  const baselineRaw = createBaseline(engine.records.flatMap((r) => fixedChunks(r.meta.id, r.text)), false);
  const baselineFolded = createBaseline(engine.records.flatMap((r) => fixedChunks(r.meta.id, r.text)), true);
  const baseRaw: boolean[] = [];
  const baseFolded: boolean[] = [];
  const ms: number[] = [];
  const modes = { llm: 0, offline: 0 };
  const fallbacks: Record<string, number> = {};
  const tokens = { input: 0, output: 0, total: 0 };
  let guardInterventions = 0;
  for (const item of items) {
    const { answer } = await app.answerer.ask(item.q);
    ms.push(answer.ms);
    modes[answer.mode]++;
    if (answer.llm) {
      if (answer.llm.fallback) fallbacks[answer.llm.fallback] = (fallbacks[answer.llm.fallback] ?? 0) + 1;
      if (answer.llm.guard.intervened) guardInterventions++;
      tokens.input += answer.llm.tokens.input;
      tokens.output += answer.llm.tokens.output;
      tokens.total += answer.llm.tokens.total;
    }
    const s = scoreAnswer(item, answer);
    scores.push(s);
    if (item.snippet) {
      const slots = parseQuestion(item.q, engine.provinces);
      // The documents the answerer would look in (province, document, year), as the product does.
      const docIds = docsInScope(engine, { province: slots.province, year: slots.year, kind: slots.docKind }, slots).map((d) => d.id);
      const hits = await engine.searcher.search(expandQuery(slots.folded), { k: 5, filters: { docIds } });
      recall.push(recallAt(hits, item.snippet, 5));
      recallUnfiltered.push(recallAt(await engine.searcher.search(item.q, { k: 5 }), item.snippet, 5));
      baseRaw.push(recallAt(baselineRaw.search(item.q, 5), item.snippet, 5));
      baseFolded.push(recallAt(baselineFolded.search(item.q, 5), item.snippet, 5));
    }
    if (!argv.includes("--json") && (argv.includes("--verbose") || !s.correct)) {
      const mark = s.correct ? "ok " : "ERR";
      process.stdout.write(`${mark} ${item.id} ${item.q}\n`);
      if (!s.correct) process.stdout.write(`    missing: ${s.missing.join(", ")}\n    got: ${answer.answer.split("\n")[0]}\n`);
    }
  }
  const sum = summarize(scores, recall);
  const sorted = [...ms].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const result = {
    file,
    ...sum,
    recallAt5Unfiltered: recallUnfiltered.filter(Boolean).length / Math.max(1, recallUnfiltered.length),
    baselineRecallAt5Raw: baseRaw.filter(Boolean).length / Math.max(1, baseRaw.length),
    baselineRecallAt5Folded: baseFolded.filter(Boolean).length / Math.max(1, baseFolded.length),
    answerMsP50: Math.round(p50 * 10) / 10,
    model: config.llm?.model ?? null,
    modes,
    fallbacks,
    guardInterventions,
    tokens: config.llm ? tokens : null,
  };
  if (argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  process.stdout.write(
    [
      `Questions: ${sum.questions}   answer p50 ${result.answerMsP50} ms`,
      `Baseline (BM25, default tokenizer, 1000-char chunks) Recall@5: raw ${pct(result.baselineRecallAt5Raw)}, folded ${pct(result.baselineRecallAt5Folded)}`,
      `Retrieval Recall@5: ${pct(sum.recallAt5)} (scoped to the question's province, document and year as the answerer does; ${pct(result.recallAt5Unfiltered)} on the raw question without scoping)`,
      `Answer accuracy: ${pct(sum.answerAccuracy)}   citation hit: ${pct(sum.citationHit)}   refusals: ${sum.refusalsOk}`,
      config.llm
        ? `Language model ${config.llm.model}: ${modes.llm} answers written by the model, ${modes.offline} offline${Object.keys(fallbacks).length ? ` (${Object.entries(fallbacks).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}; guard intervened on ${guardInterventions}; tokens ${tokens.total} (${tokens.input} in, ${tokens.output} out)`
        : "Mode: offline (no language model configured)",
    ].join("\n") + "\n",
  );
  return 0;
}

runCli(main);

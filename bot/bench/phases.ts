// The measured phases of the benchmark. Each runs in its own child process (see child.ts), so
// that its peak memory (`process.resourceUsage().maxRSS`, a per-process high-water mark) is the
// phase's own, and so that an ingest starts as cold as `npm run ingest` does.

import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { loadConfig, type Config } from "../config.js";
import { createLogger } from "../log.js";
import { embeddingsFor, ingest, startApp } from "../app.js";
import { parseEvalFile } from "../eval/score.js";
import { buildIndex, processText, readOverrides, scanCorpus, type ProgressEvent } from "../../ingest/build.js";
import { loadFile } from "../../ingest/loaders/index.js";
import { parseQuestion } from "../../knowledge/answer/slots.js";
import { expandQuery, rankOf, scoreFigures } from "../../knowledge/answer/select.js";
import { docMatches } from "../../knowledge/search/hybrid.js";
import type { DocumentRecord, SearchFilters } from "../../knowledge/types.js";
import { generateSynthetic } from "./synthetic.js";
import { median, round, summarize, type Summary } from "./stats.js";

/** Progress lines go to stderr; stdout carries only the phase's JSON result. */
export function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/**
 * The benchmark's own configuration: local embeddings and explicit directories, nothing from
 * the user's environment or .env (the numbers must not depend on them, and a 100k-chunk build
 * must never call a paid embedding API).
 */
export function benchConfig(corpusDir: string, storeDir: string): Config {
  return loadConfig(
    { EMBEDDINGS_PROVIDER: "local", CORPUS_DIR: corpusDir, STORE_DIR: storeDir, LOG_LEVEL: "warn" },
    { envFile: null },
  );
}

const MB = 1024 * 1024;

export interface MemoryInfo {
  /** Peak resident set size of this process so far (MB). */
  maxRssMB: number;
  rssMB: number;
  heapUsedMB: number;
}

export function memory(): MemoryInfo {
  const m = process.memoryUsage();
  return {
    maxRssMB: round((process.resourceUsage().maxRSS * 1024) / MB, 1),
    rssMB: round(m.rss / MB, 1),
    heapUsedMB: round(m.heapUsed / MB, 1),
  };
}

export interface IndexSize {
  version: string;
  bytes: number;
  files: Record<string, number>;
}

/** Bytes of the current index version directory, per file and in total. */
export async function indexSize(storeDir: string): Promise<IndexSize> {
  const version = (await readFile(path.join(storeDir, "CURRENT"), "utf8")).trim();
  const dir = path.join(storeDir, "versions", version);
  const files: Record<string, number> = {};
  let bytes = 0;
  for (const name of (await readdir(dir)).sort()) {
    const st = await stat(path.join(dir, name));
    if (!st.isFile()) continue;
    files[name] = st.size;
    bytes += st.size;
  }
  return { version, bytes, files };
}

/** The corpus as `buildIndex` reads it: every file loaded and processed into a record. */
export async function loadCorpusRecords(corpusDir: string, maxFileBytes: number): Promise<DocumentRecord[]> {
  const overrides = await readOverrides(corpusDir);
  const out: DocumentRecord[] = [];
  for (const f of await scanCorpus(corpusDir)) {
    const loaded = await loadFile(f.path, { maxBytes: maxFileBytes });
    out.push(processText(loaded, f.hash, overrides));
  }
  return out;
}

// --- Ingest of the shipped corpus (one full build per process) -------------------------------

export interface IngestRunResult {
  /** Build time as `buildIndex` reports it (scan → index switched). */
  ms: number;
  docs: number;
  chunks: number;
  figures: number;
  index: IndexSize;
  memory: MemoryInfo;
}

export async function ingestRun(corpusDir: string, storeDir: string): Promise<IngestRunResult> {
  const config = benchConfig(corpusDir, storeDir);
  const log = createLogger({ logLevel: "warn" });
  const report = await ingest(config, log);
  return {
    ms: round(report.ms, 1),
    docs: report.docs,
    chunks: report.chunks,
    figures: report.figures,
    index: await indexSize(storeDir),
    memory: memory(),
  };
}

// --- Synthetic corpus build --------------------------------------------------------------------

/** Times every `embedDocuments` call of the wrapped embeddings. */
class TimedEmbeddings extends Embeddings {
  embedMs = 0;
  firstCallAt: number | null = null;
  constructor(private readonly inner: Embeddings) {
    super({});
  }
  async embedDocuments(documents: string[]): Promise<number[][]> {
    const t = performance.now();
    this.firstCallAt ??= t;
    const out = await this.inner.embedDocuments(documents);
    this.embedMs += performance.now() - t;
    return out;
  }
  embedQuery(document: string): Promise<number[]> {
    return this.inner.embedQuery(document);
  }
}

export interface SyntheticBuildResult {
  chunksWanted: number;
  seed: number;
  docs: number;
  chunks: number;
  figures: number;
  sourceDocs: number;
  /** Loading + processing the shipped corpus, then generating the variants. */
  loadSourcesMs: number;
  generateMs: number;
  /** `buildIndex` over the synthetic records, and its parts. */
  buildMs: number;
  keywordMs: number;
  embedMs: number;
  hnswMs: number;
  writeMs: number;
  hnsw: { m: number; efConstruction: number; efSearch: number; dim: number; space: string };
  index: IndexSize;
  memory: MemoryInfo;
}

export async function syntheticBuild(opts: {
  sourceCorpusDir: string;
  emptyCorpusDir: string;
  storeDir: string;
  chunks: number;
  seed: number;
}): Promise<SyntheticBuildResult> {
  const config = benchConfig(opts.emptyCorpusDir, opts.storeDir);
  await mkdir(opts.emptyCorpusDir, { recursive: true });
  let t = performance.now();
  const sources = await loadCorpusRecords(opts.sourceCorpusDir, config.maxFileBytes);
  const loadSourcesMs = performance.now() - t;
  t = performance.now();
  const records = generateSynthetic(sources, { chunks: opts.chunks, seed: opts.seed });
  const generateMs = performance.now() - t;
  const figures = records.reduce((n, r) => n + r.figures.length, 0);
  progress(`synthetic: ${records.length} documents, ${opts.chunks} chunks, ${figures} figures generated in ${(generateMs / 1000).toFixed(1)} s`);

  const { embeddings, id } = embeddingsFor(config);
  const timed = new TimedEmbeddings(embeddings);
  const marks: Partial<Record<ProgressEvent["step"], number>> = {};
  let lastTenth = -1;
  const onProgress = (e: ProgressEvent): void => {
    marks[e.step] ??= performance.now();
    if (e.step === "embed") {
      const tenth = Math.floor((10 * e.done) / e.total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        progress(`synthetic: embedded + inserted ${e.done}/${e.total} chunks (${((performance.now() - t) / 1000).toFixed(0)} s)`);
      }
    }
    if (e.step === "write") progress("synthetic: writing the index");
  };
  t = performance.now();
  const report = await buildIndex(
    { corpusDir: opts.emptyCorpusDir, storeDir: opts.storeDir, embeddings: timed, embeddingId: id, maxFileBytes: config.maxFileBytes, onProgress },
    records,
  );
  const end = performance.now();
  const scanAt = marks.scan ?? t;
  const firstEmbed = timed.firstCallAt ?? scanAt;
  const writeAt = marks.write ?? end;
  const index = await indexSize(opts.storeDir);
  const meta = JSON.parse(await readFile(path.join(opts.storeDir, "versions", index.version, "vectors.json"), "utf8")) as {
    m: number;
    efConstruction: number;
    efSearch: number;
    dim: number;
    space: string;
  };
  return {
    chunksWanted: opts.chunks,
    seed: opts.seed,
    docs: report.docs,
    chunks: report.chunks,
    figures: report.figures,
    sourceDocs: sources.length,
    loadSourcesMs: round(loadSourcesMs, 0),
    generateMs: round(generateMs, 0),
    buildMs: round(report.ms, 0),
    keywordMs: round(firstEmbed - scanAt, 0),
    embedMs: round(timed.embedMs, 0),
    hnswMs: round(writeAt - firstEmbed - timed.embedMs, 0),
    writeMs: round(end - writeAt, 0),
    hnsw: { m: meta.m, efConstruction: meta.efConstruction, efSearch: meta.efSearch, dim: meta.dim, space: meta.space },
    index,
    memory: memory(),
  };
}

// --- Query latency -----------------------------------------------------------------------------

export interface QueryResult {
  /** startApp without ingest: load the index, build the engine and the answerer. */
  loadMs: number;
  docs: number;
  chunks: number;
  figures: number;
  questions: number;
  runs: number;
  /** Hybrid search alone (`engine.searcher.search`, k = 10, the question's filters). */
  search: Summary;
  /** The full answer (`app.answerer.ask`). */
  answer: Summary;
  /** The warm-up pass (first call of each question), for reference. */
  coldSearch: Summary;
  coldAnswer: Summary;
  /** One figure-scoring pass over the documents in scope (`scoreFigures`), the answerer's main loop. */
  scoreFigures: Summary;
  /** Figures scored per pass (documents in scope), median over the questions. */
  figuresInScopeMedian: number;
  refused: number;
  errors: number;
  /** Slowest questions by median answer time. */
  slowest: Array<{ id: string; answerMs: number; searchMs: number; scoreFiguresMs: number; figuresInScope: number; province: string | null; year: number | null }>;
  memoryAfterLoad: MemoryInfo;
  memory: MemoryInfo;
}

export async function queryPhase(opts: { corpusDir: string; storeDir: string; questionsFile: string; runs: number; label: string }): Promise<QueryResult> {
  const config = benchConfig(opts.corpusDir, opts.storeDir);
  const log = createLogger({ logLevel: "warn" });
  const t0 = performance.now();
  const app = await startApp(config, { log, autoIngest: false });
  const loadMs = performance.now() - t0;
  const memoryAfterLoad = memory();
  const { engine, answerer } = app;
  progress(`${opts.label}: index loaded in ${(loadMs / 1000).toFixed(2)} s (${engine.chunksById.size} chunks, rss ${memoryAfterLoad.rssMB} MB)`);
  const items = parseEvalFile(await readFile(opts.questionsFile, "utf8"));
  // The search the answerer runs: the expanded folded question, with the question's scope.
  const prepared = items.map((item) => {
    const slots = parseQuestion(item.q, engine.provinces);
    const filters: SearchFilters = { province: slots.province, year: slots.year, kind: slots.docKind };
    const docIds = engine.docs.filter((d) => docMatches(d, filters)).map((d) => d.id);
    return { item, slots, query: expandQuery(slots.folded), filters, docIds };
  });
  const n = prepared.length;
  const searchMs: number[][] = prepared.map(() => []);
  const answerMs: number[][] = prepared.map(() => []);
  const scoreMs: number[][] = prepared.map(() => []);
  const coldSearch: number[] = [];
  const coldAnswer: number[] = [];
  let refused = 0;
  let errors = 0;

  const timeSearch = async (p: (typeof prepared)[number]): Promise<number> => {
    const t = performance.now();
    await engine.searcher.search(p.query, { k: 10, filters: p.filters });
    return performance.now() - t;
  };
  const timeAnswer = async (p: (typeof prepared)[number], count: boolean): Promise<number> => {
    const t = performance.now();
    try {
      const r = await answerer.ask(p.item.q);
      if (count && r.answer.refused) refused++;
    } catch {
      if (count) errors++;
    }
    return performance.now() - t;
  };
  // Warm-up: every question once (JIT, lazy caches, filter masks).
  for (const p of prepared) coldSearch.push(await timeSearch(p));
  for (const p of prepared) coldAnswer.push(await timeAnswer(p, true));
  for (let r = 0; r < opts.runs; r++) {
    for (let i = 0; i < n; i++) searchMs[i]!.push(await timeSearch(prepared[i]!));
  }
  for (let r = 0; r < opts.runs; r++) {
    for (let i = 0; i < n; i++) answerMs[i]!.push(await timeAnswer(prepared[i]!, false));
    progress(`${opts.label}: answer run ${r + 1}/${opts.runs} done`);
  }
  // Where the answerer's time goes: one scoring pass over the figures in scope.
  const inScope: number[] = [];
  for (const [i, p] of prepared.entries()) {
    const hits = await engine.searcher.search(p.query, { k: 10, filters: { docIds: p.docIds } });
    const hitRank = rankOf(hits);
    inScope.push(p.docIds.reduce((s, id) => s + (engine.figuresByDoc.get(id)?.length ?? 0), 0));
    for (let r = 0; r < opts.runs; r++) {
      const t = performance.now();
      scoreFigures(engine, p.slots, p.docIds, { hitRank });
      scoreMs[i]!.push(performance.now() - t);
    }
  }
  const slowest = prepared
    .map((p, i) => ({
      id: p.item.id,
      answerMs: round(median(answerMs[i]!), 1),
      searchMs: round(median(searchMs[i]!), 2),
      scoreFiguresMs: round(median(scoreMs[i]!), 1),
      figuresInScope: inScope[i] ?? 0,
      province: p.slots.province,
      year: p.slots.year,
    }))
    .sort((a, b) => b.answerMs - a.answerMs)
    .slice(0, 5);
  return {
    loadMs: round(loadMs, 0),
    docs: engine.docs.length,
    chunks: engine.chunksById.size,
    figures: engine.figures.length,
    questions: n,
    runs: opts.runs,
    search: summarize(searchMs.flat()),
    answer: summarize(answerMs.flat()),
    coldSearch: summarize(coldSearch),
    coldAnswer: summarize(coldAnswer),
    scoreFigures: summarize(scoreMs.flat()),
    figuresInScopeMedian: median(inScope),
    refused,
    errors,
    slowest,
    memoryAfterLoad,
    memory: memory(),
  };
}

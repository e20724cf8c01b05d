// The benchmark's result shape and its plain-text report.

import type { Summary } from "./stats.js";
import type { IndexSize, QueryResult, SyntheticBuildResult } from "./phases.js";

export interface StartupSummary {
  runs: number;
  /** Each run's time to ready (ms since process start, as the child measured it). */
  readyMs: number[];
  readyMedianMs: number;
  /** Median of each step, cumulative from process start. */
  modulesMedianMs: number;
  checkMedianMs: number;
  firstAnswerMedianMs: number | null;
  /** Spawn-to-exit as the parent saw it (includes the first answer and process exit). */
  wallMedianMs: number;
  maxRssMedianMB: number;
  /** The index was fresh for the corpus in every run (no ingest would have been needed). */
  fresh: boolean;
  freshReason: string;
  /** The uncounted warm-up run (tsx compile cache may be cold); null when none was made. */
  warmupReadyMs: number | null;
}

export interface IngestSummary {
  runs: number;
  ms: number[];
  medianMs: number;
  chunksPerSec: number;
  maxRssMedianMB: number;
  maxRssMaxMB: number;
}

export interface Check {
  name: string;
  value: number;
  target: number;
  pass: boolean;
}

export interface BenchResult {
  meta: {
    startedAt: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    totalMemMB: number;
    runs: number;
    quick: boolean;
    syntheticChunks: number;
    seed: number;
    embedding: string;
    questionsFile: string;
    totalMs: number;
    /** 1-minute load average at the start and the end: other work on the machine skews timings. */
    loadAverage: { start: number; end: number };
  };
  shipped: {
    docs: number;
    chunks: number;
    figures: number;
    ingest: IngestSummary;
    index: IndexSize;
    query: QueryResult;
    startup: StartupSummary;
  };
  synthetic: {
    build: SyntheticBuildResult;
    query: QueryResult;
    startup: StartupSummary;
  };
  checks: Check[];
}

const ms = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || Number.isNaN(x) ? "–" : `${x.toFixed(digits)} ms`);
const sec = (x: number): string => `${(x / 1000).toFixed(1)} s`;
const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const int = (x: number): string => x.toLocaleString("en-US");
const lat = (s: Summary): string => `p50 ${ms(s.p50, 2)}  p95 ${ms(s.p95, 2)}  max ${ms(s.max, 1)}  (n=${s.n})`;

function queryLines(q: QueryResult): string[] {
  const lines = [
    `  load (startApp, no ingest)   ${ms(q.loadMs, 0)}`,
    `  hybrid search                ${lat(q.search)}`,
    `  full answer                  ${lat(q.answer)}`,
    `  first call (warm-up)         search p50 ${ms(q.coldSearch.p50, 2)} p95 ${ms(q.coldSearch.p95, 2)} · answer p50 ${ms(q.coldAnswer.p50, 1)} p95 ${ms(q.coldAnswer.p95, 1)}`,
    `  one scoreFigures pass        ${lat(q.scoreFigures)}  (figures in scope, median ${int(q.figuresInScopeMedian)})`,
    `  answers refused / errors     ${q.refused}/${q.questions} / ${q.errors}`,
    `  memory                       peak RSS ${q.memory.maxRssMB} MB (after load ${q.memoryAfterLoad.rssMB} MB, heap ${q.memoryAfterLoad.heapUsedMB} MB)`,
    `  slowest answers              ${q.slowest.map((s) => `${s.id} ${ms(s.answerMs, 0)} [search ${ms(s.searchMs, 1)}, scoring ${ms(s.scoreFiguresMs, 0)} over ${int(s.figuresInScope)} figures, ${s.province ?? "no province"}${s.year ? ` ${s.year}` : ""}]`).join("; ")}`,
  ];
  return lines;
}

function startupLines(s: StartupSummary): string[] {
  return [
    `  ready (median of ${s.runs})        ${ms(s.readyMedianMs, 0)}   runs: ${s.readyMs.map((x) => x.toFixed(0)).join(", ")} ms${s.warmupReadyMs === null ? "" : ` (warm-up ${s.warmupReadyMs.toFixed(0)} ms)`}`,
    `    modules loaded             ${ms(s.modulesMedianMs, 0)}; freshness check done ${ms(s.checkMedianMs, 0)}; first answer ${ms(s.firstAnswerMedianMs, 0)}`,
    `    process wall (parent)      ${ms(s.wallMedianMs, 0)}; peak RSS ${s.maxRssMedianMB} MB; index fresh: ${s.fresh ? "yes" : `no (${s.freshReason})`}`,
  ];
}

export function formatReport(r: BenchResult): string {
  const s = r.shipped;
  const b = r.synthetic.build;
  const out = [
    `Trợ lý HTX benchmark — ${r.meta.startedAt}`,
    `Node ${r.meta.node}, ${r.meta.platform}, ${r.meta.cpus} × ${r.meta.cpuModel}, ${int(r.meta.totalMemMB)} MB RAM; embeddings ${r.meta.embedding}`,
    `Load average (1 min) at start ${r.meta.loadAverage.start}, at end ${r.meta.loadAverage.end}${Math.max(r.meta.loadAverage.start, r.meta.loadAverage.end) > r.meta.cpus * 0.75 ? " — the machine was busy with other work; timings are inflated" : ""}`,
    `Runs per measurement: ${r.meta.runs}${r.meta.quick ? " (quick)" : ""}; questions: ${r.meta.questionsFile} (${s.query.questions}); latencies are p50/p95 over questions × runs after a warm-up pass`,
    "",
    `Shipped corpus: ${s.docs} documents, ${int(s.chunks)} chunks, ${int(s.figures)} figures`,
    `  ingest (full build, fresh process)  median ${ms(s.ingest.medianMs, 0)} → ${int(Math.round(s.ingest.chunksPerSec))} chunks/s   runs: ${s.ingest.ms.map((x) => x.toFixed(0)).join(", ")} ms`,
    `  ingest peak RSS              median ${s.ingest.maxRssMedianMB} MB (max ${s.ingest.maxRssMaxMB} MB)`,
    `  index on disk                ${mb(s.index.bytes)} (${Object.entries(s.index.files).map(([f, n]) => `${f} ${mb(n)}`).join(", ")})`,
    ...queryLines(s.query),
    "  start-up (fresh process: config + freshness check + index + engine)",
    ...startupLines(s.startup),
    "",
    `Synthetic corpus: ${b.docs} documents, ${int(b.chunks)} chunks, ${int(b.figures)} figures (from ${b.sourceDocs} real documents, seed ${b.seed})`,
    `  build (single run)           ${sec(b.loadSourcesMs + b.generateMs + b.buildMs)} = load sources ${sec(b.loadSourcesMs)} + generate ${sec(b.generateMs)} + buildIndex ${sec(b.buildMs)}`,
    `    buildIndex parts           keyword index ${sec(b.keywordMs)}, embeddings ${sec(b.embedMs)}, hnsw inserts ${sec(b.hnswMs)}, write ${sec(b.writeMs)}`,
    `    hnsw                       ${b.hnsw.space}, dim ${b.hnsw.dim}, M ${b.hnsw.m}, efConstruction ${b.hnsw.efConstruction}, efSearch ${b.hnsw.efSearch}`,
    `    build peak RSS             ${b.memory.maxRssMB} MB`,
    `  index on disk                ${mb(b.index.bytes)} (${Object.entries(b.index.files).map(([f, n]) => `${f} ${mb(n)}`).join(", ")})`,
    ...queryLines(r.synthetic.query),
    "  start-up at this scale",
    ...startupLines(r.synthetic.startup),
    "",
    "Targets:",
    ...r.checks.map((c) => `  ${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.value.toFixed(1)} (target ≤ ${c.target})`),
    "",
    `Total bench time: ${sec(r.meta.totalMs)}`,
  ];
  return `${out.join("\n")}\n`;
}

// npm run bench -- [--quick] [--synthetic N] [--runs R] [--seed S] [--questions FILE] [--json]
//
// Measures, with local embeddings and temporary index directories (the user's index is never
// touched):
//   shipped corpus   ingest time (fresh process per run), query latency of hybrid search and of
//                    the full answer, start-up time of a fresh process, index size, peak memory;
//   synthetic corpus N chunks made from the real documents (bot/bench/synthetic.ts): build
//                    time, query latency, start-up time, index size, peak memory.
// Prints a report (or, with --json, only the JSON) and writes the JSON to
// bench-results/latest.json. Progress goes to stderr.
//
// Each phase runs in a child process (`--phase …`, internal) so its peak RSS is its own.

import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../config.js";
import { runChild } from "../bench/child.js";
import { ingestRun, progress, queryPhase, syntheticBuild, type IngestRunResult, type QueryResult, type SyntheticBuildResult } from "../bench/phases.js";
import { formatReport, type BenchResult, type Check, type StartupSummary } from "../bench/report.js";
import { median, round } from "../bench/stats.js";
import { parseEvalFile } from "../eval/score.js";
import { runCli } from "./run.js";

const SELF = "bot/cli/bench.ts";
const STARTUP = "bot/cli/bench-startup.ts";
const TARGETS = { shippedP95Ms: 50, syntheticP95Ms: 150, startupMs: 2000 };

interface Options {
  quick: boolean;
  synthetic: number;
  runs: number;
  seed: number;
  json: boolean;
  questions: string | null;
}

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
  return v;
}

function positiveInt(argv: string[], name: string): number | undefined {
  const v = value(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

function parseOptions(argv: string[]): Options {
  const known = new Set(["--quick", "--synthetic", "--runs", "--seed", "--json", "--questions"]);
  for (const a of argv) if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}`);
  const quick = argv.includes("--quick");
  return {
    quick,
    synthetic: positiveInt(argv, "--synthetic") ?? (quick ? 10_000 : 100_000),
    runs: positiveInt(argv, "--runs") ?? (quick ? 3 : 5),
    seed: positiveInt(argv, "--seed") ?? 20261122,
    json: argv.includes("--json"),
    questions: value(argv, "--questions") ?? null,
  };
}

/** ../shared/eval/dev.jsonl when present, else the copy in test/fixtures. */
function questionsFile(explicit: string | null): string {
  if (explicit) return path.resolve(explicit);
  const shared = path.resolve(PROJECT_ROOT, "..", "shared", "eval", "dev.jsonl");
  return existsSync(shared) ? shared : path.join(PROJECT_ROOT, "test", "fixtures", "dev.jsonl");
}

interface StartupRun {
  modulesMs: number;
  configMs: number;
  checkMs: number;
  readyMs: number;
  firstAnswerMs: number | null;
  fresh: boolean;
  reason: string;
  chunks: number;
  maxRssMB: number;
}

async function measureStartup(label: string, corpus: string, store: string, runs: number, question: string, warmUp: boolean): Promise<StartupSummary> {
  const args = ["--corpus", corpus, "--store", store, "--ask", question];
  // The first run may compile the TypeScript sources (tsx keeps a cache); it is not counted.
  const warm = warmUp ? (await runChild<StartupRun>(STARTUP, args)).result.readyMs : null;
  const all: Array<{ r: StartupRun; wallMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const { result, wallMs } = await runChild<StartupRun>(STARTUP, args);
    all.push({ r: result, wallMs });
    progress(`${label}: start-up run ${i + 1}/${runs}: ready after ${result.readyMs} ms`);
  }
  const answers = all.map((x) => x.r.firstAnswerMs).filter((x): x is number => x !== null);
  const stale = all.find((x) => !x.r.fresh);
  return {
    runs,
    readyMs: all.map((x) => x.r.readyMs),
    readyMedianMs: median(all.map((x) => x.r.readyMs)),
    modulesMedianMs: median(all.map((x) => x.r.modulesMs)),
    checkMedianMs: median(all.map((x) => x.r.checkMs)),
    firstAnswerMedianMs: answers.length ? median(answers) : null,
    wallMedianMs: round(median(all.map((x) => x.wallMs)), 0),
    maxRssMedianMB: median(all.map((x) => x.r.maxRssMB)),
    fresh: !stale,
    freshReason: stale ? stale.r.reason : "up to date",
    warmupReadyMs: warm,
  };
}

async function orchestrate(opts: Options): Promise<BenchResult> {
  const started = new Date();
  const t0 = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const corpusDir = path.join(PROJECT_ROOT, "knowledge", "corpus");
  const qFile = questionsFile(opts.questions);
  const questions = parseEvalFile(await readFile(qFile, "utf8"));
  if (questions.length === 0) throw new Error(`${qFile}: no questions`);
  const firstQuestion = questions[0]!.q;
  const tmp = await mkdtemp(path.join(tmpdir(), "htx-bench-"));
  // On Ctrl-C the children get the signal too; remove the temporary directories and stop.
  const onSignal = (): void => {
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const runs = opts.runs;
    // 1. Ingest of the shipped corpus: each run a fresh process and an empty store.
    progress(`shipped: ingest × ${runs} (fresh process each) into ${tmp}`);
    const ingests: IngestRunResult[] = [];
    const shippedStore = path.join(tmp, "shipped-store");
    for (let i = 0; i < runs; i++) {
      const store = i === runs - 1 ? shippedStore : path.join(tmp, `shipped-ingest-${i}`);
      const { result } = await runChild<IngestRunResult>(SELF, ["--phase", "ingest", "--corpus", corpusDir, "--store", store]);
      ingests.push(result);
      progress(`shipped: ingest run ${i + 1}/${runs}: ${result.ms.toFixed(0)} ms, ${result.chunks} chunks, peak RSS ${result.memory.maxRssMB} MB`);
      if (store !== shippedStore) await rm(store, { recursive: true, force: true });
    }
    const last = ingests[ingests.length - 1]!;
    const ingestMedian = median(ingests.map((r) => r.ms));

    // 2. Query latency on the shipped corpus.
    progress("shipped: query latency");
    const shippedQuery = (
      await runChild<QueryResult>(SELF, ["--phase", "query", "--corpus", corpusDir, "--store", shippedStore, "--questions", qFile, "--runs", String(runs), "--label", "shipped"])
    ).result;

    // 3. Start-up with the built index.
    progress(`shipped: start-up × ${runs} (+1 warm-up)`);
    const shippedStartup = await measureStartup("shipped", corpusDir, shippedStore, runs, firstQuestion, true);

    // 4. Synthetic corpus: build once (minutes at 100k), then measure queries and start-up.
    const synStore = path.join(tmp, "synthetic-store");
    const emptyCorpus = path.join(tmp, "empty-corpus");
    await mkdir(emptyCorpus, { recursive: true });
    progress(`synthetic: generating and indexing ${opts.synthetic} chunks (seed ${opts.seed})`);
    const build = (
      await runChild<SyntheticBuildResult>(SELF, [
        "--phase", "synthetic-build", "--source", corpusDir, "--corpus", emptyCorpus, "--store", synStore,
        "--chunks", String(opts.synthetic), "--seed", String(opts.seed),
      ])
    ).result;
    progress(`synthetic: built in ${((build.loadSourcesMs + build.generateMs + build.buildMs) / 1000).toFixed(1)} s`);
    progress("synthetic: query latency");
    const synQuery = (
      await runChild<QueryResult>(SELF, ["--phase", "query", "--corpus", emptyCorpus, "--store", synStore, "--questions", qFile, "--runs", String(runs), "--label", "synthetic"])
    ).result;
    const synStartupRuns = Math.min(runs, 3);
    progress(`synthetic: start-up × ${synStartupRuns} (compile cache already warm)`);
    const synStartup = await measureStartup("synthetic", emptyCorpus, synStore, synStartupRuns, firstQuestion, false);

    const checks: Check[] = [
      { name: "shipped corpus: hybrid search p95 (ms)", value: shippedQuery.search.p95, target: TARGETS.shippedP95Ms, pass: shippedQuery.search.p95 <= TARGETS.shippedP95Ms },
      { name: "shipped corpus: full answer p95 (ms)", value: shippedQuery.answer.p95, target: TARGETS.shippedP95Ms, pass: shippedQuery.answer.p95 <= TARGETS.shippedP95Ms },
      { name: `${build.chunks} chunks: hybrid search p95 (ms)`, value: synQuery.search.p95, target: TARGETS.syntheticP95Ms, pass: synQuery.search.p95 <= TARGETS.syntheticP95Ms },
      { name: `${build.chunks} chunks: full answer p95 (ms)`, value: synQuery.answer.p95, target: TARGETS.syntheticP95Ms, pass: synQuery.answer.p95 <= TARGETS.syntheticP95Ms },
      { name: "shipped corpus: start-up, median (ms)", value: shippedStartup.readyMedianMs, target: TARGETS.startupMs, pass: shippedStartup.readyMedianMs <= TARGETS.startupMs },
    ];
    return {
      meta: {
        startedAt: started.toISOString(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        totalMemMB: Math.round(totalmem() / (1024 * 1024)),
        runs,
        quick: opts.quick,
        syntheticChunks: opts.synthetic,
        seed: opts.seed,
        embedding: "local/local-hash-v1/384",
        questionsFile: path.relative(PROJECT_ROOT, qFile),
        totalMs: round(performance.now() - t0, 0),
        loadAverage: { start: round(loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
      },
      shipped: {
        docs: last.docs,
        chunks: last.chunks,
        figures: last.figures,
        ingest: {
          runs,
          ms: ingests.map((r) => r.ms),
          medianMs: ingestMedian,
          chunksPerSec: round(last.chunks / (ingestMedian / 1000), 0),
          maxRssMedianMB: median(ingests.map((r) => r.memory.maxRssMB)),
          maxRssMaxMB: Math.max(...ingests.map((r) => r.memory.maxRssMB)),
        },
        index: last.index,
        query: shippedQuery,
        startup: shippedStartup,
      },
      synthetic: { build, query: synQuery, startup: synStartup },
      checks,
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await rm(tmp, { recursive: true, force: true });
    progress(`removed ${tmp}`);
  }
}

/** Internal: one phase in this (child) process; prints its JSON result on stdout. */
async function runPhase(argv: string[]): Promise<void> {
  const phase = value(argv, "--phase");
  const need = (name: string): string => {
    const v = value(argv, name);
    if (v === undefined) throw new Error(`--phase ${phase}: ${name} is required`);
    return v;
  };
  let result: unknown;
  if (phase === "ingest") {
    result = await ingestRun(need("--corpus"), need("--store"));
  } else if (phase === "query") {
    result = await queryPhase({
      corpusDir: need("--corpus"),
      storeDir: need("--store"),
      questionsFile: need("--questions"),
      runs: positiveInt(argv, "--runs") ?? 5,
      label: value(argv, "--label") ?? "query",
    });
  } else if (phase === "synthetic-build") {
    result = await syntheticBuild({
      sourceCorpusDir: need("--source"),
      emptyCorpusDir: need("--corpus"),
      storeDir: need("--store"),
      chunks: positiveInt(argv, "--chunks") ?? 100_000,
      seed: positiveInt(argv, "--seed") ?? 1,
    });
  } else {
    throw new Error(`unknown phase ${String(phase)}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--phase")) {
    await runPhase(argv);
    return 0;
  }
  const opts = parseOptions(argv);
  const result = await orchestrate(opts);
  const outDir = path.join(PROJECT_ROOT, "bench-results");
  await mkdir(outDir, { recursive: true });
  const json = JSON.stringify(result, null, 2);
  await writeFile(path.join(outDir, "latest.json"), `${json}\n`);
  if (opts.json) process.stdout.write(`${json}\n`);
  else process.stdout.write(formatReport(result) + `\nJSON: ${path.relative(process.cwd(), path.join(outDir, "latest.json"))}\n`);
  return 0;
}

runCli(main);

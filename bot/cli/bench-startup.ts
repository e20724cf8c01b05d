// Start-up probe for `npm run bench`: a fresh process that loads the configuration, checks the
// index is fresh, loads it and builds the engine and the answerer (no ingest), then prints, as
// one JSON line, its own times measured from process start (performance.timeOrigin), so module
// loading and TypeScript compilation by tsx are included.
//
//   node --import tsx bot/cli/bench-startup.ts --corpus DIR --store DIR [--ask QUESTION]

import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { embeddingsFor, startApp } from "../app.js";
import { checkIndex } from "../../ingest/build.js";
import { runCli } from "./run.js";

// Everything imported above has been loaded and evaluated by now.
const modulesMs = performance.now();

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const corpus = arg(argv, "--corpus");
  const store = arg(argv, "--store");
  if (!corpus || !store) {
    process.stderr.write("Usage: bench-startup.ts --corpus DIR --store DIR [--ask QUESTION]\n");
    return 2;
  }
  const config = loadConfig({ EMBEDDINGS_PROVIDER: "local", CORPUS_DIR: corpus, STORE_DIR: store, LOG_LEVEL: "warn" }, { envFile: null });
  const log = createLogger({ logLevel: "warn" });
  const configMs = performance.now();
  // What `npm start` does before loading: is the index fresh? (Reported, never rebuilt here.)
  const status = await checkIndex(config.corpusDir, config.storeDir, embeddingsFor(config).id);
  const checkMs = performance.now();
  const app = await startApp(config, { log, autoIngest: false });
  const readyMs = performance.now();
  const question = arg(argv, "--ask");
  let firstAnswerMs: number | null = null;
  if (question) {
    await app.answerer.ask(question);
    firstAnswerMs = performance.now();
  }
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({
      modulesMs: Math.round(modulesMs),
      configMs: Math.round(configMs),
      checkMs: Math.round(checkMs),
      readyMs: Math.round(readyMs),
      firstAnswerMs: firstAnswerMs === null ? null : Math.round(firstAnswerMs),
      uptimeMs: Math.round(process.uptime() * 1000),
      fresh: status.fresh,
      reason: status.reason,
      chunks: app.engine.chunksById.size,
      maxRssMB: Math.round((usage.maxRSS * 1024) / (1024 * 1024)),
    })}\n`,
  );
  return 0;
}

runCli(main);

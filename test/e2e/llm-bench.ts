// npm run bench:llm [-- --runs 5]
// What the language-model mode adds to an answer, model time excluded: the real ChatOpenAI client
// over HTTP to the OpenAI-compatible stub on loopback (answering at once, as the naive extractive
// model of test/helpers/scripted-model.ts), the tools, the guard and the offline answer computed
// first. Prints medians over runs of each run's p50/p95 over the dev questions, and the same
// questions answered offline for comparison.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../../bot/config.js";
import { createLogger } from "../../bot/log.js";
import { startApp } from "../../bot/app.js";
import { parseEvalFile } from "../../bot/eval/score.js";
import { readFileSync } from "node:fs";
import { startOpenAIStub } from "../helpers/openai-stub.js";
import { extractiveModel } from "../helpers/scripted-model.js";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const median = (xs: number[]) => pct(xs, 50);

async function main(): Promise<number> {
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Math.max(1, Number(process.argv[i + 1]) || 5) : 5;
  const questions = parseEvalFile(readFileSync(path.join(PROJECT_ROOT, "test/fixtures/dev.jsonl"), "utf8")).map((q) => q.q);
  const stub = await startOpenAIStub({ chat: extractiveModel });
  const storeDir = mkdtempSync(path.join(tmpdir(), "htx-llm-bench-"));
  const log = createLogger({ logLevel: "silent" });
  try {
    const base = { STORE_DIR: storeDir, CORPUS_DIR: path.join(PROJECT_ROOT, "knowledge/corpus"), LOG_LEVEL: "silent", EMBEDDINGS_PROVIDER: "local" };
    const llm = await startApp(loadConfig({ ...base, OPENAI_BASE_URL: stub.url, OPENAI_MODEL: "stub-chat" }, { envFile: null }), { log });
    const offline = await startApp(loadConfig(base, { envFile: null }), { log });
    const rows = { llm: { p50: [] as number[], p95: [] as number[] }, offline: { p50: [] as number[], p95: [] as number[] } };
    let llmAnswers = 0;
    let total = 0;
    for (let r = 0; r < runs; r++) {
      for (const [name, app] of [["llm", llm], ["offline", offline]] as const) {
        const ms: number[] = [];
        for (const q of questions) {
          const t0 = performance.now();
          const { answer } = await app.answerer.ask(q);
          ms.push(performance.now() - t0);
          if (name === "llm") {
            total++;
            if (answer.mode === "llm") llmAnswers++;
          }
        }
        rows[name].p50.push(pct(ms, 50));
        rows[name].p95.push(pct(ms, 95));
      }
    }
    const f = (x: number) => x.toFixed(1);
    process.stdout.write(
      [
        `dev questions: ${questions.length} × ${runs} runs; the stub answers at once (model time excluded)`,
        `LLM mode (2 model calls, 1 search, guard): p50 ${f(median(rows.llm.p50))} ms, p95 ${f(median(rows.llm.p95))} ms; ${llmAnswers}/${total} answers passed the guard`,
        `offline mode:                             p50 ${f(median(rows.offline.p50))} ms, p95 ${f(median(rows.offline.p95))} ms`,
      ].join("\n") + "\n",
    );
    return 0;
  } finally {
    await stub.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

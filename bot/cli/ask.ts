// npm run ask -- "câu hỏi"            human-readable answer
// npm run ask -- --json "câu hỏi"     one JSON object
// npm run ask -- --jsonl < file        one question per line in, one JSON object per line out
// Options: --lang en   answer in English.

import { createInterface } from "node:readline";
import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { startApp } from "../app.js";
import { toJson, toTerminal } from "../render/plain.js";
import { QuestionError } from "../../knowledge/answer/answerer.js";
import { runCli } from "./run.js";

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith("--"));
  const json = argv.includes("--json");
  const jsonl = argv.includes("--jsonl");
  const langIdx = argv.indexOf("--lang");
  const config = loadConfig();
  const lang = langIdx >= 0 && argv[langIdx + 1] === "en" ? "en" : config.language;
  const questionArgs = langIdx >= 0 ? args.filter((a) => a !== argv[langIdx + 1]) : args;
  const log = createLogger(config);
  const app = await startApp(config, { log });
  const answerOne = async (q: string) => {
    try {
      return (await app.answerer.ask(q, { lang })).answer;
    } catch (err) {
      if (err instanceof QuestionError) {
        return { question: q, answer: lang === "vi" ? err.vi : err.en, refused: true, citations: [], figures: [], mode: "offline" as const, ms: 0, lang };
      }
      throw err;
    }
  };
  if (jsonl) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      // Each line is independent: no follow-up context between lines.
      const a = await answerOne(line);
      process.stdout.write(`${JSON.stringify(toJson(a))}\n`);
    }
    return 0;
  }
  const question = questionArgs.join(" ");
  const a = await answerOne(question);
  process.stdout.write(json ? `${JSON.stringify(toJson(a), null, 2)}\n` : `${toTerminal(a, { color: process.stdout.isTTY })}\n`);
  return 0;
}

runCli(main);

// Feedback and usage statistics: append-only JSON Lines files under the data directory. Appends
// from one process are chained, and each line is written with one O_APPEND write, so concurrent
// appends never interleave. Unreadable lines (a torn last line after a crash) are skipped.

import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FeedbackEntry, FeedbackStore, QuestionStat, StatsStore } from "./context.js";

function jsonlFile(file: string) {
  let chain: Promise<unknown> = Promise.resolve();
  let dirReady: Promise<unknown> | null = null;
  return {
    append(value: unknown): Promise<void> {
      const line = `${JSON.stringify(value)}\n`;
      const job = async () => {
        dirReady ??= mkdir(path.dirname(file), { recursive: true });
        await dirReady;
        await appendFile(file, line, { encoding: "utf8", flag: "a" });
      };
      const run = chain.then(job, job);
      chain = run.catch(() => undefined);
      return run;
    },
    async readAll<T>(): Promise<T[]> {
      await chain;
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
      const out: T[] = [];
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
          out.push(JSON.parse(line) as T);
        } catch {
          // a torn line: skip it
        }
      }
      return out;
    },
  };
}

export const FEEDBACK_FILE = "feedback.jsonl";
export const STATS_FILE = "stats.jsonl";

export function createFeedbackStore(dir: string): FeedbackStore {
  const file = jsonlFile(path.join(dir, FEEDBACK_FILE));
  return {
    add: (entry: FeedbackEntry) => file.append(entry),
    async counts() {
      const all = await file.readAll<FeedbackEntry>();
      return { up: all.filter((e) => e.vote === "up").length, down: all.filter((e) => e.vote === "down").length };
    },
  };
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function createStatsStore(dir: string): StatsStore {
  const file = jsonlFile(path.join(dir, STATS_FILE));
  return {
    record: (stat: QuestionStat) => file.append(stat),
    async summary() {
      const all = (await file.readAll<QuestionStat>()).filter((s) => typeof s.ms === "number" && Number.isFinite(s.ms));
      const ms = all.map((s) => s.ms).sort((a, b) => a - b);
      return {
        questions: all.length,
        refusals: all.filter((s) => s.refused).length,
        p50Ms: percentile(ms, 50),
        p95Ms: percentile(ms, 95),
        since: all.reduce<string | null>((min, s) => (min === null || s.at < min ? s.at : min), null),
      };
    },
  };
}

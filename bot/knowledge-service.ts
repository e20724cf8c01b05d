// The knowledge the bot serves, reloadable: an admin's upload or /reindex builds a new index
// version and swaps the engine in place, while questions keep being answered from the old one.

import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import { ingest, startApp, type App } from "./app.js";
import { createEngine, type Engine } from "../knowledge/engine.js";
import type { Answerer, AskOptions, AskResult } from "../knowledge/answer/answerer.js";
import { loadIndex } from "../knowledge/index/store.js";
import { docIdOf, processBuffer, readOverrides, type BuildReport } from "../ingest/build.js";
import { LoadError, SUPPORTED_EXTENSIONS } from "../ingest/loaders/index.js";
import type { DocMeta } from "../knowledge/types.js";

export type UploadResult =
  | { ok: true; doc: DocMeta; chunks: number; figures: number; replaced: boolean; ms: number }
  | { ok: false; code: string; vi: string; en: string };

export interface KnowledgeService {
  readonly config: Config;
  engine(): Engine;
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
  /** Validates, stores in the corpus and indexes an uploaded document; the old index serves until done. */
  addDocument(fileName: string, bytes: Uint8Array): Promise<UploadResult>;
  /** Rebuilds the index from the corpus directory and switches to it. */
  reindex(): Promise<BuildReport>;
}

/** A safe corpus file name: the base name, no path, no control characters. */
export function safeFileName(name: string): string | null {
  const base = path.basename(name.replace(/\\/g, "/")).normalize("NFC").replace(/[\u0000-\u001f<>:"|?*]/g, "").trim();
  if (!base || base.startsWith(".") || base === "metadata.json") return null;
  return base.length > 180 ? null : base;
}

export async function createKnowledgeService(config: Config, log: Logger, app?: App): Promise<KnowledgeService> {
  const started = app ?? (await startApp(config, { log }));
  const { embeddings } = started;
  let engine = started.engine;
  let answerer: Answerer = started.answerer;
  // Index builds run one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  async function reload(): Promise<void> {
    const index = await loadIndex(config.storeDir, embeddings, {
      onSkip: (version, err) => log.warn({ version, err: err instanceof Error ? err.message : String(err) }, "index version not loadable"),
    });
    if (!index) throw new Error("no loadable index after the build");
    engine = createEngine(index, embeddings);
    answerer = started.answererFor(engine);
  }

  return {
    config,
    engine: () => engine,
    ask: (question, opts) => answerer.ask(question, opts),

    addDocument(fileName, bytes) {
      return exclusive(async (): Promise<UploadResult> => {
        const t0 = performance.now();
        const name = safeFileName(fileName);
        if (!name || !SUPPORTED_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
          const shown = fileName.slice(0, 80);
          return {
            ok: false,
            code: "unsupported",
            vi: `Không nhận tệp «${shown}»: chỉ nhận ${SUPPORTED_EXTENSIONS.join(", ")}.`,
            en: `«${shown}» is not accepted: only ${SUPPORTED_EXTENSIONS.join(", ")} files are.`,
          };
        }
        // Parse before storing: a corrupt, encrypted, empty or oversized file never enters the corpus.
        try {
          const record = await processBuffer(name, bytes, config.maxFileBytes, await readOverrides(config.corpusDir));
          if (record.chunks.length === 0) {
            return { ok: false, code: "empty", vi: `Tệp «${name}» không có nội dung để lập chỉ mục.`, en: `«${name}» has no indexable content.` };
          }
        } catch (err) {
          if (err instanceof LoadError) return { ok: false, code: err.code, vi: err.vi, en: err.en };
          throw err;
        }
        const target = path.join(config.corpusDir, name);
        const replaced = engine.docsById.has(docIdOf(name));
        const tmp = `${target}.upload-${process.pid}`;
        await writeFile(tmp, bytes);
        await rename(tmp, target);
        await ingest(config, log);
        await reload();
        const doc = engine.docsById.get(docIdOf(name));
        const record = engine.recordsById.get(docIdOf(name));
        if (!doc || !record) {
          return { ok: false, code: "corrupt", vi: `Không lập chỉ mục được tệp «${name}».`, en: `«${name}» could not be indexed.` };
        }
        log.info({ doc: doc.id, chunks: record.chunks.length, figures: record.figures.length }, "document added");
        return { ok: true, doc, chunks: record.chunks.length, figures: record.figures.length, replaced, ms: performance.now() - t0 };
      });
    },

    reindex() {
      return exclusive(async () => {
        const report = await ingest(config, log);
        await reload();
        return report;
      });
    },
  };
}

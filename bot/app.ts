// Composition root: configuration → embeddings → index (built when missing or stale) →
// engine → answerer. Plain factories, no singletons.

import type { Logger } from "pino";
import type { Config } from "./config.js";
import { createEmbeddings, type EmbeddingId } from "../knowledge/search/embeddings.js";
import { loadIndex } from "../knowledge/index/store.js";
import { createEngine, type Engine } from "../knowledge/engine.js";
import { createAnswerer, type Answerer } from "../knowledge/answer/answerer.js";
import { createTools, type Tools } from "../knowledge/tools/index.js";
import { buildIndex, checkIndex, type BuildReport, type ProgressEvent } from "../ingest/build.js";
import type { Embeddings } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import path from "node:path";
import { PROJECT_ROOT } from "./config.js";

export interface App {
  config: Config;
  engine: Engine;
  answerer: Answerer;
  tools: Tools;
  embeddings: Embeddings;
  embeddingId: EmbeddingId;
  /** Set when this start-up had to (re)build the index. */
  built: BuildReport | null;
  /** The answerer for an engine: offline, or the language model over the offline one. */
  answererFor(engine: Engine): Answerer;
}

/**
 * Builds the answerer factory: the offline answerer, wrapped by the language-model answerer when
 * a model is configured. The chat model and the prompts are created once.
 */
export async function createAnswererFactory(config: Config, tools: Tools, log: Logger, opts: { model?: BaseChatModel } = {}): Promise<(engine: Engine) => Answerer> {
  const offline = (engine: Engine) => createAnswerer(engine, tools, { maxQuestionChars: config.maxQuestionChars });
  const llm = config.llm;
  if (!llm) return offline;
  // Loaded only when a model is configured: the offline mode's start-up never pays for them.
  const [{ createChatModel }, { loadPrompts }, { createLlmAnswerer }] = await Promise.all([
    import("../knowledge/llm/model.js"),
    import("../knowledge/llm/prompts.js"),
    import("../knowledge/llm/answerer.js"),
  ]);
  const prompts = await loadPrompts(path.join(PROJECT_ROOT, "prompts"));
  const model =
    opts.model ??
    (await createChatModel({ model: llm.model, apiKey: llm.apiKey, baseURL: llm.baseURL, requestTimeoutMs: llm.requestTimeoutMs, maxRetries: llm.maxRetries }));
  log.info({ model: llm.model, baseURL: llm.baseURL ?? "api.openai.com" }, "answers are written by a language model");
  return (engine) =>
    createLlmAnswerer({
      engine,
      tools,
      offline: offline(engine),
      model,
      prompts,
      log,
      options: {
        modelName: llm.model,
        answerTimeoutMs: llm.answerTimeoutMs,
        maxContextTokens: llm.maxContextTokens,
        maxToolRounds: llm.maxToolRounds,
        maxQuestionChars: config.maxQuestionChars,
      },
    });
}

export function embeddingsFor(config: Config): { embeddings: Embeddings; id: EmbeddingId } {
  const e = config.embeddings;
  return createEmbeddings({
    provider: e.provider,
    model: e.provider === "openai" ? e.model : undefined,
    dimensions: e.dimensions,
    apiKey: e.apiKey,
    baseURL: e.baseURL,
    timeoutMs: e.timeoutMs,
  });
}

export interface StartOptions {
  log: Logger;
  /** Build the index when it is missing or stale (default true). */
  autoIngest?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export async function ingest(config: Config, log: Logger, onProgress?: (event: ProgressEvent) => void): Promise<BuildReport> {
  const { embeddings, id } = embeddingsFor(config);
  const report = await buildIndex({
    corpusDir: config.corpusDir,
    storeDir: config.storeDir,
    embeddings,
    embeddingId: id,
    maxFileBytes: config.maxFileBytes,
    onProgress,
  });
  for (const s of report.skipped) log.warn({ file: s.file, code: s.code, kept: s.kept }, "file skipped");
  log.info({ version: report.version, docs: report.docs, chunks: report.chunks, figures: report.figures, ms: Math.round(report.ms) }, "index built");
  return report;
}

export async function startApp(config: Config, opts: StartOptions): Promise<App> {
  const { log } = opts;
  const { embeddings, id } = embeddingsFor(config);
  let built: BuildReport | null = null;
  if (opts.autoIngest !== false) {
    const status = await checkIndex(config.corpusDir, config.storeDir, id);
    if (!status.fresh) {
      log.info({ reason: status.reason }, "building the index");
      built = await ingest(config, log, opts.onProgress);
    }
  }
  const index = await loadIndex(config.storeDir, embeddings, {
    onSkip: (version, err) => log.warn({ version, err: err instanceof Error ? err.message : String(err) }, "index version not loadable; trying an older one"),
  });
  if (!index) throw new Error(`No index in ${config.storeDir}. Run: npm run ingest`);
  const engine = createEngine(index, embeddings);
  const tools = createTools();
  const answererFor = await createAnswererFactory(config, tools, log);
  const answerer = answererFor(engine);
  log.debug({ docs: engine.docs.length, figures: engine.figures.length }, "engine ready");
  return { config, engine, answerer, tools, embeddings, embeddingId: id, built, answererFor };
}

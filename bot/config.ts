// The only module that reads the environment. Settings are read once, at start-up, from
// process.env and an optional .env file, and validated with zod.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
// "123, 456" → [123, 456]; Telegram chat ids may be negative (groups).
const idList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((x) => x.trim()).filter(Boolean) : v ?? []),
  z.array(z.string().regex(/^-?\d{1,20}$/, "a comma-separated list of numeric Telegram ids").transform(Number)),
);
const positiveInt = (def: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(def));

/**
 * Default chat model: gpt-4.1-mini. Answers here are extractive (find the passage, quote it, hand
 * the arithmetic to a tool), so instruction following and reliable tool calling matter more than
 * deep reasoning; a non-reasoning model answers in 1–3 s instead of spending seconds on hidden
 * reasoning tokens, which matters on a phone in a meeting, and it accepts temperature 0 for
 * repeatable answers. It is also among the cheapest OpenAI models with tool calling and structured
 * output. Reasoning models (gpt-5*, o*) work too: they are called with low reasoning effort.
 */
export const DEFAULT_CHAT_MODEL = "gpt-4.1-mini";

const Schema = z.object({
  CORPUS_DIR: z.preprocess(emptyToUndefined, z.string().default("knowledge/corpus")),
  STORE_DIR: z.preprocess(emptyToUndefined, z.string().default("knowledge/store")),
  EMBEDDINGS_PROVIDER: z.preprocess(emptyToUndefined, z.enum(["auto", "local", "openai"]).default("auto")),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  OPENAI_EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default("text-embedding-3-small")),
  OPENAI_EMBEDDING_DIMENSIONS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()),
  LOCAL_EMBEDDING_DIM: positiveInt(384),
  OPENAI_TIMEOUT_MS: positiveInt(30_000),
  ANSWER_MODE: z.preprocess(emptyToUndefined, z.enum(["auto", "offline", "llm"]).default("auto")),
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.:/@+-]{1,200}$/, "a model name such as gpt-4.1-mini").default(DEFAULT_CHAT_MODEL)),
  OPENAI_MAX_RETRIES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(2)),
  LLM_ANSWER_TIMEOUT_MS: positiveInt(45_000),
  LLM_MAX_CONTEXT_TOKENS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(2_000).max(1_000_000).default(16_000)),
  LLM_MAX_TOOL_ROUNDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(20).default(6)),
  MAX_FILE_MB: positiveInt(20),
  MAX_QUESTION_CHARS: positiveInt(500),
  ANSWER_LANGUAGE: z.preprocess(emptyToUndefined, z.enum(["vi", "en"]).default("vi")),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.string().url().default("https://api.telegram.org")),
  ALLOWED_USER_IDS: idList,
  ALLOWED_CHAT_IDS: idList,
  ADMIN_USER_IDS: idList,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("data")),
  WEBHOOK_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 of A-Z a-z 0-9 _ -").optional()),
  WEBHOOK_HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
  WEBHOOK_PORT: positiveInt(8080),
  RATE_LIMIT_PER_MINUTE: positiveInt(20),
  TELEGRAM_MAX_RETRIES: positiveInt(6),
  TELEGRAM_MAX_RETRY_DELAY_S: positiveInt(30),
});

export interface Config {
  corpusDir: string;
  storeDir: string;
  embeddings: {
    provider: "local" | "openai";
    model: string;
    dimensions: number | undefined;
    apiKey: string | undefined;
    baseURL: string | undefined;
    timeoutMs: number;
  };
  /** The chat model that writes answers; null in offline mode. */
  llm: LlmConfig | null;
  maxFileBytes: number;
  maxQuestionChars: number;
  language: "vi" | "en";
  logLevel: z.infer<typeof Schema>["LOG_LEVEL"];
  telegram: {
    token: string | undefined;
    apiRoot: string;
    allowedUserIds: number[];
    allowedChatIds: number[];
    adminUserIds: number[];
    rateLimitPerMinute: number;
    maxRetries: number;
    maxRetryDelaySeconds: number;
    webhook: { url: string; secret: string; host: string; port: number } | null;
  };
  /** Sessions, feedback and usage statistics. */
  dataDir: string;
}

export interface LlmConfig {
  model: string;
  apiKey: string | undefined;
  baseURL: string | undefined;
  /** One HTTP call. */
  requestTimeoutMs: number;
  /** The whole answer: every model call and tool run; past it the offline answer is given. */
  answerTimeoutMs: number;
  /** Retries of one call on 429, 5xx and network errors. */
  maxRetries: number;
  maxContextTokens: number;
  maxToolRounds: number;
}

export class ConfigError extends Error {}

/**
 * Builds the configuration from an environment (process.env by default) merged over the .env
 * file in the project root. Values in the environment win over the file.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  opts: { envFile?: string | null } = {},
): Config {
  const envFile = opts.envFile === undefined ? path.join(PROJECT_ROOT, ".env") : opts.envFile;
  const fromFile = envFile && existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  const parsed = Schema.safeParse({ ...fromFile, ...env });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${issues}`);
  }
  const c = parsed.data;
  const openaiAvailable = Boolean(c.OPENAI_API_KEY || c.OPENAI_BASE_URL);
  const provider =
    c.EMBEDDINGS_PROVIDER === "auto" ? (openaiAvailable ? "openai" : "local") : c.EMBEDDINGS_PROVIDER;
  if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET) {
    throw new ConfigError("WEBHOOK_URL needs WEBHOOK_SECRET (Telegram sends it back in every webhook request).");
  }
  if (provider === "openai" && !openaiAvailable) {
    throw new ConfigError("EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL.");
  }
  const llmOn = c.ANSWER_MODE === "llm" || (c.ANSWER_MODE === "auto" && openaiAvailable);
  if (llmOn && !openaiAvailable) {
    throw new ConfigError("ANSWER_MODE=llm needs OPENAI_API_KEY or OPENAI_BASE_URL.");
  }
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(PROJECT_ROOT, p));
  return {
    corpusDir: resolve(c.CORPUS_DIR),
    storeDir: resolve(c.STORE_DIR),
    embeddings: {
      provider,
      model: provider === "local" ? "local-hash-v1" : c.OPENAI_EMBEDDING_MODEL,
      dimensions: provider === "local" ? c.LOCAL_EMBEDDING_DIM : c.OPENAI_EMBEDDING_DIMENSIONS,
      apiKey: c.OPENAI_API_KEY,
      baseURL: c.OPENAI_BASE_URL,
      timeoutMs: c.OPENAI_TIMEOUT_MS,
    },
    llm: llmOn
      ? {
          model: c.OPENAI_MODEL,
          apiKey: c.OPENAI_API_KEY,
          baseURL: c.OPENAI_BASE_URL,
          requestTimeoutMs: c.OPENAI_TIMEOUT_MS,
          answerTimeoutMs: c.LLM_ANSWER_TIMEOUT_MS,
          maxRetries: c.OPENAI_MAX_RETRIES,
          maxContextTokens: c.LLM_MAX_CONTEXT_TOKENS,
          maxToolRounds: c.LLM_MAX_TOOL_ROUNDS,
        }
      : null,
    maxFileBytes: c.MAX_FILE_MB * 1024 * 1024,
    maxQuestionChars: c.MAX_QUESTION_CHARS,
    language: c.ANSWER_LANGUAGE,
    logLevel: c.LOG_LEVEL,
    telegram: {
      token: c.TELEGRAM_BOT_TOKEN,
      apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      allowedUserIds: c.ALLOWED_USER_IDS,
      allowedChatIds: c.ALLOWED_CHAT_IDS,
      adminUserIds: c.ADMIN_USER_IDS,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      maxRetries: c.TELEGRAM_MAX_RETRIES,
      maxRetryDelaySeconds: c.TELEGRAM_MAX_RETRY_DELAY_S,
      webhook: c.WEBHOOK_URL ? { url: c.WEBHOOK_URL, secret: c.WEBHOOK_SECRET!, host: c.WEBHOOK_HOST, port: c.WEBHOOK_PORT } : null,
    },
    dataDir: resolve(c.DATA_DIR),
  };
}

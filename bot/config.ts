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

// Structured logs (pino) to stderr, so stdout stays free for answers and JSON.
// Secrets are redacted wherever they might appear.

import pino, { type Logger } from "pino";
import type { Config } from "./config.js";

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { app: "tro-ly-htx" },
      redact: {
        paths: ["token", "apiKey", "*.token", "*.apiKey", "config.telegramToken", "config.embeddings.apiKey", "config.llm.apiKey", "*.llm.apiKey", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}

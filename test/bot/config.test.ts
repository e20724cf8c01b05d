import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, PROJECT_ROOT } from "../../bot/config.js";

const load = (env: Record<string, string>, envFile: string | null = null) => loadConfig(env, { envFile });

describe("loadConfig", () => {
  it("works with no settings at all: offline, local embeddings, terminal", () => {
    const c = load({});
    expect(c.embeddings).toMatchObject({ provider: "local", model: "local-hash-v1", dimensions: 384 });
    expect(c.storeDir).toBe(path.join(PROJECT_ROOT, "knowledge/store"));
    expect(c.telegram).toMatchObject({ token: undefined, apiRoot: "https://api.telegram.org", allowedUserIds: [], webhook: null });
    expect(c.language).toBe("vi");
  });

  it("switches to OpenAI embeddings when a key or a compatible server is set", () => {
    expect(load({ OPENAI_API_KEY: "sk-test" }).embeddings).toMatchObject({ provider: "openai", model: "text-embedding-3-small" });
    expect(load({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", EMBEDDINGS_PROVIDER: "local" }).embeddings.provider).toBe("local");
    expect(() => load({ EMBEDDINGS_PROVIDER: "openai" })).toThrow(ConfigError);
  });

  it("turns the language model on with a key or a compatible server, and lets it be turned off", () => {
    expect(load({}).llm).toBeNull();
    expect(load({ OPENAI_API_KEY: "sk-test" }).llm).toMatchObject({ model: "gpt-4.1-mini", apiKey: "sk-test", baseURL: undefined, answerTimeoutMs: 45_000, maxRetries: 2, maxContextTokens: 16_000, maxToolRounds: 6 });
    expect(load({ OPENAI_BASE_URL: "http://127.0.0.1:8080/v1", OPENAI_MODEL: "qwen2.5-7b-instruct" }).llm).toMatchObject({ model: "qwen2.5-7b-instruct", apiKey: undefined, baseURL: "http://127.0.0.1:8080/v1" });
    expect(load({ OPENAI_API_KEY: "sk-test", ANSWER_MODE: "offline" }).llm).toBeNull();
    expect(() => load({ ANSWER_MODE: "llm" })).toThrow(/ANSWER_MODE=llm needs OPENAI_API_KEY or OPENAI_BASE_URL/);
    expect(() => load({ OPENAI_API_KEY: "sk-test", OPENAI_MODEL: "gpt 4; rm -rf" })).toThrow(/OPENAI_MODEL/);
    expect(() => load({ OPENAI_API_KEY: "sk-test", LLM_MAX_CONTEXT_TOKENS: "100" })).toThrow(/LLM_MAX_CONTEXT_TOKENS/);
    expect(() => load({ ANSWER_MODE: "sometimes" })).toThrow(/ANSWER_MODE/);
  });

  it("parses id lists and the webhook settings, and rejects bad values with the setting's name", () => {
    const c = load({ ALLOWED_USER_IDS: "11, 22", ALLOWED_CHAT_IDS: "-1001234", ADMIN_USER_IDS: "11", WEBHOOK_URL: "https://bot.example.vn/tg", WEBHOOK_SECRET: "s3cret-token-123456" });
    expect(c.telegram).toMatchObject({ allowedUserIds: [11, 22], allowedChatIds: [-1001234], adminUserIds: [11], webhook: { url: "https://bot.example.vn/tg", port: 8080 } });
    expect(() => load({ ALLOWED_USER_IDS: "abc" })).toThrow(/ALLOWED_USER_IDS/);
    expect(() => load({ MAX_FILE_MB: "-3" })).toThrow(/MAX_FILE_MB/);
    expect(() => load({ WEBHOOK_URL: "https://bot.example.vn/tg" })).toThrow(/WEBHOOK_SECRET/);
    expect(() => load({ OPENAI_BASE_URL: "not a url" })).toThrow(/OPENAI_BASE_URL/);
  });

  it("reads a .env file, with the real environment taking precedence", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "htx-env-"));
    const file = path.join(dir, ".env");
    writeFileSync(file, "ANSWER_LANGUAGE=en\nMAX_QUESTION_CHARS=300\n");
    const c = load({ MAX_QUESTION_CHARS: "250" }, file);
    expect(c.language).toBe("en");
    expect(c.maxQuestionChars).toBe(250);
  });
});

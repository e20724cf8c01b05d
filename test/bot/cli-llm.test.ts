// `npm run ask` and `npm run eval` in the language-model mode, as real processes talking to an
// OpenAI-compatible stub on loopback (run asynchronously: the stub lives in this process).

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../bot/config.js";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub.js";
import { extractiveModel } from "../helpers/scripted-model.js";

const TSX = path.join(PROJECT_ROOT, "node_modules/.bin/tsx");
const exec = promisify(execFile);
let storeDir = "";
let stub: OpenAIStub;

async function run(script: string, args: string[]) {
  const env = {
    ...process.env,
    STORE_DIR: storeDir,
    LOG_LEVEL: "silent",
    OPENAI_API_KEY: "",
    OPENAI_BASE_URL: stub.url,
    EMBEDDINGS_PROVIDER: "local",
    OPENAI_MODEL: "stub-chat",
    ANSWER_MODE: "auto",
    OPENAI_MAX_RETRIES: "0",
  };
  try {
    const r = await exec(TSX, [script, ...args], { cwd: PROJECT_ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: e.stdout ?? "", err: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  stub = await startOpenAIStub();
  storeDir = mkdtempSync(path.join(tmpdir(), "htx-cli-llm-"));
});
afterAll(async () => {
  await stub.close();
  rmSync(storeDir, { recursive: true, force: true });
});

describe("npm run ask -- --json with a language model", () => {
  it("names the mode, the model, token use and the guard", async () => {
    stub.setChat(extractiveModel);
    const r = await run("bot/cli/ask.ts", ["--json", "Tổng kinh phí hỗ trợ Đề án giai đoạn 2021-2025 của Lạng Sơn là bao nhiêu?"]);
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out) as Record<string, unknown> & { citations: Array<{ quote: string; text: string }>; tokens: { total: number } };
    expect(a).toMatchObject({ mode: "llm", model: "stub-chat", fallback: null, guard: { checked: true, intervened: false } });
    expect(a.tokens.total).toBeGreaterThan(0);
    expect(a.citations.length).toBeGreaterThan(0);
    for (const c of a.citations) expect(c.text).toContain(c.quote);
  });

  it("falls back to the offline answer, marked, when the model is down", async () => {
    stub.setChat([{ kind: "error", status: 503, message: "overloaded" }]);
    const r = await run("bot/cli/ask.ts", ["--json", "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?"]);
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out) as { mode: string; model: string; fallback: string; answer: string; refused: boolean };
    expect(a).toMatchObject({ mode: "offline", model: "stub-chat", fallback: "unavailable", refused: false });
    const human = await run("bot/cli/ask.ts", ["Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?"]);
    expect(human.out).toContain("Mô hình ngôn ngữ đang không truy cập được");
  });
});

describe("npm run eval with a language model", () => {
  it("scores every question and reports modes, fallbacks, guard interventions and tokens", async () => {
    stub.setChat(extractiveModel);
    const r = await run("bot/cli/eval.ts", ["test/fixtures/dev.jsonl", "--json"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { questions: number; model: string; modes: { llm: number; offline: number }; tokens: { total: number }; guardInterventions: number; answerAccuracy: number };
    expect(s.model).toBe("stub-chat");
    expect(s.questions).toBe(25);
    expect(s.modes.llm + s.modes.offline).toBe(25);
    expect(s.modes.llm).toBeGreaterThan(20);
    expect(s.tokens.total).toBeGreaterThan(0);
    expect(s.answerAccuracy).toBeGreaterThanOrEqual(0);
  }, 180_000);
});

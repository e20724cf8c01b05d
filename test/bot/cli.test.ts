// The command line as a user runs it: real processes, a temporary index.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../bot/config.js";

const TSX = path.join(PROJECT_ROOT, "node_modules/.bin/tsx");
let storeDir = "";

function run(script: string, args: string[], input?: string) {
  const r = spawnSync(TSX, [script, ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, STORE_DIR: storeDir, LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "", EMBEDDINGS_PROVIDER: "local" },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  storeDir = mkdtempSync(path.join(tmpdir(), "htx-cli-"));
  const r = run("bot/cli/ingest.ts", []);
  expect(r.code, r.err).toBe(0);
  expect(r.out).toMatch(/4 tài liệu, \d+ đoạn, \d+ số liệu/);
}, 90_000);
afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

describe("npm run ask", () => {
  it("prints one JSON object of the documented shape", () => {
    const r = run("bot/cli/ask.ts", ["--json", "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?"]);
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(["answer", "citations", "fallback", "figures", "guard", "llm", "mode", "model", "ms", "question", "refused", "tokens"]);
    expect(a).toMatchObject({ refused: false, mode: "offline", question: "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?" });
    // No model configured: nothing about one.
    expect(a).toMatchObject({ model: null, fallback: null, tokens: null, guard: null, llm: null });
    const c = (a.citations as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(c).sort()).toEqual(["document", "n", "page", "quote", "section", "text", "title"]);
    expect(c.document).toBe("cao-bang-ke-hoach-kttt-htx-2026");
    const f = (a.figures as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(f).sort()).toEqual(["formula", "inputs", "label", "unit", "value"]);
    expect(a.answer).not.toMatch(/<|\*\*/); // plain text
  });

  it("answers a JSONL batch in order, in one process, with no context between lines", () => {
    const questions = [
      "Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu tổ hợp tác?",
      "còn Lạng Sơn?",
      "Tổng số thành viên HTX của Lạng Sơn đến 30/6/2023?",
    ];
    const r = run("bot/cli/ask.ts", ["--jsonl"], `${questions.join("\n")}\n\n`);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as { question: string; answer: string; refused: boolean });
    expect(lines.map((l) => l.question)).toEqual(questions);
    expect(lines[0]!.answer).toContain("25");
    expect(lines[1]!.refused).toBe(true); // "còn Lạng Sơn?" alone asks nothing
    expect(lines[2]!.answer).toContain("5.409");
  });

  it("gives a clear message for an empty question", () => {
    const r = run("bot/cli/ask.ts", ["--json", "   "]);
    const a = JSON.parse(r.out) as { refused: boolean; answer: string };
    expect(a.refused).toBe(true);
    expect(a.answer).toContain("Câu hỏi đang trống");
  });

  it("prints a readable answer by default", () => {
    const r = run("bot/cli/ask.ts", ["chi tieu thu nhap thanh vien htx nong nghiep bac kan 2025"]);
    expect(r.out).toContain("64 triệu đồng");
    expect(r.out).toContain("Nguồn: [1]");
  });
});

describe("npm run search", () => {
  it("prints the top passages as JSON with the detected filters", () => {
    const r = run("bot/cli/search.ts", ["--json", "--k", "3", "chi tieu htx cao bang 2026"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { filters: { province: string; year: number }; results: Array<{ document: string; text: string; rank: number }> };
    expect(s.filters).toEqual({ province: "Cao Bằng", year: 2026 });
    expect(s.results).toHaveLength(3);
    for (const x of s.results) expect(x.document).toBe("cao-bang-ke-hoach-kttt-htx-2026");
  });
});

describe("npm run eval", () => {
  it("scores a question file and prints the baseline next to the product", () => {
    const r = run("bot/cli/eval.ts", ["test/fixtures/dev.jsonl", "--json"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as Record<string, number>;
    expect(s).toMatchObject({ model: null, modes: { llm: 0, offline: 25 }, tokens: null });
    expect(s.answerAccuracy).toBeGreaterThanOrEqual(0.96);
    expect(s.citationHit).toBeGreaterThanOrEqual(0.9);
    expect(s.recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(s.baselineRecallAt5Folded).toBeGreaterThan(s.baselineRecallAt5Raw!);
  });

  it("rejects a malformed question file with the line number", () => {
    const r = run("bot/cli/eval.ts", ["package.json"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 1/);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../bot/config.js";
import { loadPrompts, PromptError } from "../../../knowledge/llm/prompts.js";

const DIR = path.join(PROJECT_ROOT, "prompts");

describe("prompts", () => {
  it("ships every prompt in Vietnamese and English, each using exactly its values", async () => {
    const p = await loadPrompts(DIR);
    const files = readdirSync(DIR).filter((f) => f.endsWith(".md") && f !== "README.md").sort();
    expect(files).toEqual(["compose.en.md", "compose.vi.md", "retry.en.md", "retry.vi.md", "rewrite.en.md", "rewrite.vi.md", "system.en.md", "system.vi.md"]);
    const sys = p.render("system", "vi", { coverage: "Cao Bằng: kế hoạch năm 2026" });
    expect(sys).toContain("Cao Bằng: kế hoạch năm 2026");
    expect(sys).toMatch(/không phải chỉ dẫn cho bạn/);
    expect(p.render("system", "en", { coverage: "x" })).toMatch(/not instructions to you/);
  });

  it("does not expand placeholders inside a value (a question typed with {{…}})", async () => {
    const p = await loadPrompts(DIR);
    const out = p.render("compose", "vi", { question: "{{coverage}} là gì?" });
    expect(out).toContain("«{{coverage}} là gì?»");
  });

  it("refuses to start with a missing file or a template that lost its placeholder", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "htx-prompts-"));
    try {
      cpSync(DIR, dir, { recursive: true });
      rmSync(path.join(dir, "rewrite.en.md"));
      await expect(loadPrompts(dir)).rejects.toThrow(/rewrite\.en\.md cannot be read/);
      cpSync(DIR, dir, { recursive: true });
      writeFileSync(path.join(dir, "compose.vi.md"), readFileSync(path.join(DIR, "compose.vi.md"), "utf8").replace("{{question}}", "câu hỏi"));
      await expect(loadPrompts(dir)).rejects.toThrow(PromptError);
      await expect(loadPrompts(dir)).rejects.toThrow(/does not use \{\{question\}\}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

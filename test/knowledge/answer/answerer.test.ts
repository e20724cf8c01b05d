import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { parseEvalFile, scoreAnswer, summarize } from "../../../bot/eval/score.js";
import { EMPTY_CONTEXT, QuestionError } from "../../../knowledge/answer/answerer.js";
import { foldCompact } from "../../../knowledge/text/normalize.js";
import type { Answer } from "../../../knowledge/types.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(() => t?.cleanup());

const ask = async (q: string) => (await t.app.answerer.ask(q)).answer;

function expectVerbatimQuotes(a: Answer) {
  for (const c of a.citations) {
    expect(foldCompact(c.text)).toContain(foldCompact(c.quote));
    const record = t.app.engine.recordsById.get(c.document)!;
    expect(foldCompact(record.text.slice(c.start, c.end))).toBe(foldCompact(c.quote));
  }
}

// The accuracy reached on the question sets; a regression below these fails the suite.
const FLOORS: Record<string, { accuracy: number; citation: number; allRefusals: boolean }> = {
  "dev.jsonl": { accuracy: 1.0, citation: 1.0, allRefusals: true },
  "heldout.jsonl": { accuracy: 0.97, citation: 0.97, allRefusals: true },
  "heldout2.jsonl": { accuracy: 0.97, citation: 0.97, allRefusals: true },
  "blind3.jsonl": { accuracy: 0.85, citation: 0.85, allRefusals: true },
  "blind4.jsonl": { accuracy: 0.8, citation: 0.9, allRefusals: true },
};

describe.each(Object.keys(FLOORS))("question set %s", (file) => {
  it("holds its answer accuracy and citation hit rate, with verbatim quotes", async () => {
    const items = parseEvalFile(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), "utf8"));
    const scores = [];
    const failures: string[] = [];
    for (const item of items) {
      const a = await ask(item.q);
      expectVerbatimQuotes(a);
      const s = scoreAnswer(item, a);
      if (!s.correct) failures.push(`${item.id}: ${s.missing.join(", ")} — ${a.answer.split("\n")[0]}`);
      scores.push(s);
    }
    const sum = summarize(scores, []);
    expect(failures.length <= Math.floor(items.length * (1 - FLOORS[file]!.accuracy)), failures.join("\n")).toBe(true);
    expect(sum.citationHit).toBeGreaterThanOrEqual(FLOORS[file]!.citation);
    if (FLOORS[file]!.allRefusals) expect(sum.refusalsOk.split("/")[0]).toBe(sum.refusalsOk.split("/")[1]);
  }, 120_000);
});

describe("offline answers", () => {
  it("answers the headline question with the qualifier, the section and a citation", async () => {
    const a = await ask("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?");
    expect(a.refused).toBe(false);
    expect(a.answer).toContain("trên 15 HTX");
    expect(a.citations[0]).toMatchObject({ document: "cao-bang-ke-hoach-kttt-htx-2026" });
    expect(a.citations[0]!.section).toMatch(/muc ti.u cu th/i);
    expect(a.figures[0]).toMatchObject({ value: 15, unit: "HTX" });
    expect(a.mode).toBe("offline");
  });

  it("does not take the member cooperatives of a planned union for new cooperatives", async () => {
    // "thành lập mới 01 Liên hiệp HTX với 21 HTX thành viên" vs "Thành lập mới từ 35 HTX trở lên".
    const a = await ask("Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu HTX?");
    expect(a.answer).toContain("từ 35 HTX trở lên");
    const b = await ask("Năm 2025 Bắc Kạn muốn thành lập mới Liên hiệp HTX với bao nhiêu HTX thành viên?");
    expect(b.answer).toContain("21 HTX");
  });

  it("answers both halves of a question that asks two things", async () => {
    const a = await ask("cao bang den 30/6/2025 co bao nhieu htx dang hoat dong, chiem bao nhieu % tong so htx");
    expect(a.answer).toContain("285 HTX");
    expect(a.answer).toContain("63,62%");
    const b = await ask("lang son du kien ca nam 2023 ho tro thanh lap moi bao nhiu htx, tong kinh phi bao nhieu");
    expect(b.answer).toContain("45 HTX");
    expect(b.answer).toContain("900 triệu đồng");
  });

  it("understands questions typed without diacritics", async () => {
    const a = await ask("chi tieu thu nhap binh quan thanh vien htx nong nghiep bac kan 2025");
    expect(a.answer).toContain("64 triệu đồng");
  });

  it("computes shares with the tools and shows the formula with sourced inputs", async () => {
    const a = await ask("Ngân sách trung ương chiếm bao nhiêu phần trăm nhu cầu vốn đầu tư năm 2026 của Cao Bằng?");
    expect(a.answer).toContain("69,97%");
    const f = a.figures[0]!;
    expect(f.formula).toBe("11.650 ÷ 16.650 × 100 = 69,97%");
    expect(f.inputs.map((i) => i.value)).toEqual([11650, 16650]);
    for (const i of f.inputs) expect(i.citation).toBeGreaterThan(0);
  });

  it("computes an average from a total and a count stated together", async () => {
    const a = await ask("Bình quân mỗi HTX được hỗ trợ bao nhiêu kinh phí trong dự án kết cấu hạ tầng HTX của Bắc Kạn?");
    expect(a.answer).toContain("2.255,71");
    expect(a.figures[0]!.formula).toContain("31.580 ÷ 14");
  });

  it("refuses plainly, and says what the corpus covers", async () => {
    const a = await ask("Kế hoạch phát triển HTX năm 2026 của Lạng Sơn đặt chỉ tiêu gì?");
    expect(a.refused).toBe(true);
    expect(a.answer).toContain("Không có trong tài liệu");
    expect(a.answer).toContain("Lạng Sơn: kế hoạch năm 2024");
    expect(a.citations).toEqual([]);
    const b = await ask("Giá vàng hôm nay bao nhiêu?");
    expect(b.refused).toBe(true);
    const c = await ask("Thái Nguyên có bao nhiêu HTX năm 2024?");
    expect(c.refused).toBe(true);
  });

  it("lets a follow-up inherit the province and year of the previous question", async () => {
    const first = await t.app.answerer.ask("Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu tổ hợp tác?", { context: EMPTY_CONTEXT });
    expect(first.answer.answer).toContain("25");
    expect(first.context).toMatchObject({ province: "Bắc Kạn", year: 2025 });
    const next = await t.app.answerer.ask("còn lợi nhuận bình quân HTX thì sao?", { context: first.context });
    expect(next.answer.answer).toContain("282 triệu đồng");
    // Only the province changes: the measure (profit) and the year (2025) carry over, and Cao Bằng's
    // plan reviews 2025, where the profit is "lãi bình quân".
    const other = await t.app.answerer.ask("Cao Bằng thì sao?", { context: next.context });
    expect(other.answer.answer).toContain("315 triệu đồng");
    const third = await t.app.answerer.ask("còn Lạng Sơn?", { context: other.context });
    expect(third.answer.refused).toBe(true);
    expect(third.answer.answer).toContain("Lạng Sơn: kế hoạch năm 2024 (đánh giá năm 2023)");
    const fourth = await t.app.answerer.ask("năm 2023 thì sao?", { context: third.context });
    expect(fourth.answer.answer).toContain("90 triệu đồng");
  });

  it("shows figures that disagree rather than smoothing them over", async () => {
    const a = await ask("Trong 6 tháng đầu năm 2024 Bắc Kạn có bao nhiêu THT?");
    expect(a.answer).toContain("655 THT");
  });

  it("answers policy questions with the passage that says it", async () => {
    const a = await ask("HTX nông nghiệp ở Bắc Kạn vay vốn ưu đãi ở đâu, lãi suất bao nhiêu?");
    expect(a.refused).toBe(false);
    expect(a.answer).toMatch(/quỹ hỗ trợ phát triển HTX/i);
    expect(a.answer).toContain("6,8%");
    expectVerbatimQuotes(a);
  });

  it("answers in English when asked", async () => {
    const { answer } = await t.app.answerer.ask("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?", { lang: "en" });
    expect(answer.answer).toContain("target 2026: over 15 HTX");
    expect(answer.lang).toBe("en");
  });

  it("rejects empty and oversized questions with a clear message", async () => {
    await expect(ask("   ")).rejects.toBeInstanceOf(QuestionError);
    await expect(ask("?!")).rejects.toMatchObject({ code: "empty" });
    await expect(ask("htx ".repeat(300))).rejects.toMatchObject({ code: "too-long" });
  });
});

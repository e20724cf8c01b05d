import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { categoriesIn, legalBasisOf, listPolicies, paragraphsOf } from "../../../knowledge/answer/policies.js";
import { tidy } from "../../../knowledge/answer/compose.js";
import { fold } from "../../../knowledge/text/normalize.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.cleanup());

describe("legalBasisOf", () => {
  it("reads document numbers of every kind, once each", () => {
    expect(
      legalBasisOf(
        "Thực hiện Quyết định số 1804/QĐ-TTg ngày 13/11/2020; Nghị định số 45/2021/NĐ-CP; Nghị quyết 15/2021/NQ-HĐND, Chương trình số 19/CTr-UBND ngày 23/5/2021, Nghị quyết 09-NQ/TU và lại 1804/QĐ-TTg",
      ),
    ).toEqual(["1804/QĐ-TTg", "45/2021/NĐ-CP", "15/2021/NQ-HĐND", "19/CTr-UBND", "09-NQ/TU"]);
    expect(legalBasisOf("ngày 16/6/2022, lãi suất 6,8%/năm")).toEqual([]);
  });
});

describe("categoriesIn", () => {
  it("finds categories in folded text, in order of mention", () => {
    expect(categoriesIn(fold("Hỗ trợ vay vốn từ Quỹ hỗ trợ phát triển HTX và đào tạo"))).toEqual(["credit", "training"]);
    expect(categoriesIn(fold("ho tro ve bao hiem"))).toEqual(["insurance"]);
  });
});

describe("paragraphsOf", () => {
  it("splits at blank lines, list items and sentence ends, not at wrapped lines", () => {
    const text = "Dòng đầu tiên được\nngắt dòng giữa câu.\nCâu mới.\n\n- Mục một\n- Mục hai";
    const ps = paragraphsOf(text, 0, text.length).map((p) => text.slice(p.start, p.end));
    expect(ps).toEqual(["Dòng đầu tiên được\nngắt dòng giữa câu.", "Câu mới.", "- Mục một", "- Mục hai"]);
  });
});

describe("listPolicies", () => {
  it("finds Bắc Kạn's credit policy: the cooperative development fund, 988 triệu đồng at 6,8%", () => {
    const credit = listPolicies(t.app.engine, { province: "bac kan", category: "credit" });
    const fund = credit.find((p) => p.text.includes("988 triệu đồng"))!;
    expect(fund).toBeDefined();
    expect(fund.category).toBe("credit");
    expect(fund.doc.id).toBe("bac-kan-ke-hoach-kttt-htx-2025");
    expect(fund.section).toContain("3.5. Chính sách ưu đãi về tín dụng");
    expect(fund.text).toMatch(/^Đến nay, toàn tỉnh đã có 10 HTX được vay vốn quỹ hỗ trợ phát triển HTX tỉnh/);
    expect(fund.amounts.map((a) => a.display.vi)).toEqual(["988 triệu đồng", "6,8%/năm", "2.000 triệu đồng"]);
    expect(fund.beneficiaries.map((b) => b.display.vi)).toEqual(["10 HTX", "3 HTX"]);
    expect(fund.beneficiaries[0]!.phrase).toContain("10 HTX được vay vốn quỹ hỗ trợ phát triển HTX tỉnh");
    expect(fund.stage).toBe("review");
    // The credit passages about the fund come first.
    expect(credit[0]).toBe(fund);
  });

  it("gives Lạng Sơn's legal bases, including 1804/QĐ-TTg and 15/2021/NQ-HĐND", () => {
    const items = listPolicies(t.app.engine, { province: "Lạng Sơn" });
    const bases = new Set(items.flatMap((p) => p.legalBasis));
    expect(bases.has("1804/QĐ-TTg")).toBe(true);
    expect(bases.has("19/CTr-UBND")).toBe(true);
    expect(bases.has("15/2021/NQ-HĐND")).toBe(true);
    const young = items.find((p) => p.category === "human-resources" && p.text.includes("trí thức trẻ"))!;
    expect(young.amounts.map((a) => a.display.vi)).toContain("khoảng 1.170 triệu đồng");
    const interest = items.find((p) => p.text.startsWith("(5.4) Hỗ trợ lãi suất tín dụng"))!;
    expect(interest.category).toBe("credit");
    expect(interest.amounts[0]!.display.vi).toBe("731 triệu đồng");
  });

  it("classifies the OCR text of Cao Bằng by its headings", () => {
    const items = listPolicies(t.app.engine, { province: "cao bang" });
    const cats = new Set(items.map((p) => p.category));
    for (const c of ["establishment", "training", "trade", "credit", "infrastructure"] as const) expect(cats.has(c)).toBe(true);
    const credit = listPolicies(t.app.engine, { province: "cao bang", category: "credit" });
    expect(credit.some((p) => p.text.includes("50.297"))).toBe(true);
  });

  it("quotes every passage verbatim, inside the chunk it cites", () => {
    for (const p of listPolicies(t.app.engine)) {
      const rec = t.app.engine.recordsById.get(p.doc.id)!;
      expect(tidy(rec.text)).toContain(p.text);
      const chunk = t.app.engine.chunksById.get(p.citation.chunkId)!;
      expect(chunk.docId).toBe(p.doc.id);
      expect(tidy(chunk.text)).toContain(p.citation.quote);
      expect(tidy(rec.text.slice(p.citation.start, p.citation.end))).toBe(p.citation.quote);
      expect(p.categories[0]).toBe(p.category);
    }
  });

  it("finds insurance support in Bắc Kạn only, under Quyết định 42/2012/QĐ-TTg", () => {
    const ins = listPolicies(t.app.engine, { category: "insurance" });
    expect(ins.map((p) => p.province)).toEqual(["Bắc Kạn"]);
    expect(ins[0]!.legalBasis).toEqual(["42/2012/QĐ-TTg"]);
    expect(ins[0]!.amounts[0]!.display.vi).toBe("1.285 triệu đồng");
  });
});

import { describe, expect, it } from "vitest";
import { KeywordIndex, stripQuestionWords, tokenizeForIndex } from "../../../knowledge/search/keyword.js";

const items = [
  { id: "a#0", text: "Phấn đấu đạt các chỉ tiêu phát triển hợp tác xã tỉnh Cao Bằng năm 2026." },
  { id: "b#0", text: "Số HTX thành 1ap méi trong 6 tháng đầu năm: 08 HTX; ước thực hiện cả năm 15 HTX." },
  { id: "c#0", text: "Thuc hien chi tieu ve doanh thu binh quan cua hop tac xa nam 2025 o Bac Kan." },
  { id: "d#0", text: "Tiêu chí chi trả hỗ trợ; chi phí tiêu thụ sản phẩm nông nghiệp." },
  { id: "e#0", text: "Đào tạo, bồi dưỡng cán bộ quản lý HTX; xúc tiến thương mại, tiêu thụ sản phẩm." },
];

describe("tokenizeForIndex", () => {
  it("yields folded syllables and adjacent pairs", () => {
    expect(tokenizeForIndex("Chỉ tiêu HTX")).toEqual(["chi", "tieu", "chi_tieu", "htx", "tieu_htx"]);
  });
});

describe("query clean-up", () => {
  it("drops question words but keeps content words that look like them", () => {
    expect(stripQuestionWords("Cao Bằng có bao nhiêu HTX không hoạt động?")).toBe("cao bang co htx khong hoat dong");
    expect(stripQuestionWords("Chỉ tiêu nào của kinh tế tập thể tăng không?")).toBe("chi tieu cua kinh te tap the tang");
    expect(stripQuestionWords("Hãy cho biết mục tiêu phát triển kinh tế tập thể")).toBe("muc tieu phat trien kinh te tap the");
    expect(stripQuestionWords("Vay vốn ưu đãi thế nào?")).toBe("vay von uu dai");
  });

  it("does not form bigrams across a removed phrase", () => {
    const idx = KeywordIndex.build(items);
    const terms = idx.terms("htx bao nhiêu doanh thu");
    expect(terms).toContain("doanh_thu");
    expect(terms).not.toContain("htx_doanh");
    expect(terms).not.toContain("bao");
  });
});

describe("KeywordIndex", () => {
  const idx = KeywordIndex.build(items);

  it("finds text with diacritics from a folded query", () => {
    const hits = idx.search("chi tieu htx cao bang", 3);
    expect(hits[0]?.id).toBe("a#0");
  });

  it("finds OCR text (no diacritics, digit for letter)", () => {
    expect(idx.search("thành lập mới", 2)[0]?.id).toBe("b#0");
    expect(idx.search("thanh lap moi", 2)[0]?.id).toBe("b#0");
    expect(idx.search("chỉ tiêu doanh thu bình quân", 2)[0]?.id).toBe("c#0");
  });

  it("ranks a phrase match above scattered words (bigram boost)", () => {
    // d#0 has "chi" and "tieu" apart and twice each; a#0 and c#0 have "chi tieu" as a phrase.
    const hits = idx.search("chi tieu", 5).map((h) => h.id);
    expect(hits.indexOf("d#0")).toBeGreaterThan(hits.indexOf("a#0"));
    expect(hits.indexOf("d#0")).toBeGreaterThan(hits.indexOf("c#0"));
    expect(idx.idf("chi_tieu")).toBeGreaterThan(idx.idf("tieu"));
  });

  it("applies the allow filter before ranking", () => {
    const hits = idx.search("chi tieu", 1, (id) => id !== "a#0" && id !== "c#0");
    expect(hits.map((h) => h.id)).toEqual(["d#0"]);
    expect(idx.search("chi tieu", 10, (id) => id.startsWith("e")).map((h) => h.id)).toEqual(["e#0"]);
  });

  it("returns nothing for unknown terms and question words only", () => {
    expect(idx.search("xyzzy", 5)).toEqual([]);
    expect(idx.search("bao nhiêu?", 5)).toEqual([]);
    expect(idx.idf("xyzzy")).toBe(0);
  });

  it("round-trips through JSON", () => {
    const copy = KeywordIndex.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())));
    expect(copy.size).toBe(idx.size);
    for (const q of ["chi tieu htx cao bang", "thanh lap moi", "tiêu thụ sản phẩm", "HTX 2026"]) {
      expect(copy.search(q, 5)).toEqual(idx.search(q, 5));
    }
  });

  it("rejects duplicate ids and corrupt JSON", () => {
    expect(() => KeywordIndex.build([{ id: "x", text: "a" }, { id: "x", text: "b" }])).toThrow(/duplicate/);
    const json = idx.toJSON() as Record<string, unknown>;
    expect(() => KeywordIndex.fromJSON({ ...json, docs: "AAAA" })).toThrow();
    expect(() => KeywordIndex.fromJSON({ ...json, format: "other" })).toThrow();
  });

  it("keeps scores consistent over many documents and repeated queries", () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      id: `m#${i}`,
      text: i % 100 === 7 ? "hỗ trợ thành lập mới hợp tác xã nông nghiệp" : `văn bản số ${i} về kinh tế tập thể`,
    }));
    const big = KeywordIndex.build(many);
    const first = big.search("thành lập mới hợp tác xã", 30);
    expect(first).toHaveLength(20);
    expect(first.every((h) => Number(h.id.slice(2)) % 100 === 7)).toBe(true);
    expect(big.search("văn bản kinh tế tập thể", 30)).toHaveLength(30);
    expect(big.search("thành lập mới hợp tác xã", 30)).toEqual(first);
  });
});

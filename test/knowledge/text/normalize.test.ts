import { describe, expect, it } from "vitest";
import { containsFolded, fold, foldCompact, foldPlain, normalizeText, syllables } from "../../../knowledge/text/normalize.js";
import { canonical } from "../../../knowledge/text/synonyms.js";

describe("normalizeText", () => {
  it("composes to NFC and uses one tone-mark style", () => {
    const decomposed = "Ke\u0302\u0301 hoa\u0323ch"; // "Kế hoạch" typed with combining marks
    expect(normalizeText(decomposed)).toBe("Kế hoạch");
    expect(normalizeText("hoá học, thuỷ lợi, khoẻ, Hoà")).toBe("hóa học, thủy lợi, khỏe, Hòa");
    // Marks on the main vowel of a closed syllable, and "qu", are left alone.
    expect(normalizeText("hoàn thành, quý, thuyết")).toBe("hoàn thành, quý, thuyết");
  });

  it("cleans byte-order marks, zero-width and non-breaking spaces, and Windows line ends", () => {
    expect(normalizeText("\uFEFFA\u00A0B\u200BC\r\nD\tE")).toBe("A BC\nD E");
  });
});

describe("fold", () => {
  it("removes diacritics, maps đ to d and lowers case, keeping the length", () => {
    const s = normalizeText("Đồng Ý HỢP TÁC XÃ, Liên hiệp");
    expect(fold(s)).toBe("dong y hop tac xa, lien hiep");
    expect(fold(s)).toHaveLength(s.length);
  });

  it("repairs OCR misreadings inside words without touching numbers", () => {
    const ocr = "thanh 1ap méi d6ng s6 HIX, Ngén sach Trung wong 1.650 triéu, 30/6/2025, 2672/KH-UBND, 3000m2";
    const f = fold(ocr);
    expect(f).toBe("thanh lap moi dong so htx, ngan sach trung uong 1.650 trieu, 30/6/2025, 2672/kh-ubnd, 3000m2");
    expect(f).toHaveLength(ocr.length);
  });

  it("lets a question without diacritics match text with them, and OCR text", () => {
    expect(containsFolded("Phấn đấu thành lập mới trên 15 HTX", "thanh lap moi tren 15 htx")).toBe(true);
    expect(containsFolded("Phan d4u thanh 1ap moi trén 15 HTX", "thanh lap moi tren 15 htx")).toBe(true);
    expect(containsFolded("Phấn đấu thành lập mới", "giải thể")).toBe(false);
    expect(foldPlain("Chỉ tiêu")).toBe("chi tieu");
    expect(foldCompact("  Chỉ   tiêu\n HTX ")).toBe("chi tieu htx");
  });
});

describe("syllables and canonical terms", () => {
  it("splits folded syllables and keeps numbers whole", () => {
    expect(syllables("Chỉ tiêu 1.790 triệu đồng; 63,62%")).toEqual(["chi", "tieu", "1790", "trieu", "dong", "6362"]);
  });

  it("writes long forms as the abbreviations the documents also use", () => {
    expect(canonical("so hop tac xa va to hop tac, lien hiep hop tac xa, loi nhuan, sn")).toBe("so htx va tht, lhhtx, lai, su nghiep");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkNumbers,
  locateQuote,
  numbersInAnswer,
  numbersInSource,
} from "../../../knowledge/llm/guard.js";

// Sentences copied verbatim from the corpus (double spaces and OCR noise included).
const BAC_KAN =
  "Trong 6 tháng đầu năm 2024, toàn tỉnh có 655 THT  (đạt 94% so với kế hoạch năm 2024)  với tổng số 7.255 thành viên, trong đó có 609 THT nông nghiệp  (chiếm 93%)  và 56 THT phi nông nghiệp  (chiếm 7%) .";
const BAC_KAN_MEDIA =
  "các tin bài, phóng sự được lồng ghép vào các chương trình thời sự phát thanh và truyền hình hằng ngày và chuyên đề chuyên mục hằng tháng như: Chuyên mục “Tạp chí Nông nghiệp”, “Chương trình MTQG xây dựng nông thôn mới”, “Nông lâm nghiệp tiếng Dao”";
const LANG_SON =
  "Sáu tháng đầu năm 2023 thành lập mới là 20 HTX (đạt 50% kế hoạch), vốn đăng ký là 36,48 tỷ đồng; có 06 HTX đã giải thể. Đến hết 30/6/2023, có tổng số 474 HTX với tổng vốn đăng ký khoảng 991,5 tỷ đồng.";
const CAO_BANG_STAFF =
  "- Udc thyuc hién nim 2025 tong sd can bd quan Iy HTX trén dia ban tinh\n12 977 ngudi bang 100% so voi muc tiéu ké hoach nam 2025.";
const CAO_BANG_HTX =
  "+ Tinh dén hét ngdy 30/6/2025 toan tinh c6 448 HTX tang 3% so voi\ncung ky nam 2024. Trong do: co 285 HTX dang hoat dong, chiém 63,62% trén\ntong s6 HTX; 51 HTX tam ngung hoat dong, 112 HTX khong hoat dong (chu yéu";

function corpus(name: string): string {
  return readFileSync(new URL(`../../../knowledge/corpus/${name}`, import.meta.url), "utf8");
}

/** chunk.slice of the located quote, or null. */
function found(chunk: string, quote: string): string | null {
  const at = locateQuote(chunk, quote);
  return at ? chunk.slice(at.start, at.end) : null;
}

describe("fixtures", () => {
  it("are real corpus text", () => {
    expect(corpus("bac-kan-ke-hoach-kttt-htx-2025.txt")).toContain(BAC_KAN);
    expect(corpus("bac-kan-ke-hoach-kttt-htx-2025.txt")).toContain(BAC_KAN_MEDIA);
    expect(corpus("lang-son-ke-hoach-kttt-htx-2024.md")).toContain(LANG_SON);
    expect(corpus("cao-bang-ke-hoach-kttt-htx-2026.txt")).toContain(CAO_BANG_STAFF);
    expect(corpus("cao-bang-ke-hoach-kttt-htx-2026.txt")).toContain(CAO_BANG_HTX);
  });
});

describe("numbersInAnswer", () => {
  it("reads Vietnamese and English formats, keeping every valid reading", () => {
    const ms = numbersInAnswer("1.790 và 2.255,71 và 2,255.71 và 1,790 và 69,97 và 0,5 và 1,5 và 1.790.000");
    expect(ms.map((m) => m.raw)).toEqual(["1.790", "2.255,71", "2,255.71", "1,790", "69,97", "0,5", "1,5", "1.790.000"]);
    expect(ms.map((m) => m.values)).toEqual([
      [1790, 1.79],
      [2255.71],
      [2255.71],
      [1790, 1.79],
      [69.97],
      [0.5],
      [1.5], // "1,5" is no English grouping: a comma before fewer than three digits is a decimal
      [1790000],
    ]);
    expect(ms[1]!.decimals).toBe(2);
    expect(ms[0]!.readings).toEqual([
      { value: 1790, decimals: 0 },
      { value: 1.79, decimals: 3 },
    ]);
  });

  it("gives offsets into the answer", () => {
    const text = "Doanh thu đạt 2.200 triệu đồng.";
    const [m] = numbersInAnswer(text);
    expect(text.slice(m!.start, m!.end)).toBe("2.200");
  });

  it("skips citation markers, list markers and heading marks", () => {
    const text = [
      "### 1. Tổng quan",
      "1. Toàn tỉnh có 448 HTX [1].",
      "2) Doanh thu bình quân 2.200 triệu đồng [2, 3][4].",
      "(3) Lãi 315 triệu đồng [n1].",
      "- a) 285 HTX đang hoạt động [1-2]",
      "1.1. Tổ hợp tác",
    ].join("\n");
    expect(numbersInAnswer(text).map((m) => m.raw)).toEqual(["448", "2.200", "315", "285"]);
    expect(checkNumbers(text, [448, 2200, 315, 285]).ok).toBe(true);
  });

  it("splits dates and ranges, keeps numbers inside document identifiers", () => {
    const ms = numbersInAnswer("Đến ngày 30/6/2025, giai đoạn 2021-2025 và 2021–2025, theo Nghị quyết số 12/NQ-HĐND.");
    expect(ms.map((m) => m.values[0])).toEqual([30, 6, 2025, 2021, 2025, 2021, 2025, 12]);
  });

  it("reads a minus sign only before a number that is not the end of a range", () => {
    const ms = numbersInAnswer("giảm -5% so với 2024; giai đoạn 2021 -2025; 5,0 - 5,5");
    expect(ms.map((m) => m.values[0])).toEqual([-5, 2024, 2021, 2025, 5, 5.5]);
  });

  it("flags money/scale words and percentages", () => {
    const ms = numbersInAnswer("1,79 tỷ đồng; 36,48 (tỷ đồng); 80 phần trăm; 63,62 %; năm 2025 tỷ lệ 448 HTX; 12 lao động");
    const byRaw = new Map(ms.map((m) => [m.raw, m]));
    expect(byRaw.get("1,79")!.scale).toBe(true);
    expect(byRaw.get("36,48")!.scale).toBe(true);
    expect(byRaw.get("80")!.percent).toBe(true);
    expect(byRaw.get("63,62")!.percent).toBe(true);
    // "tỷ lệ" is a ratio, not a billion; "lao động" is not "đồng".
    expect(byRaw.get("2025")!.scale).toBe(false);
    expect(byRaw.get("12")!.scale).toBe(false);
    expect(byRaw.get("448")!.percent).toBe(false);
  });
});

describe("numbersInSource", () => {
  it("reads dates, ranges, both formats and OCR space-grouped thousands", () => {
    const values = numbersInSource(CAO_BANG_STAFF + " Ngày 30/6/2025, giai đoạn 2021-2025, 1.790 triệu đồng.");
    for (const v of [12977, 12, 977, 2025, 100, 30, 6, 2021, 1790, 1.79]) expect(values).toContain(v);
  });

  it("deduplicates", () => {
    expect(numbersInSource("2025, 2025 và 2.025")).toEqual([2025, 2.025]);
  });
});

describe("checkNumbers", () => {
  const bacKan = numbersInSource(BAC_KAN);

  it("accepts the same number written the Vietnamese or the English way", () => {
    expect(checkNumbers("Tổng số 7.255 thành viên", bacKan).ok).toBe(true);
    expect(checkNumbers("Tổng số 7,255 thành viên", bacKan).ok).toBe(true);
    expect(checkNumbers("Tổng số 7255 thành viên", bacKan).ok).toBe(true);
    expect(checkNumbers("Revenue 2,255.71 million", numbersInSource("doanh thu 2.255,71 triệu đồng")).ok).toBe(true);
  });

  it("converts money units when the answer names one", () => {
    // A tool value in triệu đồng.
    expect(checkNumbers("Doanh thu 1,79 tỷ đồng", [1790]).ok).toBe(true);
    expect(checkNumbers("Doanh thu 1.790.000.000 đồng", numbersInSource("1.790 triệu đồng")).ok).toBe(true);
    expect(checkNumbers("Vốn 36.480 triệu đồng", numbersInSource(LANG_SON)).ok).toBe(true);
    // Without a unit word there is no conversion.
    expect(checkNumbers("Có 1,79 HTX", [1790]).ok).toBe(false);
    expect(checkNumbers("Có 1.790.000.000 thành viên", [1790]).ok).toBe(false);
  });

  it("accepts a percentage rounded from a tool value, not a wrong one", () => {
    expect(checkNumbers("Tỷ lệ đạt 69,97%", [69.9699]).ok).toBe(true);
    expect(checkNumbers("Tỷ lệ đạt 70%", [69.9699]).ok).toBe(true);
    expect(checkNumbers("Tỷ lệ đạt 69.97%", [69.9699]).ok).toBe(true);
    expect(checkNumbers("Tỷ lệ đạt 69,9%", [69.9699]).ok).toBe(false);
    expect(checkNumbers("Tỷ lệ đạt 71%", [69.9699]).ok).toBe(false);
    // A fraction in the source is a percentage in the answer, only with a percent sign.
    expect(checkNumbers("Tỷ lệ đạt 69,97%", [0.699699]).ok).toBe(true);
    expect(checkNumbers("Tỷ lệ đạt 69,97", [0.699699]).ok).toBe(false);
    expect(checkNumbers("khoảng 80%", [79.6]).ok).toBe(true);
  });

  it("rejects an invented number and reports where it is", () => {
    const answer = "Năm 2024, toàn tỉnh có 655 THT với tổng số 7.300 thành viên [1].";
    const check = checkNumbers(answer, bacKan);
    expect(check.ok).toBe(false);
    expect(check.unsupported.map((m) => m.raw)).toEqual(["7.300"]);
    const m = check.unsupported[0]!;
    expect(answer.slice(m.start, m.end)).toBe("7.300");
  });

  it("rejects a year the sources do not state, and small numbers too", () => {
    const check = checkNumbers("Năm 2026 có 655 THT, 3 THT mới.", bacKan);
    expect(check.unsupported.map((m) => m.raw)).toEqual(["2026", "3"]);
    expect(checkNumbers("Năm 2024 có 655 THT.", bacKan).ok).toBe(true);
  });

  it("accepts a figure the OCR wrote with a space as thousands separator", () => {
    const allowed = numbersInSource(CAO_BANG_STAFF);
    expect(checkNumbers("Ước năm 2025 có 12.977 cán bộ quản lý HTX.", allowed).ok).toBe(true);
    expect(checkNumbers("Ước năm 2025 có 12 977 cán bộ quản lý HTX.", allowed).ok).toBe(true);
    expect(checkNumbers("Ước năm 2025 có 12.978 cán bộ quản lý HTX.", allowed).ok).toBe(false);
  });

  it("does not let an exact value pass for a rounder one", () => {
    expect(checkNumbers("Vốn 1.800 triệu đồng", [1790]).ok).toBe(false);
    expect(checkNumbers("Có 1.800 thành viên", [1790]).ok).toBe(false);
    expect(checkNumbers("Có 1.790 thành viên", [1790]).ok).toBe(true);
    expect(checkNumbers("Doanh thu 2.256 triệu đồng", [2255.71]).ok).toBe(true);
  });

  it("keeps the sign", () => {
    expect(checkNumbers("giảm -5% so với năm trước", [-5]).ok).toBe(true);
    expect(checkNumbers("giảm -5% so với năm trước", [5]).ok).toBe(false);
    expect(checkNumbers("giảm -5% so với năm trước", numbersInSource("tăng trưởng -5%")).ok).toBe(true);
  });
});

describe("locateQuote", () => {
  it("finds a quote typed without diacritics and returns the verbatim passage", () => {
    expect(found(BAC_KAN, "toan tinh co 655 THT (dat 94% so voi ke hoach nam 2024) voi tong so 7.255 thanh vien")).toBe(
      "toàn tỉnh có 655 THT  (đạt 94% so với kế hoạch năm 2024)  với tổng số 7.255 thành viên",
    );
  });

  it("finds a quote with different spacing around brackets and punctuation", () => {
    expect(found(BAC_KAN, "(chiếm 93%) và 56 THT phi nông nghiệp (chiếm 7%).")).toBe(
      "(chiếm 93%)  và 56 THT phi nông nghiệp  (chiếm 7%) .",
    );
  });

  it("finds a quote wrapped in typographic quotes, and plain quotes for typographic ones", () => {
    expect(found(LANG_SON, "“vốn đăng ký là 36,48 tỷ đồng; có 06 HTX đã giải thể”")).toBe(
      "vốn đăng ký là 36,48 tỷ đồng; có 06 HTX đã giải thể",
    );
    // An unbalanced mark around the quote goes too.
    expect(found(LANG_SON, '"có tổng số 474 HTX với tổng vốn đăng ký')).toBe("có tổng số 474 HTX với tổng vốn đăng ký");
    // Marks of an inner quotation stay part of the quote.
    expect(found(BAC_KAN_MEDIA, 'Chuyên mục "Tạp chí Nông nghiệp", "Chương trình MTQG xây dựng nông thôn mới"')).toBe(
      "Chuyên mục “Tạp chí Nông nghiệp”, “Chương trình MTQG xây dựng nông thôn mới”",
    );
  });

  it("finds a correctly spelled quote in OCR text across a line break", () => {
    expect(found(CAO_BANG_STAFF, "trên địa bàn tỉnh 12 977 người bằng 100% so với mục tiêu kế hoạch năm 2025")).toBe(
      "trén dia ban tinh\n12 977 ngudi bang 100% so voi muc tiéu ké hoach nam 2025",
    );
  });

  it("maps offsets back through decomposed (NFD) text", () => {
    const nfd = BAC_KAN.normalize("NFD");
    expect(found(nfd, "toàn tỉnh có 655 THT")).toBe("toàn tỉnh có 655 THT".normalize("NFD"));
  });

  it("matches ellipsis quotes part by part, in order", () => {
    expect(found(BAC_KAN, "Trong 6 tháng đầu năm 2024 … với tổng số 7.255 thành viên")).toBe(
      "Trong 6 tháng đầu năm 2024, toàn tỉnh có 655 THT  (đạt 94% so với kế hoạch năm 2024)  với tổng số 7.255 thành viên",
    );
    expect(found(LANG_SON, "…thành lập mới là 20 HTX...có tổng số 474 HTX [...]")).toBe(
      "thành lập mới là 20 HTX (đạt 50% kế hoạch), vốn đăng ký là 36,48 tỷ đồng; có 06 HTX đã giải thể. Đến hết 30/6/2023, có tổng số 474 HTX",
    );
    // The parts exist, but not in this order.
    expect(locateQuote(LANG_SON, "có tổng số 474 HTX … thành lập mới là 20 HTX")).toBeNull();
  });

  it("rejects fabricated quotes", () => {
    // Words not in the chunk.
    expect(locateQuote(BAC_KAN, "toàn tỉnh có 700 THT")).toBeNull();
    expect(locateQuote(BAC_KAN, "toàn tỉnh có 655 hợp tác xã")).toBeNull();
    // The same words in another order.
    expect(locateQuote(BAC_KAN, "655 THT toàn tỉnh có")).toBeNull();
    // A number that is only the tail of the real one ("112 HTX").
    expect(locateQuote(CAO_BANG_HTX, "12 HTX không hoạt động")).toBeNull();
    expect(found(CAO_BANG_HTX, "112 HTX không hoạt động")).toBe("112 HTX khong hoat dong");
  });

  it("rejects quotes too short to prove anything", () => {
    expect(locateQuote(BAC_KAN, "94%")).toBeNull();
    expect(locateQuote(BAC_KAN, "“655 THT”")).toBeNull();
    expect(locateQuote(BAC_KAN, "  …  ")).toBeNull();
    expect(locateQuote(BAC_KAN, "")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { extractFigures, splitSentences } from "../../../knowledge/figures/extract.js";
import { chunkDocument, detectSections } from "../../../ingest/structure.js";
import { normalizeText } from "../../../knowledge/text/normalize.js";
import type { DocMeta, Figure } from "../../../knowledge/types.js";

const META: DocMeta = {
  id: "t",
  file: "t.txt",
  title: "t",
  province: "Cao Bằng",
  kind: "ke-hoach",
  number: null,
  date: "2025-08-25",
  period: { from: 2026, to: 2026 },
  reviewYear: 2025,
  hash: "",
  pages: null,
};

function figures(body: string, heading = "1. Tình hình"): Figure[] {
  const text = normalizeText(`${heading}\n${body}`);
  const sections = detectSections(text);
  const chunks = chunkDocument("t", text, sections, null);
  return extractFigures({ meta: META, text, sections, chunks });
}

const one = (fs: Figure[], value: number) => {
  const f = fs.find((x) => x.value === value);
  expect(f, `figure ${value}`).toBeDefined();
  return f!;
};

describe("figure extraction on real corpus lines", () => {
  it("parses an OCR line with a date, a count, a change and a share", () => {
    const fs = figures("+ Tinh dén hét ngdy 30/6/2025 toan tinh c6 448 HTX tang 3% so voi\ncung ky nam 2024. Trong do: co 285 HTX dang hoat dong, chiém 63,62% trén\ntong s6 HTX; 51 HTX tam ngung hoat dong.");
    expect(one(fs, 448)).toMatchObject({ unit: "HTX", kind: "actual", period: { date: "2025-06-30", year: 2025 } });
    expect(one(fs, 63.62).unit).toBe("%");
    expect(one(fs, 51).unit).toBe("HTX");
    // The date and the year are periods, not figures.
    expect(fs.some((f) => f.value === 2025 || f.value === 30)).toBe(false);
  });

  it("reads OCR-noisy money with its per-unit, and an estimate with its ratio to plan", () => {
    const fs = figures("+ Doanh thu binh quén cia HTX wdc dat 2.200 tri¢u d6ng/HTX/nam bang\n105% so vo1 muc tiéu ké hoach nam 2025.");
    expect(one(fs, 2200)).toMatchObject({ unit: "triệu đồng", per: "HTX/năm", kind: "estimate", period: { year: 2025 } });
    expect(one(fs, 105).kind).toBe("plan-ratio");
  });

  it("does not read OCR letters or document numbers as figures", () => {
    const fs = figures("Theo Quyét dinh s6 1242/QD-TTg, UBND tinh da ban hanh Quyét dinh s 567/QD—UBND ngay 06/5/2025; Nghi quyét s6 20-NQ/TW; thanh 1ap méi d6ng.");
    expect(fs.map((f) => f.value)).toEqual([]);
  });

  it("keeps qualifiers: trên, từ … trở lên, dưới, khoảng, ít nhất", () => {
    const fs = figures("- Phan d4u thanh 1ap moi trén 15 HTX, dén hét nim 2026 nang tong sd hop tac xa lén 475 HTX.\nThành lập mới từ 35 HTX trở lên; đưa tỷ lệ HTX yếu kém xuống còn dưới 10%.\nCó khoảng 9.000 thành viên; có ít nhất 20% hộ nông dân tham gia.", "4. Một số mục tiêu cụ thể");
    expect(one(fs, 15)).toMatchObject({ qualifier: "over", kind: "target", period: { year: 2026 }, raw: "trén 15 HTX" });
    expect(one(fs, 475).qualifier).toBe("exact");
    expect(one(fs, 35).qualifier).toBe("at-least");
    expect(one(fs, 10).qualifier).toBe("under");
    expect(one(fs, 9000).qualifier).toBe("about");
    expect(one(fs, 20).qualifier).toBe("at-least");
  });

  it("parses ranges and fractions", () => {
    const fs = figures("Thu nhập bình quân ước đạt 5,0 - 5,5 triệu đồng/người/tháng. Số HTX đạt loại khá, tốt là: 80/285 HTX đang hoạt động.");
    expect(one(fs, 5)).toMatchObject({ max: 5.5, qualifier: "range", unit: "triệu đồng", per: "người/tháng" });
    expect(fs.filter((f) => f.value === 5.5)).toHaveLength(0);
    expect(one(fs, 80)).toMatchObject({ of: 285, unit: "HTX" });
  });

  it("carries the lead-in of a list into its bullet items", () => {
    const fs = figures("6.2. Nhu cau von dau tu thyc hién Chuong trinh nam 2026 1a: 16.650 tri¢u dong, trong do:\n- Ngén sach Trung wong: 11.650 triéu dong.\n- Ngén sach dia phuong: 5.000 triéu dong.", "6. Nguồn vốn thực hiện");
    const central = one(fs, 11650);
    expect(central.measure).toContain("ngan sach trung uong"); // OCR "Ngén … wong" repaired
    expect(central.context).toContain("von dau tu");
    expect(one(fs, 16650).unit).toBe("triệu đồng");
  });

  it("inherits an 'as of' date that opens the passage", () => {
    const fs = figures("Đến ngày 30/6/2023, tổng số thành viên THT có khoảng 4.650 người. Ước đến ngày 31/12/2023, số thành viên THT là 5.050 thành viên.\nTổng số thành viên HTX là 5.409 người, đạt 115% kế hoạch.", "d) Về thành viên");
    expect(one(fs, 5409)).toMatchObject({ kind: "actual", period: { date: "2023-06-30" } });
    expect(one(fs, 5050)).toMatchObject({ kind: "estimate", period: { date: "2023-12-31" } });
    expect(one(fs, 115).kind).toBe("plan-ratio");
  });

  it("gives every figure an exact source span inside its sentence", () => {
    const body = "Tổng vốn điều lệ của các HTX: 707.307 triệu đồng. Tổng số thành viên là 4.290 thành viên.";
    const text = normalizeText(`1. A\n${body}`);
    const sections = detectSections(text);
    const fs = extractFigures({ meta: META, text, sections, chunks: chunkDocument("t", text, sections, null) });
    for (const f of fs) {
      expect(text.slice(f.start, f.end)).toBe(f.raw);
      expect(text.slice(f.sentenceStart, f.sentenceStart + f.sentence.length)).toBe(f.sentence);
      expect(f.sentence).toContain(f.raw);
    }
    expect(fs.map((f) => f.value)).toEqual([707307, 4290]);
  });
});

describe("splitSentences", () => {
  it("splits at bullets, blank lines and sentence ends, not inside numbers", () => {
    const t = "Có 1.790 triệu đồng, trong đó:\n- Ngân sách: 140 triệu đồng.\n- Khác: 5 HTX. Câu mới ở đây.";
    const parts = splitSentences(t).map((s) => t.slice(s.start, s.end));
    expect(parts).toEqual(["Có 1.790 triệu đồng, trong đó:", "- Ngân sách: 140 triệu đồng.", "- Khác: 5 HTX.", "Câu mới ở đây."]);
  });
});

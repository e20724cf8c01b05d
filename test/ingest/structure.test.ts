import { describe, expect, it } from "vitest";
import { chunkDocument, detectHeading, detectSections, headingPath } from "../../ingest/structure.js";
import { normalizeText } from "../../knowledge/text/normalize.js";

describe("detectHeading", () => {
  it("recognises the document's own heading styles, OCR-noisy ones included", () => {
    expect(detectHeading("Phần thứ nhất")?.level).toBe(1);
    expect(detectHeading("' Phén thir hai")?.level).toBe(1);
    expect(detectHeading("I. TÌNH HÌNH PHÁT TRIỂN KINH TẾ TẬP THỂ, HTX NĂM 2024")?.level).toBe(2);
    expect(detectHeading("[. MUC TIEU")?.level).toBe(2);
    expect(detectHeading("I11. TO CHUC THUC HIEN")?.level).toBe(2);
    expect(detectHeading("4. Một số mục tiêu cụ thể")?.level).toBe(3);
    expect(detectHeading("4.2. Đối với HTX:")?.level).toBe(4);
    expect(detectHeading("2.1 Về các THT và LHHTX")?.level).toBe(4);
    expect(detectHeading("đ) Về trình độ cán bộ quản lý hợp tác xã")?.kind).toBe("letter");
  });

  it("does not take body lines, list items, footnotes or figures for headings", () => {
    expect(detectHeading("- Ngân sách Trung ương: 1.650 triệu đồng.")).toBeNull();
    expect(detectHeading("1. Đề nghị Trung ương tổ chức tập huấn trong việc xây dựng kế hoạch.")).toBeNull();
    expect(detectHeading("2 Ké hoach sb 823/KH-UBND, ngay 25/3/2025, K& hoach Thuc hién")).toBeNull();
    expect(detectHeading("1.790 triệu đồng")).toBeNull();
    expect(detectHeading("A) dang ky tham gia Tuan 1& xuc tién thuong mai")).toBeNull();
    expect(detectHeading("30/6/2025 toàn tỉnh có 448 HTX")).toBeNull();
  });
});

const SAMPLE = normalizeText(`KẾ HOẠCH
Phần thứ hai
KẾ HOẠCH PHÁT TRIỂN KTTT, HTX NĂM 2025
1. Dự báo những thuận lợi, khó khăn
Nội dung dự báo.
4. Một số mục tiêu cụ thể
4.1. Đối với Liên hiệp HTX:
Phấn đấu thành lập mới 01 Liên hiệp HTX với 21 HTX thành viên.
4.2. Đối với HTX:
Thành lập mới từ 35 HTX trở lên.
Thu nhập bình quân thành viên HTX hoạt động trong lĩnh vực nông nghiệp: 64 triệu đồng/năm.
`);

describe("detectSections and chunkDocument", () => {
  it("builds the section tree with the part title joined to its heading", () => {
    const sections = detectSections(SAMPLE);
    const headings = sections.map((s) => s.heading);
    expect(headings).toContain("Phần thứ hai — KẾ HOẠCH PHÁT TRIỂN KTTT, HTX NĂM 2025");
    const s42 = sections.find((s) => s.heading.startsWith("4.2."))!;
    expect(headingPath(sections, s42.id)).toEqual([
      "Phần thứ hai — KẾ HOẠCH PHÁT TRIỂN KTTT, HTX NĂM 2025",
      "4. Một số mục tiêu cụ thể",
      "4.2. Đối với HTX:",
    ]);
  });

  it("keeps chunks inside sections, with their heading path and exact offsets", () => {
    const sections = detectSections(SAMPLE);
    const chunks = chunkDocument("doc", SAMPLE, sections, null);
    const c = chunks.find((x) => x.text.includes("35 HTX"))!;
    expect(c.path.at(-1)).toBe("4.2. Đối với HTX:");
    expect(c.text).toContain("64 triệu đồng/năm");
    expect(c.text).not.toContain("21 HTX");
    for (const ch of chunks) expect(SAMPLE.slice(ch.start, ch.end)).toBe(ch.text);
  });

  it("splits long sections at sentence ends within the size bound", () => {
    const long = normalizeText(`1. Mục lớn\n${"Câu văn khá dài về hợp tác xã và thành viên. ".repeat(80)}`);
    const chunks = chunkDocument("d", long, detectSections(long), null, { maxChars: 400, minChars: 100 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(400);
      expect(c.path).toEqual(["1. Mục lớn"]);
    }
  });

  it("assigns page numbers from page spans", () => {
    const text = "1. Mục một\nTrang một có nội dung.\n\n2. Mục hai\nTrang hai có nội dung.";
    const pages = [
      { page: 1, start: 0, end: 33 },
      { page: 2, start: 35, end: text.length },
    ];
    const chunks = chunkDocument("p", text, detectSections(text), pages);
    expect(chunks.map((c) => c.page)).toEqual([1, 2]);
  });
});

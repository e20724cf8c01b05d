import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectDate, detectKind, detectMetadata, detectNumber, detectProvince, findProvinces } from "../../ingest/metadata.js";
import { normalizeText } from "../../knowledge/text/normalize.js";

const corpus = (f: string) => normalizeText(readFileSync(new URL(`../../knowledge/corpus/${f}`, import.meta.url), "utf8"));

describe("document metadata", () => {
  it("reads the OCR header of the Cao Bằng plan", () => {
    const m = detectMetadata("cb", "cb.txt", corpus("cao-bang-ke-hoach-kttt-htx-2026.txt"), "h", null);
    expect(m).toMatchObject({ province: "Cao Bằng", kind: "ke-hoach", number: "2672/KH-UBND", date: "2025-08-25", period: { from: 2026, to: 2026 }, reviewYear: 2025 });
  });

  it("reads the resolution number, date and period", () => {
    const m = detectMetadata("nq", "nq.txt", corpus("bac-kan-nghi-quyet-09-nq-tu-2021-2025.txt"), "h", null);
    expect(m).toMatchObject({ province: "Bắc Kạn", kind: "nghi-quyet", number: "09-NQ/TU", date: "2021-04-22", period: { from: 2021, to: 2025 }, reviewYear: null });
  });

  it("handles a blank number and day, and a file without header", () => {
    const ls = detectMetadata("ls", "ls.md", corpus("lang-son-ke-hoach-kttt-htx-2024.md"), "h", null);
    expect(ls).toMatchObject({ province: "Lạng Sơn", number: null, date: "2023-07", period: { from: 2024, to: 2024 } });
    const bk = detectMetadata("bk", "bk.txt", corpus("bac-kan-ke-hoach-kttt-htx-2025.txt"), "h", null);
    expect(bk).toMatchObject({ province: "Bắc Kạn", kind: "ke-hoach", period: { from: 2025, to: 2025 }, reviewYear: 2024 });
  });

  it("lets the metadata file correct what detection found", () => {
    const m = detectMetadata("x", "x.txt", "KẾ HOẠCH\nnăm 2030", "h", null, { title: "Tên đúng", province: "Hà Giang" });
    expect(m.title).toBe("Tên đúng");
    expect(m.province).toBe("Hà Giang");
  });

  it("finds provinces typed without diacritics or spaces", () => {
    expect(findProvinces("chi tieu htx cao bang 2026")).toEqual(["Cao Bằng"]);
    expect(findProvinces("langson va bac kan")).toEqual(["Lạng Sơn", "Bắc Kạn"]);
    expect(detectProvince("Tỉnh Thái Nguyên, tỉnh Thái Nguyên")).toBe("Thái Nguyên");
    expect(detectKind("NGHỊ QUYẾT về phát triển")).toBe("nghi-quyet");
    expect(detectNumber("Số: 115/KH-UBND")).toBe("115/KH-UBND");
    expect(detectDate("Lạng Sơn, ngày 15 tháng 5 năm 2023")).toBe("2023-05-15");
  });
});

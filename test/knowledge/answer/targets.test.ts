import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { listTargets, type TargetTable } from "../../../knowledge/answer/targets.js";
import { tidy } from "../../../knowledge/answer/compose.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.cleanup());

const displays = (table: TargetTable) => table.rows.map((r) => r.display.vi);
const row = (table: TargetTable, display: string) => table.rows.find((r) => r.display.vi === display);

describe("listTargets", () => {
  it("lists Cao Bằng's 2026 targets with qualifiers, labels in the document's words and sources", () => {
    const tables = listTargets(t.app.engine, { province: "cao bang", year: 2026 });
    expect(tables.map((x) => x.doc.id)).toEqual(["cao-bang-ke-hoach-kttt-htx-2026"]);
    const table = tables[0]!;
    expect(displays(table)).toEqual(expect.arrayContaining(["trên 15 HTX", "475 HTX", "trên 80%", "trên 70%"]));
    // "giải thể các HTX không hoạt động trong 12 tháng" is a condition, not a target value.
    expect(displays(table)).not.toContain("12 tháng");
    const newOnes = row(table, "trên 15 HTX")!;
    expect(newOnes.label.toLowerCase()).toContain("thanh 1ap moi");
    expect(newOnes.period.vi).toBe("năm 2026");
    expect(newOnes.source.section).toMatch(/muc ti/i);
    expect(newOnes.source.quote).toContain("15 HTX");
  });

  it("gives Bắc Kạn's 2025 plan and resolution 09-NQ/TU as two tables", () => {
    const tables = listTargets(t.app.engine, { province: "Bắc Kạn" });
    expect(tables.map((x) => x.doc.id)).toEqual(["bac-kan-ke-hoach-kttt-htx-2025", "bac-kan-nghi-quyet-09-nq-tu-2021-2025"]);
    const [plan, nq] = tables as [TargetTable, TargetTable];
    expect(displays(plan)).toEqual(expect.arrayContaining(["từ 35 HTX trở lên", "64 triệu đồng/năm", "282 triệu đồng", "dưới 10%", "từ 25 THT trở lên"]));
    expect(row(plan, "từ 35 HTX trở lên")!.label).toBe("Thành lập mới");
    expect(row(plan, "64 triệu đồng/năm")!.label).toBe("Thu nhập bình quân thành viên HTX hoạt động trong lĩnh vực nông nghiệp");
    expect(row(plan, "282 triệu đồng")!.label).toBe("Lợi nhuận bình quân HTX");
    expect(row(plan, "241 người")!.label).toBe("Cán bộ quản lý HTX đạt trình độ cao đẳng, đại học");
    expect(displays(nq)).toEqual(expect.arrayContaining(["350 HTX", "từ 75% trở lên", "khoảng 70%", "từ 20% trở lên"]));
    expect(row(nq, "350 HTX")!.period.vi).toBe("đến năm 2025");
    // Unit-less noise of the OCR ("ty 1&") is not a target.
    expect(nq.rows.every((r) => r.figure.unit !== null)).toBe(true);
  });

  it("gives Lạng Sơn's 2024 targets", () => {
    const [table] = listTargets(t.app.engine, { province: "lang son", year: 2024 });
    expect(row(table!, "từ 50 HTX trở lên")!.label).toBe("Số HTX thành lập mới");
    expect(row(table!, "từ 40% trở lên")!.label).toBe("Số HTX hoạt động khá, tốt");
  });

  it("keeps only targets: no estimates, asides, plan ratios or duplicates; quotes are verbatim", () => {
    for (const table of listTargets(t.app.engine)) {
      const text = tidy(t.app.engine.recordsById.get(table.doc.id)!.text);
      const keys = new Set<string>();
      for (const r of table.rows) {
        expect(r.figure.kind).toBe("target");
        expect(r.figure.aside).toBe(false);
        expect(text).toContain(r.source.quote);
        expect(t.app.engine.chunksById.get(r.source.chunkId)!.docId).toBe(table.doc.id);
        const key = `${r.label}|${r.display.vi}`;
        expect(keys.has(key)).toBe(false);
        keys.add(key);
      }
      // Funding needs (nhu cầu vốn) are not targets.
      expect(table.rows.some((r) => /nguồn vốn|nguon von/i.test(r.source.section))).toBe(false);
    }
  });

  it("returns nothing for a year or province the documents do not plan for", () => {
    expect(listTargets(t.app.engine, { province: "Cao Bằng", year: 2030 })).toEqual([]);
    expect(listTargets(t.app.engine, { province: "Hà Nội" })).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { compareMeasure } from "../../../knowledge/answer/compare.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.cleanup());

describe("compareMeasure", () => {
  it("puts the new-cooperative targets of three provinces side by side with computed gaps", () => {
    const c = compareMeasure(t.app.engine, "thanh lap moi htx", t.app.tools);
    const byDoc = new Map(c.entries.map((e) => [e.doc.id, e]));
    expect(byDoc.get("cao-bang-ke-hoach-kttt-htx-2026")!.display.vi).toBe("trên 15 HTX");
    expect(byDoc.get("bac-kan-ke-hoach-kttt-htx-2025")!.display.vi).toBe("từ 35 HTX trở lên");
    expect(byDoc.get("lang-son-ke-hoach-kttt-htx-2024")!.display.vi).toBe("từ 50 HTX trở lên");
    expect(c.missing.map((d) => d.id)).toEqual(["bac-kan-nghi-quyet-09-nq-tu-2021-2025"]);
    const gap = c.differences.find((d) => c.entries[d.to]!.doc.id.startsWith("cao-bang") && c.entries[d.from]!.doc.id.startsWith("lang-son"))!;
    expect(gap.tool).toBe("gap");
    expect(gap.result.value).toBe(-35);
    expect(gap.result.formula).toBe("15 − 50 = -35 HTX");
    expect(c.differences).toHaveLength(3);
  });

  it("compares a share across the plan and the resolution, and says which documents lack it", () => {
    const c = compareMeasure(t.app.engine, "HTX hoạt động khá, tốt", t.app.tools);
    const values = c.entries.map((e) => [e.doc.id, e.figure.value, e.figure.unit]);
    expect(values).toEqual(
      expect.arrayContaining([
        ["bac-kan-nghi-quyet-09-nq-tu-2021-2025", 75, "%"],
        ["lang-son-ke-hoach-kttt-htx-2024", 40, "%"],
      ]),
    );
    expect(c.differences[0]!.result.formula).toBe("75 − 40 = 35%");
    expect(c.missing.length).toBeGreaterThan(0);
  });

  it("only computes differences between figures in the same unit", () => {
    const c = compareMeasure(t.app.engine, "thu nhập bình quân thành viên", t.app.tools);
    expect(c.entries.length).toBeGreaterThanOrEqual(3);
    for (const d of c.differences) {
      const a = c.entries[d.to]!.figure;
      const b = c.entries[d.from]!.figure;
      expect(`${a.unit}/${a.per}`).toBe(`${b.unit}/${b.per}`);
    }
  });

  it("narrows to a province and finds nothing for words the corpus never uses", () => {
    const bk = compareMeasure(t.app.engine, "thành lập mới HTX Bắc Kạn", t.app.tools);
    expect(bk.entries.every((e) => e.doc.province === "Bắc Kạn")).toBe(true);
    const none = compareMeasure(t.app.engine, "vietcombank", t.app.tools);
    expect(none.entries).toEqual([]);
    expect(none.missing).toHaveLength(t.app.engine.docs.length);
  });
});

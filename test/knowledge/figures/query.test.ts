import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { queryFigures } from "../../../knowledge/figures/query.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.cleanup());

describe("queryFigures", () => {
  it("finds figures by province (without diacritics), year, kind and measure", () => {
    const found = queryFigures(t.app.engine, { province: "cao bang", year: 2026, kind: "target", measure: "thành lập mới HTX" });
    expect(found[0]!.figure).toMatchObject({ value: 15, unit: "HTX", qualifier: "over", docId: "cao-bang-ke-hoach-kttt-htx-2026" });
    for (const m of found) expect(m.figure).toMatchObject({ kind: "target", period: { year: 2026 } });
  });

  it("filters by unit and document, and limits the result", () => {
    const found = queryFigures(t.app.engine, { document: "lang-son-ke-hoach-kttt-htx-2024", unit: "triệu đồng", limit: 3 });
    expect(found).toHaveLength(3);
    for (const m of found) expect(m.figure).toMatchObject({ docId: "lang-son-ke-hoach-kttt-htx-2024", unit: "triệu đồng" });
  });

  it("returns nothing for a province the corpus does not cover, and rejects bad queries", () => {
    expect(queryFigures(t.app.engine, { province: "Hà Giang" })).toEqual([]);
    expect(() => queryFigures(t.app.engine, { limit: 0 })).toThrow();
  });
});

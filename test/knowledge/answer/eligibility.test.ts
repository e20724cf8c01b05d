import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { conditionSentences, findPrograms } from "../../../knowledge/answer/eligibility.js";
import { tidy } from "../../../knowledge/answer/compose.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.cleanup());

describe("conditionSentences", () => {
  it("keeps the sentences that state conditions, verbatim", () => {
    expect(conditionSentences("Tỉnh tạo điều kiện cho HTX. Mỗi HTX được hỗ trợ một lần, độ tuổi không quá 35. Kết quả tốt.")).toEqual([
      "Mỗi HTX được hỗ trợ một lần, độ tuổi không quá 35.",
    ]);
  });
});

describe("findPrograms", () => {
  it("gives Bắc Kạn's cooperative fund for capital, with the loan terms as written", () => {
    const r = findPrograms(t.app.engine, { province: "Bắc Kạn", sector: "agriculture", stage: "operating", need: "capital" });
    expect(r.stated).toBe(true);
    const first = r.programs[0]!;
    expect(first.policy.category).toBe("credit");
    expect(first.conditions.join(" ")).toContain("lãi suất ưu đãi 6,8%/năm");
  });

  it("gives the young-staff conditions exactly as written", () => {
    const r = findPrograms(t.app.engine, { province: "bac kan", sector: "any", stage: "operating", need: "staff" });
    const hr = r.programs.find((p) => p.policy.category === "human-resources")!;
    expect(hr.conditions).toContain(
      "Mỗi HTX được hỗ trợ một lần để thuê 01 lao động có trình độ Cao đẳng trở lên về làm việc tại HTX, lao động là thành viên, con em thành viên HTX và người lao động thuê ngoài, độ tuổi không quá 35 tuổi đối với lao động là nữ và không quá 40 đối với nam.",
    );
    const text = tidy(t.app.engine.recordsById.get(hr.policy.doc.id)!.text);
    for (const c of hr.conditions) expect(text).toContain(c);
  });

  it("puts establishment support first for a new cooperative", () => {
    const r = findPrograms(t.app.engine, { province: "Lạng Sơn", sector: "any", stage: "new", need: "market" });
    expect(r.stated).toBe(true);
    expect(r.programs[0]!.reason).toBe("establishment");
    expect(r.programs.some((p) => p.reason === "need" && p.policy.category === "trade")).toBe(true);
  });

  it("filters by sector when a passage names it: Bắc Kạn's infrastructure support is for agricultural cooperatives", () => {
    const ag = findPrograms(t.app.engine, { province: "Bắc Kạn", sector: "agriculture", stage: "operating", need: "infrastructure" });
    expect(ag.stated).toBe(true);
    expect(ag.programs[0]!.policy.text).toContain("14 hợp tác xã nông nghiệp");
    const non = findPrograms(t.app.engine, { province: "Bắc Kạn", sector: "non-agriculture", stage: "operating", need: "infrastructure" });
    expect(non.stated).toBe(false);
    expect(non.notStated!.vi).toContain("không nêu");
  });

  it("says plainly when the documents state nothing for the profile", () => {
    const r = findPrograms(t.app.engine, { province: "Cao Bằng", sector: "agriculture", stage: "operating", need: "insurance" });
    expect(r.stated).toBe(false);
    expect(r.programs).toEqual([]);
    expect(r.notStated!.vi).toBe("Các tài liệu của Cao Bằng không nêu chính sách hỗ trợ về bảo hiểm (Bảo hiểm) cho HTX trong lĩnh vực nông nghiệp.");
    expect(r.notStated!.en).toContain("do not state");
    const elsewhere = findPrograms(t.app.engine, { province: "Hà Nội", need: "capital" });
    expect(elsewhere.stated).toBe(false);
    expect(elsewhere.notStated!.vi).toMatch(/^Không có trong tài liệu/);
  });
});

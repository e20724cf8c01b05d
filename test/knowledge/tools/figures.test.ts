import { describe, expect, it } from "vitest";
import { createTools, runTool, ToolError, type ToolInput } from "../../../knowledge/tools/index.js";

const tools = createTools();

function fig(label: string, value: number, unit: string | null = null, extra: Partial<ToolInput> = {}): ToolInput {
  return { label, value, unit, ...extra };
}

function toolError(fn: () => unknown): ToolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ToolError) return e;
    throw e;
  }
  throw new Error("expected a ToolError");
}

describe("createTools", () => {
  it("returns every tool keyed by its name, with bilingual titles and descriptions", () => {
    const names = Object.keys(tools);
    expect(names).toEqual(["calculator", "percentOf", "percentChange", "achievement", "gap", "sum", "average", "mean", "convertUnit"]);
    for (const [key, tool] of Object.entries(tools)) {
      expect(tool.name).toBe(key);
      expect(tool.title.vi).not.toBe("");
      expect(tool.title.en).not.toBe("");
      expect(tool.description.vi).not.toBe("");
      expect(tool.description.en).not.toBe("");
      expect(typeof tool.schema.safeParse).toBe("function");
    }
  });
});

describe("percentOf", () => {
  it("computes the share of HTX (11.650 of 16.650)", () => {
    const r = tools.percentOf.run({
      part: fig("HTX nông nghiệp", 11650, "HTX", { source: "Kế hoạch › Thực trạng", citation: 2 }),
      whole: fig("Tổng số HTX", 16650, "HTX"),
    });
    expect(r.tool).toBe("percentOf");
    expect(r.value).toBeCloseTo(69.96997, 4);
    expect(r.unit).toBe("%");
    expect(r.display).toBe("69,97%");
    expect(r.formula).toBe("11.650 ÷ 16.650 × 100 = 69,97%");
    expect(r.inputs).toEqual([
      { label: "HTX nông nghiệp", value: 11650, unit: "HTX", source: "Kế hoạch › Thực trạng", citation: 2 },
      { label: "Tổng số HTX", value: 16650, unit: "HTX", source: null, citation: null },
    ]);
  });

  it("converts the part to the whole's money unit", () => {
    const r = tools.percentOf.run({ part: fig("Vốn", 36.48, "tỷ đồng"), whole: fig("Tổng", 50000, "triệu đồng") });
    expect(r.display).toBe("72,96%");
    expect(r.formula).toBe("36,48 tỷ đồng = 36.480 triệu đồng; 36.480 ÷ 50.000 × 100 = 72,96%");
  });

  it("refuses a zero whole", () => {
    const e = toolError(() => tools.percentOf.run({ part: fig("a", 1), whole: fig("b", 0) }));
    expect(e.code).toBe("division-by-zero");
    expect(e.message).toBe("Không thể chia cho 0 (tổng bằng 0).");
    expect(e.en).toBe("Division by zero (the whole is 0).");
  });
});

describe("percentChange", () => {
  it("shows a rise with a plus sign", () => {
    const r = tools.percentChange.run({ from: fig("2024", 460, "HTX"), to: fig("2025", 475, "HTX") });
    expect(r.value).toBeCloseTo(3.2608696, 6);
    expect(r.display).toBe("+3,26%");
    expect(r.formula).toBe("(475 − 460) ÷ 460 × 100 = +3,26%");
  });

  it("shows a fall with a minus sign and no change as 0%", () => {
    const down = tools.percentChange.run({ from: fig("a", 475), to: fig("b", 460) });
    expect(down.display).toBe("-3,16%");
    expect(down.formula).toBe("(460 − 475) ÷ 475 × 100 = -3,16%");
    expect(tools.percentChange.run({ from: fig("a", 5), to: fig("b", 5) }).display).toBe("0%");
  });

  it("refuses a zero base", () => {
    const e = toolError(() => tools.percentChange.run({ from: fig("a", 0), to: fig("b", 5) }));
    expect(e.code).toBe("division-by-zero");
    expect(e.message).toBe("Không thể chia cho 0 (giá trị gốc bằng 0).");
  });
});

describe("achievement", () => {
  it("compares an estimate with the plan (460 trained of 442 planned)", () => {
    const r = tools.achievement.run({ actual: fig("Ước thực hiện", 460, "người"), target: fig("Kế hoạch", 442, "người") });
    expect(r.value).toBeCloseTo(104.0723982, 6);
    expect(r.unit).toBe("%");
    expect(r.display).toBe("104,07%");
    expect(r.formula).toBe("460 ÷ 442 × 100 = 104,07%");
    expect(r.inputs.map((i) => i.label)).toEqual(["Ước thực hiện", "Kế hoạch"]);
  });

  it("refuses a zero target", () => {
    const e = toolError(() => tools.achievement.run({ actual: fig("a", 1), target: fig("b", 0) }));
    expect(e.message).toBe("Không thể chia cho 0 (kế hoạch bằng 0).");
  });
});

describe("gap", () => {
  it("computes what is still needed (475 − 460 = 15 HTX)", () => {
    const r = tools.gap.run({ actual: fig("Hiện có", 460, "HTX"), target: fig("Mục tiêu", 475, "HTX") });
    expect(r).toMatchObject({ tool: "gap", value: 15, unit: "HTX", display: "15 HTX", formula: "475 − 460 = 15 HTX" });
  });

  it("goes negative when the target is exceeded and converts money", () => {
    expect(tools.gap.run({ actual: fig("a", 480, "HTX"), target: fig("b", 475, "HTX") }).display).toBe("-5 HTX");
    const money = tools.gap.run({ actual: fig("a", 1.79, "tỷ đồng"), target: fig("b", 2200, "triệu đồng") });
    expect(money).toMatchObject({
      value: 410,
      unit: "triệu đồng",
      display: "410 triệu đồng",
      formula: "1,79 tỷ đồng = 1.790 triệu đồng; 2.200 − 1.790 = 410 triệu đồng",
    });
  });
});

describe("sum", () => {
  it("adds amounts in one unit", () => {
    const r = tools.sum.run({ items: [fig("a", 1790, "triệu đồng"), fig("b", 16650, "triệu đồng")] });
    expect(r).toMatchObject({ value: 18440, unit: "triệu đồng", display: "18.440 triệu đồng", formula: "1.790 + 16.650 = 18.440 triệu đồng" });
  });

  it("converts money to the first item's unit and says so", () => {
    const r = tools.sum.run({ items: [fig("a", 500, "triệu"), fig("b", 36.48, "tỷ đồng"), fig("c", 20, "trieu dong")] });
    expect(r.value).toBe(37000);
    expect(r.unit).toBe("triệu đồng");
    expect(r.formula).toBe("36,48 tỷ đồng = 36.480 triệu đồng; 500 + 36.480 + 20 = 37.000 triệu đồng");
  });

  it("drops the unit when units differ and needs two items", () => {
    const r = tools.sum.run({ items: [fig("a", 15, "HTX"), fig("b", 3, "THT")] });
    expect(r).toMatchObject({ value: 18, unit: null, display: "18" });
    expect(tools.sum.run({ items: [fig("a", 15, "HTX"), fig("b", 3, "htx")] }).display).toBe("18 HTX");
    const e = toolError(() => tools.sum.run({ items: [fig("a", 1)] }));
    expect(e.code).toBe("invalid-input");
    expect(e.message).toBe("Dữ liệu đầu vào không hợp lệ: items: cần ít nhất 2 phần tử.");
  });
});

describe("average and mean", () => {
  it("divides funding among cooperatives (31.580 triệu đồng for 14 HTX)", () => {
    const r = tools.average.run({ total: fig("Tổng kinh phí", 31580, "triệu đồng"), count: fig("Số HTX", 14, "HTX") });
    expect(r.value).toBeCloseTo(2255.7142857, 6);
    expect(r.unit).toBe("triệu đồng/HTX");
    expect(r.display).toBe("2.255,71 triệu đồng/HTX");
    expect(r.formula).toBe("31.580 ÷ 14 = 2.255,71 triệu đồng/HTX");
  });

  it("divides plain numbers (4.650 ÷ 230)", () => {
    const r = tools.average.run({ total: fig("a", 4650), count: fig("b", 230) });
    expect(r).toMatchObject({ unit: null, display: "20,22", formula: "4.650 ÷ 230 = 20,22" });
    expect(r.value).toBeCloseTo(20.2173913, 6);
  });

  it("refuses a zero count", () => {
    const e = toolError(() => tools.average.run({ total: fig("a", 10), count: fig("b", 0, "HTX") }));
    expect(e.code).toBe("division-by-zero");
    expect(e.message).toBe("Không thể chia cho 0 (số lượng bằng 0).");
    expect(e.en).toBe("Division by zero (the count is 0).");
  });

  it("averages several figures", () => {
    const r = tools.mean.run({ items: [fig("a", 1, "HTX"), fig("b", 2, "HTX"), fig("c", 4, "HTX")] });
    expect(r).toMatchObject({ unit: "HTX", display: "2,33 HTX", formula: "(1 + 2 + 4) ÷ 3 = 2,33 HTX" });
    expect(r.value).toBeCloseTo(7 / 3, 12);
    expect(tools.mean.run({ items: [fig("a", 5)] }).formula).toBe("5 ÷ 1 = 5");
    expect(toolError(() => tools.mean.run({ items: [] })).code).toBe("invalid-input");
  });
});

describe("convertUnit", () => {
  it("converts 36,48 tỷ đồng to 36.480 triệu đồng", () => {
    const r = tools.convertUnit.run({ value: 36.48, from: "tỷ đồng", to: "triệu đồng" });
    expect(r).toEqual({
      tool: "convertUnit",
      value: 36480,
      unit: "triệu đồng",
      display: "36.480 triệu đồng",
      formula: "36,48 tỷ đồng × 1.000 = 36.480 triệu đồng",
      inputs: [{ label: "Số tiền", value: 36.48, unit: "tỷ đồng", source: null, citation: null }],
    });
  });

  it("accepts unit spellings without diacritics and converts down", () => {
    const r = tools.convertUnit.run({ value: 1790, from: "trieu dong", to: "ty" });
    expect(r).toMatchObject({ value: 1.79, unit: "tỷ đồng", display: "1,79 tỷ đồng", formula: "1.790 triệu đồng ÷ 1.000 = 1,79 tỷ đồng" });
    expect(tools.convertUnit.run({ value: 2, from: "triệu", to: "VND" }).display).toBe("2.000.000 đồng");
    expect(tools.convertUnit.run({ value: 5, from: "tỷ", to: "tỷ đồng" }).formula).toBe("5 tỷ đồng = 5 tỷ đồng");
  });

  it("refuses unknown units", () => {
    const e = toolError(() => tools.convertUnit.run({ value: 1, from: "USD", to: "triệu đồng" }));
    expect(e.code).toBe("unknown-unit");
    expect(e.message).toBe('Không nhận ra đơn vị tiền "USD" (dùng: đồng, nghìn đồng, triệu đồng, tỷ đồng).');
    expect(e.en).toBe('Unknown money unit "USD" (use: đồng, nghìn đồng, triệu đồng, tỷ đồng).');
  });
});

describe("input validation", () => {
  it.each([Number.NaN, Infinity, -Infinity])("rejects the non-finite value %d", (bad) => {
    const e = toolError(() => tools.percentOf.run({ part: fig("a", bad), whole: fig("b", 1) }));
    expect(e.code).toBe("non-finite");
    expect(e.message).toBe("Giá trị không phải là số hữu hạn (part.value).");
    expect(e.en).toBe("Value is not a finite number (part.value).");
  });

  it("names the item of a list that is not finite", () => {
    const e = toolError(() => tools.sum.run({ items: [fig("a", 1), fig("b", Infinity)] }));
    expect(e.message).toBe("Giá trị không phải là số hữu hạn (items[1].value).");
    expect(toolError(() => tools.convertUnit.run({ value: Number.NaN, from: "tỷ", to: "triệu" })).code).toBe("non-finite");
  });

  it("rejects missing and mistyped fields", () => {
    const missing = toolError(() => tools.percentOf.run({ part: fig("a", 1) } as never));
    expect(missing.code).toBe("invalid-input");
    expect(missing.message).toBe("Dữ liệu đầu vào không hợp lệ: whole: bị thiếu.");
    const typed = toolError(() => tools.gap.run({ actual: fig("a", 1), target: { label: "b", value: "5" } } as never));
    expect(typed.message).toBe("Dữ liệu đầu vào không hợp lệ: target.value: cần kiểu number.");
  });
});

describe("runTool", () => {
  it("runs a tool by name on untrusted arguments", () => {
    const r = runTool(tools, "gap", { actual: { label: "a", value: 460, unit: "HTX" }, target: { label: "b", value: 475, unit: "HTX" } });
    expect(r.display).toBe("15 HTX");
    expect(runTool(tools, "calculator", { expression: "80/285 %" }).display).toBe("28,07%");
  });

  it("refuses unknown tools and bad arguments", () => {
    const e = toolError(() => runTool(tools, "constructor", {}));
    expect(e.code).toBe("unknown-tool");
    expect(e.message).toBe('Không có công cụ "constructor".');
    expect(toolError(() => runTool(tools, "sum", null)).code).toBe("invalid-input");
  });
});

import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { calculate, createTools, MAX_DEPTH, ToolError } from "../../../knowledge/tools/index.js";

const { calculator } = createTools();

function expectToolError(fn: () => unknown, code: string, vi: RegExp | string, en?: RegExp | string): ToolError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ToolError);
  const err = caught as ToolError;
  expect(err.code).toBe(code);
  expect(err.message).toMatch(vi);
  if (en !== undefined) expect(err.en).toMatch(en);
  return err;
}

describe("calculator", () => {
  it("adds Vietnamese-formatted numbers", () => {
    const r = calculator.run({ expression: "1.790 + 16.650" });
    expect(r).toEqual({
      tool: "calculator",
      value: 18440,
      unit: null,
      display: "18.440",
      formula: "1.790 + 16.650 = 18.440",
      inputs: [
        { label: "1.790", value: 1790, unit: null, source: null, citation: null },
        { label: "16.650", value: 16650, unit: null, source: null, citation: null },
      ],
    });
  });

  it("turns a trailing ' %' into a percentage of the whole expression (Telegram '80/285 %')", () => {
    const r = calculator.run({ expression: "80/285 %" });
    expect(r.value).toBeCloseTo((80 / 285) * 100, 12);
    expect(r.unit).toBe("%");
    expect(r.display).toBe("28,07%");
    expect(r.formula).toBe("80 ÷ 285 × 100 = 28,07%");
  });

  it("brackets a sum before multiplying it by 100", () => {
    const r = calculator.run({ expression: "10 + 5 %" });
    expect(r.value).toBe(1500);
    expect(r.formula).toBe("(10 + 5) × 100 = 1.500%");
  });

  it("reads figures from the corpus", () => {
    const share = calculate("11.650 / 16.650 %");
    expect(share.display).toBe("69,97%");
    expect(share.formula).toBe("11.650 ÷ 16.650 × 100 = 69,97%");

    const perHtx = calculate("31.580 ÷ 14");
    expect(perHtx.value).toBeCloseTo(2255.7142857, 6);
    expect(perHtx.display).toBe("2.255,71");
    expect(perHtx.formula).toBe("31.580 ÷ 14 = 2.255,71");

    const ratio = calculate("4.650 / 230");
    expect(ratio.display).toBe("20,22");
    expect(ratio.value).toBeCloseTo(20.2173913, 6);
  });

  it("uses a postfix % right after an operand as ÷ 100", () => {
    expect(calculate("200 × 15%")).toMatchObject({ value: 30, unit: null, formula: "200 × 15% = 30" });
    // Without a space before it the % binds to 285: 80 ÷ 2,85 — the same number, no unit.
    expect(calculate("80/285%")).toMatchObject({ unit: null, display: "28,07", formula: "80 ÷ 285% = 28,07" });
  });

  it("takes a lone percentage as itself", () => {
    expect(calculate("50%")).toMatchObject({ value: 50, unit: "%", display: "50%" });
    expect(calculate("50 %")).toMatchObject({ value: 50, unit: "%", display: "50%" });
  });

  it("supports decimals, precedence, parentheses, unary minus, power and all operator spellings", () => {
    expect(calculate("63,62 * 2")).toMatchObject({ value: 127.24, display: "127,24", formula: "63,62 × 2 = 127,24" });
    expect(calculate("2 + 3 * 4").value).toBe(14);
    expect(calculate("(2 + 3) * 4")).toMatchObject({ value: 20, formula: "(2 + 3) × 4 = 20" });
    expect(calculate("3 x 4")).toMatchObject({ value: 12, formula: "3 × 4 = 12" });
    expect(calculate("3X(1+1)").value).toBe(6);
    expect(calculate("12 ÷ 4 × 3").value).toBe(9);
    expect(calculate("6 : 3").value).toBe(2);
    expect(calculate("475 − 460")).toMatchObject({ value: 15, formula: "475 − 460 = 15" });
    expect(calculate("10 – 4").value).toBe(6);
    expect(calculate("-5 + 3")).toMatchObject({ value: -2, display: "-2", formula: "-5 + 3 = -2" });
    expect(calculate("--5").value).toBe(5);
    expect(calculate("+5").value).toBe(5);
    expect(calculate("-2^2").value).toBe(-4);
    expect(calculate("2^3^2").value).toBe(512);
    expect(calculate("2^-1").value).toBe(0.5);
    expect(calculate("1,790.5 + 0.5").value).toBe(1791);
    expect(calculate("1790 - 1.000").value).toBe(790);
    expect(calculate("1.790 + 16.650 =").value).toBe(18440);
    expect(calculate("0,1 + 0,2")).toMatchObject({ display: "0,3" });
  });

  it("keeps full precision in value and rounds only the display", () => {
    const r = calculate("1 / 3");
    expect(r.value).toBe(1 / 3);
    expect(r.display).toBe("0,33");
    expect(calculate("1 / 3000").display).toBe("0,000333");
  });

  it("rejects code and malformed expressions", () => {
    expectToolError(() => calculate("process.exit()"), "unexpected-character", 'Ký tự không hợp lệ "p" ở vị trí 1.', /Unexpected character "p"/);
    expectToolError(() => calculate("constructor"), "unexpected-character", /"c"/);
    expectToolError(() => calculate("1+"), "unexpected-end", "Biểu thức chưa hoàn chỉnh (thiếu số sau phép tính).", /Incomplete/);
    expectToolError(() => calculate("(1"), "missing-parenthesis", 'Thiếu dấu ")".', 'Missing ")".');
    expectToolError(() => calculate("2**"), "unexpected-token", 'Không mong đợi "*" ở vị trí 3.', 'Unexpected "*" at position 3.');
    expectToolError(() => calculate("2**3"), "unexpected-token", /"\*"/);
    expectToolError(() => calculate("1 2"), "unexpected-token", 'Không mong đợi "2" ở vị trí 3.');
    expectToolError(() => calculate("1)"), "unexpected-token", /"\)"/);
    expectToolError(() => calculate("()"), "unexpected-token", /"\)"/);
    expectToolError(() => calculate("1..2"), "unexpected-character", /"\."/);
    expectToolError(() => calculate("x3"), "unexpected-character", /"x"/);
    expectToolError(() => calculate("3x"), "unexpected-character", /"x"/);
    expectToolError(() => calculate("Math.max(1,2)"), "unexpected-character", /"M"/);
    expectToolError(() => calculate("[1]"), "unexpected-character", /"\["/);
    expectToolError(() => calculate("1; 2"), "unexpected-character", /";"/);
    expectToolError(() => calculate("globalThis.pwned = 1"), "unexpected-character", /"g"/);
    expectToolError(() => calculate("`${1}`"), "unexpected-character", /"`"/);
    expectToolError(() => calculate("1 + 😀"), "unexpected-character", 'Ký tự không hợp lệ "😀" ở vị trí 5.');
  });

  it("rejects empty input", () => {
    expectToolError(() => calculate(""), "empty-expression", "Biểu thức trống.", "The expression is empty.");
    expectToolError(() => calculate("   "), "empty-expression", "Biểu thức trống.");
    expectToolError(() => calculate(" = "), "empty-expression", "Biểu thức trống.");
  });

  it("rejects division by zero", () => {
    expectToolError(() => calculate("1/0"), "division-by-zero", "Không thể chia cho 0.", "Division by zero.");
    expectToolError(() => calculate("5 ÷ (3 - 3)"), "division-by-zero", "Không thể chia cho 0.");
    expectToolError(() => calculate("1/0 %"), "division-by-zero", "Không thể chia cho 0.");
  });

  it("rejects non-finite results", () => {
    expectToolError(() => calculate("10^400"), "non-finite", "Kết quả không phải là số hữu hạn.", /finite/);
    expectToolError(() => calculate("0^-1"), "non-finite", /hữu hạn/);
    expectToolError(() => calculate("(-8)^0,5"), "non-finite", /hữu hạn/);
  });

  it("rejects too long input", () => {
    expectToolError(() => calculate("1+".repeat(250) + "1"), "expression-too-long", "Biểu thức quá dài (tối đa 500 ký tự).", /at most 500/);
    expect(calculate("1+".repeat(249) + "1").value).toBe(250); // 499 characters
  });

  it("rejects too deep nesting", () => {
    const deep = "(".repeat(MAX_DEPTH + 1) + "1" + ")".repeat(MAX_DEPTH + 1);
    expectToolError(() => calculate(deep), "too-deep", `Biểu thức lồng nhau quá sâu (tối đa ${MAX_DEPTH} tầng).`, /nested too deeply/);
    expectToolError(() => calculate("-".repeat(MAX_DEPTH + 1) + "1"), "too-deep", /quá sâu/);
    const ok = "(".repeat(MAX_DEPTH - 1) + "1" + ")".repeat(MAX_DEPTH - 1);
    expect(calculate(ok).value).toBe(1);
  });

  it("validates its input through the schema", () => {
    expectToolError(() => calculator.run({ expression: 42 } as never), "invalid-input", /expression: cần kiểu string/);
    expectToolError(() => calculator.run({} as never), "invalid-input", /expression: bị thiếu/);
  });
});

describe("calculator never evaluates code", () => {
  const g = globalThis as { __calcPwned?: unknown };
  afterEach(() => {
    delete g.__calcPwned;
  });

  it("leaves the global scope untouched for hostile input", () => {
    for (const attempt of ["__calcPwned = 1", "(globalThis.__calcPwned = 1)", "1; __calcPwned = 1", "eval('1')", "Function('return 1')()"]) {
      expect(() => calculate(attempt)).toThrow(ToolError);
    }
    expect(g.__calcPwned).toBeUndefined();
  });

  it("has no eval or Function constructor in its source", () => {
    const src = readFileSync(new URL("../../../knowledge/tools/calculator.ts", import.meta.url), "utf8");
    const code = src.replace(/\/\/.*$/gm, "");
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bFunction\s*\(/);
    expect(code).not.toMatch(/new\s+Function/);
  });
});

// Helpers shared by the tools: input validation, unit alignment and Vietnamese formatting.

import { z } from "zod";
import { convertMoney, formatViNumber, parseMoneyUnit, roundTo } from "../text/numbers.js";
import { foldPlain } from "../text/normalize.js";
import { ToolError, type ResolvedToolInput, type Tool, type ToolInput, type ToolResult } from "./types.js";

export const toolInputSchema = z
  .object({
    label: z.string().describe("What the figure measures, e.g. 'Số HTX thành lập mới năm 2024'"),
    value: z.number().describe("The figure as a plain number in its unit (1.790 triệu đồng → 1790)"),
    unit: z.string().nullish().describe("Unit as written: 'HTX', 'người', 'triệu đồng', 'tỷ đồng', '%'"),
    source: z.string().nullish().describe("Where the figure was quoted from"),
    citation: z.number().int().nullish().describe("Citation number of the passage quoting it"),
  })
  .describe("A figure with its label and unit");

export function resolveInput(input: ToolInput): ResolvedToolInput {
  return {
    label: input.label,
    value: input.value,
    unit: cleanUnit(input.unit),
    source: input.source ?? null,
    citation: input.citation ?? null,
  };
}

function cleanUnit(unit: string | null | undefined): string | null {
  if (unit == null) return null;
  const u = unit.normalize("NFC").replace(/\s+/g, " ").trim();
  return u ? u : null;
}

/** Path of the first NaN or ±Infinity inside `value`, or null when there is none. */
function findNonFinite(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path || "(gốc)";
  if (depth > 8 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNonFinite(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const hit = findNonFinite(v, path ? `${path}.${k}` : k, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(gốc)";
}

function issueVi(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return /received undefined/.test(issue.message) ? "bị thiếu" : `cần kiểu ${issue.expected}`;
    case "too_small":
      return issue.origin === "array" ? `cần ít nhất ${String(issue.minimum)} phần tử` : "giá trị quá nhỏ";
    case "too_big":
      return issue.origin === "array" ? `tối đa ${String(issue.maximum)} phần tử` : "giá trị quá lớn";
    case "invalid_union":
      return "không khớp dạng dữ liệu nào được chấp nhận";
    default:
      return issue.message;
  }
}

/** Parses `input` with `schema`; every failure becomes a `ToolError`. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const bad = findNonFinite(input, "");
  if (bad !== null) {
    throw new ToolError(
      "non-finite",
      `Giá trị không phải là số hữu hạn (${bad}).`,
      `Value is not a finite number (${bad}).`,
    );
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const vi = issues.map((i) => `${issuePath(i.path)}: ${issueVi(i)}`).join("; ");
    const en = issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join("; ");
    throw new ToolError("invalid-input", `Dữ liệu đầu vào không hợp lệ: ${vi}.`, `Invalid input: ${en}.`);
  }
  return parsed.data;
}

export interface ToolSpec<S extends z.ZodType> {
  name: string;
  title: { vi: string; en: string };
  description: { vi: string; en: string };
  schema: S;
  compute(input: z.output<S>): ToolResult;
}

/** A tool whose `run` validates its input before computing. */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): Tool<S> {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    schema: spec.schema,
    run(input: z.infer<S>): ToolResult {
      return spec.compute(validate(spec.schema, input));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting.

/**
 * A result number the Vietnamese way, rounded to 2 decimals; a non-zero value that would round to
 * 0 keeps three significant digits instead (0,00123) so it never shows as a misleading "0".
 */
export function fmtNumber(n: number, opts: { plusSign?: boolean } = {}): string {
  if (n !== 0 && Number.isFinite(n) && roundTo(n, 2) === 0) {
    const decimals = Math.min(15, 2 - Math.floor(Math.log10(Math.abs(n))));
    return formatViNumber(n, decimals, opts);
  }
  return formatViNumber(n, 2, opts);
}

/** An operand in a formula: up to 6 decimals (inputs are shown as given), negatives in brackets. */
export function fmtOperand(n: number): string {
  const s = formatViNumber(n, 6);
  return n < 0 && s !== "0" ? `(${s})` : s;
}

/** A formatted number with its unit: "69,97%", "2.255,71 triệu đồng", "15 HTX", "3". */
export function withUnit(text: string, unit: string | null): string {
  if (!unit) return text;
  return unit === "%" ? `${text}%` : `${text} ${unit}`;
}

export function display(value: number, unit: string | null, opts: { plusSign?: boolean } = {}): string {
  return withUnit(fmtNumber(value, opts), unit);
}

/** Division that refuses a zero divisor with a Vietnamese message naming the divisor. */
export function divide(a: number, b: number, divisor: { vi: string; en: string }): number {
  if (b === 0) {
    throw new ToolError(
      "division-by-zero",
      `Không thể chia cho 0 (${divisor.vi} bằng 0).`,
      `Division by zero (${divisor.en} is 0).`,
    );
  }
  return finite(a / b);
}

export function finite(n: number): number {
  if (!Number.isFinite(n)) {
    throw new ToolError("non-finite", "Kết quả không phải là số hữu hạn.", "The result is not a finite number.");
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Units.

/** Comparison key of a unit: the canonical money unit, or the folded spelling. */
function unitKey(unit: string): string {
  return parseMoneyUnit(unit) ?? foldPlain(unit).replace(/\s+/g, " ").trim();
}

/** The unit as shown: money units in their canonical spelling, others as written. */
export function displayUnit(unit: string | null): string | null {
  if (unit === null) return null;
  return parseMoneyUnit(unit) ?? unit;
}

export interface Aligned {
  /** Values after conversion to the reference money unit, in input order. */
  values: number[];
  /** Unit shared by every input that has one (missing units are ignored); null if they differ. */
  unit: string | null;
  /** Conversion notes for the formula, e.g. "36,48 tỷ đồng = 36.480 triệu đồng". */
  notes: string[];
}

/**
 * Brings inputs to a common unit. Money amounts in a different money unit than the reference (the
 * first input that has a unit) are converted to it; other units are compared after folding
 * ("HTX" = "htx"). Inputs without a unit are taken to share the others' unit.
 */
export function alignUnits(inputs: ResolvedToolInput[]): Aligned {
  const ref = inputs.find((i) => i.unit !== null)?.unit ?? null;
  const refMoney = ref === null ? null : parseMoneyUnit(ref);
  const notes: string[] = [];
  let same = true;
  const values = inputs.map((i) => {
    if (i.unit === null || ref === null) return i.value;
    const money = parseMoneyUnit(i.unit);
    if (refMoney && money && money !== refMoney) {
      const converted = convertMoney(i.value, money, refMoney);
      notes.push(`${fmtOperand(i.value)} ${money} = ${fmtOperand(converted)} ${refMoney}`);
      return converted;
    }
    if (unitKey(i.unit) !== unitKey(ref)) same = false;
    return i.value;
  });
  return { values, unit: same ? displayUnit(ref) : null, notes };
}

/** "note1; note2; main" — the formula preceded by its unit conversions. */
export function withNotes(notes: string[], formula: string): string {
  return [...notes, formula].join("; ");
}

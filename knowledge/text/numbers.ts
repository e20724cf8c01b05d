// Vietnamese number parsing and formatting, and money-unit conversion.
//
// Vietnamese documents write "1.790" for one thousand seven hundred ninety and "63,62" for
// sixty-three point six two: the dot groups thousands and the comma marks decimals. Users (and
// language models) also type English-style numbers, so the parser accepts those whenever the
// reading is unambiguous; see `parseViNumber` for the exact rules.

import { foldPlain } from "./normalize.js";

// Vietnamese grouping: 1-3 leading digits (not starting with 0 unless it is a lone 0 — but "0.xxx"
// is treated as a decimal, see below), groups of three after dots, optional comma decimals.
const VI_GROUPED = /^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$/;
// Vietnamese decimal without grouping: "63,62", "5,0", "991,5", "1234,567".
const VI_DECIMAL = /^\d+,\d+$/;
// English grouping: "1,790", "1,790.5", "1,790,000".
const EN_GROUPED = /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
// English decimal: "63.62", "0.500", "1234.567" (a dot followed by exactly three digits after a
// 1-3 digit non-zero lead is Vietnamese grouping and never reaches this pattern).
const EN_DECIMAL = /^\d+\.\d+$/;
// A lone comma followed by exactly three digits: "1,790". Ambiguous between English grouping and a
// Vietnamese decimal.
const AMBIGUOUS_COMMA = /^[1-9]\d{0,2},\d{3}$/;
const PLAIN = /^\d+$/;

/**
 * Parses a number written the Vietnamese way ("1.790", "63,62", "1.790,5", "01") or, when that
 * reading is impossible, the English way ("1,790.5", "63.62"). Returns null for anything else.
 *
 * Rules, in order (after trimming and an optional leading + or -):
 * - digits only: "1790", "01" → 1790, 1;
 * - dot-grouped thousands with an optional comma decimal part: "1.790" → 1790, "1.790,5" → 1790.5.
 *   A single dot followed by exactly three digits is therefore thousands ("1.790" = 1790). A lead
 *   group starting with 0 is not a thousands group: "0.500" → 0.5;
 * - comma-grouped thousands with an optional dot decimal part (English): "1,790.5" → 1790.5.
 *   A single comma followed by exactly three digits and no dot ("1,790") is ambiguous; it is read
 *   as English thousands (1790), because a Vietnamese writer gives a three-digit decimal part
 *   rarely, while users typing English style write "1,790" often. `findNumbersInText` reports
 *   both readings for such tokens;
 * - comma decimal: "63,62" → 63.62, "1234,567" → 1234.567;
 * - dot decimal (English): "63.62" → 63.62.
 */
export function parseViNumber(s: string): number | null {
  let t = s.trim();
  let sign = 1;
  if (t.startsWith("+") || t.startsWith("-")) {
    if (t.startsWith("-")) sign = -1;
    t = t.slice(1);
  }
  if (!t) return null;
  let plain: string | null = null;
  if (PLAIN.test(t)) plain = t;
  else if (VI_GROUPED.test(t)) plain = t.replace(/\./g, "").replace(",", ".");
  else if (EN_GROUPED.test(t)) plain = t.replace(/,/g, "");
  else if (VI_DECIMAL.test(t)) plain = t.replace(",", ".");
  else if (EN_DECIMAL.test(t)) plain = t;
  if (plain === null) return null;
  const n = Number(plain);
  if (!Number.isFinite(n)) return null;
  return sign * n;
}

/** Shifts the decimal point of `n` by `k` places without binary rounding noise (k may be < 0). */
function shiftDecimal(n: number, k: number): number {
  if (!Number.isFinite(n) || n === 0 || k === 0) return n;
  const [mantissa, exponent] = n.toExponential().split("e");
  return Number(`${mantissa}e${Number(exponent) + k}`);
}

/**
 * Rounds half away from zero to `decimals` places (0-15), decimal-exactly:
 * roundTo(1.005, 2) = 1.01, roundTo(-2.5, 0) = -3.
 */
export function roundTo(n: number, decimals: number): number {
  if (!Number.isFinite(n)) return n;
  const d = Math.max(0, Math.min(15, Math.trunc(decimals)));
  const shifted = shiftDecimal(Math.abs(n), d);
  if (shifted >= Number.MAX_SAFE_INTEGER) return n;
  const rounded = shiftDecimal(Math.round(shifted), -d);
  return n < 0 ? -rounded : rounded;
}

export interface FormatOptions {
  /** Prefix positive (non-zero after rounding) values with "+". */
  plusSign?: boolean;
}

function formatWith(
  n: number,
  maxDecimals: number,
  group: string,
  point: string,
  opts: FormatOptions,
): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "-∞";
  const d = Math.max(0, Math.min(15, Math.trunc(maxDecimals)));
  const r = roundTo(n, d);
  if (r === 0) return "0";
  const abs = Math.abs(r);
  // The shortest round-trip form of the rounded value has no binary noise ("123.456", never
  // "123.456000000000003"); exponent forms are expanded (from 1e21 on values are integers).
  let text = String(abs);
  if (/e/i.test(text)) text = abs >= 1 ? BigInt(Math.round(abs)).toString() : abs.toFixed(d);
  if ((text.split(".")[1] ?? "").length > d) text = abs.toFixed(d);
  const [intPart = "0", fracRaw = ""] = text.split(".");
  const frac = fracRaw.replace(/0+$/, "");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = r < 0 ? "-" : opts.plusSign ? "+" : "";
  return sign + grouped + (frac ? point + frac : "");
}

/**
 * Vietnamese style: "." groups thousands, "," marks decimals, trailing zeros trimmed.
 * formatViNumber(2255.714) = "2.255,71"; formatViNumber(0.5) = "0,5"; formatViNumber(-1200) = "-1.200".
 */
export function formatViNumber(n: number, maxDecimals = 2, opts: FormatOptions = {}): string {
  return formatWith(n, maxDecimals, ".", ",", opts);
}

/** English style: formatEnNumber(1790) = "1,790"; formatEnNumber(69.9699) = "69.97". */
export function formatEnNumber(n: number, maxDecimals = 2, opts: FormatOptions = {}): string {
  return formatWith(n, maxDecimals, ",", ".", opts);
}

/**
 * Whether two numbers agree within a relative tolerance (default 0.2 %), so that a rounded figure
 * ("69,97") matches the exact one (69.9699…). Non-finite numbers never match.
 */
export function numbersMatch(a: number, b: number, relTol = 0.002): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= relTol * Math.max(Math.abs(a), Math.abs(b)) || diff < 1e-9;
}

const NUMBER_TOKEN = /(?<![0-9])[0-9]+(?:[.,][0-9]+)*/g;

/**
 * Every number written in a text, in order of appearance (duplicates kept), in either style.
 *
 * - Each token is read with `parseViNumber` (Vietnamese reading first): "1.790" → 1790,
 *   "69,97" → 69.97, "1.5" → 1.5.
 * - The one ambiguous shape, a lone comma followed by three digits ("1,790"), yields both
 *   readings: 1790 (English thousands) then 1.79 (Vietnamese decimal).
 * - Tokens no reading accepts ("1.2.3", "30.6.2025") yield each of their digit groups.
 * - Signs are not read: a hyphen in running text is nearly always a dash or a range
 *   ("2021-2025", "5,0 - 5,5"), so numbers are returned without sign.
 * - Dates come out as their parts: "30/6/2025" → 30, 6, 2025.
 */
export function findNumbersInText(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const tok = m[0];
    const n = parseViNumber(tok);
    if (n === null) {
      for (const part of tok.split(/[.,]/)) out.push(Number(part));
      continue;
    }
    out.push(n);
    if (AMBIGUOUS_COMMA.test(tok)) out.push(Number(tok.replace(",", ".")));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Money units.

export type MoneyUnit = "đồng" | "nghìn đồng" | "triệu đồng" | "tỷ đồng";

/** Value of one unit in đồng. */
export const MONEY_UNITS: Readonly<Record<MoneyUnit, number>> = Object.freeze({
  "đồng": 1,
  "nghìn đồng": 1e3,
  "triệu đồng": 1e6,
  "tỷ đồng": 1e9,
});

// Powers of ten, for exact decimal shifting.
const MONEY_EXPONENT: Readonly<Record<MoneyUnit, number>> = {
  "đồng": 0,
  "nghìn đồng": 3,
  "triệu đồng": 6,
  "tỷ đồng": 9,
};

export function isMoneyUnit(s: unknown): s is MoneyUnit {
  return typeof s === "string" && Object.hasOwn(MONEY_UNITS, s);
}

// Folded (no diacritics, lower case, single spaces, no dots) spellings of each unit.
const MONEY_ALIASES: ReadonlyArray<[MoneyUnit, readonly string[]]> = [
  ["đồng", ["dong", "d", "vnd", "vn dong", "dong vn", "dong viet nam"]],
  ["nghìn đồng", ["nghin dong", "nghin", "ngan dong", "ngan", "nghin vnd", "ngan vnd", "thousand vnd", "thousand dong", "k vnd"]],
  ["triệu đồng", ["trieu dong", "trieu", "tr", "trd", "tr d", "tr dong", "trieu vnd", "million vnd", "million dong", "million"]],
  ["tỷ đồng", ["ty dong", "ty", "ti dong", "ti", "ty vnd", "ti vnd", "billion vnd", "billion dong", "billion"]],
];
const MONEY_LOOKUP = new Map<string, MoneyUnit>();
for (const [unit, aliases] of MONEY_ALIASES) for (const a of aliases) MONEY_LOOKUP.set(a, unit);

/**
 * The canonical money unit for a spelling with or without diacritics, or null:
 * "trieu dong", "triệu", "tr.đ" → "triệu đồng"; "ty", "tỉ" → "tỷ đồng"; "ngàn đồng" → "nghìn đồng";
 * "dong", "VND", "đ" → "đồng".
 */
export function parseMoneyUnit(s: string): MoneyUnit | null {
  const key = foldPlain(s.normalize("NFC"))
    .replace(/[.]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return MONEY_LOOKUP.get(key) ?? null;
}

/** Converts an amount between money units: convertMoney(36.48, "tỷ đồng", "triệu đồng") = 36480. */
export function convertMoney(value: number, from: MoneyUnit, to: MoneyUnit): number {
  const f = MONEY_EXPONENT[from];
  const t = MONEY_EXPONENT[to];
  if (f === undefined || t === undefined) throw new RangeError(`Unknown money unit: ${from} → ${to}`);
  return shiftDecimal(value, f - t);
}

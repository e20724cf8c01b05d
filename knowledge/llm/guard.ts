// Checks a language model's answer against the evidence it was given.
//
// - The numeric guard: every number the answer states must be a number the evidence states
//   (passages, tool results, document metadata), possibly rounded to the precision the answer
//   writes, converted between money units (triệu ↔ tỷ) or between a fraction and a percentage.
// - The quote check: a quote the answer attributes to a passage must really be in that passage,
//   up to diacritics, case, spacing, typographic quotes and dashes, and OCR noise.
//
// Everything here is pure: no I/O, no state.

import { fold } from "../text/normalize.js";
import { parseViNumber } from "../text/numbers.js";

// ---------------------------------------------------------------------------------------------
// Reading numbers.

/** One way of reading a written number. */
export interface NumberReading {
  value: number;
  /** Decimal places this reading writes: "69,97" → 2; "1.790" read the English way → 3. */
  decimals: number;
}

export interface NumberMention {
  /** The number as written in the answer, e.g. "1.790", "69,97", "1,79", "-5". */
  raw: string;
  /** Offsets in the answer text: text.slice(start, end) === raw. */
  start: number;
  end: number;
  /** Every plausible reading (Vietnamese and English), deduplicated, the preferred one first. */
  values: number[];
  /** Decimal places written for the preferred reading (values[0]); see `readings` for all. */
  decimals: number;
  /** The same readings as `values`, each with its own number of decimal places. */
  readings: NumberReading[];
  /** Followed by a money or scale word: đồng, nghìn, ngàn, triệu, tỷ, VND, million… */
  scale: boolean;
  /** Followed by "%", "phần trăm" or "percent". */
  percent: boolean;
}

// Vietnamese: dot-grouped thousands with an optional comma decimal part ("1.790", "2.255,71"),
// or a comma decimal ("69,97", "0,5", "1234,567").
const VI_GROUPED = /^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$/;
const VI_DECIMAL = /^\d+,\d+$/;
// English: comma-grouped thousands with an optional dot decimal part ("1,790", "2,255.71"), or a
// dot decimal ("1.79", "0.500").
const EN_GROUPED = /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
const EN_DECIMAL = /^\d+\.\d+$/;
const PLAIN = /^\d+$/;

// Spaces a typesetter (not an OCR engine) puts between digit groups: no-break, thin, narrow.
const GROUP_SPACE = "\\u00A0\\u2009\\u202F";
const GROUP_SPACE_RE = new RegExp(`[${GROUP_SPACE}]`, "g");

// A number token: digits joined by "." or "," (or a typographic group space followed by exactly
// three digits). Slashes, hyphens and dashes end a token, so "30/6/2025" and "2021-2025" come out
// as separate numbers.
const NUMBER_TOKEN = new RegExp(
  `(?<!\\d)\\d+(?:(?:[.,]|[${GROUP_SPACE}](?=\\d{3}(?!\\d)))\\d+)*`,
  "g",
);

function decimalsAfter(s: string, point: string): number {
  const i = s.lastIndexOf(point);
  return i < 0 ? 0 : s.length - i - 1;
}

/**
 * The readings of a number token without sign, the preferred one first, or null when no valid
 * format accepts it ("1.2.3", "30.6.2025"). A separator followed by exactly three digits can be
 * a thousands separator; any other separator is a decimal point. So "1.790" reads 1790 or 1.79,
 * "1,790" reads 1790 or 1.79, "1,5" reads only 1.5, "2.255,71" reads only 2255.71.
 */
export function readNumberToken(token: string): NumberReading[] | null {
  const t = token.replace(GROUP_SPACE_RE, "");
  const out: NumberReading[] = [];
  const add = (value: number, decimals: number): void => {
    if (!Number.isFinite(value)) return;
    if (out.some((r) => r.value === value)) return;
    out.push({ value, decimals });
  };
  if (PLAIN.test(t)) {
    add(Number(t), 0);
    return out;
  }
  const vi = VI_GROUPED.test(t) || VI_DECIMAL.test(t)
    ? { value: Number(t.replace(/\./g, "").replace(",", ".")), decimals: decimalsAfter(t, ",") }
    : null;
  const en = EN_GROUPED.test(t) || EN_DECIMAL.test(t)
    ? { value: Number(t.replace(/,/g, "")), decimals: decimalsAfter(t, ".") }
    : null;
  // The project-wide parser decides which reading comes first (Vietnamese, except that a lone
  // "1,790" is read the English way).
  const preferred = parseViNumber(t);
  const ordered = en && preferred === en.value ? [en, vi] : [vi, en];
  for (const r of ordered) if (r) add(r.value, r.decimals);
  return out.length ? out : null;
}

/**
 * Whether a "-" (or "−") at `i` is a minus sign: it touches the digit after it, stands after
 * the start of the text, white space or an opening bracket, and the text before it does not end
 * in a number (which would make it a range or a dash: "2021 -2025", "10 -15%").
 */
function isMinusSign(text: string, i: number): boolean {
  const ch = text[i];
  if (ch !== "-" && ch !== "\u2212") return false;
  if (!/\d/.test(text[i + 1] ?? "")) return false;
  const before = i > 0 ? text[i - 1]! : "";
  if (before && !/[\s([{:=]/.test(before)) return false;
  const prev = /(\S)\s*$/.exec(text.slice(Math.max(0, i - 40), i));
  return !prev || !/[\d%]/.test(prev[1]!);
}

// Money and scale words that may follow a number directly (lower case, as written).
const SCALE_FIRST = new Set([
  "đồng", "đ", "dong", "vnd", "vnđ", "nghìn", "ngàn", "nghin", "ngan", "triệu", "trieu", "tr",
  "trđ", "tỷ", "tỉ", "ty", "ti", "thousand", "million", "billion", "k",
]);
// Scale words unambiguous enough to count as the second word after a number.
const SCALE_SECOND = new Set([
  "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "vnd", "vnđ", "thousand", "million", "billion",
]);
// Word pairs where the scale word means something else: "tỷ lệ" (ratio), "tỷ trọng" (share),
// "đồng thời" (at the same time), "đồng bộ" (synchronous), "đồng ý" (agree).
const NOT_SCALE: ReadonlyArray<[RegExp, RegExp]> = [
  [/^(?:tỷ|tỉ|ty|ti)$/, /^(?:lệ|le|trọng|trong)$/],
  [/^(?:đồng|dong)$/, /^(?:thời|thoi|bộ|bo|ý|y|chí|chi|nghĩa|nghia|hành|hanh|đều|deu)$/],
];

function isScaleWord(word: string, next: string, set: ReadonlySet<string>): boolean {
  if (!set.has(word)) return false;
  return !NOT_SCALE.some(([w, n]) => w.test(word) && n.test(next));
}

/** The next up to three words after `end` (lower case, NFC), stopping at sentence punctuation. */
function wordsAfter(text: string, end: number): string[] {
  const rest = text.slice(end, end + 60).normalize("NFC").toLowerCase();
  const m = /^[\s(]*([\p{L}.]+)(?:[\s)]+([\p{L}]+))?(?:\s+([\p{L}]+))?/u.exec(rest);
  if (!m) return [];
  // "tr.đ" is one unit; other dots end the word ("triệu." at the end of a sentence).
  const first = m[1]!.replace(/\.(?=\p{L})/u, "").replace(/\.+$/, "");
  return [first, m[2] ?? "", m[3] ?? ""];
}

function hasScale(text: string, end: number): boolean {
  const [w1 = "", w2 = "", w3 = ""] = wordsAfter(text, end);
  if (!w1) return false;
  return isScaleWord(w1, w2, SCALE_FIRST) || isScaleWord(w2, w3, SCALE_SECOND);
}

function hasPercent(text: string, end: number): boolean {
  const rest = text.slice(end, end + 20).normalize("NFC").toLowerCase();
  return /^\s*(?:%|phần trăm|phan tram|percent|per cent)/.test(rest);
}

// Citation markers: [1], [1, 2], [1-3], [n1], [^1]; "[1][2]" is two markers.
const CITATION = /\[\s*[\^#]?[a-z]{0,3}\d{1,3}(?:\s*[,;–-]\s*[\^#]?[a-z]{0,3}\d{1,3})*\s*\]/gi;
// Markers at the start of a line: quote and heading marks, bullets, and numbered list markers
// ("1. ", "2) ", "(3) ", "1.1. "). Only the numbering is a number; the rest is listed so that a
// numbered item after a bullet or heading mark is found.
const LINE_MARKER = /^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+)?(?:[-*+•][ \t]+)?(?:\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\))(?=[ \t])/gm;
// Web addresses: their digits are not statements.
const URL = /\bhttps?:\/\/[^\s)\]>]+/gi;

/** The text with markers that are not statements blanked out (offsets kept). */
function blankMarkers(text: string): string {
  const blank = (m: string): string => " ".repeat(m.length);
  return text.replace(URL, blank).replace(CITATION, blank).replace(LINE_MARKER, blank);
}

/**
 * Numbers the answer states, in order. Skips citation markers like [1] or [2, 3], list markers
 * at the start of a line ("1.", "2)", "(3)") and web addresses. Dates and ranges come out as
 * their parts ("30/6/2025" → 30, 6, 2025; "2021–2025" → 2021, 2025); digits inside identifiers
 * count ("12/NQ-HĐND" → 12). A token no format accepts ("30.6.2025") yields one mention per
 * digit group. A plain space never groups digits ("12 977" is two numbers); a no-break or thin
 * space followed by three digits does.
 */
export function numbersInAnswer(text: string): NumberMention[] {
  const masked = blankMarkers(text);
  const out: NumberMention[] = [];
  for (const m of masked.matchAll(NUMBER_TOKEN)) {
    const token = m[0];
    const at = m.index;
    const readings = readNumberToken(token);
    const pieces: Array<{ start: number; end: number; readings: NumberReading[] }> = [];
    if (readings) {
      pieces.push({ start: at, end: at + token.length, readings });
    } else {
      // An invalid grouping: every digit group is a number of its own.
      for (const g of token.matchAll(/\d+/g)) {
        pieces.push({ start: at + g.index, end: at + g.index + g[0].length, readings: [{ value: Number(g[0]), decimals: 0 }] });
      }
    }
    for (const p of pieces) {
      let start = p.start;
      let rs = p.readings;
      if (start > 0 && isMinusSign(masked, start - 1)) {
        start -= 1;
        rs = rs.map((r) => ({ value: -r.value, decimals: r.decimals }));
      }
      out.push({
        raw: text.slice(start, p.end),
        start,
        end: p.end,
        values: rs.map((r) => r.value),
        decimals: rs[0]!.decimals,
        readings: rs,
        scale: hasScale(masked, p.end),
        percent: hasPercent(masked, p.end),
      });
    }
  }
  return out;
}

// OCR engines separate thousands with a plain space: "12 977". A run of such groups.
const SPACE_GROUPED = new RegExp(`(?<![\\d.,])\\d{1,3}(?:[ ${GROUP_SPACE}]\\d{3})+(?:,\\d+)?(?!\\d|[.,]\\d)`, "g");

/**
 * Every value a source text (passage, tool output, document metadata) states, read generously
 * and deduplicated: both Vietnamese and English readings ("1.790" → 1790 and 1.79), the parts of
 * dates ("30/6/2025" → 30, 6, 2025) and ranges ("2021-2025" → 2021, 2025), the digit groups of
 * tokens no format accepts, OCR space-grouped thousands ("12 977" → 12977 as well as 12 and 977),
 * and for a minus sign both the negative and the positive value.
 */
export function numbersInSource(text: string): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (v: number): void => {
    if (!Number.isFinite(v)) return;
    const key = Object.is(v, -0) ? 0 : v;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(key);
  };
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const readings = readNumberToken(m[0]);
    const values = readings ? readings.map((r) => r.value) : [...m[0].matchAll(/\d+/g)].map((g) => Number(g[0]));
    const negative = m.index > 0 && isMinusSign(text, m.index - 1);
    for (const v of values) {
      add(v);
      if (negative) add(-v);
    }
  }
  for (const m of text.matchAll(SPACE_GROUPED)) {
    const groups = m[0].split(/[ \u00A0\u2009\u202F]/);
    // Every run of two or more consecutive groups may be one number: "1 234 567" → 1234567,
    // 1234 and 234567 (the OCR may have split one number or merged two).
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 2; j <= groups.length; j++) {
        const joined = groups.slice(i, j).join("");
        for (const r of readNumberToken(joined) ?? []) add(r.value);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching numbers.

/** Shifts the decimal point of `n` by `k` places without binary rounding noise. */
function shiftDecimal(n: number, k: number): number {
  if (!Number.isFinite(n) || n === 0 || k === 0) return n;
  const [mantissa, exponent] = n.toExponential().split("e");
  return Number(`${mantissa}e${Number(exponent) + k}`);
}

/**
 * Whether the answer's `a`, written with `decimals` places, is `v` or an honest rounding of it:
 * |v − a| ≤ ½·10^−decimals, plus a relative 1e-9 for binary noise. An exact value cannot pass for
 * a differently written one: 1790 is not "1.800" (|1790 − 1800| = 10 > 0.5).
 */
function roundsTo(v: number, a: number, decimals: number): boolean {
  if (!Number.isFinite(v) || !Number.isFinite(a)) return false;
  const eps = 1e-9 * Math.max(1, Math.abs(a), Math.abs(v));
  return Math.abs(v - a) <= 0.5 * 10 ** -decimals + eps;
}

/**
 * Whether `mention` is supported by one of `allowed`: any reading matches any allowed value by
 * equality or rounding at the written precision; with a scale word, also after a conversion by
 * 10^(3k), k = −3..3 (1.790 triệu = 1,79 tỷ = 1.790.000.000 đồng), the rounding tolerance being
 * that of the answer's unit; with a percent sign, also a fraction of 100 (0.8 → 80%).
 */
export function isSupported(mention: NumberMention, allowed: readonly number[]): boolean {
  for (const r of mention.readings) {
    for (const v of allowed) {
      if (roundsTo(v, r.value, r.decimals)) return true;
      if (mention.percent && roundsTo(shiftDecimal(v, 2), r.value, r.decimals)) return true;
      if (mention.scale) {
        // v in the answer's unit: v·10^(−3k) when the answer's unit is 10^(3k) times the source's.
        for (let k = -3; k <= 3; k++) {
          if (k !== 0 && roundsTo(shiftDecimal(v, -3 * k), r.value, r.decimals)) return true;
        }
      }
    }
  }
  return false;
}

export interface NumberCheck {
  ok: boolean;
  unsupported: NumberMention[];
}

/**
 * Every number in `answer` must match a value in `allowed` (already extracted by
 * numbersInSource or given as tool results). No number is exempt for being small; years too
 * must be in `allowed`.
 */
export function checkNumbers(answer: string, allowed: number[]): NumberCheck {
  const unsupported = numbersInAnswer(answer).filter((m) => !isSupported(m, allowed));
  return { ok: unsupported.length === 0, unsupported };
}

// ---------------------------------------------------------------------------------------------
// Locating quotes.

/** A text in search form, with each character's span in the original text. */
export interface SearchText {
  text: string;
  /** origStart[i], origEnd[i]: the original characters that produced text[i]. */
  origStart: number[];
  origEnd: number[];
}

const COMBINING_MARK = /[\u0300-\u036f]/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/;
const PLAIN_CHAR: Record<string, string> = {
  "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"', "\u00AB": '"', "\u00BB": '"',
  "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u2032": "'",
  "\u2039": "'", "\u203A": "'", "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-",
  "\u2212": "-", "\u2010": "-", "\u2011": "-",
};
const OPENING = new Set(["(", "[", "{"]);
const CLOSING = new Set([")", "]", "}", ",", ".", ";", ":", "!", "?", "%"]);

/**
 * The form quotes are searched in: NFC, folded (`fold`: lower case, no diacritics, đ→d, OCR
 * repairs), typographic quotes and dashes made plain, Markdown emphasis marks and invisible
 * characters dropped, white space runs collapsed to one space, and no space just inside brackets
 * or before punctuation. Each character keeps the span of the original text it came from.
 */
export function toSearchText(input: string): SearchText {
  // 1. NFC cluster by cluster (a base character and its combining marks), remembering spans.
  let nfc = "";
  const s1: number[] = [];
  const e1: number[] = [];
  let i = 0;
  while (i < input.length) {
    const cp = input.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < input.length && COMBINING_MARK.test(input[j]!)) j++;
    const cluster = input.slice(i, j).normalize("NFC");
    for (let u = 0; u < cluster.length; u++) {
      s1.push(i);
      e1.push(j);
    }
    nfc += cluster;
    i = j;
  }
  // 2. Fold (length-preserving); per character if the whole-text fold ever changed the length.
  let folded = fold(nfc);
  if (folded.length !== nfc.length) {
    folded = "";
    for (let u = 0; u < nfc.length; u++) {
      const f = fold(nfc[u]!);
      folded += f.length === 1 ? f : nfc[u]!;
    }
  }
  // 3. Plain punctuation, dropped marks, collapsed white space.
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let u = 0; u < folded.length; u++) {
    let ch = folded[u]!;
    if (INVISIBLE.test(ch) || ch === "*") continue;
    ch = PLAIN_CHAR[ch] ?? ch;
    if (/\s/.test(ch)) {
      if (chars.length && chars[chars.length - 1] === " ") continue;
      ch = " ";
    }
    chars.push(ch);
    starts.push(s1[u]!);
    ends.push(e1[u]!);
  }
  // 4. No space after an opening bracket or before closing punctuation.
  const text: string[] = [];
  const origStart: number[] = [];
  const origEnd: number[] = [];
  for (let u = 0; u < chars.length; u++) {
    const ch = chars[u]!;
    if (ch === " ") {
      const prev = text[text.length - 1];
      const next = chars[u + 1];
      if (prev === undefined || next === undefined) continue;
      if (OPENING.has(prev) || CLOSING.has(next)) continue;
    }
    text.push(ch);
    origStart.push(starts[u]!);
    origEnd.push(ends[u]!);
  }
  return { text: text.join(""), origStart, origEnd };
}

/** Shortest quote (in search form, all parts together) that proves anything. */
export const MIN_QUOTE_CHARS = 8;

// Quote marks a model may put around a quote.
const QUOTE_MARK = /["'“”„‟«»‘’‚‛‹›]/;

/**
 * The quote without the quote marks around it: pairs of marks at both ends are removed layer by
 * layer; a lone mark at one end is removed only when no other quote mark is left in the text (a
 * mark that closes an inner quotation, as in `Chuyên mục "Tạp chí"`, stays).
 */
function stripQuoteMarks(quote: string): string {
  let q = quote.trim();
  while (q.length >= 2 && QUOTE_MARK.test(q[0]!) && QUOTE_MARK.test(q[q.length - 1]!)) q = q.slice(1, -1).trim();
  if (q && QUOTE_MARK.test(q[0]!) && !QUOTE_MARK.test(q.slice(1))) q = q.slice(1).trim();
  if (q && QUOTE_MARK.test(q[q.length - 1]!) && !QUOTE_MARK.test(q.slice(0, -1))) q = q.slice(0, -1).trim();
  return q;
}

// An ellipsis marking an omission: "…", "...", optionally in brackets: "[…]", "(...)".
const ELLIPSIS = /\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…|\.{3,}/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The first occurrence of `part` in `hay` at or after `from` that does not cut a word. */
function findWhole(hay: string, part: string, from: number): number {
  const cutsStart = WORD_CHAR.test(part[0]!);
  const cutsEnd = WORD_CHAR.test(part[part.length - 1]!);
  for (let at = hay.indexOf(part, from); at >= 0; at = hay.indexOf(part, at + 1)) {
    if (cutsStart && at > 0 && WORD_CHAR.test(hay[at - 1]!)) continue;
    const after = hay[at + part.length];
    if (cutsEnd && after !== undefined && WORD_CHAR.test(after)) continue;
    return at;
  }
  return -1;
}

/**
 * Where `quote` is found in `chunkText`, as offsets into chunkText such that
 * chunkText.slice(start, end) is the verbatim passage text, or null.
 *
 * Both texts are compared in search form (see `toSearchText`), so a quote typed without
 * diacritics, with other spacing or with typographic quotes is found. The quote is trimmed and
 * stripped of surrounding quote marks; an ellipsis splits it into parts found in order (empty
 * parts, as from a leading or trailing ellipsis, are dropped), and the result spans the first
 * part's start to the last part's end. Matches never start or end inside a word ("48 HTX" is
 * not in "148 HTX"). Quotes shorter than MIN_QUOTE_CHARS in search form give null.
 */
export function locateQuote(chunkText: string, quote: string): { start: number; end: number } | null {
  const parts = stripQuoteMarks(quote)
    .split(ELLIPSIS)
    .map((p) => toSearchText(p).text.trim())
    .filter((p) => p.length > 0);
  if (!parts.length) return null;
  if (parts.reduce((n, p) => n + p.length, 0) < MIN_QUOTE_CHARS) return null;
  if (!parts.every((p) => WORD_CHAR.test(p))) return null;

  const hay = toSearchText(chunkText);
  let from = 0;
  let first = -1;
  let lastEnd = -1;
  for (const p of parts) {
    const at = findWhole(hay.text, p, from);
    if (at < 0) return null;
    if (first < 0) first = at;
    lastEnd = at + p.length;
    from = lastEnd;
  }
  let start = hay.origStart[first]!;
  let end = hay.origEnd[lastEnd - 1]!;
  while (start < end && /\s/.test(chunkText[start]!)) start++;
  while (end > start && /\s/.test(chunkText[end - 1]!)) end--;
  return { start, end };
}

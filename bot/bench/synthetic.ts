// A synthetic corpus made from the real documents, for benchmarking at scale.
//
// Every synthetic document is a variant of a real DocumentRecord: the document's own province
// is replaced by another one (from knowledge/provinces.ts), every year is shifted by the same
// k, and every other number is multiplied by a random factor (one factor per document times a
// small jitter per number; percentages get only the jitter and stay ≤ 100 when they were),
// written back the Vietnamese way ("1.790", "63,62%"). Day and month of dates, heading
// ordinals ("1.1."), numbers with a leading zero ("08/08", "01") and words that mix digits with
// letters or other signs (document numbers "2672/KH-UBND", OCR damage such as "s6", "¢6") are
// left as they are.
//
// The record is transformed, not re-ingested: chunk, section and figure offsets are mapped
// through the edits, so `chunk.text === text.slice(chunk.start, chunk.end)` and
// `figure.raw === text.slice(figure.start, figure.end)` hold; figure values follow the numbers
// of their span. Everything is deterministic for a given seed.

import { createHash } from "node:crypto";
import type { Chunk, DocMeta, DocumentRecord, Figure, Section } from "../../knowledge/types.js";
import { fold, normalizeText } from "../../knowledge/text/normalize.js";
import { PROVINCES } from "../../knowledge/provinces.js";
import { fmix, fnv1a } from "../../knowledge/search/embeddings.js";

// --- Seeded randomness ----------------------------------------------------------------------

export type Rng = () => number;

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a string, mixed with a seed (murmur3 finaliser): the embedding's own hash. */
export function hashString(s: string, seed = 0): number {
  return fmix(fnv1a(s, (0x811c9dc5 ^ seed) >>> 0));
}

// --- Vietnamese number tokens ---------------------------------------------------------------

export interface ViToken {
  value: number;
  /** Digits after the decimal comma. */
  decimals: number;
  /** Whether "." groups thousands in the original. */
  grouped: boolean;
}

/**
 * Parses a number token the way the documents write them: "." groups thousands, "," is the
 * decimal mark ("1.790", "63,62", "1.234,5"). Null for an ambiguous token such as "1.5".
 */
export function parseViToken(tok: string): ViToken | null {
  let m = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/.exec(tok);
  if (m) {
    const frac = m[2] ?? "";
    return { value: Number(`${m[1]!.replace(/\./g, "")}${frac ? `.${frac}` : ""}`), decimals: frac.length, grouped: true };
  }
  m = /^(\d+)(?:,(\d+))?$/.exec(tok);
  if (m) {
    const frac = m[2] ?? "";
    return { value: Number(`${m[1]}${frac ? `.${frac}` : ""}`), decimals: frac.length, grouped: false };
  }
  return null;
}

/**
 * Writes `value` like `like`: the same number of decimals (decimal comma) and "." grouping when
 * the original was grouped or the number grew past 999 from below 1000.
 */
export function formatViToken(value: number, like: ViToken): string {
  const fixed = value.toFixed(like.decimals);
  const [intPart = "0", frac] = fixed.split(".");
  const group = like.grouped || (intPart.length > 3 && like.value < 1000);
  const int = group ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ".") : intPart;
  return frac ? `${int},${frac}` : int;
}

// --- Planning the edits of a string ---------------------------------------------------------

type TokenRole = "year" | "keep" | "scale" | "percent";

interface PlannedToken {
  /** Offsets in the string. */
  start: number;
  end: number;
  tok: string;
  role: TokenRole;
  parsed: ViToken | null;
}

type Site =
  | { kind: "province"; start: number; end: number; upper: boolean }
  | { kind: "number"; start: number; end: number; key: string; tokens: PlannedToken[] };

/** Where a string will change: its own province's mentions and its numbers. */
interface Plan {
  sites: Site[];
}

const NUM_RE = /\d+(?:[.,]\d+)*/g;
/** A word made of numbers and ordinary punctuation only ("1.790", "(93%);", "30/6/2025,"). */
const NUMBER_WORD_RE = /^[\d.,/%()[\]\-–+;:!?"'“”«»…]+$/;
const ORDINAL_RE = /^\(?\d+(?:\.\d+)*[.)]$/;
const DATE_RE = /^\d{1,2}\/(?:\d{1,2}\/)?\d{4}$/;
/** A number after these words is a date part or a reference, not a quantity. */
const KEEP_AFTER = new Set(["ngay", "thang", "quy", "dieu", "khoan", "chuong", "muc", "luc", "thu", "khoa", "nghi", "dinh"]);
/** A number before these words is a duration ("6 tháng đầu năm"). */
const KEEP_BEFORE = new Set(["thang", "nam", "ngay", "quy"]);

function isYear(tok: string): boolean {
  if (!/^\d{4}$/.test(tok)) return false;
  const y = Number(tok);
  return y >= 1975 && y <= 2060;
}

const bareWord = (w: string): string => fold(w).replace(/[^a-z0-9]/g, "");

function provinceRegex(province: string): RegExp {
  const parts = fold(normalizeText(province)).split(/\s+/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![\\p{L}\\p{N}])${parts.join("\\s+")}(?![\\p{L}\\p{N}])`, "gu");
}

/**
 * Plans the edits of `s` for a document of `province`. `folded` is `fold(s)` (same length);
 * pass it when it is already known.
 */
function planString(s: string, province: string | null, folded?: string): Plan {
  const f = folded ?? fold(s);
  const sites: Site[] = [];
  if (province && f.length === s.length) {
    for (const m of f.matchAll(provinceRegex(province))) {
      const span = s.slice(m.index, m.index + m[0].length);
      sites.push({ kind: "province", start: m.index, end: m.index + m[0].length, upper: span === span.toUpperCase() && span !== span.toLowerCase() });
    }
  }
  const words = [...s.matchAll(/\S+/g)];
  for (let w = 0; w < words.length; w++) {
    const m = words[w]!;
    const word = m[0];
    const at = m.index;
    // Words that mix digits with letters or other signs are identifiers ("2672/KH-UBND") or
    // OCR damage ("s6", "¢6" for "số", "có"): left alone.
    if (!/\d/.test(word) || !NUMBER_WORD_RE.test(word)) continue;
    let b = at - 1;
    while (b >= 0 && (s[b] === " " || s[b] === "\t")) b--;
    const lineStart = b < 0 || s[b] === "\n";
    if (lineStart && ORDINAL_RE.test(word)) continue;
    const core = word.replace(/^\D+|\D+$/g, "");
    const prev = w > 0 ? bareWord(words[w - 1]![0]) : "";
    const next = w + 1 < words.length ? bareWord(words[w + 1]![0]) : "";
    const isDate = DATE_RE.test(core);
    const keepAll = KEEP_AFTER.has(prev) || KEEP_BEFORE.has(next);
    const tokens: PlannedToken[] = [];
    for (const t of word.matchAll(NUM_RE)) {
      const tok = t[0];
      const parsed = parseViToken(tok);
      let role: TokenRole;
      if (isYear(tok)) role = "year";
      else if (isDate || keepAll || /^0\d/.test(tok) || !parsed) role = "keep";
      else role = word[t.index + tok.length] === "%" ? "percent" : "scale";
      tokens.push({ start: at + t.index, end: at + t.index + tok.length, tok, role, parsed });
    }
    if (tokens.length) sites.push({ kind: "number", start: at, end: at + word.length, key: core, tokens });
  }
  sites.sort((a, c) => a.start - c.start);
  return { sites };
}

// --- Applying a plan --------------------------------------------------------------------------

export interface Variation {
  /** Id of the new document (chunk ids become `${id}#${ordinal}`). */
  id: string;
  /** The province that replaces the document's own. */
  province: string;
  /** Added to every year. */
  yearShift: number;
  /** Multiplier of every quantity (percentages excepted). */
  factor: number;
  /** Seed of the per-number jitter. */
  seed: number;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A number of the original text with its value before and after (equal when kept). */
interface NumberChange {
  start: number;
  end: number;
  before: number;
  after: number;
}

interface Applied {
  text: string;
  edits: Edit[];
  numbers: NumberChange[];
}

function applyPlan(s: string, plan: Plan, v: Variation, foldedOutput: boolean): Applied {
  const provinceName = normalizeText(v.province);
  const provinceOut = foldedOutput ? fold(provinceName) : provinceName;
  const edits: Edit[] = [];
  const numbers: NumberChange[] = [];
  for (const site of plan.sites) {
    if (site.kind === "province") {
      edits.push({ start: site.start, end: site.end, text: site.upper ? provinceOut.toUpperCase() : provinceOut });
      continue;
    }
    // One jitter per distinct number word, so "80/285" keeps its proportion and equal numbers
    // stay equal within the document.
    const rng = mulberry32(hashString(site.key, v.seed));
    const jitter = 0.9 + 0.2 * rng();
    const percentJitter = 0.85 + 0.3 * rng();
    // One edit per number token (not per word): a figure's span may end inside a word, as
    // "93%" in "(93%);", and must map to exactly the new number.
    for (const t of site.tokens) {
      const before = t.parsed?.value ?? Number(t.tok);
      let written = t.tok;
      let after = before;
      if (t.role === "year") {
        after = Number(t.tok) + v.yearShift;
        written = String(after);
      } else if (t.role !== "keep" && t.parsed) {
        let value = t.parsed.value * (t.role === "percent" ? percentJitter : v.factor * jitter);
        if (t.role === "percent" && t.parsed.value <= 100) value = Math.min(100, value);
        if (t.parsed.decimals === 0 && t.parsed.value >= 1) value = Math.max(1, value);
        written = formatViToken(value, t.parsed);
        after = parseViToken(written)?.value ?? value;
      }
      numbers.push({ start: t.start, end: t.end, before, after });
      if (written !== t.tok) edits.push({ start: t.start, end: t.end, text: written });
    }
  }
  let text = "";
  let pos = 0;
  for (const e of edits) {
    text += s.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  text += s.slice(pos);
  return { text, edits, numbers };
}

/** Maps offsets of the original string to the edited one (edits sorted, not overlapping). */
export function offsetMapper(edits: readonly Edit[]): (pos: number, side: "start" | "end") => number {
  const cum = new Float64Array(edits.length + 1);
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i]!;
    cum[i + 1] = (cum[i] ?? 0) + e.text.length - (e.end - e.start);
  }
  return (pos, side) => {
    let lo = 0;
    let hi = edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edits[mid]!.end <= pos) lo = mid + 1;
      else hi = mid;
    }
    const delta = cum[lo] ?? 0;
    const e = edits[lo];
    if (e && e.start < pos) {
      // Inside an edited span: snap to its start or its end.
      const start = e.start + delta;
      return side === "start" ? start : start + e.text.length;
    }
    return pos + delta;
  };
}

// --- Records ----------------------------------------------------------------------------------

/** What every variant of one source document shares: the plans of its strings. */
export interface SourcePlan {
  record: DocumentRecord;
  text: Plan;
  /** Plans of short strings (title, headings, figure measures and contexts), by string. */
  strings: Map<string, Plan>;
  foldedStrings: Map<string, Plan>;
}

export function planSource(record: DocumentRecord): SourcePlan {
  return { record, text: planString(record.text, record.meta.province), strings: new Map(), foldedStrings: new Map() };
}

function transformShort(sp: SourcePlan, s: string, v: Variation, folded: boolean): string {
  const cache = folded ? sp.foldedStrings : sp.strings;
  let plan = cache.get(s);
  if (!plan) {
    plan = planString(s, sp.record.meta.province, folded ? s : undefined);
    cache.set(s, plan);
  }
  return plan.sites.length ? applyPlan(s, plan, v, folded).text : s;
}

const shiftDate = (d: string | null, k: number): string | null => (d ? d.replace(/^\d{4}/, (y) => String(Number(y) + k)) : null);

/** A variant of `sp.record` (see the module comment). */
export function varyRecord(sp: SourcePlan, v: Variation): DocumentRecord {
  const src = sp.record;
  const applied = applyPlan(src.text, sp.text, v, false);
  const text = applied.text;
  const map = offsetMapper(applied.edits);
  const k = v.yearShift;
  const title = transformShort(sp, src.meta.title, v, false);
  const meta: DocMeta = {
    ...src.meta,
    id: v.id,
    file: `${v.id}.txt`,
    title,
    province: src.meta.province === null ? null : v.province,
    date: shiftDate(src.meta.date, k),
    period: src.meta.period ? { from: src.meta.period.from + k, to: src.meta.period.to + k } : null,
    reviewYear: src.meta.reviewYear === null ? null : src.meta.reviewYear + k,
    hash: createHash("sha256").update(text).digest("hex"),
  };
  const headings = new Map<string, string>();
  const heading = (h: string): string => {
    let out = headings.get(h);
    if (out === undefined) {
      out = transformShort(sp, h, v, false);
      headings.set(h, out);
    }
    return out;
  };
  const sections: Section[] = src.sections.map((s) => ({
    ...s,
    heading: heading(s.heading),
    start: map(s.start, "start"),
    bodyStart: map(s.bodyStart, "start"),
    end: map(s.end, "end"),
  }));
  const chunkIds = new Map<string, string>();
  const chunks: Chunk[] = src.chunks.map((c) => {
    const id = `${v.id}#${c.ordinal}`;
    chunkIds.set(c.id, id);
    const start = map(c.start, "start");
    const end = map(c.end, "end");
    return { ...c, id, docId: v.id, path: c.path.map(heading), text: text.slice(start, end), start, end };
  });
  const numbers = applied.numbers;
  const ratioAt = (i: number): number => {
    const n = numbers[i];
    return n && n.before !== 0 ? n.after / n.before : 1;
  };
  const figures: Figure[] = src.figures.map((f) => {
    const start = map(f.start, "start");
    const end = map(f.end, "end");
    const sentenceStart = map(f.sentenceStart, "start");
    const sentenceEnd = map(f.sentenceStart + f.sentence.length, "end");
    // The numbers inside the figure's span, in order: value, then max (a range), then of (a fraction).
    let i = lowerBound(numbers, f.start);
    const first = i < numbers.length && numbers[i]!.end <= f.end ? i : -1;
    const scale = (x: number, at: number): number => (at >= 0 ? Number((x * ratioAt(at)).toPrecision(12)) : x);
    const value = scale(f.value, first);
    let max = f.max;
    let of = f.of;
    if (first >= 0) {
      i = first + 1;
      const inSpan = (j: number) => j < numbers.length && numbers[j]!.end <= f.end;
      if (max !== null && inSpan(i)) max = scale(max, i++);
      if (of !== null && inSpan(i)) of = scale(of, i);
    }
    return {
      ...f,
      id: `${v.id}@${start}`,
      docId: v.id,
      chunkId: chunkIds.get(f.chunkId) ?? f.chunkId,
      value,
      max,
      of,
      period: { ...f.period, year: f.period.year === null ? null : f.period.year + k, date: shiftDate(f.period.date, k) },
      measure: transformShort(sp, f.measure, v, true),
      context: transformShort(sp, f.context, v, true),
      raw: text.slice(start, end),
      sentence: text.slice(sentenceStart, sentenceEnd),
      sentenceStart,
      start,
      end,
    };
  });
  return { meta, text, sections, chunks, figures };
}

function lowerBound(numbers: readonly NumberChange[], pos: number): number {
  let lo = 0;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (numbers[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps the first `n` chunks of a record and the figures that belong to them. */
export function truncateRecord(record: DocumentRecord, n: number): DocumentRecord {
  if (n >= record.chunks.length) return record;
  const chunks = record.chunks.slice(0, n);
  const kept = new Set(chunks.map((c) => c.id));
  return { ...record, chunks, figures: record.figures.filter((f) => kept.has(f.chunkId)) };
}

function slug(s: string): string {
  return fold(normalizeText(s)).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export interface SyntheticOptions {
  /** Total chunks wanted (the last variant is truncated to reach it exactly). */
  chunks: number;
  seed: number;
  /** Keep the source documents themselves at the front of the corpus (default true). */
  includeSources?: boolean;
  /** Provinces to draw from (default: all of knowledge/provinces.ts). */
  provinces?: readonly string[];
  /** Years are shifted by an integer in [-maxYearShift, +maxYearShift] (default 4). */
  maxYearShift?: number;
  /** The per-document factor is log-uniform in [1/maxFactor, maxFactor] (default 2). */
  maxFactor?: number;
}

/**
 * Variants of `sources` (cycled in order; province, year shift, factor and jitter seed drawn
 * from a PRNG seeded with `seed`) until the corpus has `chunks` chunks.
 */
export function generateSynthetic(sources: readonly DocumentRecord[], opts: SyntheticOptions): DocumentRecord[] {
  if (sources.length === 0 || sources.every((s) => s.chunks.length === 0)) throw new Error("synthetic: no source chunks");
  const rng = mulberry32(opts.seed);
  const provinces = opts.provinces ?? PROVINCES;
  const maxShift = opts.maxYearShift ?? 4;
  const maxFactor = opts.maxFactor ?? 2;
  const plans = sources.filter((s) => s.chunks.length > 0).map(planSource);
  const out: DocumentRecord[] = opts.includeSources === false ? [] : [...sources];
  let total = out.reduce((n, r) => n + r.chunks.length, 0);
  for (let i = 0; total < opts.chunks; i++) {
    const sp = plans[i % plans.length]!;
    const province = provinces[Math.floor(rng() * provinces.length)]!;
    const yearShift = Math.floor(rng() * (2 * maxShift + 1)) - maxShift;
    const factor = Math.exp((2 * rng() - 1) * Math.log(maxFactor));
    const seed = Math.floor(rng() * 4294967296);
    const year = (sp.record.meta.period?.to ?? 2025) + yearShift;
    const id = `syn${String(i).padStart(5, "0")}-${slug(province)}-${sp.record.meta.kind}-${year}`;
    let rec = varyRecord(sp, { id, province, yearShift, factor, seed });
    rec = truncateRecord(rec, opts.chunks - total);
    out.push(rec);
    total += rec.chunks.length;
  }
  return out;
}

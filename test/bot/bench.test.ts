import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../bot/config.js";
import { median, percentile, summarize } from "../../bot/bench/stats.js";
import {
  formatViToken,
  generateSynthetic,
  hashString,
  mulberry32,
  offsetMapper,
  parseViToken,
  planSource,
  varyRecord,
} from "../../bot/bench/synthetic.js";
import { loadCorpusRecords } from "../../bot/bench/phases.js";
import { parseDocNumber } from "../../knowledge/figures/extract.js";
import { fold } from "../../knowledge/text/normalize.js";
import type { DocumentRecord } from "../../knowledge/types.js";

describe("stats", () => {
  it("computes percentiles by linear interpolation between closest ranks", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 50)).toBeCloseTo(50.5, 10);
    expect(percentile(xs, 95)).toBeCloseTo(95.05, 10);
    expect(percentile([10, 20], 25)).toBeCloseTo(12.5, 10);
    expect(percentile([7], 95)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("computes medians of odd and even counts without mutating the input", () => {
    const xs = [5, 1, 4, 2, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([2, 2, 2, 100])).toBe(2);
  });

  it("summarizes samples", () => {
    const s = summarize([3, 1, 2, 4, 100]);
    expect(s).toMatchObject({ n: 5, min: 1, p50: 3, max: 100, mean: 22 });
    expect(s.p95).toBeCloseTo(80.8, 5);
  });
});

describe("synthetic corpus helpers", () => {
  it("parses and writes numbers the Vietnamese way", () => {
    expect(parseViToken("1.790")).toEqual({ value: 1790, decimals: 0, grouped: true });
    expect(parseViToken("63,62")).toEqual({ value: 63.62, decimals: 2, grouped: false });
    expect(parseViToken("1.234,5")).toEqual({ value: 1234.5, decimals: 1, grouped: true });
    expect(parseViToken("1.5")).toBeNull();
    expect(formatViToken(2345.6, parseViToken("1.790")!)).toBe("2.346");
    expect(formatViToken(1234567, parseViToken("1.790")!)).toBe("1.234.567");
    expect(formatViToken(71.456, parseViToken("63,62")!)).toBe("71,46");
    // A number that grows past 999 gets grouped, as the documents write it.
    expect(formatViToken(1450, parseViToken("950")!)).toBe("1.450");
    expect(formatViToken(12.3, parseViToken("20")!)).toBe("12");
  });

  it("maps offsets through edits", () => {
    // "ab XY cd" → "ab XYZW cd" (XY replaced by XYZW at 3..5)
    const map = offsetMapper([{ start: 3, end: 5, text: "XYZW" }]);
    expect(map(0, "start")).toBe(0);
    expect(map(3, "start")).toBe(3);
    expect(map(5, "end")).toBe(7);
    expect(map(6, "start")).toBe(8);
    expect(map(4, "start")).toBe(3);
    expect(map(4, "end")).toBe(7);
  });

  it("has a deterministic PRNG and string hash", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    expect(hashString("80/285", 1)).toBe(hashString("80/285", 1));
    expect(hashString("80/285", 1)).not.toBe(hashString("80/285", 2));
  });
});

describe("synthetic corpus from the shipped documents", () => {
  let sources: DocumentRecord[] = [];
  beforeAll(async () => {
    sources = await loadCorpusRecords(path.join(PROJECT_ROOT, "knowledge", "corpus"), 20 * 1024 * 1024);
  }, 60_000);

  /** Offsets and ids that must hold in every record; returns the problems found. */
  const problems = (r: DocumentRecord): string[] => {
    const out: string[] = [];
    const chunkIds = new Set(r.chunks.map((c) => c.id));
    for (const c of r.chunks) {
      if (c.text !== r.text.slice(c.start, c.end)) out.push(`chunk ${c.id}: text ≠ slice`);
      if (c.docId !== r.meta.id || c.id !== `${r.meta.id}#${c.ordinal}`) out.push(`chunk ${c.id}: bad ids`);
    }
    for (const f of r.figures) {
      if (f.raw !== r.text.slice(f.start, f.end)) out.push(`figure ${f.id}: raw ≠ slice`);
      if (f.sentence !== r.text.slice(f.sentenceStart, f.sentenceStart + f.sentence.length)) out.push(`figure ${f.id}: sentence ≠ slice`);
      if (f.docId !== r.meta.id || !chunkIds.has(f.chunkId)) out.push(`figure ${f.id}: bad ids`);
    }
    for (const s of r.sections) {
      if (!(s.start <= s.bodyStart && s.bodyStart <= s.end && s.end <= r.text.length)) out.push(`section ${s.id}: bad offsets`);
    }
    return out;
  };

  /** Text with numbers and the given provinces masked: what a variant keeps of its source. */
  const skeleton = (text: string, provinces: string[]): string => {
    let f = fold(text).replace(/\d+(?:[.,]\d+)*/g, "#");
    for (const p of provinces) f = f.replace(new RegExp(`\\b${fold(p)}\\b`, "g"), "P");
    return f;
  };

  /** Chunks, sections and figures of `v` cover the same text as those of `src`. */
  const sameStructure = (v: DocumentRecord, src: DocumentRecord): string[] => {
    const out: string[] = [];
    const srcMask = [src.meta.province!, v.meta.province!];
    const vMask = [v.meta.province!];
    if (v.chunks.length > src.chunks.length || v.figures.length > src.figures.length) out.push("more items than the source");
    v.chunks.forEach((c, i) => {
      if (skeleton(c.text, vMask) !== skeleton(src.chunks[i]!.text, srcMask)) out.push(`chunk ${i} does not match its source`);
    });
    v.figures.forEach((f, i) => {
      const o = src.figures[i]!;
      if (skeleton(f.raw, vMask) !== skeleton(o.raw, srcMask)) out.push(`figure ${i}: «${f.raw}» vs «${o.raw}»`);
      if (skeleton(f.sentence, vMask) !== skeleton(o.sentence, srcMask)) out.push(`figure ${i}: sentence does not match`);
    });
    if (v.sections.length !== src.sections.length) out.push("section count differs");
    v.sections.forEach((sec, i) => {
      const o = src.sections[i]!;
      const a = skeleton(v.text.slice(sec.start, sec.end), vMask);
      if (a !== skeleton(src.text.slice(o.start, o.end), srcMask)) out.push(`section ${i} does not match`);
    });
    return out;
  };

  it("varies province, years and numbers of one document, keeping offsets consistent", () => {
    const src = sources.find((s) => s.meta.id === "bac-kan-ke-hoach-kttt-htx-2025");
    expect(src).toBeDefined();
    const v = varyRecord(planSource(src!), { id: "test-doc", province: "Hà Giang", yearShift: 2, factor: 1.5, seed: 1 });
    expect(problems(v)).toEqual([]);
    expect(sameStructure(v, src!)).toEqual([]);
    expect(v.meta.province).toBe("Hà Giang");
    expect(v.meta.title).toBe("Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2027 tỉnh Hà Giang");
    expect(v.meta.period).toEqual({ from: 2027, to: 2027 });
    expect(v.meta.reviewYear).toBe(2026);
    const folded = fold(v.text);
    expect(folded).not.toMatch(/\bbac kan\b/);
    expect(folded).toMatch(/\bha giang\b/);
    // Figures follow their numbers: every "N THT/HTX" figure's value is the number now written.
    let checked = 0;
    for (const [i, f] of v.figures.entries()) {
      const m = /^(\d{1,3}(?:\.\d{3})*) (?:THT|HTX)$/.exec(f.raw);
      const orig = src!.figures[i]!;
      expect(f.period.year).toBe(orig.period.year === null ? null : orig.period.year + 2);
      if (!m) continue;
      checked++;
      expect(f.value).toBe(parseDocNumber(m[1]!));
      // factor 1.5 × jitter in [0.9, 1.1]
      if (orig.value >= 20) {
        expect(f.value / orig.value).toBeGreaterThanOrEqual(1.5 * 0.9 - 0.05);
        expect(f.value / orig.value).toBeLessThanOrEqual(1.5 * 1.1 + 0.05);
      }
    }
    expect(checked).toBeGreaterThan(10);
    // "655 THT" becomes another number, written the Vietnamese way.
    const first = v.figures.find((f) => f.id.startsWith("test-doc@"))!;
    expect(first.raw).not.toBe(src!.figures[0]!.raw);
  });

  it("generates a corpus of exactly N chunks, deterministically for a seed", () => {
    const a = generateSynthetic(sources, { chunks: 3000, seed: 7 });
    const b = generateSynthetic(sources, { chunks: 3000, seed: 7 });
    const c = generateSynthetic(sources, { chunks: 3000, seed: 8 });
    expect(a.reduce((n, r) => n + r.chunks.length, 0)).toBe(3000);
    expect(hashString(JSON.stringify(a))).toBe(hashString(JSON.stringify(b)));
    expect(hashString(JSON.stringify(a))).not.toBe(hashString(JSON.stringify(c)));
    // The real documents come first, unchanged.
    expect(a.slice(0, sources.length)).toEqual(sources);
    const variants = a.slice(sources.length);
    const ids = new Set<string>();
    for (const r of a) for (const ch of r.chunks) ids.add(ch.id);
    expect(ids.size).toBe(3000);
    const provinces = new Set(variants.map((r) => r.meta.province));
    expect(provinces.size).toBeGreaterThan(10);
    const shifts = new Set<number>();
    let changedFigures = 0;
    let totalFigures = 0;
    for (const [j, r] of variants.entries()) {
      const src = sources[j % sources.length]!;
      expect(problems(r)).toEqual([]);
      expect(sameStructure(r, src)).toEqual([]);
      const k = r.meta.period!.from - src.meta.period!.from;
      expect(r.meta.period!.to - src.meta.period!.to).toBe(k);
      shifts.add(k);
      if (r.meta.province !== src.meta.province) {
        expect(fold(r.text)).not.toMatch(new RegExp(`\\b${fold(src.meta.province!)}\\b`));
      }
      const n = Math.min(r.figures.length, src.figures.length);
      for (let i = 0; i < n; i++) {
        if (src.figures[i]!.unit !== "HTX" && src.figures[i]!.unit !== "thành viên") continue;
        totalFigures++;
        if (r.figures[i]!.value !== src.figures[i]!.value) changedFigures++;
      }
    }
    expect(shifts.size).toBeGreaterThan(3);
    expect(changedFigures / totalFigures).toBeGreaterThan(0.7);
  });
});

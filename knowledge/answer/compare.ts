// One measure across provinces and years, side by side: for each document the figure that best
// matches the measure, and the differences between them computed by the tools (never by hand).

import type { Engine } from "../engine.js";
import type { DocMeta, Figure } from "../types.js";
import type { ToolResult, Tools } from "../tools/index.js";
import { ToolError } from "../tools/index.js";
import { parseQuestion, STOP, type Slots } from "./slots.js";
import { scoreFigures, tokensOf } from "./select.js";
import { unitDimension } from "../figures/units.js";
import { describeDoc, figureDisplay, kindLabel, periodLabel } from "./compose.js";
import { clauseLabel, docsInScope, figureSource, type SourceRef } from "./targets.js";

/** Below this share of the measure's (IDF-weighted) words around a figure, it is not the same measure. */
export const MIN_COVERAGE = 0.5;

export interface CompareEntry {
  doc: DocMeta;
  figure: Figure;
  /** Share of the measure's words found around the figure (0…1). */
  coverage: number;
  label: string;
  display: { vi: string; en: string };
  kind: { vi: string; en: string };
  period: { vi: string; en: string };
  /** "Cao Bằng 2026": province and the figure's year (or the document's plan year). */
  name: string;
  source: SourceRef;
}

export interface CompareDifference {
  /** Index of the entries compared: `to` − `from`. */
  from: number;
  to: number;
  tool: "gap" | "percentChange";
  result: ToolResult;
}

export interface Comparison {
  measure: string;
  slots: Slots;
  entries: CompareEntry[];
  /** Documents in scope with no figure matching the measure well enough. */
  missing: DocMeta[];
  differences: CompareDifference[];
}

type Dimension = NonNullable<Slots["unit"]>;

/** What the measure counts, from its words: money and shares first, then the last subject named. */
export function measureDimension(slots: Slots): Dimension | null {
  if (slots.unit) return slots.unit;
  const f = slots.folded;
  if (/\b(thu nhap|doanh thu|loi nhuan|lai binh quan|lai|von|kinh phi|du no|trieu|ty dong)\b/.test(f)) return "money";
  if (/\b(ty le|ti le|phan tram|kha tot|yeu kem)\b|%/.test(f)) return "percent";
  let best: { at: number; dim: Dimension } | null = null;
  for (const [re, dim] of [[/\b(lien hiep htx|lien hiep|lhhtx)\b/g, "lhhtx"], [/\bhtx\b/g, "htx"], [/\btht\b/g, "tht"], [/\bthanh vien\b/g, "member"], [/\b(nguoi|lao dong|can bo|hoc vien)\b/g, "person"]] as const) {
    for (const m of f.matchAll(re)) {
      // "liên hiệp htx" names the union, not a cooperative.
      if (dim === "htx" && /lien hiep\s*$/.test(f.slice(0, m.index))) continue;
      if (!best || m.index > best.at) best = { at: m.index, dim };
    }
  }
  return best?.dim ?? null;
}

const STRICT = new Set<Dimension>(["htx", "tht", "lhhtx", "member"]);

// Words of the qualifier ("từ … trở lên", "trên", "đạt"), not of the measure.
const QUALIFIER_WORDS = new Set(["tro", "len", "tren", "hon", "tu", "duoi", "khoang", "dat", "it", "nhat", "toi", "thieu", "da", "phan", "dau"]);

/** Share of the figure's own measure words that are words of the asked measure. */
function precision(f: Figure, terms: Set<string>): number {
  const own = [...new Set(tokensOf(f.measure).filter((w) => !STOP.has(w) && !QUALIFIER_WORDS.has(w) && !/^\d+$/.test(w)))];
  if (own.length === 0) return 0;
  return (2 * own.filter((w) => terms.has(w)).length) / own.length;
}

function entryYear(f: Figure, doc: DocMeta): number | null {
  return f.period.year ?? doc.period?.to ?? null;
}

function unitKey(f: Figure): string {
  return `${f.unit ?? ""}|${f.per ?? ""}`;
}

/**
 * Compares one measure ("thành lập mới HTX", "thu nhập bình quân thành viên") across the
 * documents. A province or year in the text narrows the documents; a kind ("ước", "mục tiêu")
 * chooses the kind of figure, targets by default.
 */
export function compareMeasure(engine: Engine, measureText: string, tools: Tools): Comparison {
  const slots = parseQuestion(measureText, engine.provinces);
  // Documents are plans: without a kind named, their targets are what is compared.
  const wanted: Slots = { ...slots, kind: slots.kind ?? "target", years: [], year: null, docYears: [] };
  const year = slots.years[0] ?? slots.docYears[0];
  const dim = measureDimension(slots);
  const terms = new Set(slots.terms);
  const docs = docsInScope(engine, { province: slots.province ?? undefined, year });
  const entries: CompareEntry[] = [];
  const missing: DocMeta[] = [];
  for (const doc of docs) {
    const rec = engine.recordsById.get(doc.id);
    if (!rec || slots.terms.length === 0) {
      missing.push(doc);
      continue;
    }
    const scored = scoreFigures(engine, wanted, [doc.id], { hitRank: new Map(), unit: null })
      .filter((s) => s.coverage >= MIN_COVERAGE && s.figure.unit !== null && !s.figure.aside && (year === undefined || s.figure.period.year === null || s.figure.period.year === year))
      // A count of cooperatives is a count of cooperatives (or a share of them), not of something else.
      .filter((s) => !dim || !STRICT.has(dim) || [dim, "percent"].includes(unitDimension(s.figure.unit) ?? ""))
      // The measure's own unit is preferred; a figure whose own words are mostly the measure's is
      // more specific than one that mentions it among other things.
      .map((s) => ({ ...s, score: s.score + (dim && unitDimension(s.figure.unit) === dim ? 1.5 : 0) + precision(s.figure, terms) }))
      .sort((a, b) => b.score - a.score || a.figure.start - b.figure.start);
    const best = scored[0];
    if (!best) {
      missing.push(doc);
      continue;
    }
    const f = best.figure;
    const sentenceFigures = rec.figures.filter((g) => g.sentenceStart === f.sentenceStart);
    const y = entryYear(f, doc);
    entries.push({
      doc,
      figure: f,
      coverage: best.coverage,
      label: clauseLabel(rec.text, f, sentenceFigures),
      display: { vi: figureDisplay(f, "vi"), en: figureDisplay(f, "en") },
      kind: { vi: kindLabel(f, "vi"), en: kindLabel(f, "en") },
      period: { vi: periodLabel(f, doc, "vi"), en: periodLabel(f, doc, "en") },
      name: `${doc.province ?? describeDoc(doc, "vi")}${y ? ` ${y}` : ""}${doc.kind === "nghi-quyet" && doc.number ? ` (${doc.number})` : ""}`,
      source: figureSource(engine, f),
    });
  }
  entries.sort((a, b) => (entryYear(b.figure, b.doc) ?? 0) - (entryYear(a.figure, a.doc) ?? 0) || (a.doc.province ?? "").localeCompare(b.doc.province ?? ""));
  const differences: CompareDifference[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i]!;
      const b = entries[j]!;
      if (unitKey(a.figure) !== unitKey(b.figure)) continue;
      if (a.figure.of !== null || b.figure.of !== null) continue;
      const input = (e: CompareEntry) => ({ label: e.name, value: e.figure.value, unit: e.figure.unit, source: `${e.source.sectionPath}: «${e.figure.raw.replace(/\s+/g, " ")}»` });
      // Later minus earlier (entries are latest first): j is the base, i the later figure.
      try {
        differences.push({ from: j, to: i, tool: "gap", result: tools.gap.run({ actual: input(b), target: input(a) }) });
        const ya = entryYear(a.figure, a.doc);
        const yb = entryYear(b.figure, b.doc);
        const sameProvince = a.doc.province !== null && a.doc.province === b.doc.province;
        if (sameProvince && ya !== null && yb !== null && Math.abs(ya - yb) === 1 && b.figure.value !== 0) {
          differences.push({ from: j, to: i, tool: "percentChange", result: tools.percentChange.run({ from: input(b), to: input(a) }) });
        }
      } catch (err) {
        if (!(err instanceof ToolError)) throw err;
      }
    }
  }
  return { measure: measureText, slots, entries, missing, differences };
}

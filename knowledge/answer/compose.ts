// Building blocks of an answer: citations with exact quotes, figure displays, and the
// Vietnamese / English wording. Pure functions of their inputs.

import type { Engine } from "../engine.js";
import type { Chunk, Citation, DocMeta, Figure, FigureInput } from "../types.js";
import { formatViNumber, formatEnNumber } from "../text/numbers.js";

export type Lang = "vi" | "en";

export const QUALIFIER_WORDS: Record<Lang, Record<Figure["qualifier"], string>> = {
  vi: { exact: "", over: "trên ", "at-least": "từ ", under: "dưới ", "at-most": "tối đa ", about: "khoảng ", range: "" },
  en: { exact: "", over: "over ", "at-least": "at least ", under: "under ", "at-most": "at most ", about: "about ", range: "" },
};

/** Up to three decimals: a figure from a document keeps what it states ("138,971 triệu đồng"). */
export function fmt(n: number, lang: Lang): string {
  return lang === "vi" ? formatViNumber(n, 3) : formatEnNumber(n, 3);
}

/** "trên 15 HTX", "5 – 5,5 triệu đồng/người/tháng", "80/285 HTX", "từ 25 THT trở lên". */
export function figureDisplay(f: Figure, lang: Lang): string {
  const unit = f.unit ? (f.unit === "%" ? "%" : ` ${f.unit}`) : "";
  const per = f.per ? `/${f.per}` : "";
  let num = fmt(f.value, lang);
  if (f.max !== null) num = `${num} – ${fmt(f.max, lang)}`;
  if (f.of !== null) num = `${num}/${fmt(f.of, lang)}`;
  const tail = f.qualifier === "at-least" ? (lang === "vi" ? " trở lên" : "") : "";
  const q = f.qualifier === "at-least" && lang === "vi" ? "từ " : QUALIFIER_WORDS[lang][f.qualifier];
  return `${q}${num}${unit}${per}${tail}`;
}

export function kindLabel(f: Figure, lang: Lang): string {
  const vi = { target: "mục tiêu", estimate: "ước thực hiện", actual: "số liệu", "plan-ratio": "tỷ lệ so với kế hoạch", other: "số liệu" };
  const en = { target: "target", estimate: "estimate", actual: "actual", "plan-ratio": "ratio to plan", other: "figure" };
  return (lang === "vi" ? vi : en)[f.kind];
}

export function periodLabel(f: Figure, doc: DocMeta, lang: Lang): string {
  const p = f.period;
  if (p.date) {
    const [y, m, d] = p.date.split("-");
    const dm = d ? `${Number(d)}/${Number(m)}/${y}` : `${Number(m)}/${y}`;
    return lang === "vi" ? `đến ${dm}` : `as of ${dm}`;
  }
  if (p.part === "H1" && p.year) return lang === "vi" ? `6 tháng đầu năm ${p.year}` : `first half of ${p.year}`;
  if (p.year) {
    if (f.kind === "target" && doc.period && doc.period.from !== doc.period.to) return lang === "vi" ? `đến năm ${p.year}` : `by ${p.year}`;
    return lang === "vi" ? `năm ${p.year}` : `${p.year}`;
  }
  return "";
}

export function sectionLabel(chunk: Chunk): string {
  return chunk.path.length ? chunk.path[chunk.path.length - 1]! : "";
}

export function sectionPath(chunk: Chunk): string {
  return chunk.path.join(" › ");
}

/** Collapses white space; quotes are compared after this normalisation. */
export function tidy(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

const MAX_QUOTE = 320;

/**
 * The quote for a span of the document: its sentence, trimmed to the clause around
 * [start, end) when the sentence is long, and always inside the chunk.
 */
export function quoteFor(text: string, chunk: Chunk, sentStart: number, sentEnd: number, focusStart: number, focusEnd: number): { quote: string; start: number; end: number } {
  let a = Math.max(sentStart, chunk.start);
  let b = Math.min(sentEnd, chunk.end);
  if (b - a > MAX_QUOTE) {
    const before = text.slice(a, focusStart);
    const cutA = Math.max(before.lastIndexOf(";"), before.lastIndexOf(". "));
    if (cutA >= 0 && focusStart - (a + cutA + 1) < MAX_QUOTE) a = a + cutA + 1;
    const after = text.slice(focusEnd, b);
    const m = /;|\.\s/.exec(after);
    if (m) b = focusEnd + m.index + 1;
    if (b - a > MAX_QUOTE) {
      a = Math.max(a, focusStart - 160);
      b = Math.min(b, focusEnd + 160);
      while (a < focusStart && !/\s/.test(text[a - 1] ?? " ")) a++;
      while (b > focusEnd && !/\s/.test(text[b] ?? " ")) b--;
    }
  }
  while (a < b && /[\s;,]/.test(text[a]!)) a++;
  while (b > a && /[\s;,]/.test(text[b - 1]!)) b--;
  return { quote: tidy(text.slice(a, b)), start: a, end: b };
}

/** Collects citations, numbering each chunk once. */
export class CitationList {
  readonly items: Citation[] = [];
  constructor(private readonly engine: Engine) {}

  add(chunk: Chunk, quote: { quote: string; start: number; end: number }): number {
    const existing = this.items.find((c) => c.chunkId === chunk.id);
    if (existing) {
      if (!existing.quote.includes(quote.quote)) {
        // Several figures from one chunk: widen the quote to cover both spans.
        const text = this.engine.recordsById.get(chunk.docId)!.text;
        const start = Math.min(existing.start, quote.start);
        const end = Math.max(existing.end, quote.end);
        if (end - start <= 2 * MAX_QUOTE) {
          existing.quote = tidy(text.slice(start, end));
          existing.start = start;
          existing.end = end;
        }
      }
      return existing.n;
    }
    const doc = this.engine.docsById.get(chunk.docId)!;
    const n = this.items.length + 1;
    this.items.push({
      n,
      document: doc.id,
      title: doc.title,
      section: sectionPath(chunk),
      page: chunk.page,
      quote: quote.quote,
      text: chunk.text,
      chunkId: chunk.id,
      start: quote.start,
      end: quote.end,
    });
    return n;
  }

  addFigure(f: Figure): number {
    const chunk = this.engine.chunksById.get(f.chunkId)!;
    const text = this.engine.recordsById.get(f.docId)!.text;
    const q = quoteFor(text, chunk, f.sentenceStart, f.sentenceStart + f.sentence.length, f.start, f.end);
    return this.add(chunk, q);
  }
}

export function figureInput(engine: Engine, f: Figure, label: string, citation: number): FigureInput {
  const doc = engine.docsById.get(f.docId)!;
  const chunk = engine.chunksById.get(f.chunkId)!;
  return {
    label,
    value: f.value,
    unit: f.unit ? `${f.unit}${f.per ? `/${f.per}` : ""}` : null,
    source: `${doc.title} › ${sectionLabel(chunk)}: «${tidy(f.raw)}»`,
    citation,
  };
}

export function coverageText(docs: DocMeta[], lang: Lang): string {
  const byProvince = new Map<string, string[]>();
  for (const d of docs) {
    const key = d.province ?? (lang === "vi" ? "Khác" : "Other");
    const what = describeDoc(d, lang);
    byProvince.set(key, [...(byProvince.get(key) ?? []), what]);
  }
  return [...byProvince].map(([p, list]) => `${p}: ${list.join("; ")}`).join(". ");
}

export function describeDoc(d: DocMeta, lang: Lang): string {
  const period = d.period ? (d.period.from === d.period.to ? `${d.period.from}` : `${d.period.from}–${d.period.to}`) : "";
  if (lang === "vi") {
    const kind = d.kind === "ke-hoach" ? "kế hoạch" : d.kind === "nghi-quyet" ? "nghị quyết" : "tài liệu";
    const num = d.number ? ` ${d.number}` : "";
    const review = d.reviewYear ? ` (đánh giá năm ${d.reviewYear})` : "";
    return `${kind}${num} ${d.kind === "nghi-quyet" ? "giai đoạn " : "năm "}${period}${review}`.replace(/\s+/g, " ").trim();
  }
  const kind = d.kind === "ke-hoach" ? "plan" : d.kind === "nghi-quyet" ? "resolution" : "document";
  const num = d.number ? ` ${d.number}` : "";
  const review = d.reviewYear ? ` (reviews ${d.reviewYear})` : "";
  return `${kind}${num} for ${period}${review}`.replace(/\s+/g, " ").trim();
}

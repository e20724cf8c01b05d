// The targets (chỉ tiêu, mục tiêu) each document sets, as one table per document: the figures of
// kind "target" in its "Mục tiêu cụ thể" sections (and the clearly-target sentences elsewhere),
// each with a short label in the document's own words, its display and its source.

import type { Engine } from "../engine.js";
import type { DocMeta, DocumentRecord, Figure, Section } from "../types.js";
import { fold } from "../text/normalize.js";
import { figureDisplay, periodLabel, quoteFor, sectionPath, tidy } from "./compose.js";

export interface SourceRef {
  docId: string;
  /** Heading of the section the passage stands in (as written). */
  section: string;
  /** Full heading path, " › " separated. */
  sectionPath: string;
  chunkId: string;
  /** The quote, verbatim after white-space collapsing, and its offsets in the document text. */
  quote: string;
  start: number;
  end: number;
}

export interface TargetRow {
  /** The clause before the number, as written ("Thành lập mới", "Lợi nhuận bình quân HTX"). */
  label: string;
  display: { vi: string; en: string };
  period: { vi: string; en: string };
  figure: Figure;
  source: SourceRef;
}

export interface TargetTable {
  doc: DocMeta;
  province: string | null;
  /** The document's plan period. */
  period: { from: number; to: number } | null;
  rows: TargetRow[];
}

export interface TargetScope {
  province?: string;
  year?: number;
}

/** Folded province name without "tỉnh", for comparisons. */
export function provinceKey(p: string): string {
  return fold(p).replace(/^(tinh|thanh pho)\s+/, "").replace(/[^a-z ]/g, " ").replace(/\s+/g, " ").trim();
}

/** Documents of the province (any when not given) whose plan period covers the year (any when not given). */
export function docsInScope(engine: Engine, scope: TargetScope): DocMeta[] {
  const key = scope.province ? provinceKey(scope.province) : null;
  return engine.docs.filter((d) => {
    if (key && (!d.province || provinceKey(d.province) !== key)) return false;
    if (scope.year !== undefined && (!d.period || scope.year < d.period.from || scope.year > d.period.to)) return false;
    return true;
  });
}

/** The section a document offset belongs to (the deepest one containing it). */
export function sectionAt(rec: DocumentRecord, offset: number): Section | null {
  let best: Section | null = null;
  for (const s of rec.sections) {
    if (s.start <= offset && offset < s.end && (!best || s.start >= best.start)) best = s;
  }
  return best;
}

/** The section and its ancestors, the section first. */
export function ancestry(rec: DocumentRecord, s: Section | null): Section[] {
  const out: Section[] = [];
  const byId = new Map(rec.sections.map((x) => [x.id, x]));
  let cur = s;
  while (cur && out.length < 20) {
    out.push(cur);
    cur = cur.parent === null ? null : (byId.get(cur.parent) ?? null);
  }
  return out;
}

const TARGET_HEADING = /\bmuc tieu\b/;
const NOT_TARGET_HEADING = /\b(danh gia|ket qua|nguon von|nhu cau von|kinh phi)\b/;
const TARGET_CUE = /\b(phan dau|chi tieu|muc tieu)\b/;
const DURATION_UNITS = new Set(["tháng", "năm", "ngày"]);

function isTargetSection(rec: DocumentRecord, s: Section | null): boolean {
  return ancestry(rec, s).some((x) => {
    const h = fold(x.heading);
    return TARGET_HEADING.test(h) && !NOT_TARGET_HEADING.test(h);
  });
}

function inExcludedSection(rec: DocumentRecord, s: Section | null): boolean {
  return ancestry(rec, s).some((x) => /\b(nguon von|nhu cau von|kinh phi)\b/.test(fold(x.heading)));
}

// ---------------------------------------------------------------------------------------------
// Labels: the clause before the number, in the document's own words.

// Words that only connect the clause to its number, stripped from the label's end (folded).
const TRAILING = /(?:\s|^)(?:dat duoc|dat|la|(?<!tro )len|xuong con|con|voi|co|duoc|trong do co|trong do|toi thieu|it nhat|tu|tren|hon|khoang|gan|nhu|gom|bang|tang|giam|dua)\s*$/;
// Words that open a target sentence without saying what is measured (folded).
const LEADING = /^(?:tro len|phan dau(?:\s+(?:nam|den nam|den het nam)\s+\d{4})?|doi voi\s+[^,]*?(?=\s+phan dau)|trong do|va|voi|dong thoi)\s*[,:]?\s*/;

function isBoundaryAt(text: string, i: number): boolean {
  const c = text[i]!;
  if (c === ";" || c === ":" || c === "!" || c === "?") return true;
  if (c === "." && /\s/.test(text[i + 1] ?? " ") && !/\d/.test(text[i - 1] ?? "")) return true;
  if (c === "\n") {
    // A new paragraph or a list item; a line wrapped inside a sentence is not a boundary.
    const rest = text.slice(i + 1, i + 8);
    return /^\s*(\n|[-+•*–]|\(\d|[a-zđ]\)\s)/.test(rest) || text[i - 1] === "\n";
  }
  return false;
}

function lastBoundary(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (isBoundaryAt(text, i)) return i;
  return -1;
}

function nextBoundary(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (isBoundaryAt(text, i)) return i;
  return to;
}

/** Strips list marks, connectors and punctuation from both ends; original spelling kept. */
function trimLabel(s: string): string {
  let out = tidy(s).replace(/^[\s\-+•*–_.,;:)]+/, "").replace(/^\(?\d+(\.\d+)*\)\s*/, "").replace(/^[a-zđ]\)\s*/, "");
  for (let i = 0; i < 4; i++) {
    const f = fold(out);
    const lead = LEADING.exec(f);
    if (lead && lead[0].length > 0) out = out.slice(lead[0].length);
    const trail = TRAILING.exec(fold(out));
    if (trail && trail[0].length > 0) out = out.slice(0, out.length - trail[0].length);
    out = out.replace(/[\s,;:(–-]+$/, "").replace(/^[\s,;:)–-]+/, "");
    if (!lead && !trail) break;
  }
  return out.trim();
}

const hasWords = (s: string) => /[a-zA-Zà-ỹÀ-Ỹđ]{2,}/.test(s);

/**
 * The clause before a figure, as written: from the last clause boundary (or the previous figure
 * of the sentence) to the number. "Lợi nhuận bình quân HTX: 282 triệu đồng" → "Lợi nhuận bình
 * quân HTX"; when nothing names the figure before it, the words after it.
 */
export function clauseLabel(text: string, f: Figure, sentenceFigures: Figure[]): string {
  const sentStart = f.sentenceStart;
  const sentEnd = f.sentenceStart + f.sentence.length;
  const real = sentenceFigures.filter((g) => g.unit !== null && g !== f);
  const prev = real.filter((g) => g.end <= f.start && g.start >= sentStart).sort((a, b) => b.end - a.end)[0];
  const clauseStart = Math.max(sentStart, lastBoundary(text, sentStart, f.start) + 1);
  let from = clauseStart;
  if (prev && prev.end > from) {
    // After a previous figure, the clause begins after its trailing words ("21 HTX thành viên, …").
    const comma = text.lastIndexOf(",", f.start);
    from = comma >= prev.end && text.slice(prev.end, comma).trim().split(/\s+/).length <= 3 ? comma + 1 : prev.end;
  }
  let label = trimLabel(text.slice(from, f.start));
  if (!hasWords(label) && from > sentStart && text[from - 1] === ":") {
    // "Lợi nhuận bình quân HTX: 282 triệu đồng": the label is before the colon.
    const b = Math.max(sentStart, lastBoundary(text, sentStart, from - 1) + 1);
    label = trimLabel(text.slice(b, from - 1));
  }
  if (!hasWords(label)) {
    const next = real.filter((g) => g.start >= f.end).sort((a, b) => a.start - b.start)[0];
    let to = nextBoundary(text, f.end, next ? Math.min(next.start, sentEnd) : sentEnd);
    const comma = text.indexOf(",", f.end);
    if (comma >= 0 && comma < to) to = comma;
    label = trimLabel(text.slice(f.end, to).replace(/^\s*(tr[oơởờ]\s*l[eêéề]n|tro len)/i, ""));
  }
  // Last resort: the whole clause up to the number ("… từ 25 Tổ hợp tác trở lên với hơn 7.350 thành viên").
  if (!hasWords(label)) label = trimLabel(text.slice(clauseStart, f.start));
  return label.length > 140 ? `${label.slice(0, 137).replace(/\s+\S*$/, "")}…` : label;
}

/** Citation data for a figure: its section and a quote of its sentence (or clause). */
export function figureSource(engine: Engine, f: Figure): SourceRef {
  const chunk = engine.chunksById.get(f.chunkId)!;
  const text = engine.recordsById.get(f.docId)!.text;
  const q = quoteFor(text, chunk, f.sentenceStart, f.sentenceStart + f.sentence.length, f.start, f.end);
  return {
    docId: f.docId,
    section: chunk.path.length ? chunk.path[chunk.path.length - 1]! : "",
    sectionPath: sectionPath(chunk),
    chunkId: chunk.id,
    quote: q.quote,
    start: q.start,
    end: q.end,
  };
}

function isUsefulTarget(f: Figure): boolean {
  if (f.kind !== "target" || f.aside || f.unit === null) return false;
  if (DURATION_UNITS.has(f.unit) && !f.per) return false;
  return true;
}

/** The target rows of one document, in document order. */
export function documentTargets(engine: Engine, doc: DocMeta): TargetRow[] {
  const rec = engine.recordsById.get(doc.id);
  if (!rec) return [];
  const planYear = doc.period?.to ?? null;
  const rows: TargetRow[] = [];
  const seen = new Set<string>();
  const bySentence = new Map<number, Figure[]>();
  for (const f of rec.figures) bySentence.set(f.sentenceStart, [...(bySentence.get(f.sentenceStart) ?? []), f]);
  for (const f of [...rec.figures].sort((a, b) => a.start - b.start)) {
    if (!isUsefulTarget(f)) continue;
    const section = sectionAt(rec, f.start);
    if (inExcludedSection(rec, section)) continue;
    if (!isTargetSection(rec, section)) {
      // Elsewhere, only a sentence that says it sets targets for the plan period.
      if (planYear === null || f.period.year !== planYear || !TARGET_CUE.test(fold(f.sentence))) continue;
    }
    const label = clauseLabel(rec.text, f, bySentence.get(f.sentenceStart) ?? []);
    const display = { vi: figureDisplay(f, "vi"), en: figureDisplay(f, "en") };
    const key = `${f.start}|${fold(label)}|${f.value}|${f.unit}|${f.per}`;
    const loose = `${fold(label).replace(/\s+/g, " ")}|${f.value}|${f.unit}|${f.per}`;
    if (seen.has(key) || seen.has(loose)) continue;
    seen.add(key);
    seen.add(loose);
    rows.push({
      label,
      display,
      period: { vi: periodLabel(f, doc, "vi"), en: periodLabel(f, doc, "en") },
      figure: f,
      source: figureSource(engine, f),
    });
  }
  return rows;
}

/** One table per document in scope: plans first (latest first), then resolutions. */
export function listTargets(engine: Engine, scope: TargetScope = {}): TargetTable[] {
  const docs = docsInScope(engine, scope).sort((a, b) => {
    const k = (d: DocMeta) => (d.kind === "ke-hoach" ? 0 : 1);
    return k(a) - k(b) || (b.period?.to ?? 0) - (a.period?.to ?? 0);
  });
  return docs
    .map((doc) => ({ doc, province: doc.province, period: doc.period, rows: documentTargets(engine, doc) }))
    .filter((t) => t.rows.length > 0);
}

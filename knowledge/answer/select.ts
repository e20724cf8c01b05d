// Scores the figures of the allowed documents against the question's slots. Every part of the
// score is explicit so that a wrong answer can be traced to one slot or one weight.

import type { Engine } from "../engine.js";
import type { Figure, SearchHit } from "../types.js";
import { fold } from "../text/normalize.js";
import { unitDimension } from "../figures/units.js";
import { STOP, type Dimension, type Slots } from "./slots.js";
import { canonical } from "../text/synonyms.js";

export interface ScoredFigure {
  figure: Figure;
  score: number;
  /** IDF-weighted share of the question's words found around the figure (0…1). */
  coverage: number;
  parts: Record<string, number>;
}

/** Folded tokens, with the long forms of HTX / THT written as their abbreviations. */
export function tokensOf(text: string): string[] {
  return canonical(text).split(/[^a-z0-9%]+/).filter(Boolean);
}

/** The search query with both spellings of abbreviated terms, so BM25 finds either form. */
export function expandQuery(folded: string): string {
  let q = folded;
  if (/\bhtx\b/.test(q)) q += " hop tac xa";
  if (/\btht\b/.test(q)) q += " to hop tac";
  if (/\blhhtx\b/.test(q)) q += " lien hiep htx";
  return q;
}

function bigrams(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}_${tokens[i + 1]}`);
  return out;
}

export interface TermWeights {
  terms: Array<{ term: string; weight: number }>;
  bigrams: Array<{ term: string; weight: number }>;
  total: number;
}

/** IDF weights of the question's content words and word pairs. */
export function weighTerms(engine: Engine, terms: string[]): TermWeights {
  const uniq = [...new Set(terms)];
  // A word the corpus never uses is the most specific word of all: a question about
  // "Vietcombank" is not answered by a passage that matches only its other words.
  const maxIdf = Math.log(1 + (engine.keyword.size + 0.5) / 0.5);
  const tw = uniq.map((term) => {
    const idf = engine.keyword.idf(term);
    return { term, weight: idf > 0 ? Math.max(0.3, idf) : /^\d+$/.test(term) || term.length < 3 ? 0.3 : maxIdf };
  });
  const bw = [...new Set(bigrams(terms))].map((term) => ({ term, weight: 0.6 * Math.max(0.3, engine.keyword.idf(term)) }));
  const total = tw.reduce((s, t) => s + t.weight, 0) + bw.reduce((s, t) => s + t.weight, 0);
  return { terms: tw, bigrams: bw, total };
}

/** Share of the weighted question words present in `near` (full credit) or `far` (partial). */
/** The words of a text, as sets ready for `coverageOfSets`. */
export interface TokenSets {
  near: Set<string>;
  far: Set<string>;
  nearPairs: Set<string>;
  farPairs: Set<string>;
}

export function tokenSets(near: string[], far: string[]): TokenSets {
  // Word pairs are compared without function words ("thành viên của HTX" ~ "thành viên HTX").
  return {
    near: new Set(near),
    far: new Set(far),
    nearPairs: new Set(bigrams(near.filter((x) => !STOP.has(x)))),
    farPairs: new Set(bigrams(far.filter((x) => !STOP.has(x)))),
  };
}

/** The words around a figure: its own measure (near), its sentence, list lead-in and section path (far). */
export function figureTokens(engine: Engine, f: Figure): TokenSets {
  const chunk = engine.chunksById.get(f.chunkId);
  return tokenSets(tokensOf(f.measure), [...tokensOf(f.context), ...tokensOf(fold((chunk?.path ?? []).join(" ")))]);
}

export function coverageOf(w: TermWeights, near: string[], far: string[], farCredit = 0.4): number {
  return coverageOfSets(w, tokenSets(near, far), farCredit);
}

export function coverageOfSets(w: TermWeights, sets: TokenSets, farCredit = 0.4): number {
  if (w.total <= 0) return 0;
  const { near: n, far: f, nearPairs: nb, farPairs: fb } = sets;
  let got = 0;
  for (const t of w.terms) got += t.weight * (n.has(t.term) ? 1 : f.has(t.term) ? farCredit : 0);
  for (const b of w.bigrams) got += b.weight * (nb.has(b.term) ? 1 : fb.has(b.term) ? farCredit : 0);
  return got / w.total;
}

function dimensionMatches(want: Dimension, unit: string | null): boolean {
  const have = unitDimension(unit);
  if (!have) return false;
  if (want === have) return true;
  // "bao nhiêu người" also accepts members, and "thành viên" accepts people.
  return (want === "person" && have === "member") || (want === "member" && have === "person");
}

export interface ScoreOptions {
  /** Ranks of chunks in the hybrid search (1-based). */
  hitRank: Map<string, number>;
  /** Restrict to figures with a unit of this dimension. */
  unit?: Dimension | null;
  /** Words to match instead of the question's own (sub-phrases of an operation). */
  terms?: string[];
  /** When set, only figures in these chunks are scored. */
  chunks?: Set<string> | null;
}

/** Kinds of organisation the documents count, in canonical spelling. */
const ORGS = ["htx", "tht", "lhhtx"];

/** Above this many figures in scope, scoring is limited to the retrieved passages. */
export const MAX_FIGURES_SCORED = 3000;

export function rankOf(hits: SearchHit[]): Map<string, number> {
  return new Map(hits.map((h, i) => [h.chunk.id, i + 1]));
}

/** Scores every figure of the given documents; best first. */
export function scoreFigures(engine: Engine, slots: Slots, docIds: string[], opts: ScoreOptions): ScoredFigure[] {
  const weights = weighTerms(engine, opts.terms ?? slots.terms);
  const questionTokens = new Set(opts.terms ?? slots.terms);
  const unitWanted = opts.unit === undefined ? slots.unit : opts.unit;
  const out: ScoredFigure[] = [];
  // On a large corpus only the figures of the retrieved passages are scored; on a small one,
  // every figure in scope is (retrieval then only adds a bonus).
  let inScope = 0;
  for (const docId of docIds) inScope += engine.figuresByDoc.get(docId)?.length ?? 0;
  const only = opts.chunks ?? (inScope > MAX_FIGURES_SCORED && opts.hitRank.size > 0 ? new Set(opts.hitRank.keys()) : null);
  for (const docId of docIds) {
    for (const f of engine.figuresByDoc.get(docId) ?? []) {
      if (only && !only.has(f.chunkId)) continue;
      const parts: Record<string, number> = {};
      const coverage = coverageOfSets(weights, engine.figureTokens(f));
      parts.coverage = 5 * coverage;
      if (unitWanted) {
        if (dimensionMatches(unitWanted, f.unit)) parts.unit = unitDimension(f.unit) === unitWanted ? 1.5 : 0.8;
        else if (unitWanted === "money" && f.unit === null) parts.unit = -1.5;
        else parts.unit = -4;
      } else if (f.unit === null) parts.unit = -1.5;
      if (slots.unitName && f.unit === slots.unitName) parts.unitExact = 0.5;
      // "bao nhiêu trí thức trẻ": a number directly followed by those words counts them.
      if (slots.countNoun && f.unit === null) {
        const after = fold(engine.recordsById.get(f.docId)?.text.slice(f.end, f.end + 30) ?? "").replace(/\s+/g, " ").trim();
        if (after.startsWith(slots.countNoun)) parts.unit = 1.5;
      }
      if (unitWanted === "other" && f.unit !== slots.unitName) parts.unit = -4;
      // Kind of figure.
      const wantKind = slots.kind;
      if (f.kind === "plan-ratio" && wantKind !== "plan-ratio" && slots.operation?.type !== "achievement") parts.kind = -2.5;
      else if (wantKind === "target") parts.kind = f.kind === "target" ? 1.2 : -1;
      else if (wantKind === "estimate") parts.kind = f.kind === "estimate" ? 1 : f.kind === "actual" ? -0.2 : -0.8;
      else if (wantKind === "actual") parts.kind = f.kind === "actual" || f.kind === "estimate" ? 0.4 : -0.6;
      else if (wantKind === "plan-ratio") parts.kind = f.kind === "plan-ratio" ? 1.5 : -1;
      // Period.
      if (slots.date) {
        parts.period = f.period.date === slots.date ? 2.5 : f.period.year === Number(slots.date.slice(0, 4)) ? 0 : -1;
      } else if (slots.years.length) {
        // A figure of another year than the question names is not an answer to it.
        if (f.period.year !== null && !slots.years.includes(f.period.year)) continue;
        parts.period = f.period.year === slots.years[0] ? 0.8 : 0.5;
      } else if (slots.year !== null) {
        // Only the year inherited from the conversation or named with the document.
        parts.period = f.period.year === slots.year ? 0.8 : -1.2;
      }
      // "mỗi năm", "hằng năm", "mỗi HTX" ask for a rate per year / per cooperative.
      const per = /\b(moi|hang|hng|1|mot) (nam|thang)\b/.exec(slots.folded);
      if (per && f.per) parts.per = f.per.includes(per[2] === "nam" ? "năm" : "tháng") ? 0.8 : 0;
      if (slots.half) parts.half = f.period.part === "H1" ? 1 : -0.5;
      else if (f.period.part === "H1") parts.half = -0.3;
      // A figure about another kind of organisation than the question asks about ("21 HTX thành
      // viên" of a Liên hiệp HTX, when the question is about HTX) is less likely its answer.
      const askedOrgs = ORGS.filter((o) => questionTokens.has(o));
      if (askedOrgs.length) {
        const near = engine.figureTokens(f).near;
        const others = ORGS.some((o) => !askedOrgs.includes(o) && near.has(o));
        // About another kind of organisation only ("lãi bình quân 01 THT" for a question on HTX): not an answer.
        if (others && !askedOrgs.some((o) => near.has(o))) continue;
        if (others) parts.org = -0.6;
      }
      // A breakdown in parentheses yields to the main figure unless the question names it.
      if (f.aside && parts.coverage < 3.5) parts.aside = -0.8;
      // Retrieval agrees.
      const rank = opts.hitRank.get(f.chunkId);
      parts.retrieval = rank ? 1.2 / Math.sqrt(rank) : 0;
      const score = Object.values(parts).reduce((s, v) => s + v, 0);
      out.push({ figure: f, score, coverage, parts });
    }
  }
  out.sort((a, b) => b.score - a.score || a.figure.start - b.figure.start);
  return out;
}

// The offline answerer: question → slots → retrieval → figures → tools → an `Answer`.
// No language model; every number comes from a document or from a deterministic tool.

import type { Engine } from "../engine.js";
import type { Answer, AnswerFigure, DocMeta, Figure, SearchFilters, SearchHit } from "../types.js";
import type { Tools, ToolResult } from "../tools/index.js";
import { foldCompact } from "../text/normalize.js";
import { splitSentences } from "../figures/extract.js";
import { parseQuestion, type Slots } from "./slots.js";
import { coverageOf, expandQuery, rankOf, scoreFigures, tokensOf, weighTerms, type ScoredFigure } from "./select.js";
import {
  CitationList,
  coverageText,
  describeDoc,
  figureDisplay,
  figureInput,
  kindLabel,
  periodLabel,
  quoteFor,
  sectionLabel,
  tidy,
  type Lang,
} from "./compose.js";
import { fold, normalizeText } from "../text/normalize.js";

/** What a follow-up inherits from the previous question in the same conversation. */
export interface ConversationContext {
  province: string | null;
  year: number | null;
  docIds: string[] | null;
  /** The previous question, for follow-ups that only change the province or the year. */
  lastQuestion: string | null;
  /** Recent turns, oldest first: the language model rewrites a follow-up from them. */
  history?: Turn[];
}

export interface Turn {
  question: string;
  answer: string;
}

export const EMPTY_CONTEXT: ConversationContext = { province: null, year: null, docIds: null, lastQuestion: null };

export interface AskOptions {
  context?: ConversationContext;
  lang?: Lang;
}

export interface AskResult {
  answer: Answer;
  context: ConversationContext;
}

export interface Answerer {
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
}

export interface AnswererOptions {
  maxQuestionChars: number;
  /** Minimum figure score to state a figure. */
  minFigureScore?: number;
  /** Minimum IDF-weighted coverage of the question by the best passage for a passage answer. */
  minPassageCoverage?: number;
}

export class QuestionError extends Error {
  constructor(
    readonly code: "empty" | "too-long",
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** Rejects empty and oversized questions with a clear message. */
export function validateQuestion(question: string, maxChars: number): string {
  const q = question.replace(/\s+/g, " ").trim();
  if (!q || !/[\p{L}\p{N}]/u.test(q)) {
    throw new QuestionError("empty", "Câu hỏi đang trống. Hãy nhập một câu hỏi, ví dụ: «Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?»", "The question is empty. Try: “How many new cooperatives does Cao Bằng aim to establish in 2026?”");
  }
  if (q.length > maxChars) {
    throw new QuestionError("too-long", `Câu hỏi quá dài (${q.length} ký tự, tối đa ${maxChars}). Hãy hỏi ngắn gọn từng ý một.`, `The question is too long (${q.length} characters, at most ${maxChars}). Please ask one thing at a time.`);
  }
  return q;
}

const T = {
  vi: {
    refuseOut: "Câu hỏi này nằm ngoài phạm vi tài liệu (không có trong tài liệu). Tôi chỉ trả lời về kế hoạch, nghị quyết phát triển kinh tế tập thể, hợp tác xã của các tỉnh trong kho tài liệu.",
    refuseNone: "Không có trong tài liệu: các tài liệu hiện có không nêu thông tin này.",
    refuseScope: (what: string) => `Không có trong tài liệu: kho tài liệu không có ${what}.`,
    covers: "Kho tài liệu hiện có",
    quote: "Trích",
    source: "Nguồn",
    section: "mục",
    how: "Cách tính",
    also: "Tài liệu cũng nêu",
    conflict: "Lưu ý: các số liệu trong tài liệu không khớp nhau",
    passageIntro: "Theo tài liệu",
  },
  en: {
    refuseOut: "This question is outside the documents (not in the documents). I answer about the provincial cooperative development plans and resolutions in the corpus.",
    refuseNone: "Not in the documents: the documents do not state this.",
    refuseScope: (what: string) => `Not in the documents: the corpus has no ${what}.`,
    covers: "The corpus covers",
    quote: "Quote",
    source: "Source",
    section: "section",
    how: "Formula",
    also: "The documents also state",
    conflict: "Note: the figures in the documents do not agree",
    passageIntro: "According to",
  },
};

function scopeFilters(slots: Slots, ctx: ConversationContext): { filters: SearchFilters; inherited: boolean } {
  const province = slots.province ?? ctx.province;
  const year = slots.year ?? ctx.year;
  return {
    filters: { province, year, kind: slots.docKind ?? null },
    inherited: !slots.province && Boolean(ctx.province),
  };
}

/**
 * Documents a question is about. Province, document kind and number are hard limits. A year
 * limits to the documents that plan for or review it, or that at least give figures for it
 * (a plan's review of "giai đoạn 2021-2025"); when none does, the corpus cannot answer.
 */
export function docsInScope(engine: Engine, filters: SearchFilters, slots: Slots): DocMeta[] {
  const base = engine.docs.filter((d) => {
    if (filters.province && (!d.province || fold(d.province) !== fold(filters.province))) return false;
    if (filters.kind && d.kind !== filters.kind) return false;
    if (slots.docNumber && d.number && !fold(d.number).replace(/[^a-z0-9]/g, "").includes(slots.docNumber.replace(/[^a-z0-9]/g, ""))) return false;
    return true;
  });
  const named = [...slots.years, ...slots.docYears];
  const years = named.length ? named : filters.year !== null && filters.year !== undefined ? [filters.year] : [];
  if (years.length === 0) return base;
  const covers = (d: DocMeta) =>
    years.some((y) => (d.period !== null && d.period.from <= y && y <= d.period.to) || d.reviewYear === y || (d.date !== null && Number(d.date.slice(0, 4)) === y));
  const mentions = (d: DocMeta) => (engine.figuresByDoc.get(d.id) ?? []).some((f) => f.period.year !== null && years.includes(f.period.year));
  return base.filter((d) => covers(d) || mentions(d));
}

const OP_WORDS = new Set("con thieu can them phai tang them chenh lech so voi de dat muc tieu ban hanh hien nay hien tai bao nhieu nua giam".split(" "));

/**
 * Splits a question that asks two things ("có bao nhiêu HTX đang hoạt động, chiếm bao nhiêu %")
 * into two, each keeping the province, years and date of the whole.
 */
export function splitQuestion(slots: Slots): Slots[] {
  // Work on the question as typed (folding keeps its length), where commas still separate clauses.
  const original = normalizeText(slots.question);
  const f = fold(original);
  const asks = [...f.matchAll(/\b(bao nhi[eu]?u|may)\b/g)];
  if (asks.length < 2) return [slots];
  const firstEnd = asks[0]!.index + asks[0]![0].length;
  const between = f.slice(firstEnd, asks[1]!.index);
  const seps = [between.lastIndexOf(","), between.lastIndexOf(";"), between.lastIndexOf(" va "), between.lastIndexOf(" voi "), between.lastIndexOf(" con ")];
  const cut = Math.max(...seps);
  if (cut < 0) return [slots];
  const at = firstEnd + cut;
  const keep = (part: string): Slots => {
    const p = parseQuestion(part);
    return { ...p, question: part, province: slots.province, year: slots.year, years: slots.years, docYears: slots.docYears, date: slots.date, half: slots.half || p.half, kind: p.kind ?? slots.kind, docKind: slots.docKind, docNumber: slots.docNumber };
  };
  const a = keep(original.slice(0, at));
  let b = keep(original.slice(at).replace(/^\s*(,|;|và|với|còn)\s*/i, ""));
  // "…, chiếm bao nhiêu %": the share of what the first half counts.
  if (b.operation?.type === "share" && b.operation.part.trim() === "") b = { ...b, operation: { ...b.operation, part: a.folded } };
  // Only when each half is a question of its own.
  if (!a.asksNumber || !b.asksNumber || (a.terms.length === 0 && !a.unit) || (b.terms.length === 0 && !b.unit)) return [slots];
  return [a, b];
}

/** Sortable "as of" key of a figure: its date, the end of its half-year, or the end of its year. */
function periodKey(f: Figure): string {
  const p = f.period;
  if (p.date) return p.date.length === 7 ? `${p.date}-31` : p.date;
  if (p.year === null) return "";
  if (p.part === "H1") return `${p.year}-06-30`;
  return `${p.year}-12-31${f.kind === "target" ? "T" : ""}`;
}

function jaccard(a: string[], b: string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / Math.max(1, A.size + B.size - inter);
}

export function createAnswerer(engine: Engine, tools: Tools, options: AnswererOptions): Answerer {
  const minFigureScore = options.minFigureScore ?? 3.2;
  const minPassageCoverage = options.minPassageCoverage ?? 0.38;

  function refusal(question: string, lang: Lang, reason: string, t0: number): Answer {
    const text = `${reason}\n${T[lang].covers}: ${coverageText(engine.docs, lang)}.`;
    return { question, answer: text, refused: true, citations: [], figures: [], mode: "offline", ms: performance.now() - t0, lang };
  }

  function toolFigure(label: string, r: ToolResult): AnswerFigure {
    return {
      label,
      value: r.value,
      display: r.display,
      unit: r.unit,
      formula: r.formula,
      inputs: r.inputs.map((i) => ({ label: i.label, value: i.value, unit: i.unit, source: i.source ?? "", citation: i.citation })),
    };
  }

  function docFigure(f: Figure, lang: Lang, n: number): AnswerFigure {
    const display = figureDisplay(f, lang);
    return {
      label: kindLabel(f, lang),
      value: f.value,
      display,
      unit: f.unit ? `${f.unit}${f.per ? `/${f.per}` : ""}` : null,
      formula: lang === "vi" ? `Số liệu nêu trong tài liệu [${n}]` : `Stated in the document [${n}]`,
      inputs: [figureInput(engine, f, kindLabel(f, lang), n)],
    };
  }

  /** Best figure for a sub-phrase (operations), optionally of one unit dimension. */
  function bestFor(slots: Slots, docIds: string[], hitRank: Map<string, number>, phrase: string | null, unit: Slots["unit"], exclude: Set<string>): ScoredFigure | undefined {
    const terms = phrase ? parseQuestion(phrase, engine.provinces).terms : slots.terms;
    return scoreFigures(engine, slots, docIds, { hitRank, unit, terms }).find((s) => !exclude.has(s.figure.id));
  }

  function answerOperation(slots: Slots, docIds: string[], hitRank: Map<string, number>, lang: Lang, cites: CitationList): { text: string; figures: AnswerFigure[] } | null {
    const op = slots.operation;
    if (!op) return null;
    const t = T[lang];
    const describe = (f: Figure) => {
      const doc = engine.docsById.get(f.docId)!;
      return `${doc.province ?? doc.title}, ${periodLabel(f, doc, lang)}`;
    };
    if (op.type === "share") {
      // A share stated in the document ("… chiếm 73% tổng số HTX") wins over computing one: a
      // percentage whose own words match the part, in a passage that names the whole.
      const partW = weighTerms(engine, parseQuestion(op.part, engine.provinces).terms);
      const wholeW = weighTerms(engine, parseQuestion(op.whole, engine.provinces).terms);
      const direct = scoreFigures(engine, slots, docIds, { hitRank, unit: "percent", terms: parseQuestion(`${op.part} ${op.whole}`, engine.provinces).terms })
        .slice(0, 5)
        .find((s) => s.figure.unit === "%" && s.figure.kind !== "plan-ratio" && coverageOf(partW, tokensOf(s.figure.measure), tokensOf(s.figure.context), 0.5) >= 0.5 && coverageOf(wholeW, tokensOf(s.figure.measure), tokensOf(s.figure.context)) >= 0.3);
      if (direct) {
        const n = cites.addFigure(direct.figure);
        return { text: `${describe(direct.figure)}: ${figureDisplay(direct.figure, lang)} [${n}].`, figures: [docFigure(direct.figure, lang, n)] };
      }
      // "80/285 HTX": the document gives part and whole in one fraction.
      const fraction = scoreFigures(engine, slots, docIds, { hitRank, unit: null, terms: parseQuestion(`${op.part} ${op.whole}`, engine.provinces).terms }).find((s) => s.figure.of !== null);
      if (fraction && fraction.coverage >= 0.4 && fraction.score >= minFigureScore - 1) {
        const f = fraction.figure;
        const n = cites.addFigure(f);
        const unit = f.unit ? `${f.unit}` : null;
        const r = tools.percentOf.run({
          part: { label: tidy(op.part), value: f.value, unit, source: tidy(f.raw), citation: n },
          whole: { label: tidy(op.whole), value: f.of!, unit, source: tidy(f.raw), citation: n },
        });
        return {
          text: `${describe(f)}: ${r.display} [${n}].\n${t.how}: ${r.formula} (${lang === "vi" ? "theo" : "from"} «${tidy(f.raw)}» [${n}]).`,
          figures: [toolFigure(lang === "vi" ? "tỷ lệ" : "share", r)],
        };
      }
      // Whole and part are chosen together: the whole among the best matches of the whole
      // question (its context words name the programme or the fund), the part after it, in the
      // same passage, in the same unit, matching the part's own words.
      const partW2 = weighTerms(engine, parseQuestion(op.part, engine.provinces).terms);
      const wholeSlots = parseQuestion(op.whole, engine.provinces);
      const partSlots = parseQuestion(op.part, engine.provinces);
      const wholeUnit = [wholeSlots.unit, partSlots.unit, slots.unit].find((u) => u && u !== "percent") ?? null;
      const notShare = (x: ScoredFigure) => x.figure.unit !== "%" && x.figure.unit !== null;
      const wholeTerms = parseQuestion(op.whole, engine.provinces).terms;
      const wholes = [
        ...scoreFigures(engine, slots, docIds, { hitRank, unit: wholeUnit, terms: wholeTerms }).filter(notShare).slice(0, 6),
        ...scoreFigures(engine, slots, docIds, { hitRank, unit: wholeUnit }).filter(notShare).slice(0, 6),
      ];
      let pick: { whole: Figure; part: Figure; s: number } | null = null;
      for (const wc of wholes) {
        const wf = wc.figure;
        for (const f of engine.figuresByDoc.get(wf.docId) ?? []) {
          if (f.id === wf.id || f.unit !== wf.unit || f.value >= wf.value || f.start <= wf.start || f.start - wf.start >= 1500) continue;
          if (wholeUnit && unitDim(wf.unit) !== wholeUnit && !(wholeUnit === "money" && /đồng/.test(wf.unit ?? ""))) continue;
          // A breakdown in parentheses is the whole only when the question names it.
          const asidePenalty = wf.aside ? 0.1 : 0;
          const s = coverageOf(partW2, tokensOf(f.measure), tokensOf(f.context)) + 0.8 * coverageOf(wholeW, tokensOf(wf.measure), tokensOf(wf.context)) - (f.start - wf.start) / 6000 - asidePenalty;
          if (!pick || s > pick.s) pick = { whole: wf, part: f, s };
        }
      }
      if (!pick) return null;
      const wholeF = pick.whole;
      const part = { f: pick.part, s: pick.s };
      if (part.s < 0.45) return null;
      const nw = cites.addFigure(wholeF);
      const np = cites.addFigure(part.f);
      const r = tools.percentOf.run({ part: figureInput(engine, part.f, tidy(op.part), np), whole: figureInput(engine, wholeF, tidy(op.whole), nw) });
      const label = lang === "vi" ? `${tidy(op.part)} / ${tidy(op.whole)}` : "share";
      return {
        text: `${describe(wholeF)}: ${r.display} [${np}][${nw}].\n${t.how}: ${r.formula} (${figureDisplay(part.f, lang)} [${np}]; ${figureDisplay(wholeF, lang)} [${nw}]).`,
        figures: [toolFigure(label, r)],
      };
    }
    if (op.type === "average") {
      // A stated average ("trung bình mỗi HTX có từ 15 thành viên") wins over computing one.
      const ranked = scoreFigures(engine, slots, docIds, { hitRank });
      const perWord = (s: ScoredFigure) => /binh quan|trung binh|\bmdi\b/.test(s.figure.measure) || /mỗi/i.test(s.figure.sentence);
      const direct = ranked.find((s) => perWord(s) && s.coverage >= 0.45);
      if (direct && direct === ranked[0]) {
        const n = cites.addFigure(direct.figure);
        return { text: `${describe(direct.figure)}: ${figureDisplay(direct.figure, lang)} [${n}].`, figures: [docFigure(direct.figure, lang, n)] };
      }
      // Otherwise total ÷ count, both stated in one sentence.
      const terms = slots.terms.filter((x) => !["binh", "quan", "trung", "moi"].includes(x));
      const totals = scoreFigures(engine, slots, docIds, { hitRank, unit: slots.unit, terms });
      for (const total of totals.slice(0, 8)) {
        if (total.coverage < 0.15) break;
        if (slots.unit && unitDim(total.figure.unit) !== slots.unit && !(slots.unit === "money" && /đồng/.test(total.figure.unit ?? ""))) continue;
        const count = (engine.figuresByDoc.get(total.figure.docId) ?? []).find(
          (f) => f.sentenceStart === total.figure.sentenceStart && f.id !== total.figure.id && unitDim(f.unit) === op.per && f.value > 1,
        );
        if (!count) continue;
        const nt = cites.addFigure(total.figure);
        const nc = cites.addFigure(count);
        const r = tools.average.run({ total: figureInput(engine, total.figure, tidy(total.figure.raw), nt), count: figureInput(engine, count, tidy(count.raw), nc) });
        return {
          text: `${describe(total.figure)}: ${lang === "vi" ? "bình quân" : "average"} ${r.display} [${nt}].\n${t.how}: ${r.formula} (${figureDisplay(total.figure, lang)}; ${figureDisplay(count, lang)}) [${nt}].`,
          figures: [toolFigure(lang === "vi" ? "bình quân" : "average", r)],
        };
      }
      if (direct) {
        const n = cites.addFigure(direct.figure);
        return { text: `${describe(direct.figure)}: ${figureDisplay(direct.figure, lang)} [${n}].`, figures: [docFigure(direct.figure, lang, n)] };
      }
      return null;
    }
    if (op.type === "diff") {
      const used = new Set<string>();
      const found: Array<{ f: Figure; n: number; phrase: string }> = [];
      for (const phrase of op.items) {
        const best = bestFor(slots, docIds, hitRank, phrase, slots.unit === "percent" ? "percent" : slots.unit, used);
        if (!best || best.coverage < 0.3) return null;
        used.add(best.figure.id);
        found.push({ f: best.figure, n: cites.addFigure(best.figure), phrase });
      }
      const [a, b] = found as [(typeof found)[0], (typeof found)[0]];
      if (a.f.unit !== b.f.unit) return null;
      const r = tools.gap.run({ target: figureInput(engine, a.f, tidy(a.phrase), a.n), actual: figureInput(engine, b.f, tidy(b.phrase), b.n) });
      const points = a.f.unit === "%" ? (lang === "vi" ? " (điểm phần trăm)" : " (percentage points)") : "";
      return {
        text: `${describe(a.f)}: ${lang === "vi" ? "chênh lệch" : "difference"} ${r.display}${points} [${a.n}][${b.n}].\n${t.how}: ${r.formula} (${figureDisplay(a.f, lang)} [${a.n}]; ${figureDisplay(b.f, lang)} [${b.n}]).`,
        figures: [toolFigure(lang === "vi" ? "chênh lệch" : "difference", r)],
      };
    }
    if (op.type === "sum") {
      const used = new Set<string>();
      const parts: Array<{ f: Figure; n: number; phrase: string }> = [];
      for (const phrase of op.items) {
        const best = bestFor(slots, docIds, hitRank, phrase, slots.unit === "percent" ? null : slots.unit, used);
        if (!best || best.coverage < 0.3) return null;
        used.add(best.figure.id);
        parts.push({ f: best.figure, n: cites.addFigure(best.figure), phrase });
      }
      const r = tools.sum.run({ items: parts.map((p) => figureInput(engine, p.f, tidy(p.phrase), p.n)) });
      return {
        text: `${describe(parts[0]!.f)}: ${lang === "vi" ? "tổng" : "total"} ${r.display} ${parts.map((p) => `[${p.n}]`).join("")}.\n${t.how}: ${r.formula}.`,
        figures: [toolFigure(lang === "vi" ? "tổng" : "sum", r)],
      };
    }
    if (op.type === "gap" || op.type === "achievement" || op.type === "change") {
      // The document often states the result itself ("bằng 143% so với kế hoạch", "tăng 152 HTX so
      // với năm 2016", "tăng 5%/năm"): a stated result beats one computed from two other figures.
      const wantsTarget = op.type !== "change" && /\b(muc tieu|ke hoach|chi tieu)\b/.test(slots.folded);
      const stated = op.type === "gap" && wantsTarget ? undefined : statedResult(slots, docIds, hitRank, op.type);
      if (stated) {
        const n = cites.addFigure(stated.figure);
        const tail = stated.figure.kind === "plan-ratio" ? (lang === "vi" ? " so với kế hoạch" : " of plan") : "";
        return { text: `${describe(stated.figure)}: ${figureDisplay(stated.figure, lang)}${tail} [${n}].`, figures: [docFigure(stated.figure, lang, n)] };
      }
      // Two figures of one measure: an actual/estimate and a target (or two years). Words that
      // name the operation ("tăng thêm", "còn thiếu", "để đạt mục tiêu") say nothing of the measure.
      const terms = slots.terms.filter((w) => !OP_WORDS.has(w));
      const ranked = scoreFigures(engine, { ...slots, kind: null, year: null, years: [], date: null }, docIds, { hitRank, terms, unit: slots.unit === "percent" && op.type !== "gap" ? null : slots.unit });
      const top = ranked.filter((s) => s.figure.unit !== null && !s.figure.aside && s.figure.kind !== "plan-ratio").slice(0, 12);
      let pair: { a: ScoredFigure; b: ScoredFigure; score: number } | null = null;
      for (const a of top) {
        for (const b of top) {
          if (a === b || a.figure.unit !== b.figure.unit || a.figure.per !== b.figure.per || a.figure.value === b.figure.value) continue;
          const later = periodKey(b.figure) > periodKey(a.figure) || (b.figure.kind === "target" && a.figure.kind !== "target" && periodKey(b.figure) >= periodKey(a.figure));
          if (!later || (wantsTarget && (b.figure.kind !== "target" || a.figure.kind === "target"))) continue;
          if (a.figure.kind === "other" || b.figure.kind === "other") continue;
          const sim = jaccard(tokensOf(a.figure.measure), tokensOf(b.figure.measure));
          const score = a.score + b.score + 3 * sim;
          if (!pair || score > pair.score) pair = { a, b, score };
        }
      }
      if (!pair) return null;
      const actual = pair.a.figure;
      const target = pair.b.figure;
      const na = cites.addFigure(actual);
      const nt = cites.addFigure(target);
      const ia = figureInput(engine, actual, `${kindLabel(actual, lang)} ${periodLabel(actual, engine.docsById.get(actual.docId)!, lang)}`, na);
      const it = figureInput(engine, target, `${kindLabel(target, lang)} ${periodLabel(target, engine.docsById.get(target.docId)!, lang)}`, nt);
      const r = op.type === "gap" ? tools.gap.run({ actual: ia, target: it }) : op.type === "achievement" ? tools.achievement.run({ actual: ia, target: it }) : tools.percentChange.run({ from: ia, to: it });
      const label = op.type === "gap" ? (lang === "vi" ? "chênh lệch" : "gap") : op.type === "achievement" ? (lang === "vi" ? "mức đạt" : "achievement") : lang === "vi" ? "thay đổi" : "change";
      return {
        text: `${describe(target)}: ${label} ${r.display} [${na}][${nt}].\n${t.how}: ${r.formula} (${ia.label}: ${figureDisplay(actual, lang)} [${na}]; ${it.label}: ${figureDisplay(target, lang)} [${nt}]).`,
        figures: [toolFigure(label, r)],
      };
    }
    if (op.type === "compare") {
      const lines: string[] = [];
      const figures: AnswerFigure[] = [];
      for (const docId of docIds) {
        const best = scoreFigures(engine, { ...slots, year: null, province: null }, [docId], { hitRank })[0];
        if (!best || best.coverage < 0.4 || best.score < minFigureScore - 1) continue;
        const n = cites.addFigure(best.figure);
        const doc = engine.docsById.get(docId)!;
        lines.push(`- ${doc.province ?? doc.title} (${describeDoc(doc, lang)}): ${figureDisplay(best.figure, lang)}, ${kindLabel(best.figure, lang)} ${periodLabel(best.figure, doc, lang)} [${n}]`);
        figures.push(docFigure(best.figure, lang, n));
      }
      if (lines.length < 2) return null;
      return { text: lines.join("\n"), figures };
    }
    return null;
  }

  function statedResult(slots: Slots, docIds: string[], hitRank: Map<string, number>, type: "gap" | "achievement" | "change"): ScoredFigure | undefined {
    const wanted: (f: Figure) => boolean =
      type === "achievement"
        ? (f) => f.kind === "plan-ratio"
        : type === "change"
          ? (f) => f.unit === "%" && (f.kind === "other" || /\b(tang|giam)\b/.test(f.measure))
          : (f) => f.kind === "other";
    const terms = slots.terms.filter((w) => !OP_WORDS.has(w) || w === "tang" || w === "giam");
    const ranked = scoreFigures(engine, { ...slots, kind: type === "achievement" ? "plan-ratio" : slots.kind }, docIds, {
      hitRank,
      terms,
      unit: type === "gap" ? slots.unit : "percent",
    });
    // Stated changes are rare, so for them the unit and the word "tăng/giảm" are enough to go on.
    const minCoverage = type === "gap" ? 0.15 : 0.3;
    return ranked.slice(0, 8).find((s) => wanted(s.figure) && s.coverage >= minCoverage && s.score >= minFigureScore - 1.5);
  }

  /**
   * The question's most specific word (far rarer than any other, e.g. "nữ" in "lao động nữ")
   * must stand near the figure: without it the figure answers a broader question.
   */
  function hasKeyTerm(slots: Slots, f: Figure): boolean {
    const w = weighTerms(engine, slots.terms).terms.sort((a, b) => b.weight - a.weight);
    const [top, second] = w;
    if (!top || top.weight < 3 || (second && top.weight < 1.8 * second.weight)) return true;
    const chunk = engine.chunksById.get(f.chunkId);
    const words = new Set([...tokensOf(f.measure), ...tokensOf(f.context), ...tokensOf(fold((chunk?.path ?? []).join(" ")))]);
    return words.has(top.term);
  }

  function unitDim(unit: string | null) {
    if (!unit) return null;
    if (unit === "HTX") return "htx";
    if (unit === "THT") return "tht";
    if (unit === "Liên hiệp HTX") return "lhhtx";
    if (unit === "thành viên") return "member";
    if (["người", "lao động", "cán bộ", "học viên"].includes(unit)) return "person";
    if (unit === "hộ") return "household";
    return "other";
  }

  /** The sentences of the top passages that cover the question best. */
  function passageAnswer(slots: Slots, hits: SearchHit[], lang: Lang, cites: CitationList): { text: string; coverage: number } | null {
    const w = weighTerms(engine, slots.terms);
    let best: { hit: SearchHit; start: number; end: number; cov: number } | null = null;
    const picks: Array<{ hit: SearchHit; start: number; end: number; cov: number }> = [];
    for (const hit of hits.slice(0, 5)) {
      const chunkCov = coverageOf(w, tokensOf(fold(hit.chunk.text + " " + hit.chunk.path.join(" "))), []);
      for (const s of splitSentences(hit.chunk.text)) {
        const sentence = hit.chunk.text.slice(s.start, s.end);
        if (sentence.length < 25) continue;
        const cov = coverageOf(w, tokensOf(fold(sentence)), tokensOf(fold(hit.chunk.path.join(" "))), 0.5) * 0.8 + chunkCov * 0.2;
        const cand = { hit, start: hit.chunk.start + s.start, end: hit.chunk.start + s.end, cov };
        if (!best || cov > best.cov) best = cand;
        picks.push(cand);
      }
    }
    if (!best || best.cov < minPassageCoverage) return null;
    const chosen = picks.filter((p) => p.cov >= best.cov * 0.85).sort((a, b) => b.cov - a.cov).slice(0, 3);
    const parts: string[] = [];
    for (const p of chosen) {
      const text = engine.recordsById.get(p.hit.doc.id)!.text;
      const q = quoteFor(text, p.hit.chunk, p.start, p.end, p.start, Math.min(p.end, p.start + 1));
      const n = cites.add(p.hit.chunk, q);
      parts.push(`«${q.quote}» [${n}]`);
    }
    const top = chosen[0]!.hit;
    const intro = lang === "vi"
      ? `${T.vi.passageIntro} ${top.doc.title}, ${T.vi.section} «${sectionLabel(top.chunk)}»:`
      : `${T.en.passageIntro} ${top.doc.title}, ${T.en.section} “${sectionLabel(top.chunk)}”:`;
    return { text: `${intro}\n${parts.join("\n")}`, coverage: best.cov };
  }

  /** One question (or one half of a double question) answered into `cites`; null when nothing fits. */
  function answerOne(slots: Slots, docIds: string[], hits: SearchHit[], hitRank: Map<string, number>, lang: Lang, cites: CitationList): { text: string; figures: AnswerFigure[] } | null {
    const t = T[lang];
    let text: string | null = null;
    let figures: AnswerFigure[] = [];

    const op = answerOperation(slots, docIds, hitRank, lang, cites);
    if (op) {
      text = op.text;
      figures = op.figures;
    } else if (slots.wantsPassage) {
      const passage = passageAnswer(slots, hits, lang, cites);
      if (passage) text = passage.text;
    }
    if (text === null) {
      const ranked = scoreFigures(engine, slots, docIds, { hitRank });
      const best = ranked[0];
      // Enough of the question's words around the figure, or a clear winner on the other slots
      // (an exact date and unit match with few content words to go on).
      const clearWinner = best && best.score >= minFigureScore + 2.5 && best.score - (ranked[1]?.score ?? 0) >= 0.5;
      if (best && best.score >= minFigureScore && (best.coverage >= 0.2 || clearWinner) && (best.coverage >= 0.55 || hasKeyTerm(slots, best.figure))) {
        const f = best.figure;
        const doc = engine.docsById.get(f.docId)!;
        const n = cites.addFigure(f);
        const head = `${doc.province ?? doc.title} — ${kindLabel(f, lang)} ${periodLabel(f, doc, lang)}: ${figureDisplay(f, lang)} [${n}].`;
        const lines = [head];
        figures = [docFigure(f, lang, n)];
        // A figure of the same measure that disagrees is shown, never smoothed over.
        const rival = ranked.find((s) => s !== best && s.figure.unit === f.unit && s.figure.kind === f.kind && s.figure.value !== f.value && s.score >= best.score - 0.35 && s.coverage >= best.coverage - 0.05 && s.figure.period.year === f.period.year);
        if (rival) {
          const m = cites.addFigure(rival.figure);
          lines.push(`${t.also}: ${figureDisplay(rival.figure, lang)} [${m}].`);
          figures.push(docFigure(rival.figure, lang, m));
        }
        const c = cites.items[n - 1]!;
        lines.push(`${t.quote} [${n}]: «${c.quote}»`);
        text = lines.join("\n");
      }
    }
    return text === null ? null : { text, figures };
  }

  return {
    async ask(rawQuestion: string, opts: AskOptions = {}): Promise<AskResult> {
      const t0 = performance.now();
      const lang = opts.lang ?? "vi";
      const ctx = opts.context ?? EMPTY_CONTEXT;
      const question = validateQuestion(rawQuestion, options.maxQuestionChars);
      let slots = parseQuestion(question, engine.provinces);
      let measureQuestion = question;
      // "Còn Lạng Sơn?" / "năm 2025 thì sao?": no words about the measure, so the measure,
      // unit and operation come from the previous question.
      if (slots.terms.length === 0 && !slots.unit && ctx.lastQuestion) {
        const prev = parseQuestion(ctx.lastQuestion, engine.provinces);
        slots = { ...prev, question, province: slots.province, year: slots.year, years: slots.years, docYears: slots.docYears, date: slots.date ?? prev.date, docKind: slots.docKind ?? prev.docKind };
        measureQuestion = ctx.lastQuestion;
      }
      const t = T[lang];
      if (!slots.inDomain && !ctx.province) {
        return { answer: refusal(question, lang, t.refuseOut, t0), context: ctx };
      }
      if (!slots.inDomain) {
        return { answer: refusal(question, lang, t.refuseOut, t0), context: ctx };
      }
      // A long word the corpus never uses names something outside it ("Vietcombank").
      const unknown = slots.terms.filter((w) => w.length >= 7 && /^[a-z]+$/.test(w) && engine.keyword.idf(w) === 0);
      if (unknown.length) {
        const what = unknown.map((w) => `«${w}»`).join(", ");
        return { answer: refusal(question, lang, lang === "vi" ? `Không có trong tài liệu: các tài liệu không nhắc đến ${what}.` : `Not in the documents: they never mention ${what}.`, t0), context: ctx };
      }
      const { filters } = scopeFilters(slots, ctx);
      // An inherited year constrains the figures as if the question had named it.
      if (slots.year === null && slots.years.length === 0 && filters.year) slots = { ...slots, year: filters.year, years: [filters.year] };
      const scoped = docsInScope(engine, filters, slots);
      const nextCtx: ConversationContext = { province: filters.province ?? null, year: filters.year ?? null, docIds: null, lastQuestion: slots.terms.length ? measureQuestion : ctx.lastQuestion };
      if (scoped.length === 0) {
        const what = [
          filters.province ? (lang === "vi" ? `tài liệu của ${filters.province}` : `documents for ${filters.province}`) : lang === "vi" ? "tài liệu" : "documents",
          filters.year ? (lang === "vi" ? `cho năm ${filters.year}` : `for ${filters.year}`) : "",
          filters.kind ? (lang === "vi" ? "(nghị quyết)" : "(resolution)") : "",
        ].filter(Boolean).join(" ");
        return { answer: refusal(question, lang, t.refuseScope(what), t0), context: nextCtx };
      }
      const docIds = scoped.map((d) => d.id);
      // Passages for the answer, and (on a large corpus) the only places figures are looked for.
      const hits = await engine.searcher.search(expandQuery(slots.folded), { k: 60, filters: { docIds } });
      const hitRank = rankOf(hits);
      const cites = new CitationList(engine);
      // "bao nhiêu HTX …, chiếm bao nhiêu %?": two questions in one, each answered in turn.
      const parts = splitQuestion(slots);
      let text: string | null = null;
      let figures: AnswerFigure[] = [];
      for (const part of parts) {
        const r = answerOne(part, docIds, hits, hitRank, lang, cites);
        if (!r) {
          if (parts.length > 1) continue;
          break;
        }
        text = text === null ? r.text : `${text}\n${r.text}`;
        figures = [...figures, ...r.figures];
      }
      // A question that asks for a number gets a number or a refusal, not a loosely related passage.
      if (text === null && !slots.wantsPassage && !slots.asksNumber) {
        const passage = passageAnswer(slots, hits, lang, cites);
        if (passage) text = passage.text;
      }
      if (text === null || cites.items.length === 0) {
        return { answer: refusal(question, lang, t.refuseNone, t0), context: nextCtx };
      }
      const sources = cites.items.map((c) => `[${c.n}] ${c.title} — ${t.section} ${c.section.split(" › ").pop() ?? ""}${c.page ? `, tr. ${c.page}` : ""}`);
      const answerText = `${text}\n${t.source}: ${sources.join("; ")}`;
      for (const c of cites.items) {
        if (!foldCompact(c.text).includes(foldCompact(c.quote))) throw new Error(`quote not in chunk ${c.chunkId}`);
      }
      const docsUsed = [...new Set(cites.items.map((c) => c.document))];
      return {
        answer: { question, answer: answerText, refused: false, citations: cites.items, figures, mode: "offline", ms: performance.now() - t0, lang },
        context: { ...nextCtx, province: nextCtx.province ?? (docsUsed.length === 1 ? engine.docsById.get(docsUsed[0]!)?.province ?? null : null), docIds: docsUsed },
      };
    },
  };
}

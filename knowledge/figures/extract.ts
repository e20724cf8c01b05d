// Figure extraction: every numeric mention in a document, with its unit, qualifier, what it
// measures, its period, its kind (target / estimate / actual / ratio to plan) and its source span.
// Works on the folded text (same length as the normalised text), so OCR-noisy words such as
// "1ap" or "d6ng" do not produce false numbers and every offset points into the quotable text.

import type { Chunk, DocMeta, Figure, FigureKind, Period, Qualifier, Section } from "../types.js";
import { fold } from "../text/normalize.js";
import { parseViNumber } from "../text/numbers.js";
import { matchUnit } from "./units.js";

/** Numbers in the documents are always Vietnamese: "." groups thousands, "," is the decimal mark. */
export function parseDocNumber(tok: string): number | null {
  if (/^\d+,\d+$/.test(tok)) return Number(tok.replace(",", "."));
  return parseViNumber(tok);
}

export interface Sentence {
  start: number;
  end: number;
}

/** Sentence spans: bullets, blank lines, and ". " + capital start a new sentence. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    while (s < end && /\s/.test(text[s]!)) s++;
    let e = end;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") {
      const rest = text.slice(i + 1, i + 4);
      const prev = text.slice(Math.max(0, i - 2), i).trimEnd();
      if (/^\s*$/.test(text.slice(i + 1, text.indexOf("\n", i + 1) < 0 ? text.length : text.indexOf("\n", i + 1))) ||
        /^\s*[-+•–]/.test(rest) ||
        /[.;:!?]$/.test(prev) ||
        /^\s*(\d{1,2}(\.\d{1,2})*\.|[a-zđ]\))\s/.test(text.slice(i + 1, i + 12))) {
        push(i + 1);
      }
    } else if ((ch === "." || ch === "!" || ch === "?") && /^\s+[\p{Lu}"“(]/u.test(text.slice(i + 1, i + 4))) {
      // Not after a one-letter abbreviation or inside a number.
      if (!/\d$/.test(text.slice(i - 1, i)) || !/^\d/.test(text.slice(i + 1, i + 2))) push(i + 1);
    }
  }
  push(text.length);
  return out;
}

const SKIP_BEFORE = /(?:\bso|khoa|lan thu|phu luc|tieu chi|dieu|khoan|chuong|muc|cong nghe|nghi dinh|quyet dinh|thong tu|luat|nam|giai doan|thang|ngay|qh|tieu chi so|phuong an|ke hoach so)\s*:?\s*$/;

const QUALIFIER_BEFORE: Array<[RegExp, Qualifier]> = [
  [/(?:it nhat|toi thieu|khong duoi|tu|tir)\s*$/, "at-least"],
  [/(?:tren|hon|vuot|cao hon)\s*$/, "over"],
  [/(?:duoi|chua den|chua toi|it hon)\s*$/, "under"],
  [/(?:toi da|khong qua|khong vuot qua)\s*$/, "at-most"],
  [/(?:khoang|gan|xap xi|chung)\s*$/, "about"],
];

function clauseStart(folded: string, sentenceStart: number, pos: number): number {
  const seg = folded.slice(sentenceStart, pos);
  // OCR puts ";" inside words ("Hl;lh vuc"): only a ";" followed by a space ends a clause.
  const semi = Math.max(seg.lastIndexOf("; "), seg.lastIndexOf(";\n"));
  const cut = Math.max(semi, seg.lastIndexOf("\n-"), seg.lastIndexOf("\n+"));
  return cut >= 0 ? sentenceStart + cut + 1 : sentenceStart;
}

function clauseEnd(folded: string, pos: number, sentenceEnd: number): number {
  const seg = folded.slice(pos, sentenceEnd);
  const m = /;\s|\.\s/.exec(seg);
  return m ? pos + m.index : sentenceEnd;
}

function detectPeriod(left: string, right: string, meta: DocMeta, kind: FigureKind): Period {
  const period: Period = { year: null, date: null, part: null };
  // Dates of legal documents ("Thông tư số 01/2020/TT-BKHĐT ngày 19/02/2020") are not periods.
  const dates = [...left.matchAll(/(?:den|tai|toi|tinh den|uoc den)?\s*(?:het\s+)?(?:ngay\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})/g)].filter(
    (m) => !/\d+\s*\/\s*(\d{4}\s*\/\s*)?[a-z]{2,}[^;]{0,40}$/.test(left.slice(Math.max(0, m.index - 60), m.index)),
  );
  const lastDate = dates[dates.length - 1];
  if (lastDate) {
    const [, d, m, y] = lastDate;
    period.date = `${y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
    period.year = Number(y);
  }
  const monthYear = [...left.matchAll(/thang\s+(\d{1,2})\/(\d{4})/g)].pop();
  if (!period.date && monthYear) {
    period.date = `${monthYear[2]}-${monthYear[1]!.padStart(2, "0")}`;
    period.year = Number(monthYear[2]);
  }
  const h1 = /6 thang dau(?: nam)?(?:\s+(20\d\d))?/.exec(left) ?? /sau thang dau(?: nam)?(?:\s+(20\d\d))?/.exec(left);
  if (h1) {
    period.part = "H1";
    if (h1[1]) period.year = Number(h1[1]);
  }
  if (period.year === null) {
    const years = [...left.matchAll(/(?<!so voi\s+)(?<!so voi cung ky\s+)(?<!thang\s+\d{1,2}\s+)(?:nam|den nam|den het nam)\s+(20\d\d)/g)];
    const near = /^[^;]{0,25}?(?<!so v\S{0,3} )nam\s+(20\d\d)/.exec(right);
    const y = years.length ? years[years.length - 1]![1] : near?.[1];
    if (y) period.year = Number(y);
  }
  // "giai đoạn 2021-2025": a figure of a multi-year programme belongs to its last year.
  const stage = [...left.matchAll(/giai doan\s+(20\d\d)\s*[-–]\s*(20\d\d)/g)].pop();
  if (period.year === null && stage) period.year = Number(stage[2]);
  if (period.year === null) {
    if (kind === "target") period.year = meta.period?.to ?? null;
    else if (meta.reviewYear) period.year = meta.reviewYear;
    else if (meta.date) period.year = Number(meta.date.slice(0, 4));
  }
  return period;
}

function isPlanPart(path: string[]): boolean {
  return path.some((h, i) => {
    const f = fold(h);
    return (i === 0 && /^phan thu/.test(f) && /ke hoach/.test(f) && !/danh gia/.test(f)) ||
      /^(\S+\s+)?(mot so )?(muc tieu|chi tieu)/.test(f) ||
      /^(\S+\s+)?noi dung ke hoach/.test(f);
  });
}

function isTargetSection(path: string[]): boolean {
  return path.some((h) => /^(\S+\s+)?(mot so )?(muc tieu|chi tieu)/.test(fold(h)));
}

function detectKind(opts: {
  near: string;
  clause: string;
  sentenceBefore: string;
  rightNear: string;
  unit: string | null;
  path: string[];
  docKind: DocMeta["kind"];
  /** The sentence that introduces the list this figure is an item of ("…, trong đó:"). */
  leadIn: string;
}): FigureKind {
  const { near, clause, sentenceBefore, rightNear, unit, path, leadIn } = opts;
  // "bằng 104% so với mục tiêu kế hoạch", "đạt 50% kế hoạch" (OCR: "so vdl", "so v i").
  if (unit === "%" && /^\s*(so\s+v\S{0,3}(\s+\S)?\s+)?(muc tieu\s+)?(ke hoach|muc tieu|chi tieu|kh\b)/.test(rightNear)) return "plan-ratio";
  // "tăng 152 hợp tác xã so với năm 2016": a change, not a level.
  if (/\b(tang|giam|ting|tang them|giam di)\s*$/.test(near) && /^[^;]{0,20}\bso v\S{0,3}\b/.test(rightNear)) return "other";
  // The items of a list ("ước thực hiện năm 2025 là …, trong đó: …") are estimates like their lead-in.
  if (/\b(uoc|du kien)\b/.test(clause) || /\buoc\b/.test(sentenceBefore) || /\buoc\b/.test(leadIn)) return "estimate";
  if (/\b(phan dau|muc tieu|chi tieu|dinh huong)\b/.test(sentenceBefore) && !/so v\S{0,3} (muc tieu|ke hoach)/.test(sentenceBefore)) return "target";
  if (isTargetSection(path)) return "target";
  if (/\d{1,2}\/\d{1,2}\/\d{4}|\b(den|ben) nay|hien nay|tinh den|luy ke/.test(sentenceBefore)) return "actual";
  if (isPlanPart(path)) return "target";
  return "actual";
}

export interface ExtractInput {
  meta: DocMeta;
  text: string;
  sections: Section[];
  chunks: Chunk[];
}

/** All figures of one document, in text order. */
/**
 * "As of" dates that open a passage ("Đến ngày 30/6/2023, …"): an actual figure in a later
 * sentence of the same section, with no date or year of its own, is as of that date.
 */
function sectionDates(folded: string, sections: Section[]): Array<{ pos: number; section: number; date: string; year: number }> {
  const out: Array<{ pos: number; section: number; date: string; year: number }> = [];
  for (const m of folded.matchAll(/(uoc\s+(?:thuc hien\s+)?)?(?:den|tinh den|tai thoi diem|den het|tinh den het)\s+(?:ngay\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})/g)) {
    if (m[1]) continue;
    const pos = m.index;
    const section = sections.findLast((s) => s.start <= pos)?.id ?? 0;
    out.push({ pos, section, date: `${m[4]}-${m[3]!.padStart(2, "0")}-${m[2]!.padStart(2, "0")}`, year: Number(m[4]) });
  }
  return out;
}

export function extractFigures({ meta, text, sections, chunks }: ExtractInput): Figure[] {
  const folded = fold(text);
  const asOf = sectionDates(folded, sections);
  const sentences = splitSentences(text);
  const figures: Figure[] = [];
  const chunkAt = (pos: number): Chunk | undefined => chunks.find((c) => pos >= c.start && pos < c.end);
  const numRe = /\d+(?:[.,]\d+)*/g;
  let si = 0;
  let leadIn = "";
  let consumedTo = 0;
  for (const m of folded.matchAll(numRe)) {
    let tok = m[0];
    const start = m.index;
    if (start < consumedTo) continue;
    while (si < sentences.length - 1 && sentences[si]!.end <= start) {
      const s = sentences[si]!;
      const st = folded.slice(s.start, s.end);
      // The sentence that introduces a list ("…, trong đó:") is the lead-in of the bullets after it.
      if (/:\s*$/.test(st)) leadIn = st;
      else if (!/^[-+•]/.test(st)) leadIn = "";
      si++;
    }
    const sentence = sentences[si] ?? { start: 0, end: text.length };
    tok = tok.replace(/[.,]+$/, "");
    let end = start + tok.length;
    const before = folded.slice(Math.max(0, start - 1), start);
    const after = folded.slice(end, end + 12);
    // Glued to letters or identifiers: "NQ-09", "QD-TTg", "x4" — not figures.
    if (/[a-z\-/]/.test(before) && !/^\s/.test(before)) continue;
    if (/^[a-z]/.test(after)) continue;
    if (/^\s?[-/]\s?[a-z]{2}/.test(after) || /^-\s?[a-z]/.test(after) || /^\/\s?[a-z]/.test(after) || /^\/\d+\/[a-z0-9]/.test(after) || /^\/\d{4}\b/.test(after)) continue; // 20-NQ/TW, 1242/QD-TTg, 45/2021/ND-CP
    if (/^\/\d{1,2}\/\d{2,4}/.test(after) || /^\/\d{1,2}\b(?!\s*[a-z%])/.test(after) && /^\d{1,2}$/.test(tok)) continue; // dates
    // Numbering at the start of a line: "1.", "3.1.", "a)".
    const lineStart = folded.lastIndexOf("\n", start - 1) + 1;
    if (/^[\s_*(]*$/.test(folded.slice(lineStart, start)) && /^(\.|\))/.test(after)) continue;
    if (/^[\s_*(]*$/.test(folded.slice(lineStart, start)) && /^\s*$/.test(folded.slice(end, folded.indexOf("\n", end) < 0 ? folded.length : folded.indexOf("\n", end)))) continue; // page numbers
    const leftAll = folded.slice(sentence.start, start);
    if (SKIP_BEFORE.test(leftAll) && !/^\s*(%|htx|tht|thanh vien|nguoi)/.test(folded.slice(end, end + 12))) continue;
    let value = parseDocNumber(tok);
    if (value === null) continue;
    // "lãi bình quân 01 HTX" names the unit of an average, it is not a count.
    // Checked on the original text: folded, "mỗi" (each) and "mới" (new) are the same word.
    if (value === 1 && /(bình quân|trung bình|binh quan|trung binh|mỗi|mdi)(\s+(của|cua))?\s*$/i.test(text.slice(Math.max(0, start - 24), start))) continue;
    // Years and year ranges are periods, not figures.
    if (/^(19|20)\d\d$/.test(tok) && !matchUnit(folded.slice(end, end + 20))?.def.dimension.match(/htx|tht|member|person|money|household/)) continue;
    let max: number | null = null;
    let of: number | null = null;
    const frac = /^\/(\d+(?:\.\d{3})*)(?=\s+[a-z%])/.exec(folded.slice(end));
    if (frac) {
      of = parseDocNumber(frac[1]!);
      end += frac[0].length;
    }
    const range = /^\s?[-–]\s?(\d+(?:[.,]\d+)*)/.exec(folded.slice(end));
    if (range && !frac) {
      const hi = parseDocNumber(range[1]!.replace(/[.,]+$/, ""));
      const unitAfterRange = matchUnit(folded.slice(end + range[0].length, end + range[0].length + 40));
      if (hi !== null && hi > value && (unitAfterRange || /%/.test(folded.slice(end + range[0].length, end + range[0].length + 2)))) {
        max = hi;
        end += range[0].length;
      }
    }
    const unitMatch = matchUnit(folded.slice(end, end + 60));
    if (!unitMatch && /^(19|20)\d\d$/.test(tok)) continue;
    // "6 tháng đầu năm" is a period.
    if (unitMatch?.def.unit === "tháng" && /^\s*thang\s+(dau|cuoi)/.test(folded.slice(end, end + 20))) continue;
    const unit = unitMatch?.def.unit ?? null;
    const unitEnd = end + (unitMatch?.length ?? 0);
    // Qualifier.
    const nearLeftFull = folded.slice(clauseStart(folded, sentence.start, start), start);
    let qualifier: Qualifier = max !== null ? "range" : "exact";
    let rawStart = start;
    for (const [re, q] of QUALIFIER_BEFORE) {
      const qm = re.exec(nearLeftFull);
      if (qm) {
        qualifier = q;
        rawStart = start - qm[0].length;
        break;
      }
    }
    const rightWindow = folded.slice(unitEnd, Math.min(sentence.end, unitEnd + 80));
    if (/^[^;.]{0,30}?\btr[oe] len\b/.test(rightWindow)) qualifier = "at-least";
    else if (/^[^;.]{0,30}?\btro xuong\b/.test(rightWindow)) qualifier = "at-most";
    while (rawStart < start && /\s/.test(text[rawStart]!)) rawStart++;
    // Measure: words since the previous number in this clause, plus the words after the unit.
    const clauseA = clauseStart(folded, sentence.start, start);
    // The words since the previous figure of this clause say what this one measures.
    const prevFigure = figures.length ? figures[figures.length - 1]! : null;
    const nearStart = prevFigure && prevFigure.end > clauseA && prevFigure.end <= rawStart ? prevFigure.end : clauseA;
    let near = folded.slice(nearStart, rawStart);
    // "Số HTX thành lập mới trong 6 tháng: 08 HTX; ước thực hiện năm 2025: 20 HTX": a clause that
    // starts with a time or estimate marker shares the subject of the clause before it.
    if (clauseA > sentence.start && /^\s*(uoc|du uoc|du kien|ca nam|nam 20\d\d|den|tinh den|trong do)\b/.test(folded.slice(clauseA, rawStart))) {
      const prevClause = folded.slice(clauseStart(folded, sentence.start, clauseA - 1), clauseA - 1);
      const subject = prevClause.slice(0, prevClause.search(/\d/) < 0 ? prevClause.length : prevClause.search(/\d/));
      near = `${subject} ${near}`;
    }
    // "01 Liên hiệp HTX với 21 HTX thành viên": the figure just before, joined by a short word,
    // says whose members these are.
    if (prevFigure && prevFigure.end > clauseA && near.replace(/[^a-z]/g, "").length < 6 && /^\s*(voi|gom|co|cua)?\s*$/.test(near)) {
      near = `${folded.slice(prevFigure.start, prevFigure.end)} ${near}`;
    }
    // A short label ("SN: 13.720", "ĐTPT: 10.000") names a breakdown of the clause's subject:
    // the subject is the clause's words before its first number.
    if (near.replace(/[^a-z]/g, "").length < 6) {
      const firstFigure = figures.find((x) => x.start >= clauseA && x.start < rawStart);
      const head = folded.slice(clauseA, firstFigure ? firstFigure.start : rawStart);
      near = `${head} ${near}`;
    }
    const clauseB = clauseEnd(folded, unitEnd, sentence.end);
    const rightSeg = folded.slice(unitEnd, clauseB);
    const nextNum = /\d/.exec(rightSeg);
    let rightNear = rightSeg.slice(0, nextNum ? nextNum.index : rightSeg.length).slice(0, 90);
    // Stop before the label of the next figure: "…, SN: 13.720", "(ĐTPT: 10.000".
    const nextLabel = /[,;(]\s*[a-z][a-z ]{0,24}:\s*$/.exec(rightNear);
    if (nextLabel) rightNear = rightNear.slice(0, nextLabel.index);
    const clause = folded.slice(clauseA, clauseB);
    // "… 13 thành viên HTX: 1.557 người": a number inside the label of the next figure (here an
    // OCR misreading of "là") is not a figure itself.
    if (nextNum && /^[^;.,(\d]{0,40}:\s*$/.test(rightSeg.slice(0, nextNum.index)) && unitMatch) continue;
    const chunk = chunkAt(start);
    const path = chunk?.path ?? [];
    const kind = detectKind({
      near,
      clause,
      sentenceBefore: leftAll,
      leadIn,
      rightNear,
      unit,
      path,
      docKind: meta.kind,
    });
    const period = detectPeriod(leftAll, folded.slice(unitEnd, sentence.end), meta, kind);
    if (kind === "actual" && !period.date && !period.part && !/(nam|den nam)\s+20\d\d/.test(leftAll)) {
      const section = sections.findLast((x) => x.start <= start)?.id ?? 0;
      const inherited = asOf.findLast((d) => d.pos < start && d.section === section);
      if (inherited) {
        period.date = inherited.date;
        period.year = inherited.year;
      }
    }
    const measure = `${near} ${unitMatch ? folded.slice(end, unitEnd) : ""} ${rightNear}`
      .replace(/[^a-z0-9%]+/g, " ")
      .trim();
    if (max !== null && value > max) [value, max] = [max, value];
    consumedTo = unitEnd;
    figures.push({
      id: `${meta.id}@${start}`,
      docId: meta.id,
      chunkId: chunk?.id ?? "",
      value,
      max,
      of,
      unit,
      per: unitMatch?.per ?? null,
      qualifier,
      kind,
      period,
      measure,
      raw: text.slice(rawStart, unitEnd).trim(),
      sentence: text.slice(sentence.start, sentence.end),
      sentenceStart: sentence.start,
      aside: (leftAll.match(/\(/g)?.length ?? 0) > (leftAll.match(/\)/g)?.length ?? 0),
      context: `${leadIn ? `${leadIn} ` : ""}${folded.slice(sentence.start, sentence.end)}`.replace(/[^a-z0-9%]+/g, " ").trim(),
      start: rawStart,
      end: unitEnd,
    });
  }
  return figures.filter((f) => f.chunkId !== "");
}

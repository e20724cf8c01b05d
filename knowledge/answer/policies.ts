// The support policies the documents describe, passage by passage: the category (by the
// "Chính sách …" heading it stands under, then by its own words), the passage exactly as written,
// its legal basis, the amounts and beneficiaries it states, and a citation.

import type { Engine } from "../engine.js";
import type { DocMeta, DocumentRecord, Figure, Section } from "../types.js";
import { fold } from "../text/normalize.js";
import { unitDimension } from "../figures/units.js";
import { figureDisplay, sectionPath, tidy } from "./compose.js";
import { ancestry, clauseLabel, docsInScope, provinceKey } from "./targets.js";

export const POLICY_CATEGORIES = [
  "establishment",
  "training",
  "trade",
  "credit",
  "infrastructure",
  "value-chain",
  "insurance",
  "human-resources",
  "information",
  "land",
  "other",
] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<PolicyCategory, { vi: string; en: string }> = {
  establishment: { vi: "Thành lập mới, củng cố", en: "Establishment and consolidation" },
  training: { vi: "Đào tạo, bồi dưỡng, nâng cao năng lực", en: "Training and capacity building" },
  trade: { vi: "Xúc tiến thương mại, thị trường", en: "Trade promotion and markets" },
  credit: { vi: "Tín dụng, vay vốn, Quỹ hỗ trợ phát triển HTX", en: "Credit, loans, cooperative development fund" },
  infrastructure: { vi: "Kết cấu hạ tầng, chế biến", en: "Infrastructure and processing" },
  "value-chain": { vi: "Liên kết, chuỗi giá trị", en: "Linkages and value chains" },
  insurance: { vi: "Bảo hiểm", en: "Insurance" },
  "human-resources": { vi: "Nguồn nhân lực, trí thức trẻ", en: "Human resources, young graduates" },
  information: { vi: "Thông tin, tuyên truyền", en: "Information and communication" },
  land: { vi: "Đất đai", en: "Land" },
  other: { vi: "Hỗ trợ khác", en: "Other support" },
};

// Folded keywords of each category.
const KEYWORDS: Array<[PolicyCategory, RegExp]> = [
  ["establishment", /\b(thanh lap moi|cung co (to chuc|htx|hop tac xa|cac htx)|thanh lap (htx|hop tac xa))\b/g],
  ["training", /\b(dao tao|boi duong|nang cao nang luc|tap huan)\b/g],
  ["trade", /\b(xuc tien thuong mai|mo rong thi truong|thi truong|hoi cho|trien lam)\b/g],
  ["credit", /\b(tin dung|vay von|cho vay|quy ho tro phat trien|lai suat|du no)\b/g],
  ["infrastructure", /\b(ket cau ha tang|ha tang|che bien|nha kho|nha xuong)\b/g],
  ["value-chain", /\b(lien ket|chuoi gia tri|chuoi lien ket|tieu thu san pham)\b/g],
  ["insurance", /\b(bao hiem)\b/g],
  ["human-resources", /\b(nguon nhan luc|tri thuc tre|can bo tre|lao dong tre|dua lao dong|thue 01 lao dong)\b/g],
  ["information", /\b(thong tin|tuyen truyen|ban tin|pho bien)\b/g],
  ["land", /\b(dat dai|thue dat|giao dat|mat bang san xuat)\b/g],
];
// Categories specific enough to be taken from anywhere in a passage, not only its lead.
const STRONG = new Set<PolicyCategory>(["credit", "insurance", "human-resources", "land"]);

// Headings of the parts that describe policies, support and solutions (folded).
const POLICY_HEADING = /\b(chinh sach|ho tro|giai phap|nguon von|uu dai|nhiem vu)\b/;

export interface Amount {
  display: { vi: string; en: string };
  raw: string;
  /** The words around the amount, as written. */
  phrase: string;
  figure: Figure;
}

export interface PolicyItem {
  category: PolicyCategory;
  /** Every category the passage belongs to (the first is `category`). */
  categories: PolicyCategory[];
  province: string | null;
  doc: DocMeta;
  /** Heading path of the passage (an inline heading of an OCR text included). */
  section: string;
  /** Whether the passage reports what was done (review) or sets out what will be done (plan). */
  stage: "review" | "plan";
  /** The passage exactly as written, white space collapsed. */
  text: string;
  /** Document numbers cited by the passage or its headings ("1804/QĐ-TTg", "45/2021/NĐ-CP"). */
  legalBasis: string[];
  /** Money amounts and interest rates as stated. */
  amounts: Amount[];
  /** Counts of beneficiaries (HTX, THT, người, lượt …) with the words around them. */
  beneficiaries: Amount[];
  citation: { chunkId: string; quote: string; start: number; end: number };
  /** Offsets of the whole passage in the document text. */
  start: number;
  end: number;
}

export interface PolicyScope {
  province?: string;
  category?: PolicyCategory;
  /** Restrict to documents whose period covers the year. */
  year?: number;
}

// ---------------------------------------------------------------------------------------------

const LEGAL_RE =
  /(?<![\d/])\d{1,5}(?:\/\d{4})?[/-](?:QĐ|QD|NĐ|ND|NQ|KH|CTr|CTR|CT|TTLT|TT|HD|HĐ|KL|BC|TB|QH\d{0,2}|CV)(?:[/-][A-ZĐa-zđ0-9]{1,10}){0,2}/g;

/** Document numbers in a text ("Quyết định số 1804/QĐ-TTg" → "1804/QĐ-TTg"), in order, once each. */
export function legalBasisOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(LEGAL_RE)) {
    const n = m[0].replace(/[/-]$/, "");
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Categories named in a folded text, in order of first mention. */
export function categoriesIn(folded: string): PolicyCategory[] {
  const hits: Array<{ cat: PolicyCategory; at: number }> = [];
  for (const [cat, re] of KEYWORDS) {
    re.lastIndex = 0;
    const m = re.exec(folded);
    if (m) hits.push({ cat, at: m.index });
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.cat);
}

interface Paragraph {
  start: number;
  end: number;
}

/** Paragraphs of a span: blank-line blocks, split further at list items and at lines ending a sentence. */
export function paragraphsOf(text: string, start: number, end: number): Paragraph[] {
  const out: Paragraph[] = [];
  let a = start;
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = start; i < end; i++) {
    if (text[i] !== "\n") continue;
    const before = text.slice(a, i).trimEnd();
    const after = text.slice(i + 1, Math.min(end, i + 12));
    const blank = /^[ \t]*\n/.test(after);
    const item = /^\s*([-+•*–]\s|\(\d+(\.\d+)?\)|\d+(\.\d+)+\.?\s|_\d)/.test(after);
    const sentenceEnd = /[.;:!?]$/.test(before) && /^\s*[A-ZĐÀ-Ỹ(-]/.test(after);
    if (blank || item || sentenceEnd) {
      push(a, i);
      a = i + 1;
    }
  }
  push(a, end);
  return out;
}

const INLINE_HEADING = /^[_\s]*\d+(\.\d+)+\.?\s+\S/;

function isHeadingLike(s: string, heading: string): boolean {
  const t = fold(tidy(s));
  if (t === fold(tidy(heading))) return true;
  return INLINE_HEADING.test(s) && s.length < 220 && !/\d{2,}[^.\d]/.test(s.replace(/^[_\s]*\d+(\.\d+)+\.?/, ""));
}

/** Where a section's own text starts: after its heading line when the heading stands on its own line. */
function bodyFrom(text: string, section: Section): number {
  const start = Math.max(section.start, section.bodyStart);
  const nl = text.indexOf("\n", start);
  if (nl < 0 || nl >= section.end) return start;
  const line = fold(tidy(text.slice(start, nl)));
  const head = fold(tidy(section.heading));
  if (!line.startsWith(head.slice(0, Math.min(20, head.length)))) return start;
  // A heading wrapped into its first sentence ("3. … ban hành cơ chế, chính sách để\nban hành …") stays.
  return /^\s*([A-ZĐÀ-Ỹ0-9(\-+•*–_]|\n|$)/.test(text.slice(nl + 1, nl + 6)) ? nl + 1 : start;
}

function stageOf(doc: DocMeta, chain: Section[]): "review" | "plan" {
  if (doc.kind === "nghi-quyet") return "plan";
  const top = chain[chain.length - 2] ?? chain[chain.length - 1];
  const f = fold(top?.heading ?? "");
  return /\bke hoach phat trien\b/.test(f) && !/\bdanh gia\b/.test(f) ? "plan" : "review";
}

const BENEFICIARY_UNITS = new Set(["htx", "tht", "lhhtx", "member", "person", "household"]);

/** The words around a figure, as written: from the previous clause boundary to the next. */
export function phraseAround(text: string, f: Figure, p: Paragraph): string {
  let a = f.start;
  while (a > p.start && !/[;:,.!?\n]/.test(text[a - 1]!) || (a > p.start && text[a - 1] === "." && /\d/.test(text[a] ?? "") && /\d/.test(text[a - 2] ?? ""))) a--;
  let b = f.end;
  while (b < p.end && !/[;:,!?]/.test(text[b]!) && !(text[b] === "." && !/\d/.test(text[b + 1] ?? ""))) b++;
  const phrase = tidy(text.slice(a, b)).replace(/^[-+•*–\s]+/, "");
  return phrase.length > 220 ? `${phrase.slice(0, 217).replace(/\s+\S*$/, "")}…` : phrase;
}

function chunkFor(engine: Engine, rec: DocumentRecord, p: Paragraph) {
  let best: { id: string; start: number; end: number; overlap: number } | null = null;
  for (const c of rec.chunks) {
    const overlap = Math.min(c.end, p.end) - Math.max(c.start, p.start);
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { id: c.id, start: c.start, end: c.end, overlap };
  }
  return best ? engine.chunksById.get(best.id)! : null;
}

function docPolicies(engine: Engine, doc: DocMeta): PolicyItem[] {
  const rec = engine.recordsById.get(doc.id);
  if (!rec) return [];
  const text = rec.text;
  const items: PolicyItem[] = [];
  for (const section of rec.sections) {
    const chain = ancestry(rec, section);
    // "Kết quả thực hiện pháp luật và chính sách" is an umbrella over law and administration too:
    // only its "chính sách" subsections count.
    if (!chain.some((s) => POLICY_HEADING.test(fold(s.heading)) && !/\bphap luat\b/.test(fold(s.heading)))) continue;
    // Sections that review the situation or set targets are not policies.
    if (/\b(muc tieu|danh gia chung|ton tai|nguyen nhan|thuan loi|kho khan)\b/.test(fold(section.heading))) continue;
    let inlineHeading: string | null = null;
    for (const p of paragraphsOf(text, bodyFrom(text, section), section.end)) {
      const raw = text.slice(p.start, p.end);
      if (isHeadingLike(raw, section.heading)) {
        if (fold(tidy(raw)) !== fold(tidy(section.heading))) inlineHeading = tidy(raw).replace(/^_+/, "");
        continue;
      }
      const body = tidy(raw);
      if (body.length < 60) continue;
      // A lead-in to a list ("… với các nội dung cụ thể như sau:") is not a policy by itself.
      if (/:$/.test(body) && body.length < 200 && !rec.figures.some((f) => f.start >= p.start && f.end <= p.end)) continue;
      const folded = fold(body);
      const colon = body.indexOf(":");
      const lead = fold(colon > 0 && colon < 200 ? body.slice(0, colon) : body.slice(0, 140));
      const headings = [inlineHeading, ...chain.map((s) => s.heading)].filter((h): h is string => !!h);
      let headCats: PolicyCategory[] = [];
      for (const h of headings) {
        headCats = categoriesIn(fold(h));
        if (headCats.length) break;
      }
      const leadCats = categoriesIn(lead);
      const bodyCats = categoriesIn(folded);
      const underPolicyHeading = headings.some((h) => /\b(chinh sach|ho tro)\b/.test(fold(h)));
      const primary = leadCats[0] ?? headCats[0] ?? bodyCats[0] ?? (underPolicyHeading ? "other" : null);
      if (!primary) continue;
      const categories = [...new Set<PolicyCategory>([primary, ...leadCats, ...headCats, ...bodyCats.filter((c) => STRONG.has(c))])];
      const figures = rec.figures.filter((f) => f.start >= p.start && f.end <= p.end && !f.aside);
      const sentenceFigs = (f: Figure) => rec.figures.filter((g) => g.sentenceStart === f.sentenceStart);
      const amountOf = (f: Figure): Amount => ({
        display: { vi: figureDisplay(f, "vi"), en: figureDisplay(f, "en") },
        raw: tidy(f.raw),
        phrase: phraseAround(text, f, p) || clauseLabel(text, f, sentenceFigs(f)),
        figure: f,
      });
      const amounts = figures
        .filter((f) => {
          const dim = unitDimension(f.unit);
          if (dim === "money") return true;
          return dim === "percent" && /\blai suat\b/.test(fold(text.slice(Math.max(p.start, f.start - 40), f.start)));
        })
        .map(amountOf);
      const beneficiaries = figures.filter((f) => BENEFICIARY_UNITS.has(unitDimension(f.unit) ?? "") || f.unit === "lượt").map(amountOf);
      const chunk = chunkFor(engine, rec, p);
      if (!chunk) continue;
      const qa = Math.max(p.start, chunk.start);
      const qb = Math.min(p.end, chunk.end);
      items.push({
        category: primary,
        categories,
        province: doc.province,
        doc,
        section: [sectionPath(chunk) || section.heading, inlineHeading].filter(Boolean).join(" › "),
        stage: stageOf(doc, chain),
        text: body,
        legalBasis: legalBasisOf([raw, ...headings].join("\n")),
        amounts,
        beneficiaries,
        citation: { chunkId: chunk.id, quote: tidy(text.slice(qa, qb)), start: qa, end: qb },
        start: p.start,
        end: p.end,
      });
    }
  }
  return items;
}

/**
 * Policy passages of the documents in scope, in document order; with a category, the passages of
 * that category (those whose own category it is first).
 */
export function listPolicies(engine: Engine, scope: PolicyScope = {}): PolicyItem[] {
  const docs = docsInScope(engine, { province: scope.province, year: scope.year });
  const all = docs.flatMap((d) => docPolicies(engine, d));
  if (!scope.category) return all;
  const cat = scope.category;
  const matching = all.filter((i) => i.categories.includes(cat));
  return [...matching.filter((i) => i.category === cat), ...matching.filter((i) => i.category !== cat)];
}

/** Whether a province name is one the corpus covers (folded comparison). */
export function coversProvince(engine: Engine, province: string): boolean {
  const key = provinceKey(province);
  return engine.docs.some((d) => d.province !== null && provinceKey(d.province) === key);
}

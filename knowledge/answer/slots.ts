// Reads a question into slots: province, year or date, kind of figure, the unit asked for,
// the operation to compute, and the content words that say what is measured. Works the same
// with or without diacritics ("chi tieu htx cao bang 2026").

import type { DocKind, FigureKind } from "../types.js";
import { PROVINCES } from "../provinces.js";
import { fold, normalizeText } from "../text/normalize.js";
import { UNITS, type UnitDef } from "../figures/units.js";
import { canonical } from "../text/synonyms.js";

export type Dimension = UnitDef["dimension"];

export type Operation =
  | { type: "share"; part: string; whole: string }
  | { type: "average"; per: Dimension; perWord: string }
  | { type: "sum"; items: string[] }
  | { type: "diff"; items: [string, string] }
  | { type: "gap" }
  | { type: "achievement" }
  | { type: "change" }
  | { type: "compare" };

export interface Slots {
  question: string;
  /** Folded question with punctuation turned to spaces. */
  folded: string;
  province: string | null;
  year: number | null;
  /** Every period year named (a figure must belong to one of them). */
  years: number[];
  /** Years that name a document ("Kế hoạch năm 2026"): they choose documents, not figures. */
  docYears: number[];
  date: string | null;
  half: boolean;
  kind: FigureKind | null;
  docKind: DocKind | null;
  docNumber: string | null;
  unit: Dimension | null;
  /** Canonical unit when the question names one ("bao nhiêu HTX" → "HTX"). */
  unitName: string | null;
  /** What is counted when it is no unit the documents use ("bao nhiêu trí thức trẻ" → "tri thuc"). */
  countNoun: string | null;
  operation: Operation | null;
  /** Content words (folded syllables) describing the measure. */
  terms: string[];
  /** Whether the question is about the domain at all (cooperatives, plans, policies). */
  inDomain: boolean;
  /** Asks for policies / programs / conditions rather than a number. */
  wantsPassage: boolean;
  /** Asks for a number explicitly ("bao nhiêu", "mấy", "tổng số", "tỷ lệ"). */
  asksNumber: boolean;
}

// Abbreviations users type, expanded for matching the documents (folded).
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/\blh ?htx\b/g, "lien hiep htx"],
  [/\blhhtx\b/g, "lien hiep htx"],
  [/\bnsnn\b/g, "ngan sach nha nuoc"],
  [/\bnstw\b/g, "ngan sach trung uong"],
  [/\bnsdp\b/g, "ngan sach dia phuong"],
  [/\bmtqg\b/g, "muc tieu quoc gia"],
  [/\bcbql\b/g, "can bo quan ly"],
  [/\bdn\b/g, "doanh nghiep"],
  [/\btv\b/g, "thanh vien"],
  [/\bnq\b/g, "nghi quyet"],
  [/\bkh\b/g, "ke hoach"],
  [/\bdh\b/g, "dai hoc"],
  [/\bcd\b/g, "cao dang"],
  [/\bhop tac xa\b/g, "htx"],
  [/\bto hop tac\b/g, "tht"],
  [/\btong cong\b/g, "tong"],
  // Frequent typing shortcuts and slips.
  [/\bbao nhi[eu]?u\b|\bbn\b|\bbnh\b/g, "bao nhieu"],
  [/\bbq\b/g, "binh quan"],
  [/\bbk\b/g, "bac kan"],
  [/\bcb\b(?=.*\b(htx|tht|ke hoach|2026|2025)\b)/g, "cao bang"],
  [/\bls\b/g, "lang son"],
];

// Words that name the kind of document rather than what is measured.
const DOC_WORDS = /\b(kinh te tap the|kttt|ke hoach|nghi quyet|uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|tinh uy)\b/g;

const DOMAIN = new RegExp(
  "\\b(" +
    [
      "htx", "hop tac xa", "tht", "to hop tac", "lien hiep", "lien minh", "kinh te tap the", "kttt",
      "thanh vien", "von", "ngan sach", "chinh sach", "ho tro", "ke hoach", "nghi quyet", "muc tieu",
      "chi tieu", "doanh thu", "lai", "loi nhuan", "thu nhap", "can bo", "lao dong", "ocop",
      "tin dung", "vay", "dao tao", "boi duong", "xuc tien", "thanh lap", "giai the", "phan dau",
      "kinh phi", "ban chi dao", "quy", "ha tang", "chuoi gia tri", "lien ket", "nong nghiep",
      "san pham", "dieu kien", "doi tuong", "du an", "de an", "tap huan", "hoat dong", "tai lieu",
      "van ban", "nhu cau", "dang ky", "kha tot", "yeu kem", "ty le", "thi truong",
    ].join("|") +
    ")\\b",
);

export { STOP_WORDS as STOP } from "../text/stopwords.js";
import { STOP_WORDS as STOP } from "../text/stopwords.js";
// "người"/"kế hoạch"/"mục tiêu" are stop words for the measure because they are caught as unit or kind.

const UNIT_WORDS: Array<{ forms: string[]; dim: Dimension; unit: string }> = [
  { forms: ["phan tram", "%", "ty le", "ti le", "ty trong"], dim: "percent", unit: "%" },
  { forms: ["lhhtx", "lien hiep htx", "lien hiep hop tac xa", "lien hiep"], dim: "lhhtx", unit: "Liên hiệp HTX" },
  { forms: ["htx", "hop tac xa"], dim: "htx", unit: "HTX" },
  { forms: ["tht", "to hop tac"], dim: "tht", unit: "THT" },
  { forms: ["thanh vien", "xa vien"], dim: "member", unit: "thành viên" },
  { forms: ["nguoi", "lao dong", "can bo", "hoc vien"], dim: "person", unit: "người" },
  { forms: ["ho"], dim: "household", unit: "hộ" },
  { forms: ["tien", "kinh phi", "von", "trieu", "ty dong", "dong", "ngan sach", "doanh thu", "doanh so", "lai", "loi nhuan", "thu nhap", "du no"], dim: "money", unit: "triệu đồng" },
];

function detectUnit(f: string): { dim: Dimension; unit: string } | null {
  // "bao nhiêu X", "mấy X", "tổng số X", "số lượng X"
  for (const after of f.matchAll(/(?=(?:bao nhieu|may|tong so|so luong|tong)\s+(phan tram|%|[a-z]+(?: [a-z]+){0,3}))/g)) {
    const words = after[1]!;
    for (const u of UNIT_WORDS) if (u.forms.some((form) => words === form || words.startsWith(`${form} `))) return { dim: u.dim, unit: u.unit };
    // Any other unit the documents count in: "bao nhiêu sản phẩm", "mấy lớp", "bao nhiêu ha".
    for (const u of UNITS) {
      if (u.dimension !== "other" || ["năm", "tháng", "tổ", "xã"].includes(u.unit)) continue;
      if (u.forms.some((form) => words === form || words.startsWith(`${form} `))) return { dim: "other", unit: u.unit };
    }
  }
  // "số HTX … tăng bao nhiêu": the count named after "số".
  const countOf = /\bso (htx|tht|lhhtx|thanh vien|can bo|lao dong|nguoi)\b.*\b(bao nhieu|may)\b(?!\s*(phan tram|%))/.exec(f);
  if (countOf) {
    const u = UNIT_WORDS.find((x) => x.forms.includes(countOf[1]!));
    if (u) return { dim: u.dim, unit: u.unit };
  }
  if (/(bao nhieu|may)\s*(phan tram|%)|\bty le\b|\bti le\b|\bty trong\b|\bphan tram\b|%/.test(f)) return { dim: "percent", unit: "%" };
  if (/\b(kinh phi|bao nhieu tien|so tien|von|ngan sach|doanh thu|doanh so|loi nhuan|thu nhap|lai binh quan|du no|lai suat)\b/.test(f)) return { dim: "money", unit: "triệu đồng" };
  return null;
}

function detectOperation(f: string): Operation | null {
  const share = /^(.*?)\s*chiem\s+(?:bao nhieu|may)\s*(?:phan tram|%|ty le)\s*(.*)$/.exec(f) ??
    /^(.*?)\s*(?:bang|la)\s+(?:bao nhieu|may)\s*(?:phan tram|%)\s*(?:cua|so voi|trong)\s+(.*)$/.exec(f);
  if (share) return { type: "share", part: share[1]!, whole: share[2]! };
  const avg = /(?:binh quan|trung binh)\s+(?:moi|1|01|mot)\s+(lhhtx|lien hiep htx|htx|hop tac xa|tht|to hop tac|thanh vien|nguoi|ho|lao dong)\b/.exec(f);
  if (avg) {
    const w = avg[1]!;
    const per: Dimension = /lien hiep|lhhtx/.test(w) ? "lhhtx" : /htx|hop tac xa/.test(w) ? "htx" : /tht|to hop tac/.test(w) ? "tht" : /thanh vien/.test(w) ? "member" : /ho/.test(w) && w === "ho" ? "household" : "person";
    return { type: "average", per, perWord: w };
  }
  if (/\b(so sanh|doi chieu)\b/.test(f)) return { type: "compare" };
  if (/\b(con thieu|can them|con phai|tang them|chenh lech|(nhieu|it|cao|thap|lon|nho) hon bao nhieu|giam bao nhieu so)\b/.test(f)) return { type: "gap" };
  if (/\b(dat|bang|hoan thanh)\s+(bao nhieu|may)\s*(phan tram|%)\s*(so voi\s+)?(ke hoach|muc tieu|chi tieu)/.test(f)) return { type: "achievement" };
  if (/\b(tang|giam)\s+(bao nhieu|may)\s*(phan tram|%)/.test(f)) return { type: "change" };
  if (/\b(tang|giam)\s+(bao nhieu|may)\b.*\bso voi\b/.test(f)) return { type: "gap" };
  // "tổng vốn NSĐP (gồm cả vốn sự nghiệp và vốn đầu tư)": the whole named once, its parts after.
  const parts = /\btong\s+(?:so\s+)?(.+?)\s+(?:gom|bao gom|tinh ca|ca)\s+(?:ca\s+)?(.+?)\s+va\s+(.+)$/.exec(f);
  if (parts) return { type: "sum", items: [`${parts[1]} ${parts[2]}`, `${parts[1]} ${parts[3]}`] };
  // "A cao hơn B bao nhiêu": the difference of two figures.
  const diff = /^(.+?)\s+(?:cao|nhieu|lon|thap|it|nho) hon\s+(.+?)\s+(?:bao nhieu|may)\b/.exec(f);
  if (diff && !/^\s*$/.test(diff[2]!)) return { type: "diff", items: [diff[1]!, diff[2]!] };
  const sum = /\b(?:tong|cong)\s+(?:cong\s+|so\s+)?(.+?)\s+va\s+(.+)$/.exec(f);
  if (sum) return { type: "sum", items: [sum[1]!, sum[2]!] };
  const plus = /^(.+?)\s+cong (?:voi|them)\s+(.+)$/.exec(f);
  if (plus) return { type: "sum", items: [plus[1]!, plus[2]!] };
  return null;
}

function detectKind(f: string): FigureKind | null {
  if (/\b(so voi ke hoach|dat bao nhieu phan tram ke hoach)\b/.test(f)) return "plan-ratio";
  // "dự kiến" is how the reports word an estimate of the year under review ("dự kiến đến hết năm 2023").
  if (/\b(uoc|du uoc|uoc tinh|uoc dat|uoc thuc hien|du kien)\b/.test(f)) return "estimate";
  if (/\b(muc tieu|chi tieu|phan dau|ke hoach dat|dat ra|dinh huong|se|muon|nham|can dat)\b/.test(f)) return "target";
  if (/\b(den ngay|tinh den|hien co|hien nay|thuc te|da|duoc bao nhieu|dat duoc)\b/.test(f)) return "actual";
  return null;
}

/** Reads a question into slots. `docs` lets the province list follow the indexed corpus. */
/**
 * Reads a question into slots. Provinces are recognised from the national list (so a question
 * about a province the corpus lacks is recognised, and refused), plus any extra names given.
 */
export function parseQuestion(question: string, extraProvinces: string[] = []): Slots {
  const knownProvinces = [...new Set([...extraProvinces, ...PROVINCES])].sort((a, b) => b.length - a.length);
  const norm = normalizeText(question);
  let f = fold(norm).replace(/[^a-z0-9%/.,\- ]+/g, " ");
  // Years and dates before stripping punctuation.
  const dateM = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(f);
  const date = dateM ? `${dateM[3]}-${dateM[2]!.padStart(2, "0")}-${dateM[1]!.padStart(2, "0")}` : null;
  const docNumberM = /\b(\d{1,4})\s*[-/]\s*(nq|kh|qd)\s*[-/]\s*([a-z]{2,5})\b/.exec(f);
  const docNumber = docNumberM ? `${docNumberM[1]}-${docNumberM[2]}/${docNumberM[3]}` : null;
  // A year that names a document ("Kế hoạch năm 2026", "KH KTTT 2025", "Nghị quyết … năm 2021")
  // chooses the document; other years are the period the figure must belong to.
  const docYears: number[] = [];
  const years: number[] = [];
  for (const m of f.matchAll(/(?<![\d/])(20[1-4]\d)(?![\d/])/g)) {
    const before = f.slice(Math.max(0, m.index - 40), m.index);
    // "so với năm 2016" is the base of a comparison, not the period of the answer.
    if (/\b(ke hoach|kh|nghi quyet|nq)(\s+\S+){0,7}\s+(nam\s+)?$/.test(before) && !/giai doan\s*$/.test(before)) docYears.push(Number(m[1]));
    else if (/\bso voi\s+(cung ky\s+)?(nam\s+)?$/.test(before)) docYears.push(Number(m[1]));
    else years.push(Number(m[1]));
  }
  if (dateM) years.push(Number(dateM[3]));
  f = f.replace(/[.,/\-]/g, " ").replace(/\s+/g, " ").trim();
  for (const [re, rep] of ABBREVIATIONS) f = f.replace(re, rep);
  f = canonical(f).replace(/\s+(khong|chua|vay|a|nhi|nhe|the)\s*$/, "");
  let province: string | null = null;
  let provinceFolded = "";
  for (const p of knownProvinces) {
    const pf = fold(p).replace(/[^a-z ]/g, " ").replace(/\s+/g, " ").trim();
    if (new RegExp(`\\b${pf}\\b`).test(f) || new RegExp(`\\b${pf.replace(/ /g, "")}\\b`).test(f)) {
      province = p;
      provinceFolded = pf;
      break;
    }
  }
  let docKind: DocKind | null = null;
  if (/\bnghi quyet\b/.test(f) || docNumber?.includes("nq")) docKind = "nghi-quyet";
  const unit = detectUnit(f);
  const operation = detectOperation(f);
  const kind = detectKind(f);
  const half = /\b(6|sau) thang dau\b/.test(f);
  const stripped = f
    // Words that place the figure in time are read into the date and year slots.
    .replace(/\b(tai thoi diem|tinh den het|tinh den|den het|den ngay|tai ngay|thoi diem)\b/g, " ")
    // "bình quân mỗi HTX": "mỗi" only names the unit of the average (and folds like "mới").
    .replace(/\b(moi|mot|01|1)\s+(?=(htx|tht|lhhtx|thanh vien|nguoi|ho|lao dong)\b)/g, " ")
    .replace(docNumberM ? /\b\d{1,4} (nghi quyet|ke hoach|qd) [a-z]{2,5}\b/g : /$^/, " ")
    .replace(DOC_WORDS, " ")
    .replace(provinceFolded ? new RegExp(`\\b${provinceFolded}\\b`, "g") : /$^/, " ")
    .replace(docKind ? /\bnghi quyet\b/g : /$^/, " ")
    .replace(/\b20[1-4]\d\b/g, " ")
    .replace(/\b\d+\b/g, " ");
  const terms = stripped.split(" ").filter((w) => w.length > 0 && !STOP.has(w));
  const inDomain = DOMAIN.test(f);
  // Policy questions ("ở đâu", "điều kiện gì", "như thế nào") are answered with passages, even
  // when they also ask for a number: the passage that answers them states it.
  const passageCue = /\b(chinh sach|ho tro gi|nhu the nao|the nao|ra sao|gom nhung|nhung gi|gi|nhiem vu|giai phap|dieu kien|doi tuong|o dau|nhung ai|ai duoc|vi sao|tai sao|noi dung|quy dinh|can cu|lai suat|hinh thuc|cach nao|lam gi)\b/.test(f);
  const wantsPassage = passageCue && !operation;
  const asksNumber =
    (unit !== null && !wantsPassage) ||
    /\b(bao nhieu|may|tong so|so luong|ty le|ti le|phan tram|muc)\b|%/.test(f) ||
    /(^|\b(cua|ve|la)\s)so (htx|tht|thanh vien|can bo|lao dong|lien hiep|ho|nguoi|san pham)\b/.test(f);
  const unitDef = unit;
  return {
    question,
    folded: f,
    province,
    year: years[0] ?? docYears[0] ?? null,
    years,
    docYears,
    date,
    half,
    kind,
    docKind,
    docNumber,
    unit: unitDef?.dim ?? null,
    unitName: unitDef?.unit ?? null,
    countNoun: unitDef ? null : (/\b(?:bao nhieu|may)\s+([a-z]+ [a-z]+)/.exec(f)?.[1] ?? null),
    operation,
    terms,
    inDomain,
    wantsPassage,
    asksNumber,
  };
}


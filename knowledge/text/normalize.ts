// Vietnamese text utilities.
//
// Two forms of every text exist:
// - the normalised form (NFC, one tone-mark style, clean spaces): kept for quoting;
// - the folded form (no diacritics, đ→d, lower case, common OCR confusions repaired): used for
//   matching. `fold` keeps the length of its input, so an offset found in the folded form is the
//   same offset in the normalised form.

const COMBINING = /[\u0300-\u036f]/g;

// Old-style tone placement ("hóa", "thủy", "khỏe") is the style of the source documents; new-style
// spellings ("hoá", "thuỷ", "khoẻ") are rewritten to it so both match the same quote.
const TONE_MARKS = ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"];
const NEW_STYLE_PAIRS: Array<[string, string]> = [];
for (const [first, second] of [
  ["o", "a"],
  ["o", "e"],
  ["u", "y"],
  ["O", "A"],
  ["O", "E"],
  ["U", "Y"],
] as const) {
  for (const mark of TONE_MARKS) {
    const newStyle = (first + (second + mark).normalize("NFC")).normalize("NFC");
    const oldStyle = ((first + mark).normalize("NFC") + second).normalize("NFC");
    NEW_STYLE_PAIRS.push([newStyle, oldStyle]);
  }
}
const LETTER = "a-zA-Zà-ỹÀ-Ỹđ";
const NEW_STYLE_RE = new RegExp(
  `(?<![qQ])(${NEW_STYLE_PAIRS.map(([n]) => n).join("|")})(?![${LETTER}])`,
  "g",
);
const NEW_TO_OLD = new Map(NEW_STYLE_PAIRS);

/** NFC, old-style tone marks, no zero-width or non-breaking spaces, Unix line ends. */
export function normalizeText(input: string): string {
  return input
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .normalize("NFC")
    .replace(/[\u200B-\u200D\u2060]/g, "")
    .replace(/[\u00A0\u2007\u202F]/g, " ")
    .replace(/\t/g, " ")
    .replace(NEW_STYLE_RE, (m) => NEW_TO_OLD.get(m) ?? m);
}

// Characters OCR puts in place of Vietnamese vowels; mapped to their base letter when folding.
const OCR_CHAR: Record<string, string> = {
  "¢": "e",
  "€": "e",
  "¥": "y",
  "ﬁ": "f",
  "ﬂ": "f",
  "|": "l",
};
// Digits OCR reads in place of letters (1ap → lap, d6ng → dong, x4 → xa), applied only inside
// short tokens that mix digits and letters.
const OCR_DIGIT: Record<string, string> = { "0": "o", "1": "l", "3": "a", "4": "a", "6": "o" };
const MIXED_TOKEN = /(?<![0-9a-z./])(?=[0-9a-z]*[a-z])(?=[0-9a-z]*[0-9])[0-9a-z]{2,6}(?![0-9a-z])/g;

// Folded OCR misreadings of frequent syllables in the scanned plans, each the same length as
// its repair. Only tokens that are not Vietnamese syllables themselves are listed.
const OCR_WORD: Record<string, string> = {
  udc: "uoc", wdc: "uoc", ubc: "uoc", uec: "uoc", ude: "uoc", uoc: "uoc",
  ndm: "nam", nim: "nam",
  vdi: "voi", vei: "voi", vol: "voi",
  cia: "cua", cta: "cua", caa: "cua",
  ngudi: "nguoi", nguol: "nguoi", ngubi: "nguoi",
  dugc: "duoc", dwoc: "duoc",
  thye: "thuc", thyc: "thuc",
  hign: "hien",
  mei: "moi",
  sb: "so", sd: "so",
  eo: "co",
  deng: "dong", ddng: "dong", tdng: "tang", teng: "tong",
  tren: "tren", trel: "tren",
  tlnh: "tinh",
  hix: "htx", hxt: "htx",
  iy: "ly", dudng: "duong", dpng: "dong",
  ng: "no", hd: "ho", ven: "von",
  // Vowels read as d/e/g/i/w/y by the scanner: "xuet" xuất, "ning" năng, "lugng" lượng, "wong" ương.
  xuet: "xuat", xudt: "xuat", xuit: "xuat", ning: "nang", ting: "tang", neng: "nong", ndng: "nong",
  trg: "tro", trd: "tro", ndi: "noi", hdi: "hoi", chudi: "chuoi", hueng: "huong", hudng: "huong",
  lugng: "luong", lwong: "luong", nudc: "nuoc", nwec: "nuoc", trudng: "truong", thudng: "thuong",
  ddi: "doi", xdy: "xay", ngudn: "nguon", cec: "cac", cic: "cac", lyc: "luc", tdc: "tac", tic: "tac",
  phet: "phat", nudi: "nuoi", phem: "pham", theng: "thong", qudc: "quoc", quec: "quoc", ving: "vung",
  chic: "chuc", dic: "dac", bg: "bo", ngen: "ngan", ddy: "day", lgi: "loi", dyng: "dung",
  phei: "phoi", phdi: "phoi", hodc: "hoac", pang: "dang", panh: "danh", ddu: "dau", vyc: "vuc",
  gdp: "gop", thudc: "thuoc", twong: "tuong", wong: "uong", timg: "tung", budc: "buoc", tdt: "tot",
  cudng: "cuong", thdn: "thon", mdi: "moi", md: "mo", tdm: "tam", ldp: "lap",
};
for (const [k, v] of Object.entries(OCR_WORD)) if (k.length !== v.length) delete OCR_WORD[k];
const OCR_WORD_RE = new RegExp(`(?<![a-z0-9])(${Object.keys(OCR_WORD).join("|")})(?![a-z0-9])`, "g");

function foldChar(ch: string): string {
  if (ch === "đ" || ch === "Đ") return "d";
  const mapped = OCR_CHAR[ch];
  if (mapped) return mapped;
  const base = ch.normalize("NFD").replace(COMBINING, "");
  return base.length === 1 ? base.toLowerCase() : ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
}

/**
 * Diacritics removed, đ→d, lower case, OCR digit/letter confusions repaired inside words.
 * The result has exactly the length of the input (in UTF-16 code units) for NFC input.
 */
export function fold(input: string): string {
  let out = "";
  for (const ch of input) {
    const f = foldChar(ch);
    // Keep the length: astral characters (2 code units) stay as they are.
    out += f.length === ch.length ? f : ch;
  }
  return out.replace(MIXED_TOKEN, (tok) => {
    const digits = tok.replace(/[^0-9]/g, "").length;
    const letters = tok.length - digits;
    if (digits > 2 || letters < 1) return tok;
    let fixed = "";
    for (const c of tok) fixed += OCR_DIGIT[c] ?? c;
    return /[0-9]/.test(fixed) ? tok : fixed;
  }).replace(OCR_WORD_RE, (w) => OCR_WORD[w] ?? w);
}

/** Plain folding without OCR repair: what a user means by "without diacritics". */
export function foldPlain(input: string): string {
  return input.normalize("NFD").replace(COMBINING, "").replace(/[đĐ]/g, "d").toLowerCase();
}

/** Folded and with runs of white space collapsed to one space; for containment tests. */
export function foldCompact(input: string): string {
  return fold(normalizeText(input)).replace(/\s+/g, " ").trim();
}

/** Folded syllables (words) of a text; numbers keep their digits without separators. */
export function syllables(input: string): string[] {
  const out: string[] = [];
  const re = /[0-9]+(?:[.,][0-9]+)*|[a-z]+/g;
  const folded = fold(normalizeText(input));
  for (const m of folded.matchAll(re)) {
    const tok = m[0];
    out.push(/^[0-9]/.test(tok) ? tok.replace(/[.,]/g, "") : tok);
  }
  return out;
}

/** Whether `needle` occurs in `haystack` after folding and collapsing spaces on both sides. */
export function containsFolded(haystack: string, needle: string): boolean {
  const n = foldCompact(needle);
  if (!n) return false;
  const h = foldCompact(haystack);
  if (h.includes(n)) return true;
  return foldPlain(haystack).replace(/\s+/g, " ").includes(foldPlain(needle).replace(/\s+/g, " ").trim());
}

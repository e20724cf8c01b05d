// Shared data shapes. `ingest` produces DocumentRecords, the index serves them, and the
// answerer turns them into one `Answer` object that every view (terminal, JSON, Telegram) renders.

export type DocKind = "ke-hoach" | "nghi-quyet" | "other";

export interface DocMeta {
  /** Corpus file name without its extension, e.g. "cao-bang-ke-hoach-kttt-htx-2026". */
  id: string;
  file: string;
  title: string;
  /** Province name with diacritics, e.g. "Cao Bằng"; null when unknown. */
  province: string | null;
  kind: DocKind;
  /** Document number, e.g. "2672/KH-UBND", "09-NQ/TU"; null when the document has none. */
  number: string | null;
  /** Signing date as ISO yyyy-mm-dd, or yyyy-mm when the day is blank in the source. */
  date: string | null;
  /** First and last year the document plans for (a one-year plan has from === to). */
  period: { from: number; to: number } | null;
  /** The year a plan reviews (the year before the plan year), when it has one. */
  reviewYear: number | null;
  /** sha256 of the source file. */
  hash: string;
  pages: number | null;
}

export interface Section {
  id: number;
  /** Heading text as written (normalised), e.g. "4. Một số mục tiêu cụ thể". */
  heading: string;
  level: number;
  parent: number | null;
  /** Offset of the heading line. */
  start: number;
  /** Offset where the section's own body starts (after the heading). */
  bodyStart: number;
  /** Offset where the body ends (the next heading, at any level). */
  end: number;
}

export interface Chunk {
  /** Unique across the index: `${docId}#${ordinal}`. */
  id: string;
  docId: string;
  ordinal: number;
  /** Heading path from the top, e.g. ["Phần thứ hai …", "II. …", "4. Một số mục tiêu cụ thể"]. */
  path: string[];
  /** Chunk text (normalised Unicode, original spelling kept for quoting). */
  text: string;
  /** Offsets of `text` in the document's normalised text. */
  start: number;
  end: number;
  /** 1-based page number for paged sources (PDF); null otherwise. */
  page: number | null;
}

export type FigureKind = "target" | "estimate" | "actual" | "plan-ratio" | "other";

export type Qualifier =
  | "exact"
  | "over" // trên, hơn, vượt
  | "at-least" // từ … trở lên, ít nhất, tối thiểu
  | "under" // dưới, chưa đến
  | "at-most" // tối đa, không quá
  | "about" // khoảng, gần, xấp xỉ
  | "range";

export interface Period {
  year: number | null;
  /** ISO date when the figure is "as of" a date (đến 30/6/2025). */
  date: string | null;
  /** "H1" for 6 tháng đầu năm; null otherwise. */
  part: "H1" | null;
}

export interface Figure {
  id: string;
  docId: string;
  chunkId: string;
  /** The value as a plain number in the unit given (1.790 triệu đồng → 1790). */
  value: number;
  /** Upper bound of a range (5,0 - 5,5 → value 5, max 5.5). */
  max: number | null;
  /** For fractions such as 80/285: the denominator. */
  of: number | null;
  /** Unit as written, normalised: "HTX", "THT", "thành viên", "người", "triệu đồng", "%", … */
  unit: string | null;
  /** Per-part of a compound unit: "triệu đồng/HTX/năm" → "HTX/năm". */
  per: string | null;
  qualifier: Qualifier;
  kind: FigureKind;
  period: Period;
  /** Words that say what the number measures (diacritics folded). */
  measure: string;
  /** Inside parentheses: a breakdown or aside of the main figure ("(ĐTPT: 6.000 triệu đồng, …)"). */
  aside: boolean;
  /** The folded sentence, preceded by the lead-in of a list ("…, trong đó:") for bullet items. */
  context: string;
  /** The exact source text of the mention, e.g. "trên 15 HTX". */
  raw: string;
  /** The sentence the figure stands in (original spelling) and its offset in the document text. */
  sentence: string;
  sentenceStart: number;
  /** Offsets of `raw` in the document's normalised text. */
  start: number;
  end: number;
}

export interface DocumentRecord {
  meta: DocMeta;
  /** Normalised full text; all offsets refer to it. */
  text: string;
  sections: Section[];
  chunks: Chunk[];
  figures: Figure[];
}

export interface SearchFilters {
  province?: string | null;
  year?: number | null;
  kind?: DocKind | null;
  docIds?: string[] | null;
}

export interface SearchHit {
  chunk: Chunk;
  doc: DocMeta;
  score: number;
  /** Rank in each retriever (1-based) or null when the retriever did not return it. */
  keywordRank: number | null;
  vectorRank: number | null;
}

export interface Citation {
  n: number;
  document: string;
  title: string;
  section: string;
  page: number | null;
  /** Exact quote from the chunk (a sentence, trimmed). */
  quote: string;
  /** The whole cited chunk. */
  text: string;
  chunkId: string;
  /** Offsets of the quote in the document's normalised text. */
  start: number;
  end: number;
}

export interface FigureInput {
  label: string;
  value: number;
  unit: string | null;
  /** Where the input came from: "document › section" and the raw mention. */
  source: string;
  citation: number | null;
}

export interface AnswerFigure {
  label: string;
  value: number;
  /** The value formatted the Vietnamese way, with its unit. */
  display: string;
  unit: string | null;
  formula: string;
  inputs: FigureInput[];
}

export type AnswerMode = "offline" | "llm";

/** Why an offline answer was given although a language model is configured. */
export type FallbackReason = "guard" | "timeout" | "unavailable" | "rejected" | "circuit-open";

/** How a language model took part in an answer (absent when none is configured). */
export interface LlmInfo {
  model: string;
  /** Set when the model's answer was not used and the offline answer was given instead. */
  fallback: FallbackReason | null;
  tokens: { input: number; output: number; total: number };
  /** Model calls made (including the follow-up rewrite and the retry). */
  calls: number;
  /** Tools the model called, in order. */
  tools: string[];
  /** Time spent on the language model, ms. */
  ms: number;
  /** The standalone question a follow-up was rewritten to, when it was. */
  rewritten: string | null;
  guard: {
    /** Whether the numeric and quote checks ran on a model answer. */
    checked: boolean;
    /** Whether they rejected an answer (then a retry was made, or the offline answer given). */
    intervened: boolean;
    retried: boolean;
    /** What was rejected, in English, e.g. "number 37 is not in a cited passage or tool result". */
    problems: string[];
  };
}

export interface Answer {
  question: string;
  answer: string;
  refused: boolean;
  citations: Citation[];
  figures: AnswerFigure[];
  mode: AnswerMode;
  ms: number;
  /** Language of the answer text. */
  lang: "vi" | "en";
  /** Present when a language model is configured, whether or not its answer was used. */
  llm?: LlmInfo;
}

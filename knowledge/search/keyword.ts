// BM25 keyword index over folded syllables and adjacent syllable pairs.
//
// Every text is reduced to folded syllables (`syllables()` from normalize.ts — or its faster
// equivalent `fastSyllables` when indexing: no diacritics, lower case, OCR confusions repaired),
// so a query typed without diacritics matches text with diacritics and OCR text alike. Adjacent pairs are indexed as one more term ("chi tieu" →
// "chi", "tieu", "chi_tieu"), which rewards phrase matches without a positional index.
//
// The index is an inverted index in compressed-sparse-row form: one Int32Array of document
// numbers and one Float32Array of precomputed BM25 term-frequency weights, sliced per term by
// an offsets array. A query walks the postings of its terms into a reusable Float64Array
// accumulator and keeps the top k in a small heap, so it allocates nothing of size N.

import { fold, normalizeText, syllables } from "../text/normalize.js";

// --- Fast folding ----------------------------------------------------------------------------
//
// `fold` from normalize.ts is exact but slow (it decomposes every character). Its repairs work
// inside white-space delimited words, so folding each distinct word once (cached) gives the
// same result several times faster; tests check `fastFold(x) === fold(x)` and
// `fastSyllables(x)` equal to `syllables(x)` on the corpus.

const WORD_CACHE = new Map<string, string>();
const WORD_CACHE_MAX = 200_000;

/** Same result as `fold(input)`, faster on long texts. */
export function fastFold(input: string): string {
  return input.replace(/\S+/g, (tok) => {
    let f = WORD_CACHE.get(tok);
    if (f === undefined) {
      f = fold(tok);
      if (WORD_CACHE.size >= WORD_CACHE_MAX) WORD_CACHE.clear();
      WORD_CACHE.set(tok, f);
    }
    return f;
  });
}

const SYLLABLE_RE = /[0-9]+(?:[.,][0-9]+)*|[a-z]+/g;

/** Same result as `syllables(input)`, faster on long texts. */
export function fastSyllables(input: string): string[] {
  const out: string[] = [];
  for (const m of fastFold(normalizeText(input)).matchAll(SYLLABLE_RE)) {
    const tok = m[0];
    const c = tok.charCodeAt(0);
    out.push(c >= 48 && c <= 57 ? tok.replace(/[.,]/g, "") : tok);
  }
  return out;
}

/** Separator between the two syllables of a bigram term. */
export const BIGRAM_SEP = "_";

// --- Query clean-up --------------------------------------------------------------------------

// Question phrases removed wherever they occur in a query (folded syllables). Kept
// conservative: words such as "khong", "cho", "the", "hay", "bao" carry meaning in the documents
// ("HTX khong hoat dong", "cho vay", "tap the", "bao cao"), so they go only as part of a phrase
// or at the edges of a query.
const STOP_PHRASES: string[][] = [
  "xin cho biet",
  "hay cho biet",
  "cho toi biet",
  "cho em biet",
  "cho minh biet",
  "toi muon biet",
  "cho biet",
  "cho hoi",
  "xin hoi",
  "vui long",
  "la bao nhieu",
  "bao nhieu",
  "nhu the nao",
  "ra sao",
  "the nao",
  "la gi",
  "cai gi",
  "nhung gi",
  "hay khong",
  "co phai",
  "phai khong",
  "duoc khong",
  "dung khong",
  "khi nao",
  "luc nao",
  "bao gio",
  "o dau",
]
  .map((p) => p.split(" "))
  .sort((a, b) => b.length - a.length);

/** Single words removed anywhere in a query: they never carry content in this domain. */
const STOP_WORDS = new Set(["nao", "gi"]);
/** Words removed only at the start of a query ("Hay liet ke …", "Xin …"). */
const LEADING_STOP = new Set(["hay", "xin"]);
/** Words removed only at the end of a query ("… co tang khong", "… chua", "… nhi"). */
// Not "the": "kinh te tap the" ends many queries.
const TRAILING_STOP = new Set(["khong", "chua", "vay", "a", "nhi", "nhe", "oi", "ha"]);

/**
 * Splits a query into runs of content syllables: question words are removed and mark a break
 * (no bigram is formed across a removed word).
 */
export function querySegments(query: string): string[][] {
  const toks = syllables(query);
  const removed = new Uint8Array(toks.length);
  for (let i = 0; i < toks.length; i++) {
    if (removed[i]) continue;
    for (const phrase of STOP_PHRASES) {
      if (i + phrase.length > toks.length) continue;
      let ok = true;
      for (let j = 0; j < phrase.length; j++) {
        if (toks[i + j] !== phrase[j]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        for (let j = 0; j < phrase.length; j++) removed[i + j] = 1;
        break;
      }
    }
    if (!removed[i] && STOP_WORDS.has(toks[i] ?? "")) removed[i] = 1;
  }
  let first = 0;
  while (first < toks.length && (removed[first] || LEADING_STOP.has(toks[first] ?? ""))) {
    removed[first] = 1;
    first++;
  }
  let last = toks.length - 1;
  while (last >= 0 && (removed[last] || TRAILING_STOP.has(toks[last] ?? ""))) {
    removed[last] = 1;
    last--;
  }
  const segments: string[][] = [];
  let cur: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (removed[i]) {
      if (cur.length) segments.push(cur);
      cur = [];
    } else {
      cur.push(toks[i] ?? "");
    }
  }
  if (cur.length) segments.push(cur);
  return segments;
}

/** The content words of a query (question words removed), folded and space separated. */
export function stripQuestionWords(query: string): string {
  return querySegments(query)
    .map((s) => s.join(" "))
    .join(" ");
}

function withBigrams(segments: string[][]): string[] {
  const out: string[] = [];
  for (const seg of segments) {
    for (let i = 0; i < seg.length; i++) {
      out.push(seg[i] ?? "");
      if (i > 0) out.push(`${seg[i - 1] ?? ""}${BIGRAM_SEP}${seg[i] ?? ""}`);
    }
  }
  return out;
}

/** Index terms of a text: every folded syllable and every adjacent pair ("chi_tieu"). */
export function tokenizeForIndex(text: string): string[] {
  return withBigrams([fastSyllables(text)]);
}

// --- Binary helpers for the JSON form --------------------------------------------------------

function encodeVarints(values: ArrayLike<number>, delta: boolean, restartAt?: Int32Array): string {
  // Unsigned LEB128; with `delta`, each value is stored as the gap from the previous one, and
  // the gap restarts from 0 at each offset in `restartAt` (the start of a term's postings).
  const buf = new Uint8Array(values.length * 5 + 16);
  let pos = 0;
  let prev = 0;
  let r = 0;
  for (let i = 0; i < values.length; i++) {
    if (restartAt && r < restartAt.length && restartAt[r] === i) {
      prev = 0;
      while (r < restartAt.length && restartAt[r] === i) r++;
    }
    const v = values[i] ?? 0;
    let x = delta ? v - prev : v;
    prev = v;
    if (x < 0) throw new Error("keyword index: negative value in varint stream");
    while (x >= 0x80) {
      buf[pos++] = (x & 0x7f) | 0x80;
      x = Math.floor(x / 128);
    }
    buf[pos++] = x;
  }
  return Buffer.from(buf.buffer, buf.byteOffset, pos).toString("base64");
}

function decodeVarints(b64: string, count: number, delta: boolean, restartAt?: Int32Array): Int32Array {
  const buf = Buffer.from(b64, "base64");
  const out = new Int32Array(count);
  let pos = 0;
  let prev = 0;
  let r = 0;
  for (let i = 0; i < count; i++) {
    if (restartAt && r < restartAt.length && restartAt[r] === i) {
      prev = 0;
      while (r < restartAt.length && restartAt[r] === i) r++;
    }
    let x = 0;
    let shift = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error("keyword index: truncated varint stream");
      const byte = buf[pos++] ?? 0;
      x += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
      shift *= 128;
    }
    const v = delta ? prev + x : x;
    out[i] = v;
    prev = v;
  }
  return out;
}

/** Open-addressing map from a pair of non-negative ints to an int (bigram term ids). */
class PairTable {
  private a = new Int32Array(1 << 16).fill(-1);
  private b = new Int32Array(1 << 16);
  private v = new Int32Array(1 << 16);
  private size = 0;

  private slot(x: number, y: number): number {
    const mask = this.a.length - 1;
    let h = Math.imul(x, 0x9e3779b1) ^ y;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & mask;
    while (this.a[i] !== -1 && (this.a[i] !== x || this.b[i] !== y)) i = (i + 1) & mask;
    return i;
  }

  get(x: number, y: number): number {
    const i = this.slot(x, y);
    return this.a[i] === -1 ? -1 : (this.v[i] ?? -1);
  }

  set(x: number, y: number, value: number): void {
    if ((this.size + 1) * 2 > this.a.length) this.grow();
    const i = this.slot(x, y);
    if (this.a[i] === -1) this.size++;
    this.a[i] = x;
    this.b[i] = y;
    this.v[i] = value;
  }

  private grow(): void {
    const { a, b, v } = this;
    this.a = new Int32Array(a.length * 2).fill(-1);
    this.b = new Int32Array(a.length * 2);
    this.v = new Int32Array(a.length * 2);
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? -1;
      if (x === -1) continue;
      const j = this.slot(x, b[i] ?? 0);
      this.a[j] = x;
      this.b[j] = b[i] ?? 0;
      this.v[j] = v[i] ?? 0;
    }
  }
}

// --- The index --------------------------------------------------------------------------------

export interface KeywordIndexOptions {
  /** BM25 term-frequency saturation. */
  k1?: number;
  /** BM25 length normalisation. */
  b?: number;
  /** Multiplier on bigram terms at query time. */
  bigramWeight?: number;
}

interface Parts {
  ids: string[];
  terms: string[];
  lens: Int32Array;
  offsets: Int32Array;
  postDoc: Int32Array;
  postTf: Uint8Array;
  k1: number;
  b: number;
  bigramWeight: number;
}

const FORMAT = "bm25-v1";

export class KeywordIndex {
  readonly k1: number;
  readonly b: number;
  readonly bigramWeight: number;
  private readonly ids: string[];
  private readonly termList: string[];
  private readonly termIds: Map<string, number>;
  private readonly lens: Int32Array;
  private readonly offsets: Int32Array;
  private readonly postDoc: Int32Array;
  private readonly postTf: Uint8Array;
  private readonly postW: Float32Array;
  private readonly idfs: Float32Array;
  private readonly isBigram: Uint8Array;
  // Reusable query buffers (searches are synchronous, so one set per index is enough).
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;

  private constructor(p: Parts) {
    this.k1 = p.k1;
    this.b = p.b;
    this.bigramWeight = p.bigramWeight;
    this.ids = p.ids;
    this.termList = p.terms;
    this.lens = p.lens;
    this.offsets = p.offsets;
    this.postDoc = p.postDoc;
    this.postTf = p.postTf;
    const n = p.ids.length;
    const t = p.terms.length;
    this.termIds = new Map();
    this.isBigram = new Uint8Array(t);
    for (let i = 0; i < t; i++) {
      const term = p.terms[i] ?? "";
      this.termIds.set(term, i);
      if (term.includes(BIGRAM_SEP)) this.isBigram[i] = 1;
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += p.lens[i] ?? 0;
    const avgdl = n > 0 ? Math.max(total / n, 1) : 1;
    this.idfs = new Float32Array(t);
    for (let i = 0; i < t; i++) {
      const df = (p.offsets[i + 1] ?? 0) - (p.offsets[i] ?? 0);
      this.idfs[i] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
    // Precomputed tf part of BM25: tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl)).
    this.postW = new Float32Array(p.postDoc.length);
    const k1 = this.k1;
    const b = this.b;
    for (let i = 0; i < p.postDoc.length; i++) {
      const tf = p.postTf[i] ?? 0;
      const len = p.lens[p.postDoc[i] ?? 0] ?? 0;
      this.postW[i] = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / avgdl));
    }
    this.acc = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  /** Number of indexed items. */
  get size(): number {
    return this.ids.length;
  }

  static build(items: { id: string; text: string }[], opts: KeywordIndexOptions = {}): KeywordIndex {
    const n = items.length;
    const lens = new Int32Array(n);
    const ids: string[] = new Array<string>(n);
    const seen = new Set<string>();
    // Term ids: syllables by string, bigrams by the pair of syllable ids (no string per pair).
    const terms: string[] = [];
    const uniIds = new Map<string, number>();
    const biIds = new PairTable();
    let dfs: Int32Array = new Int32Array(1024);
    // Per-document counting without a map: the last document that saw a term, and its count.
    let lastDoc: Int32Array = new Int32Array(1024).fill(-1);
    let count: Int32Array = new Int32Array(1024);
    const newTerm = (term: string): number => {
      const id = terms.length;
      terms.push(term);
      if (id >= dfs.length) {
        const grow = (a: Int32Array, fill: number): Int32Array => {
          const b = new Int32Array(a.length * 2).fill(fill);
          b.set(a);
          return b;
        };
        dfs = grow(dfs, 0);
        lastDoc = grow(lastDoc, -1);
        count = grow(count, 0);
      }
      return id;
    };
    // Pass 1: per-document term ids and counts; document frequencies.
    const docTerms: Int32Array[] = new Array<Int32Array>(n);
    const docTfs: Uint8Array[] = new Array<Uint8Array>(n);
    let local = new Int32Array(1024);
    for (let d = 0; d < n; d++) {
      const item = items[d];
      if (!item) throw new Error(`keyword index: missing item ${d}`);
      if (seen.has(item.id)) throw new Error(`keyword index: duplicate id ${item.id}`);
      seen.add(item.id);
      ids[d] = item.id;
      const syl = fastSyllables(item.text);
      // The length counts syllables only (bigrams add about as many again for every text).
      lens[d] = syl.length;
      if (local.length < syl.length * 2) local = new Int32Array(syl.length * 2);
      let nLocal = 0;
      let prev = -1;
      let prevTok = "";
      const see = (id: number): void => {
        if (lastDoc[id] !== d) {
          lastDoc[id] = d;
          count[id] = 1;
          local[nLocal++] = id;
        } else {
          count[id] = (count[id] ?? 0) + 1;
        }
      };
      for (const tok of syl) {
        let id = uniIds.get(tok);
        if (id === undefined) {
          id = newTerm(tok);
          uniIds.set(tok, id);
        }
        see(id);
        if (prev >= 0) {
          let bid = biIds.get(prev, id);
          if (bid < 0) {
            bid = newTerm(`${prevTok}${BIGRAM_SEP}${tok}`);
            biIds.set(prev, id, bid);
          }
          see(bid);
        }
        prev = id;
        prevTok = tok;
      }
      const tIds = local.slice(0, nLocal);
      const tTfs = new Uint8Array(nLocal);
      for (let j = 0; j < nLocal; j++) {
        const id = tIds[j] ?? 0;
        tTfs[j] = Math.min(count[id] ?? 0, 255);
        dfs[id] = (dfs[id] ?? 0) + 1;
      }
      docTerms[d] = tIds;
      docTfs[d] = tTfs;
    }
    // Pass 2: fill the postings in document order (so every term's list is ascending).
    const t = terms.length;
    const offsets = new Int32Array(t + 1);
    for (let i = 0; i < t; i++) offsets[i + 1] = (offsets[i] ?? 0) + (dfs[i] ?? 0);
    const total = offsets[t] ?? 0;
    const postDoc = new Int32Array(total);
    const postTf = new Uint8Array(total);
    const fill = offsets.slice(0, t);
    for (let d = 0; d < n; d++) {
      const tIds = docTerms[d] ?? new Int32Array(0);
      const tTfs = docTfs[d] ?? new Uint8Array(0);
      for (let j = 0; j < tIds.length; j++) {
        const id = tIds[j] ?? 0;
        const at = fill[id] ?? 0;
        postDoc[at] = d;
        postTf[at] = tTfs[j] ?? 0;
        fill[id] = at + 1;
      }
    }
    return new KeywordIndex({
      ids,
      terms,
      lens,
      offsets,
      postDoc,
      postTf,
      k1: opts.k1 ?? 1.2,
      b: opts.b ?? 0.75,
      bigramWeight: opts.bigramWeight ?? 1,
    });
  }

  /** Query terms after question-word removal: syllables and in-segment bigrams, de-duplicated. */
  terms(query: string): string[] {
    return [...new Set(withBigrams(querySegments(query)))];
  }

  /** Inverse document frequency of a term (0 for a term the index does not have). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.idfs[id] ?? 0);
  }

  /** The id of the item at an internal position (0-based, in build order). */
  idAt(index: number): string | undefined {
    return this.ids[index];
  }

  /**
   * Top `k` items by BM25 score. `allow` restricts the candidates before ranking: a rejected
   * item never takes a place in the top k.
   */
  search(query: string, k: number, allow?: (id: string) => boolean): { id: string; score: number }[] {
    return this.searchWhere(query, k, allow ? (i) => allow(this.ids[i] ?? "") : undefined);
  }

  /** Like `search`, with the filter on internal positions (see `idAt`); the fast path. */
  searchWhere(query: string, k: number, allowIndex?: (index: number) => boolean): { id: string; score: number }[] {
    if (k <= 0 || this.ids.length === 0) return [];
    const acc = this.acc;
    const touched = this.touched;
    const postDoc = this.postDoc;
    const postW = this.postW;
    let nTouched = 0;
    for (const term of this.terms(query)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const w = this.idfs[id]! * (this.isBigram[id] ? this.bigramWeight : 1);
      if (w <= 0) continue;
      const end = this.offsets[id + 1]!;
      for (let p = this.offsets[id]!; p < end; p++) {
        const d = postDoc[p]!;
        const a = acc[d]!;
        if (a === 0) touched[nTouched++] = d;
        acc[d] = a + w * postW[p]!;
      }
    }
    // Min-heap of the best k (score, doc); ties broken by earlier document.
    const heapScore = new Float64Array(k);
    const heapDoc = new Int32Array(k);
    let size = 0;
    const worse = (i: number, j: number): boolean =>
      (heapScore[i] ?? 0) < (heapScore[j] ?? 0) ||
      ((heapScore[i] ?? 0) === (heapScore[j] ?? 0) && (heapDoc[i] ?? 0) > (heapDoc[j] ?? 0));
    const swap = (i: number, j: number): void => {
      const s = heapScore[i] ?? 0;
      heapScore[i] = heapScore[j] ?? 0;
      heapScore[j] = s;
      const d = heapDoc[i] ?? 0;
      heapDoc[i] = heapDoc[j] ?? 0;
      heapDoc[j] = d;
    };
    const siftDown = (start: number): void => {
      let i = start;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < size && worse(l, m)) m = l;
        if (r < size && worse(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let t = 0; t < nTouched; t++) {
      const d = touched[t] ?? 0;
      const s = acc[d] ?? 0;
      acc[d] = 0;
      if (size === k) {
        const minS = heapScore[0] ?? 0;
        if (s < minS || (s === minS && d > (heapDoc[0] ?? 0))) continue;
      }
      // Only a candidate that would enter the top k is checked against the filter.
      if (allowIndex && !allowIndex(d)) continue;
      if (size < k) {
        heapScore[size] = s;
        heapDoc[size] = d;
        let i = size++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!worse(i, parent)) break;
          swap(i, parent);
          i = parent;
        }
      } else {
        heapScore[0] = s;
        heapDoc[0] = d;
        siftDown(0);
      }
    }
    const out: { id: string; score: number; d: number }[] = [];
    for (let i = 0; i < size; i++) {
      const d = heapDoc[i] ?? 0;
      out.push({ id: this.ids[d] ?? "", score: heapScore[i] ?? 0, d });
    }
    out.sort((a, b) => b.score - a.score || a.d - b.d);
    return out.map(({ id, score }) => ({ id, score }));
  }

  /** A JSON-safe form: postings as base64 varints (delta-coded document numbers). */
  toJSON(): unknown {
    const t = this.termList.length;
    const dfs = new Int32Array(t);
    for (let i = 0; i < t; i++) dfs[i] = (this.offsets[i + 1] ?? 0) - (this.offsets[i] ?? 0);
    return {
      format: FORMAT,
      k1: this.k1,
      b: this.b,
      bigramWeight: this.bigramWeight,
      ids: this.ids,
      terms: this.termList,
      postings: this.postDoc.length,
      lens: encodeVarints(this.lens, false),
      dfs: encodeVarints(dfs, false),
      docs: encodeVarints(this.postDoc, true, this.offsets.subarray(0, t)),
      tfs: Buffer.from(this.postTf.buffer, this.postTf.byteOffset, this.postTf.byteLength).toString("base64"),
    };
  }

  static fromJSON(data: unknown): KeywordIndex {
    if (typeof data !== "object" || data === null) throw new Error("keyword index: not an object");
    const o = data as Record<string, unknown>;
    if (o.format !== FORMAT) throw new Error(`keyword index: unknown format ${String(o.format)}`);
    const num = (v: unknown, name: string): number => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`keyword index: bad ${name}`);
      return v;
    };
    const strs = (v: unknown, name: string): string[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new Error(`keyword index: bad ${name}`);
      return v as string[];
    };
    const str = (v: unknown, name: string): string => {
      if (typeof v !== "string") throw new Error(`keyword index: bad ${name}`);
      return v;
    };
    const ids = strs(o.ids, "ids");
    const terms = strs(o.terms, "terms");
    const total = num(o.postings, "postings");
    const lens = decodeVarints(str(o.lens, "lens"), ids.length, false);
    const dfs = decodeVarints(str(o.dfs, "dfs"), terms.length, false);
    const offsets = new Int32Array(terms.length + 1);
    for (let i = 0; i < terms.length; i++) offsets[i + 1] = (offsets[i] ?? 0) + (dfs[i] ?? 0);
    if (offsets[terms.length] !== total) throw new Error("keyword index: postings count mismatch");
    const postDoc = decodeVarints(str(o.docs, "docs"), total, true, offsets.subarray(0, terms.length));
    const tfBuf = Buffer.from(str(o.tfs, "tfs"), "base64");
    if (tfBuf.length !== total) throw new Error("keyword index: tfs length mismatch");
    const postTf = new Uint8Array(total);
    postTf.set(tfBuf);
    for (let i = 0; i < total; i++) {
      const d = postDoc[i] ?? -1;
      if (d < 0 || d >= ids.length) throw new Error("keyword index: posting out of range");
    }
    return new KeywordIndex({
      ids,
      terms,
      lens,
      offsets,
      postDoc,
      postTf,
      k1: num(o.k1, "k1"),
      b: num(o.b, "b"),
      bigramWeight: num(o.bigramWeight, "bigramWeight"),
    });
  }
}

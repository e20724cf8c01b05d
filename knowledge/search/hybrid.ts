// Hybrid search: BM25 and vector retrieval fused by weighted reciprocal rank fusion.
//
// Filters restrict both retrievers before they rank (a filtered-out chunk never takes a place
// in either top-N list). BM25 weighs more than vectors by default: on this OCR-heavy text the
// exact wording is the stronger signal.

import type { Embeddings } from "@langchain/core/embeddings";
import { fold, normalizeText } from "../text/normalize.js";
import type { Chunk, DocMeta, SearchFilters, SearchHit } from "../types.js";
import type { HnswStore } from "./hnswStore.js";
import type { KeywordIndex } from "./keyword.js";

export interface SearcherDeps {
  docs: DocMeta[];
  chunks: Chunk[];
  keyword: KeywordIndex;
  vectors: HnswStore;
  embeddings: Embeddings;
  /** Fusion weights. Default keyword 1.0, vector 0.7. */
  weights?: { keyword?: number; vector?: number };
  /** RRF constant. Default 60. */
  rrfK?: number;
  /** Candidates taken from each retriever. Default 50. */
  candidates?: number;
  /**
   * With a filter that allows at most this many vectors, they are scored exhaustively
   * (`HnswStore.searchAmong`) instead of by a filtered graph search. Default 2M / dim
   * (5,208 at 384 dimensions: a few ms either way).
   */
  exactSearchMax?: number;
}

export interface SearchOptions {
  k?: number;
  filters?: SearchFilters;
  /** Skip the vector retriever (no embedding call). */
  keywordOnly?: boolean;
}

export interface Searcher {
  search(query: string, opts?: SearchOptions): Promise<SearchHit[]>;
}

/** Folded province name without a leading "tinh"/"thanh pho": "Tỉnh Cao Bằng" → "cao bang". */
export function provinceKey(name: string): string {
  return fold(normalizeText(name))
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^(tinh|thanh pho|tp) /, "");
}

function hasFilters(f: SearchFilters | undefined): f is SearchFilters {
  if (!f) return false;
  return Boolean(
    (f.province !== undefined && f.province !== null && f.province.trim() !== "") ||
      (f.year !== undefined && f.year !== null) ||
      (f.kind !== undefined && f.kind !== null) ||
      (f.docIds !== undefined && f.docIds !== null),
  );
}

/**
 * Whether a document passes the filters. Province compares folded names ("Cao Bằng" matches
 * "cao bang"); a year matches when period.from ≤ year ≤ period.to or the document reviews that
 * year; absent (null/undefined) filters match everything.
 */
export function docMatches(doc: DocMeta, filters: SearchFilters): boolean {
  const { province, year, kind, docIds } = filters;
  if (province !== undefined && province !== null && province.trim() !== "") {
    if (doc.province === null || provinceKey(doc.province) !== provinceKey(province)) return false;
  }
  if (year !== undefined && year !== null) {
    const inPeriod = doc.period !== null && doc.period.from <= year && year <= doc.period.to;
    if (!inPeriod && doc.reviewYear !== year) return false;
  }
  if (kind !== undefined && kind !== null && doc.kind !== kind) return false;
  if (docIds !== undefined && docIds !== null && !docIds.includes(doc.id)) return false;
  return true;
}

interface Masks {
  /** Allowed keyword-index positions. */
  keyword: Uint8Array;
  /** Allowed vector labels, as a mask and as a list. */
  vector: Uint8Array;
  vectorLabels: Int32Array;
  any: boolean;
}

export function createSearcher(deps: SearcherDeps): Searcher {
  const { docs, chunks, keyword, vectors, embeddings } = deps;
  const wKeyword = deps.weights?.keyword ?? 1.0;
  const wVector = deps.weights?.vector ?? 0.7;
  const rrfK = deps.rrfK ?? 60;
  const candidates = deps.candidates ?? 50;
  const exactSearchMax = deps.exactSearchMax ?? Math.floor(2_000_000 / Math.max(1, vectors.dim ?? 384));

  const docById = new Map(docs.map((d) => [d.id, d]));
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  // Document of each keyword position and each vector label, as indices into `docs`.
  const docIndex = new Map(docs.map((d, i) => [d.id, i]));
  const docOf = (chunkId: string, fallbackDocId: string): number => {
    const c = chunkById.get(chunkId);
    return docIndex.get(c?.docId ?? fallbackDocId) ?? -1;
  };
  const keywordDoc = new Int32Array(keyword.size);
  for (let i = 0; i < keyword.size; i++) keywordDoc[i] = docOf(keyword.idAt(i) ?? "", "");
  const vectorDoc = new Int32Array(vectors.size);
  const vectorChunk: string[] = new Array<string>(vectors.size);
  for (let label = 0; label < vectors.size; label++) {
    const meta = vectors.getDocument(label)?.metadata ?? {};
    const chunkId = typeof meta.chunkId === "string" ? meta.chunkId : "";
    const docId = typeof meta.docId === "string" ? meta.docId : "";
    vectorChunk[label] = chunkId;
    vectorDoc[label] = docOf(chunkId, docId);
  }

  const maskCache = new Map<string, Masks>();
  const masksFor = (filters: SearchFilters): Masks => {
    const key = JSON.stringify([
      filters.province ? provinceKey(filters.province) : null,
      filters.year ?? null,
      filters.kind ?? null,
      filters.docIds ?? null,
    ]);
    const cached = maskCache.get(key);
    if (cached) return cached;
    const docOk = new Uint8Array(docs.length);
    let any = false;
    docs.forEach((d, i) => {
      if (docMatches(d, filters)) {
        docOk[i] = 1;
        any = true;
      }
    });
    const kw = new Uint8Array(keywordDoc.length);
    for (let i = 0; i < keywordDoc.length; i++) {
      const d = keywordDoc[i] ?? -1;
      kw[i] = d >= 0 ? (docOk[d] ?? 0) : 0;
    }
    const vec = new Uint8Array(vectorDoc.length);
    let nVec = 0;
    for (let i = 0; i < vectorDoc.length; i++) {
      const d = vectorDoc[i] ?? -1;
      vec[i] = d >= 0 ? (docOk[d] ?? 0) : 0;
      nVec += vec[i] ?? 0;
    }
    const vectorLabels = new Int32Array(nVec);
    for (let i = 0, j = 0; i < vec.length; i++) if (vec[i]) vectorLabels[j++] = i;
    const masks: Masks = { keyword: kw, vector: vec, vectorLabels, any };
    if (maskCache.size >= 32) {
      const oldest = maskCache.keys().next().value;
      if (oldest !== undefined) maskCache.delete(oldest);
    }
    maskCache.set(key, masks);
    return masks;
  };

  return {
    async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
      const k = opts.k ?? 5;
      if (k <= 0 || !query.trim()) return [];
      const masks = hasFilters(opts.filters) ? masksFor(opts.filters) : null;
      if (masks && !masks.any) return [];

      const kwMask = masks?.keyword;
      const kwHits = keyword.searchWhere(query, candidates, kwMask ? (i) => kwMask[i] === 1 : undefined);

      let vecHits: { label: number; score: number }[] = [];
      if (!opts.keywordOnly && vectors.size > 0) {
        const qv = await embeddings.embedQuery(query);
        if (!masks) {
          vecHits = vectors.searchIds(qv, candidates);
        } else if (masks.vectorLabels.length <= exactSearchMax) {
          vecHits = vectors.searchAmong(qv, candidates, masks.vectorLabels);
        } else {
          const vMask = masks.vector;
          vecHits = vectors.searchIds(qv, candidates, (label) => vMask[label] === 1);
        }
      }

      const fused = new Map<string, { score: number; keywordRank: number | null; vectorRank: number | null }>();
      let rank = 0;
      for (const h of kwHits) {
        if (!chunkById.has(h.id)) continue;
        rank++;
        fused.set(h.id, { score: wKeyword / (rrfK + rank), keywordRank: rank, vectorRank: null });
      }
      rank = 0;
      for (const h of vecHits) {
        const chunkId = vectorChunk[h.label];
        if (!chunkId || !chunkById.has(chunkId)) continue;
        rank++;
        const add = wVector / (rrfK + rank);
        const cur = fused.get(chunkId);
        if (cur) {
          if (cur.vectorRank === null) {
            cur.score += add;
            cur.vectorRank = rank;
          }
        } else {
          fused.set(chunkId, { score: add, keywordRank: null, vectorRank: rank });
        }
      }

      const hits: SearchHit[] = [];
      for (const [chunkId, f] of fused) {
        const chunk = chunkById.get(chunkId);
        const doc = chunk ? docById.get(chunk.docId) : undefined;
        if (!chunk || !doc) continue;
        hits.push({ chunk, doc, score: f.score, keywordRank: f.keywordRank, vectorRank: f.vectorRank });
      }
      const big = Number.MAX_SAFE_INTEGER;
      hits.sort(
        (a, b) =>
          b.score - a.score ||
          (a.keywordRank ?? big) - (b.keywordRank ?? big) ||
          (a.vectorRank ?? big) - (b.vectorRank ?? big),
      );
      return hits.slice(0, k);
    },
  };
}

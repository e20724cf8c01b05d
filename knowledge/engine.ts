// The loaded knowledge: documents, chunks, figures and the searcher over them.

import type { Embeddings } from "@langchain/core/embeddings";
import type { IndexData } from "./index/store.js";
import { createSearcher, type Searcher } from "./search/hybrid.js";
import type { KeywordIndex } from "./search/keyword.js";
import type { Chunk, DocMeta, DocumentRecord, Figure } from "./types.js";
import { figureTokens, type TokenSets } from "./answer/select.js";

export interface Engine {
  records: DocumentRecord[];
  docs: DocMeta[];
  docsById: Map<string, DocMeta>;
  recordsById: Map<string, DocumentRecord>;
  chunksById: Map<string, Chunk>;
  figures: Figure[];
  figuresByDoc: Map<string, Figure[]>;
  keyword: KeywordIndex;
  searcher: Searcher;
  /** The words around a figure as sets, computed once per figure on first use. */
  figureTokens(f: Figure): TokenSets;
  /** Provinces the corpus covers, in corpus order. */
  provinces: string[];
  manifest: IndexData["manifest"];
}

export function createEngine(index: IndexData, embeddings: Embeddings): Engine {
  const records = index.records;
  const docs = records.map((r) => r.meta);
  const chunks = records.flatMap((r) => r.chunks);
  const figures = records.flatMap((r) => r.figures);
  const searcher = createSearcher({ docs, chunks, keyword: index.keyword, vectors: index.vectors, embeddings });
  const provinces = [...new Set(docs.map((d) => d.province).filter((p): p is string => p !== null))];
  const tokenCache = new Map<string, TokenSets>();
  const engine: Engine = {
    records,
    docs,
    docsById: new Map(docs.map((d) => [d.id, d])),
    recordsById: new Map(records.map((r) => [r.meta.id, r])),
    chunksById: new Map(chunks.map((c) => [c.id, c])),
    figures,
    figuresByDoc: new Map(records.map((r) => [r.meta.id, r.figures])),
    keyword: index.keyword,
    searcher,
    provinces,
    manifest: index.manifest,
    figureTokens(f: Figure): TokenSets {
      let t = tokenCache.get(f.id);
      if (!t) {
        t = figureTokens(engine, f);
        tokenCache.set(f.id, t);
      }
      return t;
    },
  };
  return engine;
}

// The loaded knowledge: documents, chunks, figures and the searcher over them.

import type { Embeddings } from "@langchain/core/embeddings";
import type { IndexData } from "./index/store.js";
import { createSearcher, type Searcher } from "./search/hybrid.js";
import type { KeywordIndex } from "./search/keyword.js";
import type { Chunk, DocMeta, DocumentRecord, Figure } from "./types.js";

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
  return {
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
  };
}

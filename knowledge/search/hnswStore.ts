// A LangChain `VectorStore` over hnswlib-node's HierarchicalNSW (cosine space).
//
// Each vector's hnsw label is its position in `documents`. On disk: `vectors.hnsw` (the graph,
// hnswlib's own format) and `vectors.json` (dimension, parameters and each document's ids;
// page content and other metadata only when the store was made with `keepContent`).
//
// Besides the graph, the store keeps an 8-bit copy of every (unit) vector in memory (dim bytes
// per vector, 38 MB for 100k × 384). A graph search under a very selective filter walks most of
// the graph through a JavaScript callback per node; `searchAmong` instead scores a short list
// of allowed labels directly on this copy. After `load` the copy is read from `vectors.hnsw`
// itself (hnswlib's documented level-0 layout); if that ever fails, `searchAmong` falls back to
// a filtered graph search.

import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { VectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export const VECTORS_FILE = "vectors.hnsw";
export const VECTORS_META_FILE = "vectors.json";

export interface HnswStoreOptions {
  /** Vector length; taken from the first vectors added when not given. */
  dim?: number;
  /** Max outgoing links per node. Default 16. */
  m?: number;
  /** Build-time candidate list size. Default 100. */
  efConstruction?: number;
  /** Search-time candidate list size (at least k is used). Default 200. */
  efSearch?: number;
  /** Keep page content and all metadata in `vectors.json` (default: only chunkId and docId). */
  keepContent?: boolean;
  /** Initial capacity of the graph (it grows as needed). Default 1024. */
  capacity?: number;
}

export interface ChunkRef {
  chunkId: string;
  docId: string;
}

interface SavedMeta {
  format: "hnsw-store-v1";
  dim: number;
  space: "cosine";
  count: number;
  m: number;
  efConstruction: number;
  efSearch: number;
  chunkIds: string[];
  docIds: string[];
  /** Present only with `keepContent`. */
  documents?: { pageContent: string; metadata: Record<string, unknown>; id?: string }[];
}

const INITIAL_CAPACITY = 1024;

export class HnswStore extends VectorStore {
  declare FilterType: (doc: Document) => boolean;

  private index: Hnsw | null = null;
  private dimension: number | null;
  private readonly documents: Document[] = [];
  private readonly m: number;
  private readonly efConstruction: number;
  private efSearch: number;
  private readonly keepContent: boolean;
  private readonly capacity: number;
  /** 8-bit copy of the unit vectors (label-major) and each one's scale; null when unavailable. */
  private q8: Int8Array | null = new Int8Array(0);
  private q8scale: Float32Array = new Float32Array(0);

  constructor(embeddings: EmbeddingsInterface, opts: HnswStoreOptions = {}) {
    super(embeddings, {});
    this.dimension = opts.dim ?? null;
    this.m = opts.m ?? 16;
    this.efConstruction = opts.efConstruction ?? 100;
    this.efSearch = opts.efSearch ?? 200;
    this.keepContent = opts.keepContent ?? false;
    this.capacity = Math.max(1, opts.capacity ?? INITIAL_CAPACITY);
  }

  _vectorstoreType(): string {
    return "hnswlib-node";
  }

  /** Number of stored vectors. */
  get size(): number {
    return this.documents.length;
  }

  get dim(): number | null {
    return this.dimension;
  }

  /** Sets the search-time candidate list size. */
  setEf(ef: number): void {
    this.efSearch = ef;
    this.index?.setEf(ef);
  }

  /** The document stored under a label. */
  getDocument(label: number): Document | undefined {
    return this.documents[label];
  }

  /** `{ chunkId, docId }` of every label, in label order ("" where metadata lacks one). */
  refs(): ChunkRef[] {
    return this.documents.map((d) => ({ chunkId: stringField(d.metadata, "chunkId"), docId: stringField(d.metadata, "docId") }));
  }

  /** The stored (unit-length) vector of a label. */
  getVector(label: number): number[] {
    if (!this.index || label < 0 || label >= this.documents.length) {
      throw new Error(`HnswStore: no vector with label ${label}`);
    }
    return this.index.getPoint(label);
  }

  private ensureCapacity(dim: number, extra: number): Hnsw {
    if (this.dimension === null) this.dimension = dim;
    if (dim !== this.dimension) {
      throw new Error(`HnswStore: vector length ${dim} does not match the store's ${this.dimension}`);
    }
    const needed = this.documents.length + extra;
    if (!this.index) {
      const index = new HierarchicalNSW("cosine", dim);
      index.initIndex({
        maxElements: Math.max(needed, this.capacity),
        m: this.m,
        efConstruction: this.efConstruction,
      });
      index.setEf(this.efSearch);
      this.index = index;
    } else if (needed > this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(needed, this.index.getMaxElements() * 2));
    }
    return this.index;
  }

  private ensureQ8(labels: number): void {
    const dim = this.dimension ?? 0;
    if (!this.q8 || this.q8scale.length >= labels) return;
    const cap = Math.max(labels, this.q8scale.length * 2, 16);
    const q8 = new Int8Array(cap * dim);
    q8.set(this.q8);
    const scale = new Float32Array(cap);
    scale.set(this.q8scale);
    this.q8 = q8;
    this.q8scale = scale;
  }

  /** Stores the 8-bit form of `vec` (normalised here) under `label`. */
  private quantize(label: number, vec: ArrayLike<number>, offset = 0): void {
    const q8 = this.q8;
    if (!q8) return;
    const dim = this.dimension ?? 0;
    let norm = 0;
    let maxAbs = 0;
    for (let j = 0; j < dim; j++) {
      const x = vec[offset + j] ?? 0;
      norm += x * x;
      const a = Math.abs(x);
      if (a > maxAbs) maxAbs = a;
    }
    norm = Math.sqrt(norm);
    const base = label * dim;
    if (norm === 0 || maxAbs === 0) {
      q8.fill(0, base, base + dim);
      this.q8scale[label] = 0;
      return;
    }
    const f = 127 / maxAbs;
    for (let j = 0; j < dim; j++) q8[base + j] = Math.round((vec[offset + j] ?? 0) * f);
    this.q8scale[label] = maxAbs / 127 / norm;
  }

  /**
   * Nearest among the given labels only, scored exhaustively (cosine on the 8-bit copy, within
   * about 0.01 of the exact value). For selective filters: cost is linear in `labels.length`.
   */
  searchAmong(vector: number[], k: number, labels: ArrayLike<number>): { label: number; score: number }[] {
    const n = this.documents.length;
    if (n === 0 || k <= 0 || labels.length === 0) return [];
    if (vector.length !== this.dimension) {
      throw new Error(`HnswStore: query length ${vector.length} does not match the store's ${this.dimension}`);
    }
    const q8 = this.q8;
    if (!q8) {
      const allowed = new Uint8Array(n);
      for (let i = 0; i < labels.length; i++) allowed[labels[i] ?? 0] = 1;
      return this.searchIds(vector, k, (label) => allowed[label] === 1);
    }
    const dim = this.dimension;
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    const q = new Float32Array(dim);
    for (let j = 0; j < dim; j++) q[j] = vector[j]! / norm;
    const scale = this.q8scale;
    // Best k so far, sorted by score descending (ties: lower label first).
    const kk = Math.min(k, labels.length);
    const topScore = new Float64Array(kk);
    const topLabel = new Int32Array(kk);
    let size = 0;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      if (label < 0 || label >= n) continue;
      const base = label * dim;
      let d0 = 0;
      let d1 = 0;
      let j = 0;
      for (; j + 1 < dim; j += 2) {
        d0 += q8[base + j]! * q[j]!;
        d1 += q8[base + j + 1]! * q[j + 1]!;
      }
      if (j < dim) d0 += q8[base + j]! * q[j]!;
      const score = (d0 + d1) * scale[label]!;
      if (size === kk && (score < topScore[kk - 1]! || (score === topScore[kk - 1]! && label > topLabel[kk - 1]!))) continue;
      let at = size < kk ? size++ : kk - 1;
      while (at > 0 && (topScore[at - 1]! < score || (topScore[at - 1]! === score && topLabel[at - 1]! > label))) {
        topScore[at] = topScore[at - 1]!;
        topLabel[at] = topLabel[at - 1]!;
        at--;
      }
      topScore[at] = score;
      topLabel[at] = label;
    }
    const out: { label: number; score: number }[] = [];
    for (let i = 0; i < size; i++) out.push({ label: topLabel[i]!, score: topScore[i]! });
    return out;
  }

  /** Adds vectors with their documents; returns the labels as strings. */
  addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    if (vectors.length !== documents.length) {
      return Promise.reject(new Error(`HnswStore: ${vectors.length} vectors for ${documents.length} documents`));
    }
    if (vectors.length === 0) return Promise.resolve([]);
    const first = vectors[0] ?? [];
    try {
      const index = this.ensureCapacity(first.length, vectors.length);
      this.ensureQ8(this.documents.length + vectors.length);
      const labels: string[] = [];
      for (let i = 0; i < vectors.length; i++) {
        const v = vectors[i] ?? [];
        if (v.length !== this.dimension) throw new Error(`HnswStore: vector ${i} has length ${v.length}`);
        const label = this.documents.length;
        index.addPoint(v, label);
        this.quantize(label, unitFloat32(v));
        const d = documents[i];
        this.documents.push(
          new Document({ pageContent: d?.pageContent ?? "", metadata: d?.metadata ?? {}, id: d?.id ?? String(label) }),
        );
        labels.push(String(label));
      }
      return Promise.resolve(labels);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents);
  }

  /**
   * Nearest labels by cosine similarity (score = 1 − cosine distance), best first. `allowLabel`
   * is applied inside the graph search, so the k results are all allowed ones.
   */
  searchIds(vector: number[], k: number, allowLabel?: (label: number) => boolean): { label: number; score: number }[] {
    const index = this.index;
    if (!index || this.documents.length === 0 || k <= 0) return [];
    if (vector.length !== this.dimension) {
      throw new Error(`HnswStore: query length ${vector.length} does not match the store's ${this.dimension}`);
    }
    const kk = Math.min(k, this.documents.length);
    index.setEf(Math.max(this.efSearch, kk));
    const res = allowLabel ? index.searchKnn(vector, kk, allowLabel) : index.searchKnn(vector, kk);
    const out: { label: number; score: number }[] = [];
    for (let i = 0; i < res.neighbors.length; i++) {
      out.push({ label: res.neighbors[i] ?? 0, score: 1 - (res.distances[i] ?? 1) });
    }
    return out;
  }

  similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[Document, number][]> {
    try {
      const hits = this.searchIds(query, k, filter ? (label) => {
        const doc = this.documents[label];
        return doc !== undefined && filter(doc);
      } : undefined);
      const out: [Document, number][] = [];
      for (const h of hits) {
        const doc = this.documents[h.label];
        if (doc) out.push([doc, h.score]);
      }
      return Promise.resolve(out);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Writes `vectors.hnsw` and `vectors.json` into `dir` (created when missing). */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const dim = this.dimension ?? 0;
    const meta: SavedMeta = {
      format: "hnsw-store-v1",
      dim,
      space: "cosine",
      count: this.documents.length,
      m: this.m,
      efConstruction: this.efConstruction,
      efSearch: this.efSearch,
      chunkIds: this.documents.map((d) => stringField(d.metadata, "chunkId")),
      docIds: this.documents.map((d) => stringField(d.metadata, "docId")),
    };
    if (this.keepContent) {
      meta.documents = this.documents.map((d) => ({
        pageContent: d.pageContent,
        metadata: d.metadata,
        ...(d.id !== undefined ? { id: d.id } : {}),
      }));
    }
    if (this.index) {
      await this.index.writeIndex(path.join(dir, VECTORS_FILE));
    } else {
      await writeFile(path.join(dir, VECTORS_FILE), "");
    }
    await writeFile(path.join(dir, VECTORS_META_FILE), JSON.stringify(meta));
  }

  /** Reads a store written by `save`. */
  static async load(dir: string, embeddings: EmbeddingsInterface): Promise<HnswStore> {
    const raw: unknown = JSON.parse(await readFile(path.join(dir, VECTORS_META_FILE), "utf8"));
    const meta = parseMeta(raw);
    const store = new HnswStore(embeddings, {
      dim: meta.dim > 0 ? meta.dim : undefined,
      m: meta.m,
      efConstruction: meta.efConstruction,
      efSearch: meta.efSearch,
      keepContent: meta.documents !== undefined,
    });
    if (meta.count > 0) {
      const index = new HierarchicalNSW("cosine", meta.dim);
      await index.readIndex(path.join(dir, VECTORS_FILE));
      if (index.getCurrentCount() !== meta.count) {
        throw new Error(`HnswStore: ${VECTORS_FILE} has ${index.getCurrentCount()} vectors, expected ${meta.count}`);
      }
      index.setEf(meta.efSearch);
      store.index = index;
      store.ensureQ8(meta.count);
      try {
        await store.readQuantized(path.join(dir, VECTORS_FILE), meta.count);
      } catch {
        store.q8 = null;
      }
    }
    for (let i = 0; i < meta.count; i++) {
      const full = meta.documents?.[i];
      store.documents.push(
        full
          ? new Document({ pageContent: full.pageContent, metadata: full.metadata, id: full.id ?? String(i) })
          : new Document({
              pageContent: "",
              metadata: { chunkId: meta.chunkIds[i] ?? "", docId: meta.docIds[i] ?? "" },
              id: String(i),
            }),
      );
    }
    return store;
  }

  /**
   * Fills the 8-bit copy from an hnswlib index file: a 96-byte header (six size_t, int, uint32,
   * three size_t, double, size_t), then `count` level-0 records of `sizeDataPerElement` bytes,
   * each with the float32 vector at `offsetData` and the size_t label at `labelOffset`.
   */
  private async readQuantized(file: string, count: number): Promise<void> {
    const dim = this.dimension ?? 0;
    const fh = await open(file, "r");
    try {
      const head = Buffer.alloc(96);
      await fh.read(head, 0, 96, 0);
      const u64 = (at: number): number => Number(head.readBigUInt64LE(at));
      const curCount = u64(16);
      const sizePer = u64(24);
      const labelOffset = u64(32);
      const offsetData = u64(40);
      if (curCount !== count || labelOffset - offsetData !== dim * 4 || sizePer < labelOffset + 8) {
        throw new Error("HnswStore: unexpected hnswlib file layout");
      }
      const { size } = await fh.stat();
      if (size < 96 + count * sizePer) throw new Error("HnswStore: hnswlib file too short");
      const perRead = Math.max(1, Math.floor((8 << 20) / sizePer));
      const buf = Buffer.alloc(perRead * sizePer);
      const vec = new Float32Array(dim);
      const seen = new Uint8Array(count);
      for (let i = 0; i < count; i += perRead) {
        const m = Math.min(perRead, count - i);
        const { bytesRead } = await fh.read(buf, 0, m * sizePer, 96 + i * sizePer);
        if (bytesRead !== m * sizePer) throw new Error("HnswStore: short read");
        for (let r = 0; r < m; r++) {
          const base = r * sizePer;
          const label = Number(buf.readBigUInt64LE(base + labelOffset));
          if (label >= count || seen[label]) throw new Error("HnswStore: bad label in hnswlib file");
          seen[label] = 1;
          for (let j = 0; j < dim; j++) vec[j] = buf.readFloatLE(base + offsetData + j * 4);
          this.quantize(label, vec);
        }
      }
    } finally {
      await fh.close();
    }
  }

  static override async fromDocuments(docs: DocumentInterface[], embeddings: EmbeddingsInterface, opts: HnswStoreOptions = {}): Promise<HnswStore> {
    const store = new HnswStore(embeddings, opts);
    await store.addDocuments(docs);
    return store;
  }
}

/** The vector as hnswlib stores it in cosine space: float32, divided by its float32 norm. */
function unitFloat32(v: number[]): Float32Array {
  const out = Float32Array.from(v);
  let acc = 0;
  for (const x of out) acc = Math.fround(acc + Math.fround(x * x));
  const norm = Math.fround(Math.sqrt(Math.abs(acc)));
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / norm;
  return out;
}

function stringField(metadata: Record<string, unknown>, key: string): string {
  const v = metadata[key];
  return typeof v === "string" ? v : "";
}

function parseMeta(raw: unknown): SavedMeta {
  const bad = (what: string): never => {
    throw new Error(`HnswStore: bad ${VECTORS_META_FILE} (${what})`);
  };
  if (typeof raw !== "object" || raw === null) return bad("not an object");
  const o = raw as Record<string, unknown>;
  if (o.format !== "hnsw-store-v1") bad("format");
  if (o.space !== "cosine") bad("space");
  for (const k of ["dim", "count", "m", "efConstruction", "efSearch"]) {
    const v = o[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) bad(k);
  }
  const count = o.count as number;
  const strArr = (v: unknown): boolean => Array.isArray(v) && v.length === count && v.every((x) => typeof x === "string");
  if (!strArr(o.chunkIds)) bad("chunkIds");
  if (!strArr(o.docIds)) bad("docIds");
  if (o.documents !== undefined && (!Array.isArray(o.documents) || o.documents.length !== count)) bad("documents");
  return raw as SavedMeta;
}

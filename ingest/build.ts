// The ingest pipeline: files → text → sections → chunks + figures → index (written atomically).

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import type { DocumentRecord } from "../knowledge/types.js";
import { extractFigures } from "../knowledge/figures/extract.js";
import { KeywordIndex } from "../knowledge/search/keyword.js";
import { HnswStore } from "../knowledge/search/hnswStore.js";
import type { EmbeddingId } from "../knowledge/search/embeddings.js";
import { loadIndex, readManifest, writeIndex, type IndexData, type Manifest } from "../knowledge/index/store.js";
import { LoadError, SUPPORTED_EXTENSIONS, loadBuffer, loadFile, type LoadedText } from "./loaders/index.js";
import { MetadataFileSchema, detectMetadata, type MetadataOverrides } from "./metadata.js";
import { chunkDocument, detectSections } from "./structure.js";

/** Bump when extraction, chunking or figure logic changes: a new pipeline rebuilds the index. */
export const PIPELINE_VERSION = "ingest-v1";
export const METADATA_FILE = "metadata.json";

export interface SkippedFile {
  file: string;
  code: string;
  message: string;
  /** The previous index had this document: its indexed content was kept. */
  kept: boolean;
}

export type ProgressEvent =
  | { step: "scan"; files: number }
  | { step: "load"; file: string; index: number; total: number }
  | { step: "skip"; file: string; message: string }
  | { step: "embed"; done: number; total: number }
  | { step: "write" }
  | { step: "done"; ms: number };

export interface BuildReport {
  version: string;
  docs: number;
  chunks: number;
  figures: number;
  skipped: SkippedFile[];
  ms: number;
  reusedVectors: number;
}

export interface BuildDeps {
  corpusDir: string;
  storeDir: string;
  embeddings: Embeddings;
  embeddingId: EmbeddingId;
  maxFileBytes: number;
  onProgress?: (event: ProgressEvent) => void;
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function docIdOf(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, "");
}

export async function readOverrides(corpusDir: string): Promise<MetadataOverrides> {
  const file = path.join(corpusDir, METADATA_FILE);
  if (!existsSync(file)) return {};
  const parsed = MetadataFileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    throw new Error(`${METADATA_FILE}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Turns loaded text into a document record: metadata, sections, chunks and figures. */
export function processText(
  loaded: LoadedText,
  hash: string,
  overrides: MetadataOverrides,
): DocumentRecord {
  const id = docIdOf(loaded.file);
  const text = loaded.text;
  const meta = detectMetadata(id, path.basename(loaded.file), text, hash, loaded.pages?.length ?? null, overrides[id]);
  const sections = detectSections(text);
  const chunks = chunkDocument(id, text, sections, loaded.pages);
  const figures = extractFigures({ meta, text, sections, chunks });
  return { meta, text, sections, chunks, figures };
}

/** Processes one uploaded file (not yet on disk in the corpus). */
export async function processBuffer(
  name: string,
  data: Uint8Array,
  maxFileBytes: number,
  overrides: MetadataOverrides = {},
): Promise<DocumentRecord> {
  const loaded = await loadBuffer(name, data, { maxBytes: maxFileBytes });
  return processText(loaded, sha256(data), overrides);
}

export interface CorpusFile {
  file: string;
  path: string;
  bytes: number;
  hash: string;
}

/** The corpus files with their hashes (metadata.json and hidden files excluded). */
export async function scanCorpus(corpusDir: string): Promise<CorpusFile[]> {
  const names = (await readdir(corpusDir)).filter((n) => !n.startsWith(".") && n !== METADATA_FILE).sort();
  const out: CorpusFile[] = [];
  for (const name of names) {
    const p = path.join(corpusDir, name);
    const st = await stat(p);
    if (!st.isFile()) continue;
    out.push({ file: name, path: p, bytes: st.size, hash: sha256(await readFile(p)) });
  }
  return out;
}

/** Text given to the retrievers for a chunk: its heading path, then its text. */
export function indexText(record: DocumentRecord, chunkIndex: number): string {
  const c = record.chunks[chunkIndex]!;
  return `${record.meta.title}\n${c.path.join("\n")}\n${c.text}`;
}

export interface Staleness {
  fresh: boolean;
  reason: string;
}

/** Whether the index in storeDir matches the corpus, the metadata file and the embedding settings. */
export async function checkIndex(corpusDir: string, storeDir: string, embeddingId: EmbeddingId): Promise<Staleness> {
  const manifest = await readManifest(storeDir);
  if (!manifest) return { fresh: false, reason: "no index yet" };
  if (manifest.pipeline !== pipelineTag(await metadataHash(corpusDir))) return { fresh: false, reason: "ingest pipeline or metadata changed" };
  const e = manifest.embedding;
  if (e.provider !== embeddingId.provider || e.model !== embeddingId.model || e.dim !== embeddingId.dim) {
    return { fresh: false, reason: `embedding settings changed (${e.provider}/${e.model}/${e.dim} → ${embeddingId.provider}/${embeddingId.model}/${embeddingId.dim})` };
  }
  const files = await scanCorpus(corpusDir);
  const known = new Map<string, string | null>(manifest.corpus.map((c) => [c.file, c.hash]));
  for (const s of manifest.skipped) known.set(s.file, null);
  for (const f of files) {
    if (!known.has(f.file)) return { fresh: false, reason: `new file ${f.file}` };
    const h = known.get(f.file);
    if (h && h !== f.hash) return { fresh: false, reason: `${f.file} changed` };
  }
  const present = new Set(files.map((f) => f.file));
  for (const file of known.keys()) if (!present.has(file)) return { fresh: false, reason: `${file} removed` };
  return { fresh: true, reason: "up to date" };
}

async function metadataHash(corpusDir: string): Promise<string> {
  const file = path.join(corpusDir, METADATA_FILE);
  const meta = existsSync(file) ? sha256(await readFile(file)).slice(0, 12) : "none";
  return `${meta}+code:${await codeFingerprint()}`;
}

// The index depends on the code that extracts text, structure and figures: any change to it
// (a fix to figure extraction, say) must rebuild the index, not serve stale figures.
const INDEX_CODE_DIRS = ["ingest", "knowledge/figures", "knowledge/text", "knowledge/search", "knowledge/index"];
let fingerprint: Promise<string> | null = null;
function codeFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
    const h = createHash("sha256");
    for (const dir of INDEX_CODE_DIRS) {
      const abs = path.join(root, dir);
      if (!existsSync(abs)) continue;
      const files = (await readdir(abs, { recursive: true })).filter((f) => f.endsWith(".ts")).sort();
      for (const f of files) h.update(f).update(await readFile(path.join(abs, f)));
    }
    return h.digest("hex").slice(0, 12);
  })();
  return fingerprint;
}

function pipelineTag(metaHash: string): string {
  return `${PIPELINE_VERSION}+meta:${metaHash}`;
}

/**
 * Builds a new index version from the corpus directory and switches to it atomically.
 * A file that cannot be read is reported and skipped; when the previous index held that
 * document, its indexed content is carried over so nothing already indexed is lost.
 */
export async function buildIndex(deps: BuildDeps, extra: DocumentRecord[] = []): Promise<BuildReport> {
  const t0 = performance.now();
  const progress = deps.onProgress ?? (() => {});
  const overrides = await readOverrides(deps.corpusDir);
  const files = await scanCorpus(deps.corpusDir);
  progress({ step: "scan", files: files.length });
  const previous = await loadIndex(deps.storeDir, deps.embeddings).catch(() => null);
  const previousById = new Map(previous?.records.map((r) => [r.meta.id, r]) ?? []);
  const records: DocumentRecord[] = [];
  const skipped: SkippedFile[] = [];
  const corpus: Manifest["corpus"] = [];
  for (const [i, f] of files.entries()) {
    progress({ step: "load", file: f.file, index: i + 1, total: files.length });
    try {
      const loaded = await loadFile(f.path, { maxBytes: deps.maxFileBytes });
      const record = processText(loaded, f.hash, overrides);
      if (record.chunks.length === 0) throw new LoadError("empty", f.file, `Tệp «${f.file}» không có nội dung để lập chỉ mục.`, `«${f.file}» has no indexable content.`);
      records.push(record);
      corpus.push({ file: f.file, hash: f.hash, bytes: f.bytes });
    } catch (err) {
      const message = err instanceof LoadError ? err.vi : `Không đọc được tệp «${f.file}»: ${(err as Error).message}`;
      const code = err instanceof LoadError ? err.code : "corrupt";
      const old = previousById.get(docIdOf(f.file));
      if (old) records.push(old);
      skipped.push({ file: f.file, code, message, kept: Boolean(old) });
      progress({ step: "skip", file: f.file, message: old ? `${message} (giữ bản đã lập chỉ mục trước đó)` : message });
    }
  }
  for (const r of extra) {
    const at = records.findIndex((x) => x.meta.id === r.meta.id);
    if (at >= 0) records[at] = r;
    else records.push(r);
  }
  // Keyword index and vectors over every chunk.
  const items: Array<{ id: string; text: string; docId: string }> = [];
  for (const r of records) for (let k = 0; k < r.chunks.length; k++) items.push({ id: r.chunks[k]!.id, text: indexText(r, k), docId: r.meta.id });
  const keyword = KeywordIndex.build(items);
  const vectors = new HnswStore(deps.embeddings, { dim: deps.embeddingId.dim, capacity: Math.max(16, items.length) });
  // Vectors of unchanged chunks are reused when the embedding model is the same.
  const reuse = new Map<string, number[]>();
  if (previous && previous.manifest.embedding.model === deps.embeddingId.model && previous.manifest.embedding.dim === deps.embeddingId.dim && previous.manifest.embedding.provider === deps.embeddingId.provider) {
    const prevItems = new Map<string, string>();
    for (const r of previous.records) for (let k = 0; k < r.chunks.length; k++) prevItems.set(r.chunks[k]!.id, sha256(indexText(r, k)));
    previous.vectors.refs().forEach((ref, label) => {
      const h = prevItems.get(ref.chunkId);
      if (h) reuse.set(`${ref.chunkId}:${h}`, previous.vectors.getVector(label));
    });
  }
  const batch = 256;
  let reused = 0;
  for (let i = 0; i < items.length; i += batch) {
    const slice = items.slice(i, i + batch);
    const keys = slice.map((it) => `${it.id}:${sha256(it.text)}`);
    const missing = slice.filter((_, j) => !reuse.has(keys[j]!));
    const fresh = missing.length ? await deps.embeddings.embedDocuments(missing.map((it) => it.text)) : [];
    let m = 0;
    const vecs = slice.map((_, j) => {
      const r = reuse.get(keys[j]!);
      if (r) {
        reused++;
        return r;
      }
      return fresh[m++]!;
    });
    await vectors.addVectors(
      vecs,
      slice.map((it) => new Document({ pageContent: "", metadata: { chunkId: it.id, docId: it.docId } })),
    );
    progress({ step: "embed", done: Math.min(items.length, i + batch), total: items.length });
  }
  const manifest: Manifest = {
    schema: 1,
    createdAt: new Date().toISOString(),
    pipeline: pipelineTag(await metadataHash(deps.corpusDir)),
    corpus,
    skipped: skipped.map((s) => ({ file: s.file, code: s.code, message: s.message })),
    embedding: { provider: deps.embeddingId.provider, model: deps.embeddingId.model, dim: deps.embeddingId.dim },
    counts: {
      docs: records.length,
      chunks: items.length,
      figures: records.reduce((n, r) => n + r.figures.length, 0),
    },
  };
  progress({ step: "write" });
  const data: IndexData = { manifest, records, keyword, vectors };
  const version = await writeIndex(deps.storeDir, data);
  const ms = performance.now() - t0;
  progress({ step: "done", ms });
  return {
    version,
    docs: records.length,
    chunks: items.length,
    figures: manifest.counts.figures,
    skipped,
    ms,
    reusedVectors: reused,
  };
}

export { SUPPORTED_EXTENSIONS };

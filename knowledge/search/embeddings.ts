// Embeddings behind LangChain's `Embeddings` interface.
//
// - "local" (model "local-hash-v1"): computed here, nothing downloaded. Feature hashing of the
//   folded text: syllables, syllable bigrams and character 3/4-grams (so OCR-damaged words still
//   share most of their n-grams with the clean spelling), signed into `dim` buckets with
//   sublinear term frequency, one sub-vector per feature type, combined with fixed weights and
//   L2-normalised. Deterministic and fast; a lexical-semantic signal, not a neural model.
// - "openai": `OpenAIEmbeddings` from @langchain/openai, also for OpenAI-compatible servers
//   (`baseURL`).

import { Embeddings } from "@langchain/core/embeddings";
import { normalizeText } from "../text/normalize.js";
import { fastFold, stripQuestionWords } from "./keyword.js";

export const LOCAL_MODEL = "local-hash-v1";
export const LOCAL_DEFAULT_DIM = 384;

export interface EmbeddingId {
  provider: string;
  model: string;
  dim: number;
}

export interface LocalEmbeddingsOptions {
  /** Number of buckets (vector length). Default 384. */
  dim?: number;
}

// Feature-type weights (applied to each type's own unit-length sub-vector).
const W_WORD = 1.0;
const W_BIGRAM = 0.7;
const W_CHAR3 = 0.45;
const W_CHAR4 = 0.55;
// Function words weigh less than content words inside the syllable and bigram features.
const FUNCTION_WORD_WEIGHT = 0.25;
const FUNCTION_WORDS = new Set(
  (
    "va cac cua la co duoc trong cho voi nhung tren theo tai nam mot de da dang se nay do " +
    "ve tu den khi thi ma nhu hoac cung con tung nhieu it rat vao ra len bi boi vi neu " +
    "tuy sau truoc gan"
  ).split(" "),
);

// Seeds so that the same string hashes differently per feature type.
const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x5bd1e995;
const SEED_CHAR = 0x9747b28c;

export function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 finaliser: spreads FNV's weak low bits over the whole word. */
export function fmix(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// --- Feature counting ----------------------------------------------------------------------

/** Open-addressing counter of 32-bit hashes, reused across texts. */
class HashCounter {
  keys = new Uint32Array(4096);
  counts = new Uint32Array(4096);
  slots = new Int32Array(2048);
  n = 0;

  add(h: number): void {
    if (this.n * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = h & mask;
    while (this.counts[i] !== 0 && this.keys[i] !== h) i = (i + 1) & mask;
    if (this.counts[i] === 0) {
      this.keys[i] = h;
      this.slots[this.n++] = i;
    }
    this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldSlots = this.slots.subarray(0, this.n);
    const cap = oldKeys.length * 2;
    this.keys = new Uint32Array(cap);
    this.counts = new Uint32Array(cap);
    const slots = new Int32Array(cap / 2);
    const mask = cap - 1;
    let n = 0;
    for (const s of oldSlots) {
      const h = oldKeys[s] ?? 0;
      let i = h & mask;
      while (this.counts[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = h;
      this.counts[i] = oldCounts[s] ?? 0;
      slots[n++] = i;
    }
    this.slots = slots;
    this.n = n;
  }

  /** Adds sublinear-tf signed hashes into `vec` with `weight`, then empties the counter. */
  flush(vec: Float32Array, weight: number): void {
    const dim = vec.length;
    for (let j = 0; j < this.n; j++) {
      const s = this.slots[j] ?? 0;
      const h = this.keys[s] ?? 0;
      const c = this.counts[s] ?? 1;
      const m = fmix(h ^ 0x2545f491);
      const sign = m & 0x80000000 ? -weight : weight;
      const bucket = m % dim;
      vec[bucket] = (vec[bucket] ?? 0) + sign * (c === 1 ? 1 : 1 + Math.log(c));
      this.counts[s] = 0;
    }
    this.n = 0;
  }
}

function addNormalized(out: Float32Array, part: Float32Array, weight: number): void {
  let n = 0;
  for (let i = 0; i < part.length; i++) n += (part[i] ?? 0) * (part[i] ?? 0);
  if (n === 0) return;
  const f = weight / Math.sqrt(n);
  for (let i = 0; i < part.length; i++) out[i] = (out[i] ?? 0) + (part[i] ?? 0) * f;
}

const WORD_RE = /[0-9]+(?:[.,][0-9]+)*|[a-z]+/g;

/** Feature-hashing embeddings ("local-hash-v1"); deterministic, no model download. */
export class LocalEmbeddings extends Embeddings {
  readonly dim: number;
  readonly model = LOCAL_MODEL;
  private readonly parts: [Float32Array, Float32Array, Float32Array, Float32Array];
  private readonly counters: HashCounter[] = [0, 1, 2, 3, 4, 5].map(() => new HashCounter());

  constructor(opts: LocalEmbeddingsOptions = {}) {
    super({});
    const dim = opts.dim ?? LOCAL_DEFAULT_DIM;
    if (!Number.isInteger(dim) || dim < 8) throw new Error(`LocalEmbeddings: bad dim ${dim}`);
    this.dim = dim;
    this.parts = [new Float32Array(dim), new Float32Array(dim), new Float32Array(dim), new Float32Array(dim)];
  }

  /** The embedding of one text as a unit-length Float32Array (all zeros for an empty text). */
  embedText(text: string): Float32Array {
    // Same words as `syllables(text)`: folded, numbers without separators.
    const folded = fastFold(normalizeText(text));
    const [pw, pb, p3, p4] = this.parts;
    for (const p of this.parts) p.fill(0);
    const [cWord, cWordFn, cBigram, cBigramFn, c3, c4] = this.counters as [
      HashCounter,
      HashCounter,
      HashCounter,
      HashCounter,
      HashCounter,
      HashCounter,
    ];

    let joined = " ";
    let prevHash = 0;
    let prevFn = false;
    let first = true;
    for (const m of folded.matchAll(WORD_RE)) {
      let w = m[0];
      if (w.charCodeAt(0) <= 57 && (w.includes(".") || w.includes(","))) w = w.replace(/[.,]/g, "");
      joined += w + " ";
      const fn = FUNCTION_WORDS.has(w);
      const h = fnv1a(w, SEED_WORD);
      (fn ? cWordFn : cWord).add(h);
      if (!first) {
        const hb = fmix(Math.imul(prevHash, 0x9e3779b1) ^ h ^ SEED_BIGRAM);
        (fn && prevFn ? cBigramFn : cBigram).add(hb);
      }
      first = false;
      prevHash = h;
      prevFn = fn;
    }
    cWord.flush(pw, 1);
    cWordFn.flush(pw, FUNCTION_WORD_WEIGHT);
    cBigram.flush(pb, 1);
    cBigramFn.flush(pb, FUNCTION_WORD_WEIGHT);

    // Character 3- and 4-grams over the words joined by single spaces, padded at both ends.
    const s = joined;
    for (let i = 0; i + 3 <= s.length; i++) {
      let h = SEED_CHAR;
      h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
      h = Math.imul(h ^ s.charCodeAt(i + 2), 0x01000193);
      c3.add(h >>> 0);
      if (i + 4 <= s.length) c4.add(Math.imul(h ^ s.charCodeAt(i + 3), 0x01000193) >>> 0);
    }
    if (s.length >= 3) {
      c3.flush(p3, 1);
      c4.flush(p4, 1);
    }

    const out = new Float32Array(this.dim);
    addNormalized(out, pw, W_WORD);
    addNormalized(out, pb, W_BIGRAM);
    addNormalized(out, p3, W_CHAR3);
    addNormalized(out, p4, W_CHAR4);
    let n = 0;
    for (let i = 0; i < out.length; i++) n += (out[i] ?? 0) * (out[i] ?? 0);
    if (n > 0) {
      const f = 1 / Math.sqrt(n);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) * f;
    }
    return out;
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return Promise.resolve(documents.map((d) => Array.from(this.embedText(d))));
  }

  /** Question words ("bao nhieu", "la gi", …) are dropped from queries before embedding. */
  embedQuery(document: string): Promise<number[]> {
    const content = stripQuestionWords(document);
    return Promise.resolve(Array.from(this.embedText(content.trim() ? content : document)));
  }
}

/** Wraps an `Embeddings` and fails clearly when a vector has an unexpected length. */
class DimensionCheckedEmbeddings extends Embeddings {
  private innerPromise: Promise<Embeddings> | null = null;

  /** `makeInner` runs on first use: @langchain/openai is loaded only when it is needed. */
  constructor(
    private readonly makeInner: () => Promise<Embeddings>,
    private readonly dim: number,
    private readonly label: string,
  ) {
    super({});
  }

  private inner(): Promise<Embeddings> {
    this.innerPromise ??= this.makeInner();
    return this.innerPromise;
  }

  /** Also turns the Float32Array the OpenAI SDK yields for base64 responses into a plain array. */
  private check(v: ArrayLike<number>): number[] {
    if (v.length !== this.dim) {
      throw new Error(`${this.label} returned vectors of length ${v.length}, expected ${this.dim} (set dimensions)`);
    }
    return Array.isArray(v) ? (v as number[]) : Array.from(v);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const out = await (await this.inner()).embedDocuments(documents);
    return out.map((v) => this.check(v));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.check(await (await this.inner()).embedQuery(document));
  }
}

/** Output length of OpenAI models when `dimensions` is not given. */
const KNOWN_DIMS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

export interface CreateEmbeddingsOptions {
  provider: "local" | "openai";
  model?: string;
  dimensions?: number;
  apiKey?: string;
  baseURL?: string;
  timeoutMs?: number;
  batchSize?: number;
  /** Retries of a failed request (openai only). Default 3. */
  maxRetries?: number;
}

/**
 * Creates the embeddings and the identity recorded in the index manifest.
 *
 * For "openai", `dim` is `dimensions` when given, otherwise the known output length of the
 * model (text-embedding-3-small 1536, -3-large 3072, ada-002 1536); any other model (e.g. one
 * served by an OpenAI-compatible server) needs `dimensions`. `dimensions` is sent to the API
 * only for text-embedding-3 models (other servers may reject it); for the others it is the
 * expected length, checked on every result. An API key is required unless `baseURL` is given
 * (local servers often need none). Nothing is read from the environment.
 */
export function createEmbeddings(opts: CreateEmbeddingsOptions): { embeddings: Embeddings; id: EmbeddingId } {
  if (opts.provider === "local") {
    if (opts.model !== undefined && opts.model !== LOCAL_MODEL) {
      throw new Error(`local embeddings: unknown model ${opts.model} (only ${LOCAL_MODEL})`);
    }
    const embeddings = new LocalEmbeddings({ dim: opts.dimensions ?? LOCAL_DEFAULT_DIM });
    return { embeddings, id: { provider: "local", model: LOCAL_MODEL, dim: embeddings.dim } };
  }
  if (opts.provider !== "openai") throw new Error(`unknown embeddings provider ${String(opts.provider)}`);
  const model = opts.model ?? "text-embedding-3-small";
  const dim = opts.dimensions ?? KNOWN_DIMS[model];
  if (dim === undefined) {
    throw new Error(`openai embeddings: the output length of model ${model} is unknown; set dimensions`);
  }
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`openai embeddings: bad dimensions ${dim}`);
  if (!opts.apiKey && !opts.baseURL) throw new Error("openai embeddings: an API key is required");
  const sendDimensions = opts.dimensions !== undefined && model.startsWith("text-embedding-3");
  const makeInner = async (): Promise<Embeddings> => {
    const { OpenAIEmbeddings } = await import("@langchain/openai");
    return new OpenAIEmbeddings({
    model,
    apiKey: opts.apiKey ?? "not-needed",
    ...(sendDimensions ? { dimensions: opts.dimensions } : {}),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    maxRetries: opts.maxRetries ?? 3,
    // OpenAI-compatible servers do not all support base64 responses (the SDK's default).
    ...(opts.baseURL ? { encodingFormat: "float" as const } : {}),
    configuration: opts.baseURL ? { baseURL: opts.baseURL } : {},
    });
  };
  return {
    embeddings: new DimensionCheckedEmbeddings(makeInner, dim, `openai embeddings (${model})`),
    id: { provider: "openai", model, dim },
  };
}

// Atomic, versioned index on disk.
//
//   storeDir/CURRENT                      name of the version in use (one line)
//   storeDir/versions/<version>/          manifest.json, records.json, keyword.json,
//                                         vectors.hnsw, vectors.json
//
// A write fills `versions/<version>.tmp-<pid>`, fsyncs every file and the directory, renames it
// to `versions/<version>`, then switches CURRENT by writing `CURRENT.tmp-<pid>`, fsyncing it and
// renaming it over CURRENT (and fsyncing storeDir). A reader therefore sees either the old
// version or the new one, never a half-written one; a writer killed at any point leaves the old
// index loadable. manifest.json is written last, so a version directory without a valid
// manifest is incomplete. Loading falls back to the newest complete version when CURRENT is
// missing, names a missing version or one that does not load.

import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Embeddings } from "@langchain/core/embeddings";
import { z } from "zod";
import type { DocumentRecord } from "../types.js";
import { HnswStore, VECTORS_FILE, VECTORS_META_FILE } from "../search/hnswStore.js";
import { KeywordIndex } from "../search/keyword.js";

export const SCHEMA_VERSION = 1;

export interface Manifest {
  schema: number;
  createdAt: string;
  pipeline: string;
  corpus: { file: string; hash: string; bytes: number }[];
  skipped: { file: string; code: string; message: string }[];
  embedding: { provider: string; model: string; dim: number };
  counts: { docs: number; chunks: number; figures: number };
}

export interface IndexData {
  manifest: Manifest;
  records: DocumentRecord[];
  keyword: KeywordIndex;
  vectors: HnswStore;
  /** The version loaded (set by `loadIndex`; ignored by `writeIndex`). */
  version?: string;
}

export const ManifestSchema = z.object({
  schema: z.number().int(),
  createdAt: z.string(),
  pipeline: z.string(),
  corpus: z.array(z.object({ file: z.string(), hash: z.string(), bytes: z.number() })),
  skipped: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  embedding: z.object({ provider: z.string(), model: z.string(), dim: z.number().int().nonnegative() }),
  counts: z.object({
    docs: z.number().int().nonnegative(),
    chunks: z.number().int().nonnegative(),
    figures: z.number().int().nonnegative(),
  }),
});

const CURRENT = "CURRENT";
const VERSIONS = "versions";
const MANIFEST = "manifest.json";
const RECORDS = "records.json";
const KEYWORD = "keyword.json";
const VERSION_RE = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;
const TMP_RE = /^(.+)\.tmp-(\d+)$/;
const STALE_MS = 60 * 60 * 1000;

/** A name that sorts by creation time: 20261122T201500123Z-1a2b3c4d. */
function newVersionName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a directory; some platforms refuse to open one, which is not fatal. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL") throw e;
  }
}

async function writeFileSynced(p: string, data: string): Promise<void> {
  const fh = await open(p, "w");
  try {
    await fh.writeFile(data, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a JSON array one element at a time, buffered, so no string holds the whole file. */
async function writeJsonArraySynced(p: string, items: readonly unknown[]): Promise<void> {
  const fh = await open(p, "w");
  try {
    const LIMIT = 1 << 20;
    let buf: string[] = ["["];
    let size = 1;
    for (let i = 0; i < items.length; i++) {
      const s = (i > 0 ? ",\n" : "\n") + JSON.stringify(items[i]);
      buf.push(s);
      size += s.length;
      if (size >= LIMIT) {
        await fh.write(buf.join(""));
        buf = [];
        size = 0;
      }
    }
    buf.push("\n]\n");
    await fh.write(buf.join(""));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

async function readCurrent(storeDir: string): Promise<string | null> {
  try {
    const name = (await readFile(path.join(storeDir, CURRENT), "utf8")).trim();
    return VERSION_RE.test(name) ? name : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Complete-looking version names (not temporary), newest first. */
async function listVersions(storeDir: string): Promise<string[]> {
  const names = await listDir(path.join(storeDir, VERSIONS));
  return names.filter((n) => VERSION_RE.test(n)).sort().reverse();
}

/** Removes stale temporary directories and files, and versions beyond `keep`. */
async function prune(storeDir: string, keep: number, current: string | null): Promise<void> {
  const versionsDir = path.join(storeDir, VERSIONS);
  const now = Date.now();
  const isStale = async (p: string, pid: number): Promise<boolean> => {
    if (!pidAlive(pid)) return true;
    try {
      return now - (await stat(p)).mtimeMs > STALE_MS;
    } catch {
      return false;
    }
  };
  for (const name of await listDir(versionsDir)) {
    const m = TMP_RE.exec(name);
    if (!m) continue;
    const p = path.join(versionsDir, name);
    if (await isStale(p, Number(m[2]))) await rm(p, { recursive: true, force: true });
  }
  for (const name of await listDir(storeDir)) {
    const m = TMP_RE.exec(name);
    if (!m || m[1] !== CURRENT) continue;
    const p = path.join(storeDir, name);
    if (await isStale(p, Number(m[2]))) await rm(p, { force: true });
  }
  const versions = await listVersions(storeDir);
  const kept = new Set<string>();
  if (current) kept.add(current);
  for (const v of versions) {
    if (kept.size >= Math.max(keep, 1)) break;
    kept.add(v);
  }
  for (const v of versions) {
    if (!kept.has(v)) await rm(path.join(versionsDir, v), { recursive: true, force: true });
  }
}

/**
 * Writes a new version and makes it current. Returns the version name. `onProgress` is called
 * (and awaited) after each step: "records", "keyword", "vectors", "manifest", "renamed",
 * "current", "pruned".
 */
export async function writeIndex(
  storeDir: string,
  data: IndexData,
  opts: { keep?: number; onProgress?: (step: string) => void | Promise<void> } = {},
): Promise<string> {
  const manifest = ManifestSchema.parse(data.manifest);
  const keep = opts.keep ?? 2;
  const step = async (name: string): Promise<void> => {
    await opts.onProgress?.(name);
  };
  const versionsDir = path.join(storeDir, VERSIONS);
  await mkdir(versionsDir, { recursive: true });
  const version = newVersionName();
  const tmp = path.join(versionsDir, `${version}.tmp-${process.pid}`);
  await mkdir(tmp);
  try {
    await writeJsonArraySynced(path.join(tmp, RECORDS), data.records);
    await step("records");
    await writeFileSynced(path.join(tmp, KEYWORD), JSON.stringify(data.keyword.toJSON()));
    await step("keyword");
    await data.vectors.save(tmp);
    await fsyncPath(path.join(tmp, VECTORS_FILE));
    await fsyncPath(path.join(tmp, VECTORS_META_FILE));
    await step("vectors");
    await writeFileSynced(path.join(tmp, MANIFEST), JSON.stringify(manifest, null, 2));
    await fsyncDir(tmp);
    await step("manifest");
    await rename(tmp, path.join(versionsDir, version));
    await fsyncDir(versionsDir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await step("renamed");
  const currentTmp = path.join(storeDir, `${CURRENT}.tmp-${process.pid}`);
  await writeFileSynced(currentTmp, `${version}\n`);
  await rename(currentTmp, path.join(storeDir, CURRENT));
  await fsyncDir(storeDir);
  await step("current");
  await prune(storeDir, keep, version);
  await step("pruned");
  return version;
}

async function readManifestAt(dir: string): Promise<Manifest> {
  const raw: unknown = JSON.parse(await readFile(path.join(dir, MANIFEST), "utf8"));
  return ManifestSchema.parse(raw);
}

/**
 * Reads a JSON array written by `writeJsonArraySynced` (one element per line) element by element,
 * so the file may be larger than the longest string V8 can hold (~512 MiB).
 */
async function readJsonArrayLines(p: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const rl = createInterface({ input: createReadStream(p, { encoding: "utf8" }), crlfDelay: Infinity });
  let opened = false;
  let closed = false;
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "") continue;
    if (!opened) {
      if (line !== "[") throw new Error(`${path.basename(p)} is not an array`);
      opened = true;
      continue;
    }
    if (line === "]") {
      closed = true;
      continue;
    }
    if (closed) throw new Error(`${path.basename(p)} has data after its end`);
    out.push(JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line));
  }
  if (!opened || !closed) throw new Error(`${path.basename(p)} is truncated`);
  return out;
}

async function loadVersion(dir: string, embeddings: Embeddings): Promise<IndexData> {
  const manifest = await readManifestAt(dir);
  const recs = (await readJsonArrayLines(path.join(dir, RECORDS))) as DocumentRecord[];
  let chunks = 0;
  for (const r of recs) {
    if (typeof r !== "object" || r === null || !Array.isArray(r.chunks) || typeof r.meta !== "object") {
      throw new Error(`${RECORDS} has a malformed record`);
    }
    chunks += r.chunks.length;
  }
  if (recs.length !== manifest.counts.docs || chunks !== manifest.counts.chunks) {
    throw new Error(`${RECORDS} does not match the manifest counts`);
  }
  const keyword = KeywordIndex.fromJSON(JSON.parse(await readFile(path.join(dir, KEYWORD), "utf8")));
  const vectors = await HnswStore.load(dir, embeddings);
  if (vectors.size > 0 && vectors.dim !== manifest.embedding.dim) {
    throw new Error(`vectors have dimension ${vectors.dim}, manifest says ${manifest.embedding.dim}`);
  }
  return { manifest, records: recs, keyword, vectors };
}

/** Candidate versions in load order: CURRENT first, then the others newest first. */
async function candidates(storeDir: string): Promise<string[]> {
  const current = await readCurrent(storeDir);
  const versions = await listVersions(storeDir);
  return current ? [current, ...versions.filter((v) => v !== current)] : versions;
}

/**
 * Loads the current index, or the newest complete version when CURRENT is missing or broken;
 * null when there is no loadable version. `onSkip` hears of each version that failed to load.
 * The caller checks that `manifest.embedding` matches `embeddings` (see `readManifest`).
 */
export async function loadIndex(
  storeDir: string,
  embeddings: Embeddings,
  opts: { onSkip?: (version: string, error: unknown) => void } = {},
): Promise<IndexData | null> {
  for (const version of await candidates(storeDir)) {
    try {
      const data = await loadVersion(path.join(storeDir, VERSIONS, version), embeddings);
      return { ...data, version };
    } catch (e) {
      // Missing or corrupt version: try the next one.
      opts.onSkip?.(version, e);
    }
  }
  return null;
}

/** The manifest of the version `loadIndex` would load first (by manifest validity only). */
export async function readManifest(storeDir: string): Promise<Manifest | null> {
  for (const version of await candidates(storeDir)) {
    try {
      return await readManifestAt(path.join(storeDir, VERSIONS, version));
    } catch {
      // Try the next one.
    }
  }
  return null;
}

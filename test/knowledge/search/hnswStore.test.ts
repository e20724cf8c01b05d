import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Document } from "@langchain/core/documents";
import { afterAll, describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../../knowledge/search/embeddings.js";
import { HnswStore } from "../../../knowledge/search/hnswStore.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(path.join(tmpdir(), "hnsw-test-"));
  dirs.push(d);
  return d;
};

const embeddings = new LocalEmbeddings({ dim: 64 });
const texts = [
  { chunkId: "cb#0", docId: "cb", text: "Số hợp tác xã thành lập mới ở Cao Bằng năm 2025" },
  { chunkId: "cb#1", docId: "cb", text: "Doanh thu bình quân của hợp tác xã Cao Bằng" },
  { chunkId: "ls#0", docId: "ls", text: "Lạng Sơn hỗ trợ đào tạo cán bộ quản lý HTX" },
  { chunkId: "bk#0", docId: "bk", text: "Bắc Kạn xúc tiến thương mại, tiêu thụ sản phẩm OCOP" },
];
const docs = texts.map((t) => new Document({ pageContent: t.text, metadata: { chunkId: t.chunkId, docId: t.docId } }));

describe("HnswStore", () => {
  it("adds documents and answers LangChain similaritySearch", async () => {
    const store = await HnswStore.fromDocuments(docs, embeddings);
    expect(store._vectorstoreType()).toBe("hnswlib-node");
    expect(store.size).toBe(4);
    const found = await store.similaritySearch("thanh lap moi hop tac xa cao bang", 2);
    expect(found[0]?.metadata.chunkId).toBe("cb#0");
    const withScore = await store.similaritySearchWithScore("tiêu thụ sản phẩm OCOP", 1);
    expect(withScore[0]?.[0].metadata.chunkId).toBe("bk#0");
    expect(withScore[0]?.[1]).toBeGreaterThan(0.3);
    expect(withScore[0]?.[1]).toBeLessThanOrEqual(1.0001);
    const retrieved = await store.asRetriever({ k: 1 }).invoke("đào tạo cán bộ HTX Lạng Sơn");
    expect(retrieved[0]?.metadata.chunkId).toBe("ls#0");
  });

  it("filters inside the search (document filter and label filter)", async () => {
    const store = await HnswStore.fromDocuments(docs, embeddings);
    const onlyLs = await store.similaritySearch("thanh lap moi hop tac xa cao bang", 4, (d) => d.metadata.docId === "ls");
    expect(onlyLs.map((d) => d.metadata.chunkId)).toEqual(["ls#0"]);
    const q = await embeddings.embedQuery("doanh thu hợp tác xã");
    const ids = store.searchIds(q, 10, (label) => label !== 1);
    expect(ids.map((h) => h.label)).not.toContain(1);
    expect(ids).toHaveLength(3);
    expect(store.searchIds(q, 10, () => false)).toEqual([]);
  });

  it("saves and loads (ids only by default) with identical results", async () => {
    const store = await HnswStore.fromDocuments(docs, embeddings);
    const dir = await tempDir();
    await store.save(dir);
    const meta = JSON.parse(await readFile(path.join(dir, "vectors.json"), "utf8")) as Record<string, unknown>;
    expect(meta.dim).toBe(64);
    expect(meta.count).toBe(4);
    expect(meta.documents).toBeUndefined();
    const loaded = await HnswStore.load(dir, embeddings);
    expect(loaded.size).toBe(4);
    expect(loaded.refs()).toEqual(texts.map((t) => ({ chunkId: t.chunkId, docId: t.docId })));
    const q = await embeddings.embedQuery("doanh thu binh quan");
    expect(loaded.searchIds(q, 4)).toEqual(store.searchIds(q, 4));
    expect(loaded.getDocument(1)?.metadata).toEqual({ chunkId: "cb#1", docId: "cb" });
    expect(loaded.getDocument(1)?.pageContent).toBe("");
    const v = loaded.getVector(2);
    expect(v).toHaveLength(64);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
  });

  it("scores a label subset exhaustively, before and after load", async () => {
    const many = Array.from({ length: 300 }, (_, i) => `văn bản ${i}: hợp tác xã số ${i % 17} doanh thu ${i % 5} tỷ`);
    const store = new HnswStore(embeddings, { capacity: 8 });
    const vecs = await embeddings.embedDocuments(many);
    await store.addVectors(
      vecs,
      many.map((_, i) => new Document({ pageContent: "", metadata: { chunkId: `m#${i}`, docId: `d${i % 10}` } })),
    );
    const q = await embeddings.embedQuery("hợp tác xã số 3 doanh thu 2 tỷ");
    const labels = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 10 === 4);
    const exact = labels
      .map((label) => ({ label, score: (vecs[label] ?? []).reduce((s, x, j) => s + x * (q[j] ?? 0), 0) }))
      .sort((a, b) => b.score - a.score);
    const got = store.searchAmong(q, 5, labels);
    expect(got.map((h) => h.label)).toEqual(exact.slice(0, 5).map((h) => h.label));
    got.forEach((h, i) => expect(Math.abs(h.score - (exact[i]?.score ?? 0))).toBeLessThan(0.02));
    // Same labels as the filtered graph search.
    const graph = store.searchIds(q, 5, (l) => l % 10 === 4);
    expect(graph.map((h) => h.label)).toEqual(got.map((h) => h.label));
    const dir = await tempDir();
    await store.save(dir);
    const loaded = await HnswStore.load(dir, embeddings);
    const again = loaded.searchAmong(q, 5, labels);
    expect(again.map((h) => h.label)).toEqual(got.map((h) => h.label));
    again.forEach((h, i) => expect(h.score).toBeCloseTo(got[i]?.score ?? 0, 6));
    expect(loaded.searchAmong(q, 5, [])).toEqual([]);
  });

  it("keeps content when asked to", async () => {
    const store = new HnswStore(embeddings, { keepContent: true });
    await store.addDocuments(docs.slice(0, 2));
    const dir = await tempDir();
    await store.save(dir);
    const loaded = await HnswStore.load(dir, embeddings);
    expect(loaded.getDocument(0)?.pageContent).toBe(texts[0]?.text);
  });

  it("grows past its initial capacity and rejects wrong lengths", async () => {
    const store = new HnswStore(embeddings, { capacity: 4 });
    const vecs = await embeddings.embedDocuments(Array.from({ length: 50 }, (_, i) => `văn bản số ${i} về hợp tác xã`));
    await store.addVectors(
      vecs,
      vecs.map((_, i) => new Document({ pageContent: "", metadata: { chunkId: `x#${i}`, docId: "x" } })),
    );
    expect(store.size).toBe(50);
    const hit = store.searchIds(vecs[37] ?? [], 1);
    expect(hit[0]?.label).toBe(37);
    expect(hit[0]?.score).toBeCloseTo(1, 4);
    await expect(store.addVectors([[1, 2, 3]], [new Document({ pageContent: "" })])).rejects.toThrow(/length/);
    const empty = new HnswStore(embeddings);
    expect(empty.searchIds(vecs[0] ?? [], 5)).toEqual([]);
    expect(await empty.similaritySearch("x", 3)).toEqual([]);
  });
});

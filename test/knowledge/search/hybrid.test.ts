import { Document } from "@langchain/core/documents";
import { describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../../knowledge/search/embeddings.js";
import { HnswStore } from "../../../knowledge/search/hnswStore.js";
import { createSearcher, docMatches } from "../../../knowledge/search/hybrid.js";
import { KeywordIndex } from "../../../knowledge/search/keyword.js";
import type { Chunk, DocMeta } from "../../../knowledge/types.js";

const meta = (id: string, province: string | null, kind: DocMeta["kind"], from: number, to: number, reviewYear: number | null): DocMeta => ({
  id,
  file: `${id}.txt`,
  title: id,
  province,
  kind,
  number: null,
  date: null,
  period: { from, to },
  reviewYear,
  hash: "x",
  pages: null,
});

const docs: DocMeta[] = [
  meta("cao-bang-2026", "Cao Bằng", "ke-hoach", 2026, 2026, 2025),
  meta("bac-kan-2025", "Bắc Kạn", "ke-hoach", 2025, 2025, 2024),
  meta("bac-kan-nq", "Bắc Kạn", "nghi-quyet", 2021, 2025, null),
  meta("lang-son-2024", "Lạng Sơn", "ke-hoach", 2024, 2024, 2023),
];

const texts: Record<string, string[]> = {
  "cao-bang-2026": [
    "Số HTX thành lập mới trong 6 tháng đầu năm 2025: 08 HTX; ước thực hiện cả năm 15 HTX.",
    "Chỉ tiêu năm 2026: thành lập mới 20 hợp tác xã, doanh thu bình quân 1.790 triệu đồng/HTX/năm.",
    "Đào tạo, bồi dưỡng cán bộ quản lý HTX; tuyên truyền Luật Hợp tác xã.",
  ],
  "bac-kan-2025": [
    "So HTX thanh 1ap méi nam 2024 la 30 HTX, vuot ke hoach.",
    "Chi tieu nam 2025: thanh lap moi 25 hop tac xa tren dia ban tinh Bac Kan.",
  ],
  "bac-kan-nq": ["Giai đoạn 2021-2025 phấn đấu thành lập mới 150 hợp tác xã, mỗi năm 30 HTX."],
  "lang-son-2024": [
    "Năm 2024 thành lập mới 40 hợp tác xã, nâng tổng số lên 520 HTX.",
    "Hỗ trợ tiêu thụ sản phẩm OCOP, xúc tiến thương mại cho HTX.",
  ],
};

const chunks: Chunk[] = [];
for (const d of docs) {
  (texts[d.id] ?? []).forEach((text, ordinal) =>
    chunks.push({ id: `${d.id}#${ordinal}`, docId: d.id, ordinal, path: [], text, start: 0, end: text.length, page: null }),
  );
}

async function setup(weights?: { keyword?: number; vector?: number }, exactSearchMax?: number) {
  const embeddings = new LocalEmbeddings({ dim: 128 });
  const keyword = KeywordIndex.build(chunks.map((c) => ({ id: c.id, text: c.text })));
  const vectors = new HnswStore(embeddings);
  // Vectors stored in a different order than the keyword index on purpose.
  const rev = [...chunks].reverse();
  await vectors.addVectors(
    await embeddings.embedDocuments(rev.map((c) => c.text)),
    rev.map((c) => new Document({ pageContent: "", metadata: { chunkId: c.id, docId: c.docId } })),
  );
  let embedCalls = 0;
  const counting = new (class extends LocalEmbeddings {
    override embedQuery(q: string): Promise<number[]> {
      embedCalls++;
      return super.embedQuery(q);
    }
  })({ dim: 128 });
  const searcher = createSearcher({ docs, chunks, keyword, vectors, embeddings: counting, weights, exactSearchMax });
  return { searcher, calls: () => embedCalls };
}

describe("docMatches", () => {
  const cb = docs[0] as DocMeta;
  it("compares provinces folded", () => {
    expect(docMatches(cb, { province: "cao bang" })).toBe(true);
    expect(docMatches(cb, { province: "Tỉnh Cao Bằng" })).toBe(true);
    expect(docMatches(cb, { province: "Bắc Kạn" })).toBe(false);
    expect(docMatches({ ...cb, province: null }, { province: "cao bang" })).toBe(false);
  });
  it("matches a year in the period or the review year", () => {
    expect(docMatches(cb, { year: 2026 })).toBe(true);
    expect(docMatches(cb, { year: 2025 })).toBe(true);
    expect(docMatches(cb, { year: 2024 })).toBe(false);
    expect(docMatches(docs[2] as DocMeta, { year: 2023 })).toBe(true);
  });
  it("matches kind and docIds; null filters match all", () => {
    expect(docMatches(cb, { kind: "nghi-quyet" })).toBe(false);
    expect(docMatches(cb, { docIds: ["cao-bang-2026"] })).toBe(true);
    expect(docMatches(cb, { docIds: [] })).toBe(false);
    expect(docMatches(cb, { province: null, year: null, kind: null, docIds: null })).toBe(true);
  });
});

describe("createSearcher", () => {
  it("finds the best chunk with both retrievers and reports ranks", async () => {
    const { searcher } = await setup();
    const hits = await searcher.search("chỉ tiêu thành lập mới hợp tác xã năm 2026 Cao Bằng", { k: 3 });
    expect(hits[0]?.chunk.id).toBe("cao-bang-2026#1");
    expect(hits[0]?.keywordRank).toBe(1);
    expect(hits[0]?.vectorRank).not.toBeNull();
    expect(hits[0]?.doc.id).toBe("cao-bang-2026");
    expect(hits).toHaveLength(3);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it.each([
    ["exact subset scoring", undefined],
    ["filtered graph search", 0],
  ])("filters by province, year and kind in both retrievers (%s)", async (_name, exactSearchMax) => {
    const { searcher } = await setup(undefined, exactSearchMax);
    const q = "thanh lap moi hop tac xa";
    const byProvince = await searcher.search(q, { k: 10, filters: { province: "bac kan" } });
    expect(byProvince.length).toBeGreaterThan(0);
    expect(byProvince.every((h) => h.doc.province === "Bắc Kạn")).toBe(true);
    const byYear = await searcher.search(q, { k: 10, filters: { year: 2024 } });
    expect(new Set(byYear.map((h) => h.doc.id))).toEqual(new Set(["bac-kan-2025", "bac-kan-nq", "lang-son-2024"]));
    const byKind = await searcher.search(q, { k: 10, filters: { kind: "nghi-quyet" } });
    expect(byKind.map((h) => h.chunk.id)).toEqual(["bac-kan-nq#0"]);
    const both = await searcher.search(q, { k: 10, filters: { province: "Cao Bằng", year: 2024 } });
    expect(both).toEqual([]);
    const ids = await searcher.search(q, { k: 10, filters: { docIds: ["lang-son-2024"] } });
    expect(ids.every((h) => h.doc.id === "lang-son-2024")).toBe(true);
    // A chunk found only by vectors is filtered as well (an unrelated query).
    const vecOnly = await searcher.search("xyzzy quux", { k: 10, filters: { province: "Lạng Sơn" } });
    expect(vecOnly.every((h) => h.doc.id === "lang-son-2024" && h.keywordRank === null)).toBe(true);
  });

  it("fuses with reciprocal ranks, keyword weighing more by default", async () => {
    const { searcher } = await setup();
    const hits = await searcher.search("tiêu thụ sản phẩm OCOP", { k: 5 });
    const top = hits[0];
    expect(top?.chunk.id).toBe("lang-son-2024#1");
    const both = (60 + 1) ** -1;
    expect(top?.score).toBeCloseTo(both * 1.0 + both * 0.7, 6);
    // An item only in the vector list scores at most 0.7/61, below any keyword rank-1 item.
    for (const h of hits) {
      if (h.keywordRank === null) expect(h.score).toBeLessThanOrEqual(0.7 / 61 + 1e-12);
    }
  });

  it("keywordOnly skips the embedding call", async () => {
    const { searcher, calls } = await setup();
    const hits = await searcher.search("doanh thu bình quân", { keywordOnly: true });
    expect(calls()).toBe(0);
    expect(hits[0]?.chunk.id).toBe("cao-bang-2026#1");
    expect(hits.every((h) => h.vectorRank === null)).toBe(true);
    await searcher.search("doanh thu bình quân");
    expect(calls()).toBe(1);
  });

  it("honours custom weights and k", async () => {
    const { searcher } = await setup({ keyword: 0, vector: 1 });
    const hits = await searcher.search("Lạng Sơn tổng số 520 HTX", { k: 2 });
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.vectorRank !== null)).toBe(true);
    expect(await searcher.search("   ")).toEqual([]);
  });
});

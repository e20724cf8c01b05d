import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../bot/config.js";
import { buildIndex, checkIndex, type ProgressEvent } from "../../ingest/build.js";
import { loadIndex } from "../../knowledge/index/store.js";
import { createEmbeddings } from "../../knowledge/search/embeddings.js";

const CORPUS = path.join(PROJECT_ROOT, "knowledge/corpus");
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
const local = createEmbeddings({ provider: "local", dimensions: 128 });

function corpusCopy(): string {
  const dir = tmp("htx-corpus-");
  for (const f of readdirSync(CORPUS)) copyFileSync(path.join(CORPUS, f), path.join(dir, f));
  return dir;
}

describe("full ingest of the shipped corpus", () => {
  it("indexes the four documents with their metadata, chunks and figures", async () => {
    const storeDir = tmp("htx-store-");
    const events: ProgressEvent[] = [];
    const report = await buildIndex({ corpusDir: CORPUS, storeDir, embeddings: local.embeddings, embeddingId: local.id, maxFileBytes: 20 << 20, onProgress: (e) => events.push(e) });
    expect(report.skipped).toEqual([]);
    expect(report.docs).toBe(4);
    expect(report.chunks).toBeGreaterThan(150);
    expect(report.figures).toBeGreaterThan(400);
    expect(events.map((e) => e.step)).toEqual(expect.arrayContaining(["scan", "load", "embed", "write", "done"]));
    const index = await loadIndex(storeDir, local.embeddings);
    const byId = new Map(index!.records.map((r) => [r.meta.id, r.meta]));
    expect(byId.get("cao-bang-ke-hoach-kttt-htx-2026")).toMatchObject({ province: "Cao Bằng", number: "2672/KH-UBND", title: expect.stringContaining("Cao Bằng năm 2026") });
    expect(byId.get("bac-kan-nghi-quyet-09-nq-tu-2021-2025")).toMatchObject({ kind: "nghi-quyet", period: { from: 2021, to: 2025 } });
    for (const r of index!.records) {
      for (const c of r.chunks) expect(r.text.slice(c.start, c.end)).toBe(c.text);
      for (const f of r.figures) expect(r.text.slice(f.start, f.end)).toBe(f.raw);
    }
    expect(index!.manifest.embedding).toEqual({ provider: "local", model: "local-hash-v1", dim: 128 });
    expect((await checkIndex(CORPUS, storeDir, local.id)).fresh).toBe(true);
  }, 60_000);
});

describe("bad input", () => {
  it("reports each bad file by name, indexes the rest, and keeps what was already indexed", async () => {
    const corpusDir = corpusCopy();
    const storeDir = tmp("htx-store-");
    const deps = { corpusDir, storeDir, embeddings: local.embeddings, embeddingId: local.id, maxFileBytes: 200_000 };
    await buildIndex(deps);
    // Now break things: an empty file, an unsupported one, a corrupt PDF, an oversized text,
    // and a document that was indexed before and is now corrupt.
    writeFileSync(path.join(corpusDir, "rong.txt"), "");
    writeFileSync(path.join(corpusDir, "bang.xlsx"), "PK\u0003\u0004");
    writeFileSync(path.join(corpusDir, "hong.pdf"), Buffer.from("%PDF-1.7 this is not really a pdf"));
    writeFileSync(path.join(corpusDir, "qua-lon.txt"), "HTX ".repeat(60_000));
    writeFileSync(path.join(corpusDir, "cao-bang-ke-hoach-kttt-htx-2026.txt"), Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00, 0x41]));
    expect((await checkIndex(corpusDir, storeDir, local.id)).fresh).toBe(false);
    const report = await buildIndex(deps);
    const byFile = new Map(report.skipped.map((s) => [s.file, s]));
    expect(byFile.get("rong.txt")).toMatchObject({ code: "empty", kept: false });
    expect(byFile.get("bang.xlsx")).toMatchObject({ code: "unsupported" });
    expect(byFile.get("hong.pdf")).toMatchObject({ code: "corrupt" });
    expect(byFile.get("qua-lon.txt")).toMatchObject({ code: "oversized" });
    expect(byFile.get("cao-bang-ke-hoach-kttt-htx-2026.txt")).toMatchObject({ code: "corrupt", kept: true });
    for (const s of report.skipped) expect(s.message).toContain(s.file);
    const index = await loadIndex(storeDir, local.embeddings);
    const ids = index!.records.map((r) => r.meta.id).sort();
    expect(ids).toEqual(["bac-kan-ke-hoach-kttt-htx-2025", "bac-kan-nghi-quyet-09-nq-tu-2021-2025", "cao-bang-ke-hoach-kttt-htx-2026", "lang-son-ke-hoach-kttt-htx-2024"]);
    expect(index!.manifest.skipped.map((s) => s.file).sort()).toEqual([...byFile.keys()].sort());
    // The skipped files are part of the fingerprint: nothing changed, so the index is fresh.
    expect((await checkIndex(corpusDir, storeDir, local.id)).fresh).toBe(true);
  }, 60_000);

  it("rebuilds when the corpus or the embedding settings change, reusing unchanged vectors", async () => {
    const corpusDir = corpusCopy();
    const storeDir = tmp("htx-store-");
    const deps = { corpusDir, storeDir, embeddings: local.embeddings, embeddingId: local.id, maxFileBytes: 20 << 20 };
    const first = await buildIndex(deps);
    expect(first.reusedVectors).toBe(0);
    mkdirSync(path.join(corpusDir, "sub"));
    writeFileSync(path.join(corpusDir, "them.md"), "# KẾ HOẠCH phát triển HTX tỉnh Hà Giang năm 2027\n\n## 1. Mục tiêu\n\nPhấn đấu thành lập mới 30 HTX.\n");
    const status = await checkIndex(corpusDir, storeDir, local.id);
    expect(status).toMatchObject({ fresh: false, reason: expect.stringContaining("them.md") });
    const second = await buildIndex(deps);
    expect(second.docs).toBe(5);
    expect(second.reusedVectors).toBe(first.chunks);
    const other = createEmbeddings({ provider: "local", dimensions: 64 });
    expect((await checkIndex(corpusDir, storeDir, other.id)).reason).toContain("embedding settings changed");
  }, 60_000);
});

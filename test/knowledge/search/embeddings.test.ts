import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { LocalEmbeddings, createEmbeddings } from "../../../knowledge/search/embeddings.js";
import { fastFold, fastSyllables } from "../../../knowledge/search/keyword.js";
import { fold, normalizeText, syllables } from "../../../knowledge/text/normalize.js";

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: number[]): number => Math.sqrt(dot(a, a));

describe("fastFold / fastSyllables", () => {
  it("equal fold() / syllables() on the corpus and on tricky input", () => {
    const dir = new URL("../../../knowledge/corpus/", import.meta.url);
    const texts = readdirSync(dir).map((f) => readFileSync(new URL(f, dir), "utf8"));
    texts.push("Thành 1ap méi x4 d6ng 2.672 HTX | ¢ € ﬁ Đ 𝐀 😀 a1b2c3 H20 abc/1a 3a.1b ĐẮK LẮK thuế\u00a0nim");
    for (const raw of texts) {
      const t = normalizeText(raw);
      expect(fastFold(t)).toBe(fold(t));
      expect(fastSyllables(raw)).toEqual(syllables(raw));
    }
  });
});

describe("LocalEmbeddings", () => {
  const emb = new LocalEmbeddings();

  it("is deterministic and unit length", async () => {
    const text = "Phấn đấu thành lập mới 15 hợp tác xã trong năm 2026";
    const [a, b] = await emb.embedDocuments([text, text]);
    const c = await new LocalEmbeddings().embedQuery(text);
    expect(a).toHaveLength(384);
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    expect(norm(a ?? [])).toBeCloseTo(1, 5);
    const [empty] = await emb.embedDocuments([""]);
    expect(empty?.every((x) => x === 0)).toBe(true);
  });

  it("places a paraphrase (with or without diacritics, OCR-damaged) closer than unrelated text", async () => {
    const [doc, unrelated] = await emb.embedDocuments([
      "Số hợp tác xã thành lập mới trong năm 2025 trên địa bàn tỉnh Cao Bằng đạt 15 HTX.",
      "Tổ chức hội nghị tuyên truyền về an toàn giao thông đường bộ cho học sinh.",
    ]);
    const [ocr] = await emb.embedDocuments(["So HTX théqh 1ap méi nam 2025 tinh Cao Bcing dat 15 HTX"]);
    const q1 = await emb.embedQuery("bao nhiêu hợp tác xã thành lập mới ở Cao Bằng năm 2025?");
    const q2 = await emb.embedQuery("bao nhieu hop tac xa thanh lap moi o cao bang nam 2025");
    for (const q of [q1, q2]) {
      expect(dot(q, doc ?? [])).toBeGreaterThan(dot(q, unrelated ?? []) + 0.2);
      expect(dot(q, ocr ?? [])).toBeGreaterThan(dot(q, unrelated ?? []) + 0.1);
    }
    expect(dot(q1, q2)).toBeGreaterThan(0.99);
  });

  it("supports another dimension", async () => {
    const v = await new LocalEmbeddings({ dim: 64 }).embedQuery("hợp tác xã");
    expect(v).toHaveLength(64);
  });

  it("embeds at least 2,000 chunks of ~800 characters per second", async () => {
    const dir = new URL("../../../knowledge/corpus/", import.meta.url);
    const corpus = readdirSync(dir)
      .map((f) => readFileSync(new URL(f, dir), "utf8"))
      .join("\n");
    const texts = Array.from({ length: 500 }, (_, i) => corpus.slice((i * 997) % (corpus.length - 800), ((i * 997) % (corpus.length - 800)) + 800));
    await emb.embedDocuments(texts.slice(0, 50));
    // Rate per CPU second (robust to other test files competing for cores) or per wall second.
    let best = 0;
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await emb.embedDocuments(texts);
      const cpu = process.cpuUsage(c0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const wallSeconds = (performance.now() - t0) / 1000;
      best = Math.max(best, texts.length / Math.max(cpuSeconds, 1e-6), texts.length / wallSeconds);
    }
    expect(best).toBeGreaterThan(2000);
  });
});

describe("createEmbeddings", () => {
  it("creates local embeddings with their identity", () => {
    const { embeddings, id } = createEmbeddings({ provider: "local" });
    expect(embeddings).toBeInstanceOf(LocalEmbeddings);
    expect(id).toEqual({ provider: "local", model: "local-hash-v1", dim: 384 });
    expect(createEmbeddings({ provider: "local", dimensions: 128 }).id.dim).toBe(128);
    expect(() => createEmbeddings({ provider: "local", model: "other" })).toThrow();
  });

  it("knows the OpenAI default dimensions and asks for unknown ones", () => {
    expect(createEmbeddings({ provider: "openai", apiKey: "k" }).id).toEqual({
      provider: "openai",
      model: "text-embedding-3-small",
      dim: 1536,
    });
    expect(createEmbeddings({ provider: "openai", apiKey: "k", model: "text-embedding-3-large", dimensions: 256 }).id.dim).toBe(256);
    expect(() => createEmbeddings({ provider: "openai", apiKey: "k", model: "nomic-embed-text" })).toThrow(/dimensions/);
    expect(() => createEmbeddings({ provider: "openai" })).toThrow(/API key/);
  });

  it("talks to an OpenAI-compatible server at baseURL (local mock) and checks the length", async () => {
    const requests: { model: string; input: string[] | string; dimensions?: number }[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { model: string; input: string[] | string; dimensions?: number };
        requests.push(parsed);
        const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
        const len = parsed.model === "bad-model" ? 3 : 4;
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            object: "list",
            model: parsed.model,
            data: inputs.map((_, i) => ({ object: "embedding", index: i, embedding: Array.from({ length: len }, (_, j) => i + j) })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const baseURL = `http://127.0.0.1:${port}/v1`;
      const { embeddings, id } = createEmbeddings({ provider: "openai", baseURL, model: "local-model", dimensions: 4, batchSize: 2 });
      expect(id).toEqual({ provider: "openai", model: "local-model", dim: 4 });
      const vecs = await embeddings.embedDocuments(["a", "b", "c"]);
      expect(vecs).toHaveLength(3);
      expect(vecs[2]).toEqual([0, 1, 2, 3]);
      expect(await embeddings.embedQuery("q")).toEqual([0, 1, 2, 3]);
      // `dimensions` is not sent to a model that is not text-embedding-3.
      expect(requests.every((r) => r.dimensions === undefined)).toBe(true);
      const bad = createEmbeddings({ provider: "openai", baseURL, model: "bad-model", dimensions: 4, maxRetries: 0 });
      await expect(bad.embeddings.embedQuery("q")).rejects.toThrow(/length 3/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

// Acceptance: OpenAI embeddings through a local OpenAI-compatible server (the test stub on
// 127.0.0.1). The app builds its index through the server, answers the development questions
// with the offline answerer, searches with query vectors from the server, rebuilds when the
// embedding provider, model or dimension changes (never mixing vectors), and a server returning
// vectors of the wrong length fails the build while the previous index stays loadable.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, PROJECT_ROOT, type Config } from "../../bot/config.js";
import { createLogger } from "../../bot/log.js";
import { embeddingsFor, startApp, type App } from "../../bot/app.js";
import { parseEvalFile, scoreAnswer, summarize } from "../../bot/eval/score.js";
import { loadIndex, readManifest } from "../../knowledge/index/store.js";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub.js";

const log = createLogger({ logLevel: "silent" });
const DEV = parseEvalFile(readFileSync(path.join(PROJECT_ROOT, "test/fixtures/dev.jsonl"), "utf8"));

let stub: OpenAIStub;
let storeDir: string;

/** Configuration over the shipped corpus and the temporary store; answers always offline. */
function config(env: Record<string, string>): Config {
  return loadConfig(
    { STORE_DIR: storeDir, CORPUS_DIR: path.join(PROJECT_ROOT, "knowledge/corpus"), LOG_LEVEL: "silent", ANSWER_MODE: "offline", ...env },
    { envFile: null },
  );
}

const openaiEnv = (model: string): Record<string, string> => ({
  OPENAI_BASE_URL: stub.url,
  EMBEDDINGS_PROVIDER: "auto",
  OPENAI_EMBEDDING_MODEL: model,
  OPENAI_EMBEDDING_DIMENSIONS: "64",
});

const LOCAL_ENV = { EMBEDDINGS_PROVIDER: "local" };

const embeddingPaths = () => stub.requests.filter((r) => r.path === "/v1/embeddings");

/** Loads the index as a fresh process would and checks every stored vector's length. */
async function expectIndexDim(cfg: Config, dim: number): Promise<void> {
  const index = await loadIndex(cfg.storeDir, embeddingsFor(cfg).embeddings);
  expect(index).not.toBeNull();
  expect(index!.manifest.embedding.dim).toBe(dim);
  expect(index!.vectors.dim).toBe(dim);
  expect(index!.vectors.size).toBe(index!.manifest.counts.chunks);
  for (let label = 0; label < index!.vectors.size; label++) expect(index!.vectors.getVector(label)).toHaveLength(dim);
}

beforeAll(async () => {
  stub = await startOpenAIStub({ embeddingDim: 64 });
  storeDir = mkdtempSync(path.join(tmpdir(), "htx-openai-emb-"));
});

afterAll(async () => {
  await stub?.close();
  if (storeDir) rmSync(storeDir, { recursive: true, force: true });
});

describe("OpenAI embeddings through an OpenAI-compatible server", () => {
  let appA: App;

  it("builds the index through the server and answers the development questions", async () => {
    const cfg = config(openaiEnv("stub-embed-a"));
    expect(cfg.embeddings).toMatchObject({ provider: "openai", model: "stub-embed-a", dimensions: 64, baseURL: stub.url });
    expect(cfg.llm).toBeNull();

    appA = await startApp(cfg, { log });
    expect(appA.built).not.toBeNull();
    expect(appA.built!.chunks).toBeGreaterThan(0);
    expect(stub.embeddedTexts()).toBeGreaterThanOrEqual(appA.built!.chunks);
    const calls = embeddingPaths();
    expect(calls.length).toBeGreaterThan(0);
    for (const r of calls) expect(r.body).toMatchObject({ model: "stub-embed-a", encoding_format: "float" });
    expect(stub.chatBodies()).toHaveLength(0);

    expect((await readManifest(storeDir))?.embedding).toEqual({ provider: "openai", model: "stub-embed-a", dim: 64 });
    expect(appA.engine.manifest.embedding).toEqual({ provider: "openai", model: "stub-embed-a", dim: 64 });
    await expectIndexDim(cfg, 64);

    const scores = [];
    for (const item of DEV) {
      const { answer } = await appA.answerer.ask(item.q);
      scores.push(scoreAnswer(item, answer));
    }
    const summary = summarize(scores, []);
    expect(summary.questions).toBe(DEV.length);
    expect(summary.answerAccuracy, `wrong: ${scores.filter((s) => !s.correct).map((s) => `${s.id} (${s.missing.join(", ")})`).join("; ")}`).toBeGreaterThanOrEqual(0.9);
    // No chat model is involved: the answers come from the offline answerer.
    expect(stub.chatBodies()).toHaveLength(0);
  });

  it("embeds the query through the server when searching with vectors", async () => {
    const query = "số thành viên hợp tác xã Cao Bằng";
    const before = embeddingPaths().length;
    await appA.engine.searcher.search(query, { k: 5, keywordOnly: true });
    expect(embeddingPaths().length).toBe(before);

    const hits = await appA.engine.searcher.search(query, { k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    const after = embeddingPaths();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]!.body).toMatchObject({ model: "stub-embed-a", input: query });
  });

  it("rebuilds when the model or the provider changes, never mixing vectors, and not when nothing changed", async () => {
    // Another model on the same server.
    const cfgB = config(openaiEnv("stub-embed-b"));
    const n0 = stub.embeddedTexts();
    const appB = await startApp(cfgB, { log });
    expect(appB.built).not.toBeNull();
    expect(appB.built!.reusedVectors).toBe(0);
    expect(stub.embeddedTexts() - n0).toBeGreaterThanOrEqual(appB.built!.chunks);
    expect(embeddingPaths().at(-1)!.body).toMatchObject({ model: "stub-embed-b" });
    expect((await readManifest(storeDir))?.embedding).toEqual({ provider: "openai", model: "stub-embed-b", dim: 64 });
    await expectIndexDim(cfgB, 64);

    // Back to the local embedding: no server involved.
    const cfgLocal = config(LOCAL_ENV);
    expect(cfgLocal.embeddings.baseURL).toBeUndefined();
    const n1 = stub.requests.length;
    const appLocal = await startApp(cfgLocal, { log });
    expect(appLocal.built).not.toBeNull();
    expect(appLocal.built!.reusedVectors).toBe(0);
    expect((await readManifest(storeDir))?.embedding).toEqual({ provider: "local", model: "local-hash-v1", dim: 384 });
    expect(appLocal.engine.manifest.embedding).toEqual({ provider: "local", model: "local-hash-v1", dim: 384 });
    await expectIndexDim(cfgLocal, 384);

    // The same settings again: the index is fresh.
    const again = await startApp(config(LOCAL_ENV), { log });
    expect(again.built).toBeNull();
    expect(stub.requests.length).toBe(n1);
  });

  it("fails the build clearly when the server returns vectors of another length, keeping the previous index", async () => {
    const versionBefore = (await loadIndex(storeDir, embeddingsFor(config(LOCAL_ENV)).embeddings))?.version;
    expect(versionBefore).toBeDefined();
    stub.forceEmbeddingDim(32);
    try {
      await expect(startApp(config(openaiEnv("stub-embed-c")), { log })).rejects.toThrow(/returned vectors of length 32, expected 64/);
    } finally {
      stub.forceEmbeddingDim(null);
    }
    expect((await readManifest(storeDir))?.embedding).toEqual({ provider: "local", model: "local-hash-v1", dim: 384 });
    const local = await startApp(config(LOCAL_ENV), { log });
    expect(local.built).toBeNull();
    expect((await loadIndex(storeDir, local.embeddings))?.version).toBe(versionBefore);
    await expectIndexDim(local.config, 384);
    const { answer } = await local.answerer.ask(DEV[0]!.q);
    expect(scoreAnswer(DEV[0]!, answer).correct).toBe(true);
  });
});

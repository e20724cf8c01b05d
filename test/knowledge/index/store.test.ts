import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadIndex, readManifest, writeIndex, type IndexData } from "../../../knowledge/index/store.js";
import { LocalEmbeddings } from "../../../knowledge/search/embeddings.js";
import { DIM, makeIndexData } from "./fixtures/slow-writer.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WRITER = fileURLToPath(new URL("./fixtures/slow-writer.ts", import.meta.url));
const embeddings = new LocalEmbeddings({ dim: DIM });

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function storeDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "store-test-"));
  dirs.push(d);
  return d;
}
const versionsOf = async (dir: string): Promise<string[]> => (await readdir(path.join(dir, "versions"))).sort();
const current = async (dir: string): Promise<string> => (await readFile(path.join(dir, "CURRENT"), "utf8")).trim();

async function expectSameIndex(loaded: IndexData | null, expected: IndexData): Promise<void> {
  expect(loaded).not.toBeNull();
  if (!loaded) return;
  expect(loaded.manifest).toEqual(expected.manifest);
  expect(loaded.records).toEqual(expected.records);
  expect(loaded.keyword.search("thành lập mới hợp tác xã", 5)).toEqual(expected.keyword.search("thành lập mới hợp tác xã", 5));
  const q = await embeddings.embedQuery("doanh thu triệu đồng");
  expect(loaded.vectors.searchIds(q, 5)).toEqual(expected.vectors.searchIds(q, 5));
  expect(loaded.vectors.refs()).toEqual(expected.vectors.refs());
}

/** Runs the writer child; resolves once it prints `until`, with a kill function. */
function startWriter(dir: string, pauseStep: string, until: string, perDoc = 4) {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir, pauseStep, String(perDoc)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const reached = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes(until)) resolve(out);
    });
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    void exited.then((code) => reject(new Error(`writer exited (${code}) before "${until}": ${out} ${err}`)));
  });
  const kill = async (): Promise<void> => {
    child.kill("SIGKILL");
    await exited;
  };
  return { child, reached, exited, kill, output: () => out };
}

describe("index store", () => {
  it("returns null when there is no index", async () => {
    const dir = await storeDir();
    expect(await loadIndex(dir, embeddings)).toBeNull();
    expect(await readManifest(dir)).toBeNull();
  });

  it("writes then loads the same index", async () => {
    const dir = await storeDir();
    const data = await makeIndexData("v1");
    const version = await writeIndex(dir, data);
    expect(version).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
    expect(await current(dir)).toBe(version);
    expect(await readdir(path.join(dir, "versions", version))).toEqual(
      expect.arrayContaining(["manifest.json", "records.json", "keyword.json", "vectors.hnsw", "vectors.json"]),
    );
    const loaded = await loadIndex(dir, embeddings);
    await expectSameIndex(loaded, data);
    expect(loaded?.version).toBe(version);
    expect((await readManifest(dir))?.pipeline).toBe("test-v1");
  });

  it("switches to a second write and prunes beyond keep", async () => {
    const dir = await storeDir();
    const steps: string[] = [];
    const v1 = await writeIndex(dir, await makeIndexData("v1"));
    const d2 = await makeIndexData("v2");
    const v2 = await writeIndex(dir, d2, { onProgress: (s) => void steps.push(s) });
    expect(steps).toEqual(["records", "keyword", "vectors", "manifest", "renamed", "current", "pruned"]);
    expect(v2 > v1).toBe(true);
    expect(await current(dir)).toBe(v2);
    await expectSameIndex(await loadIndex(dir, embeddings), d2);
    expect(await versionsOf(dir)).toEqual([v1, v2]);
    const v3 = await writeIndex(dir, await makeIndexData("v3"));
    expect(await versionsOf(dir)).toEqual([v2, v3]);
    const v4 = await writeIndex(dir, await makeIndexData("v4"), { keep: 1 });
    expect(await versionsOf(dir)).toEqual([v4]);
    expect((await readdir(dir)).sort()).toEqual(["CURRENT", "versions"]);
  });

  it("falls back to the newest complete version when CURRENT is broken", async () => {
    const dir = await storeDir();
    const d1 = await makeIndexData("v1");
    const v1 = await writeIndex(dir, d1);
    const v2 = await writeIndex(dir, await makeIndexData("v2"));
    // CURRENT names a deleted version.
    await rm(path.join(dir, "versions", v2), { recursive: true });
    const skipped: string[] = [];
    await expectSameIndex(await loadIndex(dir, embeddings, { onSkip: (v) => skipped.push(v) }), d1);
    expect(skipped).toEqual([v2]);
    expect((await readManifest(dir))?.pipeline).toBe("test-v1");
    // CURRENT is garbage or missing.
    await writeFile(path.join(dir, "CURRENT"), "../../etc\n");
    expect((await loadIndex(dir, embeddings))?.version).toBe(v1);
    await rm(path.join(dir, "CURRENT"));
    expect((await loadIndex(dir, embeddings))?.version).toBe(v1);
    // The newest version is corrupt: the older one loads.
    const d3 = await makeIndexData("v3");
    const v3 = await writeIndex(dir, d3);
    const v4 = await writeIndex(dir, await makeIndexData("v4"), { keep: 3 });
    await writeFile(path.join(dir, "versions", v4, "keyword.json"), "{ truncated");
    expect((await loadIndex(dir, embeddings))?.version).toBe(v3);
    await writeFile(path.join(dir, "versions", v4, "keyword.json"), "{}");
    await writeFile(path.join(dir, "versions", v3, "manifest.json"), JSON.stringify({ schema: 1 }));
    expect((await loadIndex(dir, embeddings))?.version).toBe(v1);
  });

  it("ignores a stray incomplete version directory", async () => {
    const dir = await storeDir();
    const d1 = await makeIndexData("v1");
    await writeIndex(dir, d1);
    await mkdir(path.join(dir, "versions", "29990101T000000000Z-deadbeef"));
    await expectSameIndex(await loadIndex(dir, embeddings), d1);
  });

  describe("a writer killed mid-write leaves the old index loadable", () => {
    for (const step of ["records", "vectors", "manifest", "renamed"]) {
      it(`killed after "${step}"`, { timeout: 60_000 }, async () => {
        const dir = await storeDir();
        const d1 = await makeIndexData("v1");
        const v1 = await writeIndex(dir, d1);
        const w = startWriter(dir, step, `PAUSED ${step}`);
        await w.reached;
        const entries = await versionsOf(dir);
        const tmp = entries.filter((n) => n.includes(".tmp-"));
        if (step === "renamed") expect(tmp).toEqual([]);
        else expect(tmp).toEqual([expect.stringMatching(new RegExp(`\\.tmp-${w.child.pid}$`))]);
        // While the writer lives, a new write does not remove its directory.
        if (step === "records") {
          await writeIndex(dir, await makeIndexData("v1b"));
          expect(await versionsOf(dir)).toEqual(expect.arrayContaining(tmp));
          await writeIndex(dir, d1);
        }
        await w.kill();

        const loaded = await loadIndex(dir, embeddings);
        expect(loaded?.manifest.pipeline).toBe("test-v1");
        await expectSameIndex(loaded, d1);
        if (step !== "records") expect(loaded?.version).toBe(v1);

        // The next write cleans the dead writer's temporary directory.
        const d2 = await makeIndexData("v2");
        const v2 = await writeIndex(dir, d2);
        const after = await versionsOf(dir);
        expect(after.filter((n) => n.includes(".tmp-"))).toEqual([]);
        expect(after).toContain(v2);
        expect((await readdir(dir)).filter((n) => n.startsWith("CURRENT"))).toEqual(["CURRENT"]);
        await expectSameIndex(await loadIndex(dir, embeddings), d2);
      });
    }

    it("killed at an arbitrary moment of a large write", { timeout: 120_000 }, async () => {
      const dir = await storeDir();
      const d1 = await makeIndexData("v1");
      await writeIndex(dir, d1);
      const w = startWriter(dir, "none", "STARTED", 4000);
      await w.reached;
      // Kill as soon as the temporary version directory shows up: files are being written.
      for (let i = 0; i < 2000; i++) {
        if ((await versionsOf(dir)).some((n) => n.includes(".tmp-")) || w.output().includes("DONE")) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await w.kill();
      const loaded = await loadIndex(dir, embeddings);
      // Either the old index or, had the child finished, the complete new one.
      if (w.output().includes("DONE")) expect(loaded?.manifest.pipeline).toBe("test-child");
      else await expectSameIndex(loaded, d1);
      await writeIndex(dir, await makeIndexData("v2"));
      expect((await versionsOf(dir)).filter((n) => n.includes(".tmp-"))).toEqual([]);
    });
  });
});

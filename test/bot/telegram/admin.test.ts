// Admin features through the real bot (bot.handleUpdate, Bot API stubbed by T1's helper): uploads
// of real files into a temporary copy of the corpus, /reindex and /stats.

import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../bot/config.js";
import { createAdminComposer } from "../../../bot/telegram/features/admin.js";
import { createTestBot, DEFAULT_USER, TEST_TOKEN, type TestBot } from "../../helpers/telegram.js";

const require = createRequire(import.meta.url);
// Roboto (WOFF, read by pdfkit's fontkit) has the Vietnamese glyphs.
const FONT = require.resolve("roboto-fontface/fonts/roboto/Roboto-Regular.woff");

const ADMIN = 4242;
const MEMBER = DEFAULT_USER;
const SHIPPED = ["bac-kan-ke-hoach-kttt-htx-2025.txt", "bac-kan-nghi-quyet-09-nq-tu-2021-2025.txt", "cao-bang-ke-hoach-kttt-htx-2026.txt", "lang-son-ke-hoach-kttt-htx-2024.md", "metadata.json"];

/** A real PDF with a text layer, one line per entry. */
function makePdf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, pdfVersion: "1.7" });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("vi", FONT);
    doc.addPage();
    doc.font("vi").fontSize(12);
    for (const line of lines) doc.text(line);
    doc.end();
  });
}

const HA_GIANG = [
  "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
  "KẾ HOẠCH",
  "Phát triển kinh tế tập thể, hợp tác xã tỉnh Hà Giang năm 2027",
  "I. MỤC TIÊU",
  "1. Mục tiêu chung",
  "Phát triển kinh tế tập thể, hợp tác xã bền vững, nâng cao thu nhập cho thành viên.",
  "2. Mục tiêu cụ thể năm 2027",
  "- Phấn đấu thành lập mới 30 HTX, nâng tổng số HTX trên địa bàn tỉnh lên 650 HTX.",
  "- Doanh thu bình quân của HTX đạt 2.500 triệu đồng/HTX/năm.",
  "- Thu nhập bình quân của lao động thường xuyên trong HTX đạt 5,5 triệu đồng/người/tháng.",
];

let corpusDir: string;
let tb: TestBot;
let pdf: Buffer;

const lastText = () => tb.sent().at(-1) ?? "";
const corpusFiles = async () => (await readdir(corpusDir)).sort();

beforeAll(async () => {
  // Uploads are written into the corpus directory: a temporary copy, never the repository's.
  corpusDir = await mkdtemp(path.join(tmpdir(), "htx-admin-corpus-"));
  await cp(path.join(PROJECT_ROOT, "knowledge/corpus"), corpusDir, { recursive: true });
  tb = await createTestBot({ env: { CORPUS_DIR: corpusDir, ADMIN_USER_IDS: String(ADMIN) }, features: [createAdminComposer()] });
  expect(tb.services.config.corpusDir).toBe(corpusDir);
  pdf = await makePdf(HA_GIANG);
});

afterAll(async () => {
  await tb.cleanup();
  await rm(corpusDir, { recursive: true, force: true });
});

beforeEach(() => tb.reset());

describe("uploads", () => {
  it("an admin's PDF is indexed, reported and answerable right away", async () => {
    await tb.sendDocument({ fileName: "ha-giang-ke-hoach-kttt-htx-2027.pdf", bytes: pdf, userId: ADMIN, mimeType: "application/pdf" });
    // A progress message first, then that same message edited with the result.
    const first = tb.callsOf("sendMessage")[0]!;
    expect(String(first.payload.text)).toMatch(/Đang xử lý tệp «ha-giang-ke-hoach-kttt-htx-2027\.pdf»/);
    expect(tb.callsOf("getFile")).toHaveLength(1);
    const edit = tb.callsOf("editMessageText").at(-1)!;
    expect(edit.payload.chat_id).toBe(ADMIN);
    const report = String(edit.payload.text);
    expect(report).toContain("✅ Đã thêm tài liệu «ha-giang-ke-hoach-kttt-htx-2027.pdf»");
    expect(report).toMatch(/Tiêu đề: .*Hà Giang/i);
    expect(report).toContain("Tỉnh: Hà Giang");
    const [, chunks, figures] = /• (\d+) đoạn, (\d+) số liệu/.exec(report) ?? [];
    const doc = tb.services.knowledge.engine().docsById.get("ha-giang-ke-hoach-kttt-htx-2027")!;
    const record = tb.services.knowledge.engine().recordsById.get(doc.id)!;
    expect(Number(chunks)).toBe(record.chunks.length);
    expect(Number(figures)).toBe(record.figures.length);
    expect(Number(chunks)).toBeGreaterThan(0);
    expect(Number(figures)).toBeGreaterThan(0);
    expect(await corpusFiles()).toContain("ha-giang-ke-hoach-kttt-htx-2027.pdf");

    tb.reset();
    await tb.send("Năm 2027 Hà Giang phấn đấu thành lập mới bao nhiêu HTX?", { userId: ADMIN });
    const answer = tb.sent().join("\n");
    expect(answer).toMatch(/\b30 HTX\b/);
    expect(answer).toContain(doc.title);
    expect(answer).toContain("Phấn đấu thành lập mới 30 HTX");
  });

  it("sending the same file again reports an update, not a second document", async () => {
    const before = tb.services.knowledge.engine().docs.length;
    await tb.sendDocument({ fileName: "ha-giang-ke-hoach-kttt-htx-2027.pdf", bytes: pdf, userId: ADMIN });
    expect(lastText()).toContain("✅ Đã cập nhật tài liệu «ha-giang-ke-hoach-kttt-htx-2027.pdf»");
    expect(tb.services.knowledge.engine().docs.length).toBe(before);
  });

  it("answers in English when the chat's language is English", async () => {
    await tb.send("/lang en", { userId: ADMIN });
    tb.reset();
    await tb.sendDocument({ fileName: "ha-giang-ke-hoach-kttt-htx-2027.pdf", bytes: pdf, userId: ADMIN });
    expect(lastText()).toContain("✅ Updated «ha-giang-ke-hoach-kttt-htx-2027.pdf»");
    expect(lastText()).toMatch(/\d+ chunks, \d+ figures/);
    await tb.send("/lang vi", { userId: ADMIN });
  });

  it("rejects an oversized file from its declared size, without downloading it", async () => {
    const max = tb.services.config.maxFileBytes;
    expect(max).toBe(20 * 1024 * 1024);
    const files = await corpusFiles();
    await tb.sendDocument({ fileName: "qua-lon.pdf", bytes: Buffer.alloc(max + 1024, 0x20), userId: ADMIN });
    expect(tb.callsOf("getFile")).toHaveLength(0);
    expect(lastText()).toMatch(/«qua-lon\.pdf».*tệp quá lớn.*tối đa 20 MB/);
    expect(await corpusFiles()).toEqual(files);
  });

  it("rejects a wrong type (.xlsx) without downloading it", async () => {
    const files = await corpusFiles();
    await tb.sendDocument({ fileName: "bao-cao.xlsx", bytes: Buffer.from("PK\u0003\u0004 not really a workbook"), userId: ADMIN });
    expect(tb.callsOf("getFile")).toHaveLength(0);
    expect(lastText()).toContain("«bao-cao.xlsx»");
    expect(lastText()).toMatch(/định dạng «\.xlsx» không được hỗ trợ.*\.pdf/);
    expect(await corpusFiles()).toEqual(files);
  });

  it("rejects a corrupt PDF after downloading it, and stores nothing", async () => {
    const files = await corpusFiles();
    const docs = tb.services.knowledge.engine().docs.length;
    await tb.sendDocument({ fileName: "hong.pdf", bytes: Buffer.concat([pdf.subarray(0, 400), Buffer.from("garbage")]), userId: ADMIN });
    expect(tb.callsOf("getFile")).toHaveLength(1);
    expect(lastText()).toMatch(/^⚠️ Không đọc được tệp «hong\.pdf»/);
    expect(await corpusFiles()).toEqual(files);
    expect(tb.services.knowledge.engine().docs.length).toBe(docs);
  });

  it("rejects an empty text file", async () => {
    const files = await corpusFiles();
    await tb.sendDocument({ fileName: "rong.txt", bytes: Buffer.from("   \n\n  "), userId: ADMIN });
    expect(lastText()).toMatch(/^⚠️ .*«rong\.txt»/);
    expect(lastText()).not.toContain("✅");
    expect(await corpusFiles()).toEqual(files);
  });

  it("reports a failed download without leaking the token", async () => {
    tb.stub("getFile", (p) => ({ file_id: p.file_id, file_unique_id: "x", file_size: 100, file_path: "documents/khong-co.pdf" }));
    try {
      await tb.sendDocument({ fileName: "mat.pdf", bytes: pdf, userId: ADMIN });
    } finally {
      tb.stub("getFile", null);
    }
    expect(lastText()).toContain("Không tải được tệp «mat.pdf» từ Telegram");
    for (const text of tb.sent()) expect(text).not.toContain(TEST_TOKEN);
  });

  it("refuses a non-admin's upload politely: not downloaded, nothing stored", async () => {
    const files = await corpusFiles();
    const docs = tb.services.knowledge.engine().docs.length;
    await tb.sendDocument({ fileName: "cua-toi.pdf", bytes: pdf, userId: MEMBER });
    expect(tb.callsOf("getFile")).toHaveLength(0);
    expect(tb.sent()).toHaveLength(1);
    expect(lastText()).toMatch(/chỉ quản trị viên mới được gửi tài liệu/);
    expect(await corpusFiles()).toEqual(files);
    expect(files).not.toContain("cua-toi.pdf");
    expect(tb.services.knowledge.engine().docs.length).toBe(docs);
  });
});

describe("/reindex", () => {
  it("rebuilds the index for an admin and reports documents, chunks, figures and skipped files", async () => {
    await tb.send("/reindex", { userId: ADMIN });
    expect(tb.sent()[0]).toMatch(/Đang lập lại chỉ mục/);
    const report = lastText();
    const engine = tb.services.knowledge.engine();
    expect(report).toContain("✅ Đã lập lại chỉ mục");
    expect(report).toContain(`${engine.docs.length} tài liệu, ${engine.chunksById.size} đoạn, ${engine.figures.length} số liệu`);
    // The four shipped documents and the uploaded one.
    expect(engine.docs.length).toBe(5);
    expect(report).toContain("Không bỏ qua tệp nào");
  });

  it("names the files it skipped", async () => {
    const { writeFile, unlink } = await import("node:fs/promises");
    const bad = path.join(corpusDir, "hong-tren-dia.pdf");
    await writeFile(bad, "%PDF-1.7 broken");
    try {
      await tb.send("/reindex", { userId: ADMIN });
    } finally {
      await unlink(bad);
    }
    expect(lastText()).toMatch(/Bỏ qua 1 tệp:\n {2}– hong-tren-dia\.pdf \(corrupt\)/);
  });

  it("is refused to a non-admin", async () => {
    const version = tb.services.knowledge.engine().manifest;
    await tb.send("/reindex", { userId: MEMBER });
    expect(tb.sent()).toEqual(["Xin lỗi, lệnh này chỉ dành cho quản trị viên của trợ lý."]);
    expect(tb.services.knowledge.engine().manifest).toBe(version);
  });
});

describe("/stats", () => {
  it("shows questions, refusals, feedback and latency to an admin", async () => {
    await tb.send("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?", { userId: MEMBER });
    await tb.send("Giá vàng hôm nay bao nhiêu?", { userId: MEMBER });
    await tb.services.feedback.add({ at: new Date().toISOString(), chatId: MEMBER, userId: MEMBER, vote: "up", question: "q", answer: "a" });
    const s = await tb.services.stats.summary();
    const f = await tb.services.feedback.counts();
    expect(s.questions).toBeGreaterThanOrEqual(3);
    expect(s.refusals).toBeGreaterThanOrEqual(1);
    tb.reset();
    await tb.send("/stats", { userId: ADMIN });
    const text = lastText();
    expect(text).toContain(`• Câu hỏi: ${s.questions}`);
    expect(text).toContain(`• Từ chối (không có trong tài liệu): ${s.refusals} (`);
    expect(text).toContain(`• Phản hồi: 👍 ${f.up} / 👎 ${f.down}`);
    expect(text).toContain(`p50 ${Math.round(s.p50Ms)} ms, p95 ${Math.round(s.p95Ms)} ms`);
    expect(text).toContain("5 tài liệu");
  });

  it("is refused to a non-admin", async () => {
    await tb.send("/stats", { userId: MEMBER });
    expect(tb.sent()).toEqual(["Xin lỗi, lệnh này chỉ dành cho quản trị viên của trợ lý."]);
  });
});

describe("the repository", () => {
  it("keeps its shipped corpus untouched", async () => {
    expect((await readdir(path.join(PROJECT_ROOT, "knowledge/corpus"))).sort()).toEqual(SHIPPED);
  });
});

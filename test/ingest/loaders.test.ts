import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeText } from "../../knowledge/text/normalize.js";
import { LoadError, loadBuffer, loadFile, SUPPORTED_EXTENSIONS, type LoadErrorCode } from "../../ingest/loaders/index.js";

const require = createRequire(import.meta.url);
// Roboto (WOFF, read by pdfkit's fontkit) has the Vietnamese glyphs; it comes from npm.
const FONT = require.resolve("roboto-fontface/fonts/roboto/Roboto-Regular.woff");
const CORPUS = fileURLToPath(new URL("../../knowledge/corpus/", import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "htx-loaders-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, data: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

/** The LoadError a promise rejects with (fails the test when it resolves or throws otherwise). */
async function loadError(promise: Promise<unknown>): Promise<LoadError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LoadError);
    return error as LoadError;
  }
  throw new Error("expected a LoadError, but loading succeeded");
}

async function expectLoadError(promise: Promise<unknown>, code: LoadErrorCode, fileName: string): Promise<LoadError> {
  const error = await loadError(promise);
  expect(error.code).toBe(code);
  expect(error.vi).toContain(`«${fileName}»`);
  expect(error.en).toContain(`«${fileName}»`);
  expect(error.message).toBe(error.vi);
  return error;
}

interface PdfOptions {
  userPassword?: string;
  ownerPassword?: string;
  /** Draw a shape instead of text on every page (a "scanned" PDF with no text layer). */
  noText?: boolean;
}

/** A real PDF, one page per entry of `pages`, each page a list of lines. */
function makePdf(pages: string[][], opts: PdfOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      autoFirstPage: false,
      pdfVersion: "1.7",
      ...(opts.userPassword !== undefined ? { userPassword: opts.userPassword } : {}),
      ...(opts.ownerPassword !== undefined ? { ownerPassword: opts.ownerPassword } : {}),
    });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("vi", FONT);
    for (const lines of pages) {
      doc.addPage();
      if (opts.noText) {
        doc.rect(50, 50, 200, 100).fill("#777777");
        continue;
      }
      doc.font("vi").fontSize(12);
      for (const line of lines) doc.text(line);
    }
    doc.end();
  });
}

async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`,
  );
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join("");
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "nodebuffer" });
}

const lines = (text: string): string[] => text.split("\n");

describe("SUPPORTED_EXTENSIONS", () => {
  it("lists the four formats", () => {
    expect(SUPPORTED_EXTENSIONS).toEqual([".txt", ".md", ".pdf", ".docx"]);
  });
});

describe("corpus files", () => {
  it("loads every corpus file as normalised text without trailing spaces", async () => {
    const files = (await readdir(CORPUS)).filter((f) => /\.(txt|md|pdf|docx)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const loaded = await loadFile(join(CORPUS, f));
      expect(loaded.file).toBe(join(CORPUS, f));
      expect(loaded.text.length).toBeGreaterThan(1000);
      expect(loaded.bytes).toBeGreaterThan(loaded.text.length / 2);
      expect(loaded.text).toBe(normalizeText(loaded.text));
      expect(loaded.text).not.toMatch(/[ \t]$/m);
      expect(loaded.text).not.toMatch(/\n{3,}/);
      expect(loaded.text).not.toContain("\r");
    }
  });

  it("strips Markdown markup from the Lạng Sơn plan", async () => {
    const loaded = await loadFile(join(CORPUS, "lang-son-ke-hoach-kttt-htx-2024.md"));
    const text = loaded.text;
    expect(loaded.format).toBe("md");
    expect(loaded.pages).toBeNull();
    expect(lines(text)).toContain("Phần thứ nhất");
    expect(lines(text)).toContain("Phần thứ hai");
    expect(lines(text)).toContain("KẾ HOẠCH");
    // A bold heading split by a "  " line break inside one **…** span is one line.
    expect(lines(text)).toContain("ĐÁNH GIÁ TÌNH HÌNH PHÁT TRIỂN KINH TẾ TẬP THỂ, HỢP TÁC XÃ NĂM 2023");
    expect(lines(text)).toContain("I. TÌNH HÌNH PHÁT TRIỂN KINH TẾ TẬP THỂ, HỢP TÁC XÃ NĂM 2023");
    // Italic heading under "####".
    expect(lines(text)).toContain("c) Liên hiệp hợp tác xã (LHHTX)");
    expect(text).toContain("5.409");
    // Footnote marks go with their number; footnote definitions stay as paragraphs.
    expect(text).toContain("đang tiến hành thủ tục giải thể). Lĩnh vực");
    expect(lines(text)).toContain(
      "Báo cáo số 305/BC-UBND ngày 28/6/2023 của UBND tỉnh về tình hình hợp tác xã ngừng hoạt động, chờ giải thể.",
    );
    expect(lines(text)).toContain("Nơi nhận:");
    for (const markup of ["<sup>", "</sup>", "**", "---", "#", "\\"]) expect(text).not.toContain(markup);
    expect(text).not.toMatch(/(^|\s)\*|\*(\s|$)/);
  });

  it("keeps the OCR text files' lines", async () => {
    const cao = await loadFile(join(CORPUS, "cao-bang-ke-hoach-kttt-htx-2026.txt"));
    expect(cao.format).toBe("txt");
    expect(cao.pages).toBeNull();
    expect(cao.text).toContain("2672 /KH-UBND");
    expect(lines(cao.text)).toContain("KE HOACH");
    const bacKan = await loadFile(join(CORPUS, "bac-kan-ke-hoach-kttt-htx-2025.txt"));
    expect(lines(bacKan.text)).toContain("Phần thứ nhất");
    expect(lines(bacKan.text)).toContain("PHÁT TRIỂN KINH TẾ TẬP THỂ, HỢP TÁC XÃ NĂM 2025");
  });
});

describe("txt", () => {
  it("strips a UTF-8 BOM, normalises and trims trailing spaces", async () => {
    const path = await fixture(
      "bom.txt",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Hợp tác xã   \r\nkhoẻ\u00a0mạnh\t \r\n\r\n\r\n\r\nDòng ba\n\n")]),
    );
    const loaded = await loadFile(path);
    expect(loaded.text).toBe("Hợp tác xã\nkhỏe mạnh\n\nDòng ba");
    expect(loaded.bytes).toBeGreaterThan(0);
  });

  it("decodes decomposed (NFD) text to NFC", async () => {
    const loaded = await loadBuffer("nfd.txt", Buffer.from("Hợp tác xã".normalize("NFD")));
    expect(loaded.text).toBe("Hợp tác xã");
  });

  it("decodes UTF-16 LE and BE with a BOM", async () => {
    const text = "Kế hoạch phát triển\nHợp tác xã";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    expect(be[0]).toBe(0xfe);
    expect((await loadFile(await fixture("le.txt", le))).text).toBe(text);
    expect((await loadFile(await fixture("be.txt", be))).text).toBe(text);
  });

  it("rejects invalid UTF-8 as corrupt", async () => {
    const path = await fixture("latin1.txt", Buffer.from([0x48, 0x6f, 0xe0, 0x20, 0x74, 0xe1, 0x63, 0x0a]));
    const error = await expectLoadError(loadFile(path), "corrupt", "latin1.txt");
    expect(error.vi).toContain("UTF-8");
    expect(error.en).toContain("UTF-8");
  });

  it("rejects NUL bytes as corrupt", async () => {
    await expectLoadError(loadBuffer("bin.txt", Buffer.from("abc\u0000def")), "corrupt", "bin.txt");
  });
});

describe("md", () => {
  const md = async (source: string): Promise<string> => (await loadBuffer("t.md", Buffer.from(source))).text;

  it("removes headings, emphasis, rules, tags, links and escapes", async () => {
    const source = [
      "# **Phần thứ ba**",
      "## Mục tiêu ##",
      "",
      "Một *đoạn* có __đậm__, _nghiêng_ và ***cả hai***, [liên kết](https://example.org/a_b) và ![ảnh](x.png).",
      "",
      "---",
      "",
      "\\- Dòng bắt đầu bằng gạch \\*không\\* phải danh sách<br>dòng mới",
      "Số <b>đậm</b> &amp; thực thể&nbsp;cách, <!-- chú thích --> <https://example.org/x_y_z>",
      "> Trích dẫn `mã *không* đổi`",
      "",
      "***",
      "Tiêu đề setext",
      "===",
    ].join("\n");
    expect(lines(await md(source))).toEqual([
      "Phần thứ ba",
      "Mục tiêu",
      "",
      "Một đoạn có đậm, nghiêng và cả hai, liên kết và ảnh.",
      "",
      "- Dòng bắt đầu bằng gạch *không* phải danh sách",
      "dòng mới",
      "Số đậm & thực thể cách,  https://example.org/x_y_z",
      "Trích dẫn mã *không* đổi",
      "",
      "Tiêu đề setext",
    ]);
  });

  it("leaves lone asterisks and intraword underscores alone", async () => {
    expect(await md("Diện tích 5*3 m, 2*3*4 và 2 * 3 = 6")).toBe("Diện tích 5*3 m, 2*3*4 và 2 * 3 = 6");
    expect(await md("* mục một\n* mục hai")).toBe("* mục một\n* mục hai");
    expect(await md("tệp ke_hoach_2024.md và a**b")).toBe("tệp ke_hoach_2024.md và a**b");
    expect(await md("Ghi chú * (xem dưới)")).toBe("Ghi chú * (xem dưới)");
  });

  it("removes footnote marks, moves footnotes out of the text and rejoins the sentence they cut", async () => {
    const source = [
      "- Ước đến ngày 31/12/2023, tổng số cán bộ quản lý<sup>1</sup>",
      "",
      "<sup>1</sup> Báo cáo số 305/BC-UBND.",
      "",
      "HTX là 1.590 người, đạt 103,2% kế hoạch.",
      "",
      "Tham chiếu[^2] khác.",
      "",
      "[^2]: Định nghĩa chú thích.",
    ].join("\n");
    expect(lines(await md(source)).filter((l) => l !== "")).toEqual([
      "- Ước đến ngày 31/12/2023, tổng số cán bộ quản lý HTX là 1.590 người, đạt 103,2% kế hoạch.",
      "Tham chiếu khác.",
      "Báo cáo số 305/BC-UBND.",
      "Định nghĩa chú thích.",
    ]);
  });

  it("joins a bold heading split by hard line breaks, and only inside one bold span", async () => {
    const source = [
      "**Phần thứ nhất**  ",
      "**ĐÁNH GIÁ TÌNH HÌNH,  ",
      "HỢP TÁC XÃ  ",
      "NĂM 2023**",
      "",
      "- dòng một,  ",
      "dòng hai",
      "",
      "**không đóng  ",
      "dòng sau",
    ].join("\n");
    expect(lines(await md(source))).toEqual([
      "Phần thứ nhất",
      "ĐÁNH GIÁ TÌNH HÌNH, HỢP TÁC XÃ NĂM 2023",
      "",
      "- dòng một,",
      "dòng hai",
      "",
      "**không đóng",
      "dòng sau",
    ]);
  });

  it("drops link reference definitions but not text that looks like them", async () => {
    const source = ["Xem [Cổng thông tin][cong].", "", "[cong]: https://example.org/cong \"Cổng\"", "[1]: 305/BC-UBND"].join("\n");
    expect(lines(await md(source))).toEqual(["Xem Cổng thông tin.", "", "[1]: 305/BC-UBND"]);
  });

  it("keeps code blocks verbatim without their fences", async () => {
    expect(await md("Trước\n```\n**giữ** *nguyên*\n```\nSau")).toBe("Trước\n**giữ** *nguyên*\nSau");
  });
});

describe("pdf", () => {
  const page1 = ["KẾ HOẠCH PHÁT TRIỂN KINH TẾ TẬP THỂ", "Tổng số thành viên hợp tác xã là 5.409 người."];
  const page2 = ["Phần thứ hai", "Ủy ban nhân dân tỉnh Lạng Sơn; khoẻ mạnh."];

  it("extracts Vietnamese text per page with page spans", async () => {
    const path = await fixture("hai-trang.pdf", await makePdf([page1, page2]));
    const loaded = await loadFile(path);
    expect(loaded.format).toBe("pdf");
    expect(loaded.pages).not.toBeNull();
    const pages = loaded.pages ?? [];
    expect(pages.map((p) => p.page)).toEqual([1, 2]);
    const [first, second] = pages;
    if (!first || !second) throw new Error("two pages expected");
    expect(loaded.text.slice(first.start, first.end)).toBe(page1.join("\n"));
    // normalizeText rewrites new-style tone marks ("khoẻ" → "khỏe").
    expect(loaded.text.slice(second.start, second.end)).toBe(normalizeText(page2.join("\n")));
    expect(first.start).toBe(0);
    expect(second.start).toBe(first.end + 2);
    expect(second.end).toBe(loaded.text.length);
    expect(loaded.text.slice(first.end, second.start)).toBe("\n\n");
    expect(lines(loaded.text)).toContain("Phần thứ hai");
  });

  it("does not detach or modify the caller's buffer", async () => {
    const data = new Uint8Array(await makePdf([page1]));
    const copy = Uint8Array.from(data);
    const loaded = await loadBuffer("upload.pdf", data);
    expect(loaded.text).toContain("5.409");
    expect(loaded.bytes).toBe(copy.byteLength);
    expect(data.byteLength).toBe(copy.byteLength);
    expect(Buffer.from(data).equals(Buffer.from(copy))).toBe(true);
  });

  it("reports a password-protected PDF as encrypted", async () => {
    const path = await fixture("mat-khau.pdf", await makePdf([page1], { userPassword: "bimat", ownerPassword: "chu" }));
    const error = await expectLoadError(loadFile(path), "encrypted", "mat-khau.pdf");
    expect(error.vi).toBe("Không đọc được tệp «mat-khau.pdf»: tệp có mật khẩu.");
    expect(error.en).toBe("Cannot read «mat-khau.pdf»: the file is password-protected.");
    expect((error.cause as Error).name).toBe("PasswordException");
  });

  it("reads a PDF that only has an owner (permissions) password", async () => {
    const loaded = await loadBuffer("chi-quyen.pdf", await makePdf([page1], { ownerPassword: "chu" }));
    expect(loaded.text).toBe(page1.join("\n"));
  });

  it("reports random bytes as corrupt", async () => {
    const path = await fixture("hong.pdf", randomBytes(4096));
    await expectLoadError(loadFile(path), "corrupt", "hong.pdf");
    await expectLoadError(
      loadBuffer("dau-pdf.pdf", Buffer.from("%PDF-1.7\n" + "rác ".repeat(200))),
      "corrupt",
      "dau-pdf.pdf",
    );
  });

  it("leaves no handles behind after good and failed loads", async () => {
    const good = await makePdf([page1]);
    const locked = await makePdf([page1], { userPassword: "bimat" });
    const handles = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== "Timeout" && r !== "Immediate");
    const before = handles();
    for (let i = 0; i < 3; i++) {
      await loadBuffer("a.pdf", good);
      await loadError(loadBuffer("b.pdf", locked));
      await loadError(loadBuffer("c.pdf", Buffer.from("%PDF-1.4 junk")));
    }
    expect(handles().length).toBeLessThanOrEqual(before.length);
  });

  it("reports a PDF without a text layer as empty, needing OCR", async () => {
    const error = await expectLoadError(
      loadBuffer("scan.pdf", await makePdf([[], []], { noText: true })),
      "empty",
      "scan.pdf",
    );
    expect(error.vi).toContain("OCR");
    expect(error.en).toContain("OCR");
  });
});

describe("docx", () => {
  it("extracts paragraphs one per line", async () => {
    const path = await fixture(
      "van-ban.docx",
      await makeDocx(["KẾ HOẠCH", "Phát triển kinh tế tập thể, hợp tác xã năm 2024", "Tổng số 5.409 thành viên   "]),
    );
    const loaded = await loadFile(path);
    expect(loaded.format).toBe("docx");
    expect(loaded.pages).toBeNull();
    const nonBlank = lines(loaded.text).filter((l) => l !== "");
    expect(nonBlank).toEqual(["KẾ HOẠCH", "Phát triển kinh tế tập thể, hợp tác xã năm 2024", "Tổng số 5.409 thành viên"]);
  });

  it("reports a non-zip .docx as corrupt", async () => {
    const path = await fixture("hong.docx", randomBytes(2048));
    await expectLoadError(loadFile(path), "corrupt", "hong.docx");
  });

  it("reports a zip without a Word document as corrupt", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "không phải docx");
    await expectLoadError(loadBuffer("zip.docx", await zip.generateAsync({ type: "nodebuffer" })), "corrupt", "zip.docx");
  });

  it("reports an encrypted (OLE-wrapped) .docx as encrypted", async () => {
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole, 0);
    Buffer.from("EncryptedPackage", "utf16le").copy(ole, 600);
    await expectLoadError(loadBuffer("khoa.docx", ole), "encrypted", "khoa.docx");
  });

  it("reports a docx with no text as empty", async () => {
    await expectLoadError(loadBuffer("trong.docx", await makeDocx(["", "   "])), "empty", "trong.docx");
  });
});

describe("failures common to every format", () => {
  it("reports a missing file", async () => {
    const error = await expectLoadError(loadFile(join(dir, "khong-co.pdf")), "missing", "khong-co.pdf");
    expect(error.file).toBe(join(dir, "khong-co.pdf"));
  });

  it("reports a directory as missing (not a file)", async () => {
    await expectLoadError(loadFile(dir), "missing", dir.split(/[\\/]/).pop() ?? "");
  });

  it("reports zero bytes and white space only as empty", async () => {
    await expectLoadError(loadFile(await fixture("rong.txt", "")), "empty", "rong.txt");
    await expectLoadError(loadFile(await fixture("trang.md", " \n\t\n  \r\n")), "empty", "trang.md");
    await expectLoadError(loadFile(await fixture("chi-markup.md", "---\n\n<sup>1</sup>\n")), "empty", "chi-markup.md");
    await expectLoadError(loadBuffer("rong.pdf", new Uint8Array(0)), "empty", "rong.pdf");
  });

  it("reports unsupported extensions, listing the supported formats", async () => {
    const path = await fixture("bang.xlsx", "PK fake");
    const error = await expectLoadError(loadFile(path), "unsupported", "bang.xlsx");
    for (const ext of SUPPORTED_EXTENSIONS) {
      expect(error.vi).toContain(ext);
      expect(error.en).toContain(ext);
    }
    await expectLoadError(loadBuffer("khong-duoi", Buffer.from("x")), "unsupported", "khong-duoi");
  });

  it("accepts upper-case extensions", async () => {
    expect((await loadBuffer("GHI-CHU.TXT", Buffer.from("Xin chào"))).format).toBe("txt");
  });

  it("reports files over maxBytes as oversized before reading them", async () => {
    const path = await fixture("lon.txt", "x".repeat(2000));
    const error = await expectLoadError(loadFile(path, { maxBytes: 1024 }), "oversized", "lon.txt");
    expect(error.vi).toContain("tối đa 1 KB");
    expect(error.en).toContain("limit 1 KB");
    await expectLoadError(loadBuffer("lon.pdf", Buffer.alloc(100), { maxBytes: 99 }), "oversized", "lon.pdf");
    expect((await loadFile(path, { maxBytes: 2000 })).text).toHaveLength(2000);
  });

  it("rejects a nonsensical maxBytes", async () => {
    await expect(loadBuffer("a.txt", Buffer.from("a"), { maxBytes: 0 })).rejects.toThrow(RangeError);
  });
});

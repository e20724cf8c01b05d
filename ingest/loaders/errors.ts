// Load failures with a user-facing message in Vietnamese and its English variant.

import { basename } from "node:path";

export type LoadErrorCode = "missing" | "empty" | "unsupported" | "corrupt" | "encrypted" | "oversized";

/**
 * Why a file could not be turned into text. `message` is the Vietnamese text (`vi`); `en` is the
 * English variant. Both name the file by its base name, e.g. «x.pdf».
 */
export class LoadError extends Error {
  override readonly name = "LoadError";
  readonly code: LoadErrorCode;
  /** The path (loadFile) or name (loadBuffer) as given by the caller. */
  readonly file: string;
  readonly vi: string;
  readonly en: string;

  constructor(code: LoadErrorCode, file: string, vi: string, en: string, options?: { cause?: unknown }) {
    super(vi, options);
    this.code = code;
    this.file = file;
    this.vi = vi;
    this.en = en;
  }
}

/** Human-readable size: "512 B", "3,4 KB" / "3.4 KB", "20 MB". */
function formatBytes(bytes: number, decimalComma: boolean): string {
  const fmt = (n: number): string => {
    const s = Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, "");
    return decimalComma ? s.replace(".", ",") : s;
  };
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / (1024 * 1024))} MB`;
}

/** Builders for every failure, so messages stay uniform. */
export const loadErrors = {
  missing(file: string, cause?: unknown): LoadError {
    const n = basename(file);
    return new LoadError(
      "missing",
      file,
      `Không đọc được tệp «${n}»: không tìm thấy tệp.`,
      `Cannot read «${n}»: the file does not exist.`,
      { cause },
    );
  },
  notAFile(file: string): LoadError {
    const n = basename(file);
    return new LoadError(
      "missing",
      file,
      `Không đọc được tệp «${n}»: đường dẫn không phải là một tệp.`,
      `Cannot read «${n}»: the path is not a regular file.`,
    );
  },
  noAccess(file: string, cause?: unknown): LoadError {
    const n = basename(file);
    return new LoadError(
      "missing",
      file,
      `Không đọc được tệp «${n}»: không có quyền đọc tệp.`,
      `Cannot read «${n}»: permission denied.`,
      { cause },
    );
  },
  empty(file: string): LoadError {
    const n = basename(file);
    return new LoadError(
      "empty",
      file,
      `Không đọc được tệp «${n}»: tệp rỗng, không có nội dung văn bản.`,
      `Cannot read «${n}»: the file is empty (no text).`,
    );
  },
  pdfNeedsOcr(file: string): LoadError {
    const n = basename(file);
    return new LoadError(
      "empty",
      file,
      `Không đọc được tệp «${n}»: tệp PDF không có lớp chữ (có thể là bản scan ảnh); cần nhận dạng ký tự (OCR) trước khi nạp.`,
      `Cannot read «${n}»: the PDF has no extractable text (probably scanned images); it needs OCR first.`,
    );
  },
  unsupported(file: string, ext: string, supported: readonly string[]): LoadError {
    const n = basename(file);
    const list = supported.join(", ");
    const what = ext ? `định dạng «${ext}» không được hỗ trợ` : "tệp không có phần mở rộng";
    const whatEn = ext ? `the format «${ext}» is not supported` : "the file has no extension";
    return new LoadError(
      "unsupported",
      file,
      `Không đọc được tệp «${n}»: ${what}; chỉ nhận các định dạng ${list}.`,
      `Cannot read «${n}»: ${whatEn}; supported formats: ${list}.`,
    );
  },
  corrupt(file: string, detailVi: string, detailEn: string, cause?: unknown): LoadError {
    const n = basename(file);
    return new LoadError(
      "corrupt",
      file,
      `Không đọc được tệp «${n}»: ${detailVi}.`,
      `Cannot read «${n}»: ${detailEn}.`,
      { cause },
    );
  },
  encrypted(file: string, cause?: unknown): LoadError {
    const n = basename(file);
    return new LoadError(
      "encrypted",
      file,
      `Không đọc được tệp «${n}»: tệp có mật khẩu.`,
      `Cannot read «${n}»: the file is password-protected.`,
      { cause },
    );
  },
  oversized(file: string, bytes: number, maxBytes: number): LoadError {
    const n = basename(file);
    return new LoadError(
      "oversized",
      file,
      `Không đọc được tệp «${n}»: tệp quá lớn (${formatBytes(bytes, true)}; tối đa ${formatBytes(maxBytes, true)}).`,
      `Cannot read «${n}»: the file is too large (${formatBytes(bytes, false)}; limit ${formatBytes(maxBytes, false)}).`,
    );
  },
};

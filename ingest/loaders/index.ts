// Loaders: turn a .txt, .md, .pdf or .docx file (on disk or uploaded) into normalised text.

import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { docxToText } from "./docx.js";
import { LoadError, loadErrors } from "./errors.js";
import { markdownToText } from "./markdown.js";
import { pdfToText } from "./pdf.js";
import { decodeText, tidyText } from "./text.js";
import type { LoadedFormat, LoadedText, LoadOptions, PageSpan } from "./types.js";

export { LoadError } from "./errors.js";
export type { LoadErrorCode } from "./errors.js";
export type { LoadedFormat, LoadedText, LoadOptions, PageSpan } from "./types.js";

export const SUPPORTED_EXTENSIONS: string[] = [".txt", ".md", ".pdf", ".docx"];

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const FORMAT_BY_EXTENSION: Record<string, LoadedFormat> = {
  ".txt": "txt",
  ".md": "md",
  ".pdf": "pdf",
  ".docx": "docx",
};

function maxBytesOf(opts: LoadOptions | undefined): number {
  const max = opts?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isFinite(max) || max <= 0) throw new RangeError(`maxBytes must be a positive number, got ${max}`);
  return max;
}

function formatOf(file: string): LoadedFormat {
  const ext = extname(file).toLowerCase();
  const format = FORMAT_BY_EXTENSION[ext];
  if (!format) throw loadErrors.unsupported(file, ext, SUPPORTED_EXTENSIONS);
  return format;
}

function fsError(file: string, error: unknown): LoadError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return loadErrors.noAccess(file, error);
  if (code === "EISDIR") return loadErrors.notAFile(file);
  return loadErrors.missing(file, error);
}

async function extract(file: string, format: LoadedFormat, data: Uint8Array): Promise<LoadedText> {
  let text: string;
  let pages: PageSpan[] | null = null;
  switch (format) {
    case "txt":
      text = tidyText(decodeText(file, data));
      break;
    case "md":
      text = tidyText(markdownToText(decodeText(file, data)));
      break;
    case "pdf":
      ({ text, pages } = await pdfToText(file, data));
      break;
    case "docx":
      text = tidyText(await docxToText(file, data));
      break;
  }
  if (text.trim() === "") throw loadErrors.empty(file);
  return { file, format, text, pages, bytes: data.byteLength };
}

/**
 * Loads a file from disk. Fails with a `LoadError`: `missing` (no such file), `unsupported`
 * (extension not in SUPPORTED_EXTENSIONS), `oversized` (checked before reading), `empty`,
 * `corrupt` or `encrypted`.
 */
export async function loadFile(path: string, opts?: LoadOptions): Promise<LoadedText> {
  const maxBytes = maxBytesOf(opts);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw loadErrors.notAFile(path);
    size = info.size;
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw fsError(path, error);
  }
  const format = formatOf(path);
  if (size > maxBytes) throw loadErrors.oversized(path, size, maxBytes);
  if (size === 0) throw loadErrors.empty(path);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw fsError(path, error);
  }
  // The file may have changed since stat.
  if (data.byteLength > maxBytes) throw loadErrors.oversized(path, data.byteLength, maxBytes);
  if (data.byteLength === 0) throw loadErrors.empty(path);
  return extract(path, format, data);
}

/**
 * Loads an uploaded file held in memory; `name` gives the format (by its extension) and is used in
 * messages. The caller's bytes are not modified.
 */
export async function loadBuffer(name: string, data: Buffer | Uint8Array, opts?: LoadOptions): Promise<LoadedText> {
  const maxBytes = maxBytesOf(opts);
  const format = formatOf(name);
  if (data.byteLength > maxBytes) throw loadErrors.oversized(name, data.byteLength, maxBytes);
  if (data.byteLength === 0) throw loadErrors.empty(name);
  return extract(name, format, data);
}

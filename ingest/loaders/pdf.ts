// PDF text extraction with pdf-parse 2 (pdf.js), one text block per page.

import { loadErrors } from "./errors.js";
import { tidyText } from "./text.js";
import type { PageSpan } from "./types.js";

/** Separator between pages in the joined text. */
export const PAGE_SEPARATOR = "\n\n";

function isPasswordError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "PasswordException" || code === "PasswordException";
}

/**
 * Text of every page, tidied, joined with a blank line; `pages` holds each page's span in the
 * joined text. Password-protected → `encrypted`; unparsable → `corrupt`; no text on any page
 * (scanned images) → `empty` with a note that OCR is needed.
 */
export async function pdfToText(file: string, data: Uint8Array): Promise<{ text: string; pages: PageSpan[] }> {
  // Loaded on first use: pdf.js is large and most runs never read a PDF.
  const { PDFParse } = await import("pdf-parse");
  // pdf.js transfers (detaches) the buffer it is given: hand it a copy, never the caller's bytes.
  const parser = new PDFParse({ data: new Uint8Array(data), stopAtErrors: false });
  let pageTexts: Array<{ num: number; text: string }>;
  try {
    const result = await parser.getText();
    pageTexts = result.pages;
  } catch (error) {
    if (isPasswordError(error)) throw loadErrors.encrypted(file, error);
    throw loadErrors.corrupt(file, "tệp PDF bị hỏng hoặc không đúng định dạng", "the PDF is damaged or not a PDF", error);
  } finally {
    await parser.destroy();
  }

  let text = "";
  const pages: PageSpan[] = [];
  for (const [i, page] of pageTexts.entries()) {
    if (i > 0) text += PAGE_SEPARATOR;
    const pageText = tidyText(page.text);
    pages.push({ page: page.num, start: text.length, end: text.length + pageText.length });
    text += pageText;
  }
  if (text.trim() === "") throw loadErrors.pdfNeedsOcr(file);
  return { text, pages };
}

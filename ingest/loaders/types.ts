// Shapes returned by the loaders.

/** Where one page's text lies in `LoadedText.text` (`text.slice(start, end)`); pages are 1-based. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

export type LoadedFormat = "txt" | "md" | "pdf" | "docx";

export interface LoadedText {
  /** The path (loadFile) or name (loadBuffer) as given by the caller. */
  file: string;
  format: LoadedFormat;
  /** normalizeText-normalised, one paragraph or heading per line, no trailing spaces. */
  text: string;
  /** Page spans for paged formats (PDF); null otherwise. */
  pages: PageSpan[] | null;
  /** Size of the source in bytes. */
  bytes: number;
}

export interface LoadOptions {
  /** Largest accepted source, in bytes; default 20 MiB. */
  maxBytes?: number;
}

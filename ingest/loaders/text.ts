// Plain-text decoding and the final clean-up every loader applies.

import { normalizeText } from "../../knowledge/text/normalize.js";
import { loadErrors } from "./errors.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const UTF16LE = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: false });

/**
 * Decodes a text file: UTF-8 (BOM stripped), or UTF-16 LE/BE when it starts with a BOM.
 * Invalid byte sequences or NUL characters (a binary file) are `corrupt`.
 */
export function decodeText(file: string, data: Uint8Array): string {
  let text: string;
  try {
    if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) {
      if (data.length % 2 !== 0) throw new Error("odd number of bytes in UTF-16 text");
      let bytes = data;
      if (data[0] === 0xfe) {
        // Big endian: swap each pair on a copy and decode as little endian.
        const copy = Buffer.from(data);
        copy.swap16();
        bytes = copy;
      }
      text = UTF16LE.decode(bytes);
    } else {
      text = UTF8.decode(data);
    }
  } catch (cause) {
    throw loadErrors.corrupt(
      file,
      "tệp không phải văn bản UTF-8 hợp lệ (hãy lưu lại tệp với mã hóa UTF-8)",
      "the file is not valid UTF-8 text (save it again as UTF-8)",
      cause,
    );
  }
  if (text.includes("\u0000")) {
    throw loadErrors.corrupt(
      file,
      "tệp chứa ký tự NUL, có lẽ không phải tệp văn bản",
      "the file contains NUL characters and is probably not a text file",
    );
  }
  return text;
}

/**
 * Normalised text with trailing spaces trimmed on every line, page breaks turned into blank
 * lines, runs of blank lines collapsed to one, and no blank lines at either end.
 */
export function tidyText(input: string): string {
  return normalizeText(input)
    .replace(/[\f\v]/g, "\n\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .trimEnd();
}

// Word (.docx) text extraction with mammoth: one paragraph per line.

import { loadErrors } from "./errors.js";

// A password-protected .docx is not a zip but an OLE compound file holding an "EncryptedPackage"
// stream; a legacy .doc is a compound file too.
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

function isOleFile(data: Uint8Array): boolean {
  return OLE_MAGIC.every((b, i) => data[i] === b);
}

export async function docxToText(file: string, data: Uint8Array): Promise<string> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (isOleFile(buffer)) {
    if (buffer.includes(ENCRYPTED_PACKAGE)) throw loadErrors.encrypted(file);
    throw loadErrors.corrupt(
      file,
      "tệp không phải định dạng .docx (có thể là tệp Word cũ .doc; hãy lưu lại dưới dạng .docx)",
      "the file is not a .docx (perhaps a legacy Word .doc; save it again as .docx)",
    );
  }
  try {
    const { default: mammoth } = await import("mammoth");
    const result = await mammoth.extractRawText({ buffer });
    return result.value;
  } catch (error) {
    throw loadErrors.corrupt(
      file,
      "tệp .docx bị hỏng hoặc không đúng định dạng",
      "the .docx file is damaged or not a Word document",
      error,
    );
  }
}

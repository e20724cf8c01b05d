// A short note shown under an answer that a configured language model did not write (it was
// rejected by the guard, too slow, or unreachable). Pure.

import type { Answer, FallbackReason } from "../../knowledge/types.js";

const NOTES: Record<"vi" | "en", Record<FallbackReason, string>> = {
  vi: {
    guard: "Câu trả lời của mô hình ngôn ngữ có số liệu hoặc trích dẫn không kiểm chứng được, nên đây là câu trả lời tự động từ tài liệu.",
    timeout: "Mô hình ngôn ngữ trả lời quá lâu; đây là câu trả lời tự động từ tài liệu.",
    unavailable: "Mô hình ngôn ngữ đang không truy cập được; đây là câu trả lời tự động từ tài liệu.",
    "circuit-open": "Mô hình ngôn ngữ đang không truy cập được; đây là câu trả lời tự động từ tài liệu.",
    rejected: "Mô hình ngôn ngữ từ chối yêu cầu (cần kiểm tra cấu hình); đây là câu trả lời tự động từ tài liệu.",
  },
  en: {
    guard: "The language model's answer had figures or quotes that could not be verified, so this is the automatic answer from the documents.",
    timeout: "The language model took too long; this is the automatic answer from the documents.",
    unavailable: "The language model cannot be reached; this is the automatic answer from the documents.",
    "circuit-open": "The language model cannot be reached; this is the automatic answer from the documents.",
    rejected: "The language model refused the request (check the configuration); this is the automatic answer from the documents.",
  },
};

/** The note for an offline answer given instead of a model's, or null. */
export function fallbackNote(a: Answer, lang: "vi" | "en" = a.lang): string | null {
  const reason = a.llm?.fallback;
  return reason ? `ℹ️ ${NOTES[lang][reason]}` : null;
}

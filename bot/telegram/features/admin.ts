// Administration: document uploads (ingested into the corpus and searchable at once), /reindex
// and /stats. Only the users in ADMIN_USER_IDS may use them; anyone else is refused politely and
// an upload from them is never downloaded.

import path from "node:path";
import { Composer } from "grammy";
import type { Document } from "grammy/types";
import type { BotContext, Lang } from "../context.js";
import { langOf } from "../i18n.js";
import type { UploadResult } from "../../knowledge-service.js";
import type { BuildReport } from "../../../ingest/build.js";
import { LoadError, SUPPORTED_EXTENSIONS } from "../../../ingest/loaders/index.js";
import { loadErrors } from "../../../ingest/loaders/errors.js";

/** How long the download of one uploaded file may take. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

type Text = { vi: string; en: string };
const pick = (lang: Lang, t: Text): string => (lang === "en" ? t.en : t.vi);

export function isAdmin(ctx: BotContext): boolean {
  const id = ctx.from?.id;
  return id !== undefined && ctx.services.config.telegram.adminUserIds.includes(id);
}

const ONLY_ADMINS: Text = {
  vi: "Xin lỗi, lệnh này chỉ dành cho quản trị viên của trợ lý.",
  en: "Sorry, this command is only for the assistant's administrators.",
};

const UPLOAD_REFUSED: Text = {
  vi: "Cảm ơn anh/chị! Tuy nhiên chỉ quản trị viên mới được gửi tài liệu để bổ sung vào kho tài liệu; tệp này không được tải về hay lưu lại. Anh/chị có thể đặt câu hỏi bằng tin nhắn.",
  en: "Thank you! Only administrators can add documents to the library, so this file was neither downloaded nor stored. You can ask questions as text messages.",
};

/** A failure to fetch the file from Telegram (not the file's fault). */
class DownloadError extends Error {}

/** Replaces every occurrence of the bot token, so that no message or log line carries it. */
export function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join("[redacted]") : text;
}

/**
 * Downloads an uploaded file through the Bot API: getFile, then the file URL. The size is checked
 * against `maxBytes` from Telegram's answer, the Content-Length header and the bytes as they
 * arrive; the download is aborted after DOWNLOAD_TIMEOUT_MS.
 */
async function download(ctx: BotContext, doc: Document, name: string, maxBytes: number): Promise<Uint8Array> {
  const { token, apiRoot } = ctx.services.config.telegram;
  if (!token) throw new DownloadError("no bot token configured");
  const file = await ctx.api.getFile(doc.file_id);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw loadErrors.oversized(name, file.file_size, maxBytes);
  if (!file.file_path) throw new DownloadError("Telegram returned no file path");
  const url = `${apiRoot}/file/bot${token}/${file.file_path.split("/").map(encodeURIComponent).join("/")}`;
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    // Undici's errors may quote the URL (and so the token): keep only the reason.
    const reason = signal.aborted ? "timed out" : err instanceof Error ? err.message : String(err);
    throw new DownloadError(redactToken(`download failed: ${reason}`, token));
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new DownloadError(`download failed: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw loadErrors.oversized(name, declared, maxBytes);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw loadErrors.oversized(name, total, maxBytes);
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof LoadError) throw err;
    const reason = signal.aborted ? "timed out" : err instanceof Error ? err.message : String(err);
    throw new DownloadError(redactToken(`download failed: ${reason}`, token));
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return bytes;
}

function describeUpload(r: Extract<UploadResult, { ok: true }>): Text {
  const d = r.doc;
  const province = d.province ?? null;
  const period = d.period ? (d.period.from === d.period.to ? `${d.period.from}` : `${d.period.from}–${d.period.to}`) : null;
  const seconds = (r.ms / 1000).toFixed(1);
  const vi = [
    r.replaced ? `✅ Đã cập nhật tài liệu «${d.file}» (thay bản cũ).` : `✅ Đã thêm tài liệu «${d.file}».`,
    `• Tiêu đề: ${d.title}`,
    `• Tỉnh: ${province ?? "chưa xác định"}`,
    ...(d.number ? [`• Số hiệu: ${d.number}`] : []),
    ...(period ? [`• Năm: ${period}`] : []),
    `• ${r.chunks} đoạn, ${r.figures} số liệu`,
    `Đã lập chỉ mục trong ${seconds.replace(".", ",")} giây; có thể hỏi ngay.`,
  ].join("\n");
  const en = [
    r.replaced ? `✅ Updated «${d.file}» (replaced the previous version).` : `✅ Added «${d.file}».`,
    `• Title: ${d.title}`,
    `• Province: ${province ?? "unknown"}`,
    ...(d.number ? [`• Number: ${d.number}`] : []),
    ...(period ? [`• Year: ${period}`] : []),
    `• ${r.chunks} chunks, ${r.figures} figures`,
    `Indexed in ${seconds} s; you can ask about it now.`,
  ].join("\n");
  return { vi, en };
}

function describeReindex(r: BuildReport): Text {
  const seconds = (r.ms / 1000).toFixed(1);
  const skippedVi = r.skipped.map((s) => `  – ${s.file} (${s.code}${s.kept ? ", giữ bản đã lập chỉ mục" : ""})`);
  const skippedEn = r.skipped.map((s) => `  – ${s.file} (${s.code}${s.kept ? ", previous index kept" : ""})`);
  return {
    vi: [
      `✅ Đã lập lại chỉ mục trong ${seconds.replace(".", ",")} giây.`,
      `• ${r.docs} tài liệu, ${r.chunks} đoạn, ${r.figures} số liệu`,
      r.skipped.length ? `• Bỏ qua ${r.skipped.length} tệp:\n${skippedVi.join("\n")}` : "• Không bỏ qua tệp nào.",
    ].join("\n"),
    en: [
      `✅ Reindexed in ${seconds} s.`,
      `• ${r.docs} documents, ${r.chunks} chunks, ${r.figures} figures`,
      r.skipped.length ? `• Skipped ${r.skipped.length} files:\n${skippedEn.join("\n")}` : "• No files skipped.",
    ].join("\n"),
  };
}

/** Sends a short "working on it" message that `finish` later replaces with the result. */
async function progress(ctx: BotContext, text: string): Promise<(final: string) => Promise<void>> {
  const chatId = ctx.chat?.id;
  let messageId: number | undefined;
  try {
    messageId = (await ctx.reply(text)).message_id;
  } catch (err) {
    ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "progress message not sent");
  }
  return async (final: string) => {
    if (chatId !== undefined && messageId !== undefined) {
      try {
        await ctx.api.editMessageText(chatId, messageId, final);
        return;
      } catch (err) {
        ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "progress message not edited; replying instead");
      }
    }
    await ctx.reply(final);
  };
}

export function createAdminComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("message:document", async (ctx) => {
    const lang = langOf(ctx);
    const doc = ctx.message.document;
    const shown = (doc.file_name ?? "").slice(0, 120) || "(không tên)";
    if (!isAdmin(ctx)) {
      ctx.log.info({ userId: ctx.from.id, size: doc.file_size }, "upload refused: not an administrator");
      await ctx.reply(pick(lang, UPLOAD_REFUSED));
      return;
    }
    const { maxFileBytes } = ctx.services.config;
    // Checked before downloading anything: the type (by extension) and the size Telegram declares.
    const ext = path.extname(shown).toLowerCase();
    if (!SUPPORTED_EXTENSIONS.includes(ext)) {
      const e = loadErrors.unsupported(shown, ext, SUPPORTED_EXTENSIONS);
      ctx.log.info({ file: shown, code: e.code }, "upload rejected");
      await ctx.reply(`⚠️ ${pick(lang, e)}`);
      return;
    }
    if (doc.file_size !== undefined && doc.file_size > maxFileBytes) {
      const e = loadErrors.oversized(shown, doc.file_size, maxFileBytes);
      ctx.log.info({ file: shown, code: e.code, size: doc.file_size }, "upload rejected");
      await ctx.reply(`⚠️ ${pick(lang, e)}`);
      return;
    }

    const finish = await progress(ctx, pick(lang, { vi: `⏳ Đang xử lý tệp «${shown}»…`, en: `⏳ Processing «${shown}»…` }));
    let bytes: Uint8Array;
    try {
      bytes = await download(ctx, doc, shown, maxFileBytes);
    } catch (err) {
      if (err instanceof LoadError) {
        ctx.log.info({ file: shown, code: err.code }, "upload rejected");
        await finish(`⚠️ ${pick(lang, err)}`);
        return;
      }
      const reason = redactToken(err instanceof Error ? err.message : String(err), ctx.services.config.telegram.token);
      ctx.log.warn({ file: shown, err: reason }, "upload download failed");
      await finish(
        pick(lang, {
          vi: `⚠️ Không tải được tệp «${shown}» từ Telegram. Vui lòng gửi lại sau ít phút.`,
          en: `⚠️ Could not download «${shown}» from Telegram. Please send it again in a few minutes.`,
        }),
      );
      return;
    }

    let result: UploadResult;
    try {
      result = await ctx.services.knowledge.addDocument(shown, bytes);
    } catch (err) {
      ctx.log.error({ file: shown, err: err instanceof Error ? err.message : String(err) }, "upload indexing failed");
      await finish(
        pick(lang, {
          vi: `⚠️ Lỗi khi lập chỉ mục tệp «${shown}»; kho tài liệu vẫn giữ nguyên bản trước. Vui lòng thử lại hoặc báo cho người vận hành.`,
          en: `⚠️ Indexing «${shown}» failed; the library still serves the previous version. Please retry or tell the operator.`,
        }),
      );
      return;
    }
    if (!result.ok) {
      ctx.log.info({ file: shown, code: result.code }, "upload rejected");
      await finish(`⚠️ ${pick(lang, result)}`);
      return;
    }
    ctx.log.info(
      { doc: result.doc.id, chunks: result.chunks, figures: result.figures, replaced: result.replaced, ms: Math.round(result.ms) },
      "upload indexed",
    );
    await finish(pick(lang, describeUpload(result)));
  });

  composer.command("reindex", async (ctx) => {
    const lang = langOf(ctx);
    if (!isAdmin(ctx)) {
      await ctx.reply(pick(lang, ONLY_ADMINS));
      return;
    }
    const finish = await progress(ctx, pick(lang, { vi: "⏳ Đang lập lại chỉ mục…", en: "⏳ Rebuilding the index…" }));
    try {
      const report = await ctx.services.knowledge.reindex();
      await finish(pick(lang, describeReindex(report)));
    } catch (err) {
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "reindex failed");
      await finish(
        pick(lang, {
          vi: "⚠️ Lập lại chỉ mục không thành công; trợ lý vẫn dùng chỉ mục cũ.",
          en: "⚠️ Reindexing failed; the assistant keeps serving the previous index.",
        }),
      );
    }
  });

  composer.command("stats", async (ctx) => {
    const lang = langOf(ctx);
    if (!isAdmin(ctx)) {
      await ctx.reply(pick(lang, ONLY_ADMINS));
      return;
    }
    const [s, f] = await Promise.all([ctx.services.stats.summary(), ctx.services.feedback.counts()]);
    const engine = ctx.services.knowledge.engine();
    const share = s.questions ? Math.round((100 * s.refusals) / s.questions) : 0;
    const since = s.since ? s.since.slice(0, 10) : null;
    const ms = (n: number) => `${Math.round(n)} ms`;
    await ctx.reply(
      pick(lang, {
        vi: [
          `📊 Thống kê${since ? ` (từ ${since})` : ""}`,
          `• Câu hỏi: ${s.questions}`,
          `• Từ chối (không có trong tài liệu): ${s.refusals} (${share}%)`,
          `• Phản hồi: 👍 ${f.up} / 👎 ${f.down}`,
          `• Thời gian trả lời: p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}`,
          `• Kho tài liệu: ${engine.docs.length} tài liệu, ${engine.chunksById.size} đoạn, ${engine.figures.length} số liệu`,
        ].join("\n"),
        en: [
          `📊 Statistics${since ? ` (since ${since})` : ""}`,
          `• Questions: ${s.questions}`,
          `• Refusals (not in the documents): ${s.refusals} (${share}%)`,
          `• Feedback: 👍 ${f.up} / 👎 ${f.down}`,
          `• Answer time: p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}`,
          `• Library: ${engine.docs.length} documents, ${engine.chunksById.size} chunks, ${engine.figures.length} figures`,
        ].join("\n"),
      }),
    );
  });

  return composer;
}

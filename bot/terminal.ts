// Terminal chat over the same answerer as every other view. Follow-ups inherit the province
// and year of the previous question.

import { createInterface } from "node:readline";
import type { App } from "./app.js";
import { EMPTY_CONTEXT, QuestionError, type ConversationContext } from "../knowledge/answer/answerer.js";
import { describeDoc } from "../knowledge/answer/compose.js";
import type { Answer } from "../knowledge/types.js";
import { toTerminal } from "./render/plain.js";

const HELP = {
  vi: [
    "Hỏi bằng tiếng Việt, có dấu hoặc không dấu. Ví dụ:",
    "  • Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?",
    "  • Ngân sách trung ương chiếm bao nhiêu phần trăm nhu cầu vốn đầu tư năm 2026 của Cao Bằng?",
    "  • chi tieu thu nhap thanh vien htx nong nghiep bac kan 2025",
    "  • còn Lạng Sơn?   (câu hỏi tiếp theo giữ tỉnh/năm của câu trước)",
    "Lệnh: /tailieu (danh sách tài liệu) · /nguon (trích dẫn đầy đủ của câu trả lời trước) · /moi (bắt đầu lại) · /lang en · /thoat",
  ].join("\n"),
  en: [
    "Ask in Vietnamese (with or without diacritics) or English keywords. Examples:",
    "  • Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?",
    "  • chi tieu thu nhap thanh vien htx nong nghiep bac kan 2025",
    "Commands: /documents · /sources (full quotes of the last answer) · /new (reset) · /lang vi · /exit",
  ].join("\n"),
};

export function documentList(app: App, lang: "vi" | "en"): string {
  return app.engine.docs
    .map((d, i) => `${i + 1}. ${d.title}\n   ${d.province ?? "—"} · ${describeDoc(d, lang)}${d.date ? ` · ${lang === "vi" ? "ngày" : "dated"} ${d.date}` : ""}`)
    .join("\n");
}

export function sourcesText(a: Answer | null, lang: "vi" | "en"): string {
  if (!a || a.citations.length === 0) return lang === "vi" ? "Chưa có trích dẫn nào." : "No sources yet.";
  return a.citations.map((c) => `[${c.n}] ${c.title}\n    ${c.section}${c.page ? `, tr. ${c.page}` : ""}\n    «${c.quote}»`).join("\n");
}

export async function runTerminalChat(app: App, opts: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {}): Promise<void> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const tty = Boolean((output as NodeJS.WriteStream).isTTY);
  const rl = createInterface({ input, output, terminal: tty });
  let lang: "vi" | "en" = app.config.language;
  let context: ConversationContext = EMPTY_CONTEXT;
  let last: Answer | null = null;
  const say = (s: string) => output.write(`${s}\n`);
  say(lang === "vi" ? "Trợ lý HTX — hỏi về kế hoạch, nghị quyết phát triển kinh tế tập thể, HTX. Gõ /help để xem ví dụ." : "Trợ lý HTX — ask about the cooperative development plans. Type /help for examples.");
  const model = app.config.llm?.model;
  say(
    model
      ? lang === "vi"
        ? `Câu trả lời do mô hình ngôn ngữ ${model} soạn; mọi con số và trích dẫn được kiểm tra với tài liệu.`
        : `Answers are written by the language model ${model}; every number and quote is checked against the documents.`
      : lang === "vi"
        ? "Chế độ ngoại tuyến: câu trả lời soạn tự động từ tài liệu, không dùng mô hình ngôn ngữ."
        : "Offline mode: answers are composed from the documents, without a language model.",
  );
  say(lang === "vi" ? `Đang dùng ${app.engine.docs.length} tài liệu: ${app.engine.provinces.join(", ")}.` : `${app.engine.docs.length} documents: ${app.engine.provinces.join(", ")}.`);
  rl.setPrompt("❓ ");
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "") {
      rl.prompt();
      continue;
    }
    const cmd = line.toLowerCase().split(/\s+/)[0]!;
    if (["/thoat", "/exit", "/quit", "/q"].includes(cmd)) break;
    if (cmd === "/help" || cmd === "/start") say(HELP[lang]);
    else if (cmd === "/tailieu" || cmd === "/documents") say(documentList(app, lang));
    else if (cmd === "/nguon" || cmd === "/sources") say(sourcesText(last, lang));
    else if (cmd === "/moi" || cmd === "/new") {
      context = EMPTY_CONTEXT;
      say(lang === "vi" ? "Đã bắt đầu cuộc hội thoại mới." : "Started a new conversation.");
    } else if (cmd === "/lang") {
      const arg = line.split(/\s+/)[1];
      if (arg === "vi" || arg === "en") {
        lang = arg;
        say(lang === "vi" ? "Đã chuyển sang tiếng Việt." : "Switched to English.");
      } else say(lang === "vi" ? "Dùng: /lang vi hoặc /lang en" : "Use: /lang vi or /lang en");
    } else if (cmd.startsWith("/")) {
      say(lang === "vi" ? `Không có lệnh ${cmd}. Gõ /help.` : `Unknown command ${cmd}. Type /help.`);
    } else {
      try {
        const r = await app.answerer.ask(line, { context, lang });
        context = r.context;
        last = r.answer;
        say(toTerminal(r.answer, { color: tty }));
      } catch (err) {
        if (err instanceof QuestionError) say(lang === "vi" ? err.vi : err.en);
        else throw err;
      }
    }
    rl.prompt();
  }
  rl.close();
}

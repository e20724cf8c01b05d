// The bot's commands: one source of truth for the handlers (bot.command), the command menu
// (setMyCommands, Vietnamese by default and for "vi", English for "en") and /help.

import type { BotCommand } from "grammy/types";
import type { Lang } from "./context.js";

export interface CommandSpec {
  /** Vietnamese name (shown in the Vietnamese menu). */
  vi: string;
  /** English alias (shown in the English menu). Equal to `vi` when there is no separate name. */
  en: string;
  description: Record<Lang, string>;
  /** Only admins (config.telegram.adminUserIds) may use it. */
  admin?: boolean;
  /** Who implements it (for the record; T2/T3 register their own handlers). */
  owner: "core" | "targets" | "compare" | "policies" | "eligibility" | "admin";
}

export const COMMANDS = {
  start: { vi: "start", en: "start", owner: "core", description: { vi: "Bắt đầu, giới thiệu trợ lý", en: "Start and introduction" } },
  help: { vi: "help", en: "help", owner: "core", description: { vi: "Hướng dẫn và câu hỏi mẫu", en: "Help and example questions" } },
  ask: { vi: "hoi", en: "ask", owner: "core", description: { vi: "Đặt câu hỏi về kế hoạch, nghị quyết HTX", en: "Ask about the cooperative plans" } },
  calc: { vi: "tinh", en: "calc", owner: "core", description: { vi: "Máy tính: 1.790 + 16.650, 80/285 %", en: "Calculator: 1.790 + 16.650, 80/285 %" } },
  documents: { vi: "tailieu", en: "documents", owner: "core", description: { vi: "Danh sách tài liệu đã lập chỉ mục", en: "Indexed documents" } },
  sources: { vi: "nguon", en: "sources", owner: "core", description: { vi: "Nguồn của câu trả lời gần nhất", en: "Sources of the last answer" } },
  targets: { vi: "chitieu", en: "targets", owner: "targets", description: { vi: "Chỉ tiêu, mục tiêu của một tỉnh", en: "A province's targets" } },
  compare: { vi: "sosanh", en: "compare", owner: "compare", description: { vi: "So sánh các tỉnh, các năm", en: "Compare provinces or years" } },
  policies: { vi: "chinhsach", en: "policies", owner: "policies", description: { vi: "Chính sách, chương trình hỗ trợ", en: "Support policies and programs" } },
  eligibility: { vi: "dieukien", en: "eligibility", owner: "eligibility", description: { vi: "Kiểm tra điều kiện được hỗ trợ", en: "Check eligibility for support" } },
  lang: { vi: "lang", en: "lang", owner: "core", description: { vi: "Đổi ngôn ngữ: /lang vi hoặc /lang en", en: "Language: /lang vi or /lang en" } },
  reindex: { vi: "reindex", en: "reindex", owner: "admin", admin: true, description: { vi: "Lập lại chỉ mục (quản trị)", en: "Rebuild the index (admins)" } },
  stats: { vi: "stats", en: "stats", owner: "admin", admin: true, description: { vi: "Thống kê sử dụng (quản trị)", en: "Usage statistics (admins)" } },
} as const satisfies Record<string, CommandSpec>;

export type CommandKey = keyof typeof COMMANDS;

/** Every name a command answers to (Vietnamese first), for `bot.command(names(...), …)`. */
export function commandNames(key: CommandKey): string[] {
  const c: CommandSpec = COMMANDS[key];
  return c.vi === c.en ? [c.vi] : [c.vi, c.en];
}

/** The command menu in one language. */
export function commandMenu(lang: Lang): BotCommand[] {
  return (Object.values(COMMANDS) as CommandSpec[]).map((c) => ({ command: lang === "vi" ? c.vi : c.en, description: c.description[lang] }));
}

/** The setMyCommands calls to make: Vietnamese as the default and for "vi", English for "en". */
export function setMyCommandsCalls(): Array<{ commands: BotCommand[]; language_code?: "vi" | "en" }> {
  return [{ commands: commandMenu("vi") }, { commands: commandMenu("vi"), language_code: "vi" }, { commands: commandMenu("en"), language_code: "en" }];
}

/** Lines for /help: "/hoi (/ask) — description". */
export function commandHelpLines(lang: Lang, opts: { admin?: boolean } = {}): string[] {
  return (Object.values(COMMANDS) as CommandSpec[])
    .filter((c) => opts.admin || !c.admin)
    .map((c) => {
      const [first, second] = lang === "vi" ? [c.vi, c.en] : [c.en, c.vi];
      return `/${first}${second !== first ? ` (/${second})` : ""} — ${c.description[lang]}`;
    });
}

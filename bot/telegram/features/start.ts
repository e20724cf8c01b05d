// /start, /help (with example questions the user can tap) and /lang vi|en.

import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, Lang } from "../context.js";
import { commandHelpLines, commandNames } from "../commands.js";
import { CALLBACK, escapeHtml } from "../render.js";
import { langOfUser } from "../i18n.js";

/** Example questions shown under /start and /help; the button's callback asks it ("ex:<i>"). */
export const EXAMPLES: readonly string[] = [
  "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?",
  "Ngân sách trung ương chiếm bao nhiêu phần trăm nhu cầu vốn đầu tư năm 2026 của Cao Bằng?",
  "chi tieu thu nhap thanh vien htx nong nghiep bac kan 2025",
  "Lạng Sơn năm 2024 phấn đấu thành lập mới bao nhiêu HTX?",
];

export function examplesKeyboard(): InlineKeyboard {
  const kb = new InlineKeyboard();
  EXAMPLES.forEach((q, i) => kb.text(q.length > 60 ? `${q.slice(0, 57)}…` : q, CALLBACK.example(i)).row());
  return kb;
}

function helpHtml(ctx: BotContext, lang: Lang): string {
  const admin = ctx.from ? ctx.services.config.telegram.adminUserIds.includes(ctx.from.id) : false;
  return [
    ctx.t("help-title"),
    ctx.t("help-ask"),
    "",
    ctx.t("help-commands"),
    ...commandHelpLines(lang, { admin }).map(escapeHtml),
    "",
    ctx.t("help-examples"),
  ].join("\n");
}

export function createStartComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames("start"), async (ctx) => {
    // On first contact, pick the language from the user's Telegram settings.
    if (!ctx.session.langChosen) {
      ctx.session.lang = langOfUser(ctx);
      await ctx.i18n.renegotiateLocale();
    }
    const engine = ctx.services.knowledge.engine();
    const html = ctx.t("start-welcome", { docs: engine.docs.length, provinces: escapeHtml(engine.provinces.join(", ")) });
    await ctx.reply(html, { parse_mode: "HTML", reply_markup: examplesKeyboard() });
  });

  composer.command(commandNames("help"), async (ctx) => {
    await ctx.reply(helpHtml(ctx, ctx.session.lang), { parse_mode: "HTML", reply_markup: examplesKeyboard() });
  });

  composer.command(commandNames("lang"), async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    if (arg !== "vi" && arg !== "en") {
      await ctx.reply(ctx.t("lang-usage"));
      return;
    }
    ctx.session.lang = arg;
    ctx.session.langChosen = true;
    await ctx.i18n.renegotiateLocale();
    await ctx.reply(ctx.t("lang-switched"));
  });

  return composer;
}

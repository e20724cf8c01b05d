// Access control: when ALLOWED_USER_IDS or ALLOWED_CHAT_IDS is set, everyone else gets one polite
// refusal (remembered per user in private chats and per chat in groups) and nothing from the
// corpus. Callback queries get a short alert, inline queries an empty result. Runs before any
// feature and before the session, so strangers leave nothing on disk.

import { Composer } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../../config.js";
import type { BotContext } from "../context.js";
import { langOfUser } from "../i18n.js";

export function isAllowed(t: Config["telegram"], userId: number | undefined, chatId: number | undefined): boolean {
  if (t.allowedUserIds.length === 0 && t.allowedChatIds.length === 0) return true;
  if (userId !== undefined && (t.allowedUserIds.includes(userId) || t.adminUserIds.includes(userId))) return true;
  return chatId !== undefined && t.allowedChatIds.includes(chatId);
}

export function createAccessComposer(i18n: I18n<BotContext>, opts: { maxRemembered?: number } = {}): Composer<BotContext> {
  const max = opts.maxRemembered ?? 10_000;
  // Who has had their refusal already. Bounded: the oldest entries are forgotten first.
  const refused = new Set<string>();
  const composer = new Composer<BotContext>();
  composer.use(async (ctx, next) => {
    const userId = ctx.from?.id;
    const chatId = ctx.chat?.id;
    if (isAllowed(ctx.services.config.telegram, userId, chatId)) return next();
    const lang = langOfUser(ctx);
    ctx.log.info({ user_id: userId, chat_id: chatId }, "access denied");
    if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
      return;
    }
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: i18n.t(lang, "access-denied-alert"), show_alert: true });
      return;
    }
    if (!ctx.chat || !ctx.message) return;
    const key = ctx.chat.type === "private" ? `u:${userId ?? chatId}` : `c:${chatId}`;
    if (refused.has(key)) return;
    refused.add(key);
    if (refused.size > max) refused.delete(refused.values().next().value!);
    await ctx.reply(i18n.t(lang, "access-denied"));
  });
  return composer;
}

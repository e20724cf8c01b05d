// Questions: /hoi /ask, any text in a private chat, and in groups a mention of the bot or a reply
// to it (works with privacy mode on). Follow-ups keep the chat's context. The typing action is
// best effort: its failure never delays or prevents the answer.

import { Composer, type InlineKeyboard } from "grammy";
import { rememberAnswer, type BotContext } from "../context.js";
import { QuestionError } from "../../../knowledge/answer/answerer.js";
import { commandNames } from "../commands.js";
import { renderAnswer, splitMessage } from "../render.js";
import { EXAMPLES } from "./start.js";

/** Sends HTML, split under Telegram's limit; the keyboard goes on the last part. In groups it replies to the user's message. */
export async function replyHtml(ctx: BotContext, html: string, keyboard?: InlineKeyboard): Promise<void> {
  const parts = splitMessage(html);
  const replyTo = ctx.chat?.type !== "private" && ctx.message ? ctx.message.message_id : undefined;
  for (let i = 0; i < parts.length; i++) {
    await ctx.reply(parts[i]!, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: i === parts.length - 1 ? keyboard : undefined,
      reply_parameters: replyTo !== undefined && i === 0 ? { message_id: replyTo, allow_sending_without_reply: true } : undefined,
    });
  }
}

/** Shows "typing…" without waiting for it; a failure is only logged. */
export function typing(ctx: BotContext): void {
  if (!ctx.chat) return;
  ctx.api.sendChatAction(ctx.chat.id, "typing").catch((err: unknown) => {
    ctx.log.debug({ err: err instanceof Error ? err.message : String(err) }, "typing action failed");
  });
}

/** Telegram shows "typing…" for about 5 s: repeat it while a (language-model) answer takes longer. */
const TYPING_EVERY_MS = 4_500;

/** Answers one question in this chat: context from the session, answer rendered, statistics recorded. */
export async function answerQuestion(ctx: BotContext, question: string): Promise<void> {
  typing(ctx);
  const keepTyping = setInterval(() => typing(ctx), TYPING_EVERY_MS);
  const lang = ctx.session.lang;
  const t0 = performance.now();
  let result;
  try {
    result = await ctx.services.knowledge.ask(question, { context: ctx.session.context, lang });
  } catch (err) {
    if (err instanceof QuestionError) {
      await ctx.reply(lang === "vi" ? err.vi : err.en);
      return;
    }
    throw err;
  } finally {
    clearInterval(keepTyping);
  }
  const ms = performance.now() - t0;
  ctx.session.context = result.context;
  const answerId = rememberAnswer(ctx.session, result.answer);
  ctx.log.info({ ms: Math.round(ms), refused: result.answer.refused, citations: result.answer.citations.length, mode: result.answer.mode, fallback: result.answer.llm?.fallback ?? null }, "question answered");
  await ctx.services.stats.record({ at: new Date().toISOString(), chatId: ctx.chat?.id ?? 0, refused: result.answer.refused, ms });
  const messages = renderAnswer(result.answer, lang, answerId);
  const replyTo = ctx.chat?.type !== "private" && ctx.message ? ctx.message.message_id : undefined;
  for (const [i, m] of messages.entries()) {
    await ctx.reply(m.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: m.keyboard,
      reply_parameters: replyTo !== undefined && i === 0 ? { message_id: replyTo, allow_sending_without_reply: true } : undefined,
    });
  }
}

/** /hoi /ask and the example buttons of /start and /help. */
export function createQuestionComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("ask"), async (ctx) => {
    const q = ctx.match.trim();
    if (!q) {
      await ctx.reply(ctx.t("ask-usage"));
      return;
    }
    await answerQuestion(ctx, q);
  });
  composer.callbackQuery(/^ex:(\d+)$/, async (ctx) => {
    const example = EXAMPLES[Number(ctx.match[1])];
    await ctx.answerCallbackQuery();
    if (example) await answerQuestion(ctx, example);
  });
  return composer;
}

/** Whether a group message is addressed to the bot: a mention of it or a reply to one of its messages. */
export function addressedToBot(ctx: BotContext): { text: string } | null {
  const msg = ctx.message;
  if (!msg?.text) return null;
  const me = ctx.me;
  if (msg.reply_to_message?.from?.id === me.id) return { text: msg.text };
  const mention = `@${me.username}`.toLowerCase();
  for (const e of msg.entities ?? []) {
    if (e.type === "mention" && msg.text.slice(e.offset, e.offset + e.length).toLowerCase() === mention) {
      return { text: (msg.text.slice(0, e.offset) + msg.text.slice(e.offset + e.length)).replace(/\s+/g, " ").trim() };
    }
    if (e.type === "text_mention" && e.user?.id === me.id) {
      return { text: (msg.text.slice(0, e.offset) + msg.text.slice(e.offset + e.length)).replace(/\s+/g, " ").trim() };
    }
  }
  return null;
}

/**
 * Free text: installed LAST (after every feature) so that commands and flows of other features
 * win. Private chats: any text is a question, an unknown command gets a hint. Groups: only
 * mentions and replies to the bot.
 */
export function createFreeTextComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("message:text", async (ctx) => {
    const text = ctx.message.text.trim();
    if (text.startsWith("/")) {
      await ctx.reply(ctx.t("unknown-command", { command: text.split(/\s+/)[0]! }));
      return;
    }
    await answerQuestion(ctx, text);
  });
  composer.chatType(["group", "supergroup"]).on("message:text", async (ctx) => {
    const addressed = addressedToBot(ctx);
    if (!addressed || addressed.text.startsWith("/")) return;
    if (!addressed.text) {
      await ctx.reply(ctx.t("ask-usage"), { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } });
      return;
    }
    await answerQuestion(ctx, addressed.text);
  });
  return composer;
}

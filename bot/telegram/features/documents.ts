// /tailieu /documents: the indexed documents with province, kind, number, date and period.

import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { commandNames } from "../commands.js";
import { renderDocuments } from "../render.js";
import { replyHtml } from "./question.js";

export function createDocumentsComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("documents"), async (ctx) => {
    const docs = ctx.services.knowledge.engine().docs;
    await replyHtml(ctx, `${ctx.t("documents-title", { count: docs.length })}\n${renderDocuments(docs, ctx.session.lang)}`);
  });
  return composer;
}

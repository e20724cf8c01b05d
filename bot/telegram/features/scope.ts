// The province and year a content command (/chitieu, /chinhsach) is about: from its arguments,
// else from the conversation. A province the corpus does not cover is refused here, once.

import type { BotContext, Lang } from "../context.js";
import type { Engine } from "../../../knowledge/engine.js";
import { notCoveredHtml, parseScope } from "../html.js";
import { replyHtml } from "./question.js";

export interface CommandScope {
  engine: Engine;
  lang: Lang;
  /** A province the corpus covers, or null when the user still has to choose one. */
  province: string | null;
  year: number | null;
}

/** Null when the command named a province the corpus lacks (the refusal is already sent). */
export async function commandScope(ctx: BotContext, args: string): Promise<CommandScope | null> {
  const engine = ctx.services.knowledge.engine();
  const lang = ctx.session.lang;
  const scope = parseScope(engine, args);
  if (scope.unknownProvince) {
    await replyHtml(ctx, notCoveredHtml(engine, scope.unknownProvince, lang));
    return null;
  }
  const province = scope.province ?? ctx.session.context.province;
  return { engine, lang, province: province && engine.provinces.includes(province) ? province : null, year: scope.year };
}

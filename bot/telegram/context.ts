// Shared types of the Telegram bot: the context every feature receives, the per-chat session,
// and the services the composition root injects (no singletons: everything comes from here).

import type { Context, SessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { KnowledgeService } from "../knowledge-service.js";
import type { ConversationContext } from "../../knowledge/answer/answerer.js";
import type { Answer } from "../../knowledge/types.js";

export type Lang = "vi" | "en";

/** Choices made so far in the /dieukien (eligibility) flow. */
export interface EligibilityState {
  province?: string;
  sector?: string;
  stage?: "new" | "operating";
  need?: string;
}

/** Per chat, stored on disk so that it survives a restart. */
export interface SessionData {
  lang: Lang;
  /** Follow-up context (province, year, previous question). */
  context: ConversationContext;
  /** The last answer, for /nguon. */
  last: Answer | null;
  /** Recent answers by id, for the buttons under them (bounded). */
  answers?: Array<{ id: number; answer: Answer }>;
  eligibility: EligibilityState | null;
  /** Set once the user picked a language with /lang (then /start no longer follows language_code). */
  langChosen?: boolean;
}

export interface FeedbackEntry {
  at: string;
  chatId: number;
  userId: number | null;
  vote: "up" | "down";
  question: string;
  answer: string;
}

export interface FeedbackStore {
  add(entry: FeedbackEntry): Promise<void>;
  counts(): Promise<{ up: number; down: number }>;
}

export interface QuestionStat {
  at: string;
  chatId: number;
  refused: boolean;
  ms: number;
}

export interface StatsStore {
  record(stat: QuestionStat): Promise<void>;
  summary(): Promise<{ questions: number; refusals: number; p50Ms: number; p95Ms: number; since: string | null }>;
}

export interface Services {
  config: Config;
  knowledge: KnowledgeService;
  log: Logger;
  feedback: FeedbackStore;
  stats: StatsStore;
}

export type BotContext = Context &
  SessionFlavor<SessionData> &
  I18nFlavor & {
    services: Services;
    /** Child logger of this update (update id, chat id). */
    log: Logger;
  };

/** How many answers the buttons of older messages can still reach. */
export const ANSWERS_KEPT = 8;

/** Remembers an answer for its buttons and returns its id. */
export function rememberAnswer(session: SessionData, answer: Answer): number {
  const list = session.answers ?? [];
  const id = (list[list.length - 1]?.id ?? 0) + 1;
  session.answers = [...list, { id, answer }].slice(-ANSWERS_KEPT);
  session.last = answer;
  return id;
}

/** The answer a button belongs to: by its id, or the last answer for buttons without one. */
export function answerFor(session: SessionData, id: string | undefined): Answer | null {
  if (id === undefined) return session.last;
  return session.answers?.find((a) => a.id === Number(id))?.answer ?? null;
}

export function initialSession(lang: Lang = "vi"): SessionData {
  return { lang, context: { province: null, year: null, docIds: null, lastQuestion: null }, last: null, eligibility: null };
}

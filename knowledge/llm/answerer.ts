// The language-model answerer. The model chooses tools and writes the answer; code computes and
// checks. Every answer is verified before it is shown:
//   - each citation names a passage a tool showed, and its quote is found in that passage;
//   - each number is in a cited passage (text, section path, document metadata) or is the result
//     of a calculator whose inputs are themselves in cited passages.
// A rejected answer gets one retry that names the problems; a second rejection, a model that is
// down, slow or refusing requests, all give the offline answer, marked as such in `answer.llm`.
//
// The offline answer is always computed first (a few ms): it is the fallback, and it keeps the
// conversation's province and year for the offline features.

import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Engine } from "../engine.js";
import type { Answer, AnswerFigure, Citation, FallbackReason, LlmInfo } from "../types.js";
import type { Tools } from "../tools/index.js";
import { validateQuestion, type Answerer, type AskOptions, type AskResult, type ConversationContext, type Turn } from "../answer/answerer.js";
import { coverageText, describeDoc, sectionPath, tidy, type Lang } from "../answer/compose.js";
import { checkNumbers, locateQuote, numbersInSource } from "./guard.js";
import { createAgentTools, createEvidence, FINAL_ANSWER, FinalAnswerSchema, type Evidence, type FinalAnswer } from "./tools.js";
import { classifyModelError } from "./model.js";
import type { Prompts } from "./prompts.js";

/** The logging the answerer needs; a pino logger fits. */
export interface LlmLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LlmAnswererOptions {
  modelName: string;
  /** The whole answer, every model call and tool included. */
  answerTimeoutMs: number;
  /** Estimated tokens of the conversation sent to the model (characters ÷ 3). */
  maxContextTokens: number;
  maxToolRounds: number;
  maxQuestionChars: number;
  /** After this many consecutive model failures, skip the model for `breakerCooldownMs`. Default 3. */
  breakerFailures?: number;
  breakerCooldownMs?: number;
  /** Turns of history kept for follow-ups. Default 4. */
  historyTurns?: number;
}

export interface LlmAnswererDeps {
  engine: Engine;
  tools: Tools;
  offline: Answerer;
  model: BaseChatModel;
  prompts: Prompts;
  log: LlmLog;
  options: LlmAnswererOptions;
}

interface Problem {
  vi: string;
  en: string;
}

const CHARS_PER_TOKEN = 3;
/** Tokens kept free for the model's reply. */
const REPLY_RESERVE = 1_500;
const MARKER = /\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

class ModelCallError extends Error {
  constructor(
    readonly reason: FallbackReason,
    readonly original: unknown,
  ) {
    super(reason);
  }
}

function messageChars(m: BaseMessage): number {
  const content = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
  const calls = m instanceof AIMessage && m.tool_calls?.length ? JSON.stringify(m.tool_calls).length : 0;
  return content.length + calls + 20;
}

/** Hides anything that looks like an API key in a server's error message ("Incorrect API key provided: sk-…"). */
export function redactKeys(text: string): string {
  return text.replace(/\b(sk|key|token)-[\w*.-]{4,}/gi, "$1-[redacted]");
}

/** The final answer object, from a final_answer tool call or a JSON reply. */
export function parseFinal(msg: AIMessage): { ok: true; value: FinalAnswer } | { ok: false; problem: Problem } {
  const call = msg.tool_calls?.find((c) => c.name === FINAL_ANSWER);
  let raw: unknown = call?.args;
  if (!call) {
    const text = typeof msg.content === "string" ? msg.content : msg.content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join("");
    const body = text.replace(/^\s*```(?:json)?\s*/i, "").replace(/\s*```\s*$/, "");
    const a = body.indexOf("{");
    const b = body.lastIndexOf("}");
    try {
      raw = a >= 0 && b > a ? JSON.parse(body.slice(a, b + 1)) : undefined;
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      return {
        ok: false,
        problem: {
          vi: "câu trả lời không đúng định dạng: hãy gọi final_answer với {answer, citations}",
          en: "the answer was not in the required format: call final_answer with {answer, citations}",
        },
      };
    }
  }
  const parsed = FinalAnswerSchema.safeParse(raw);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { ok: false, problem: { vi: `câu trả lời không đúng định dạng (${what})`, en: `the answer did not match the schema (${what})` } };
  }
  return { ok: true, value: parsed.data };
}

/** Numbers of the citation markers in an answer, in order of first appearance. */
export function markersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MARKER)) {
    for (const n of m[1]!.split(/[,;]/).map((x) => Number(x.trim()))) if (!out.includes(n)) out.push(n);
  }
  return out;
}

function docMetaText(engine: Engine, docId: string, lang: Lang): string {
  const d = engine.docsById.get(docId);
  if (!d) return "";
  return [d.title, d.number ?? "", d.date ?? "", d.period ? `${d.period.from}-${d.period.to}` : "", d.reviewYear ?? "", describeDoc(d, lang)].join(" | ");
}

/** The answer as plain text: Markdown emphasis, code marks and heading marks removed (every view escapes and styles on its own). */
export function plainText(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/gs, "$1")
    .replace(/__(.+?)__/gs, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}

interface Verified {
  answer: string;
  citations: Citation[];
  figures: AnswerFigure[];
  refused: boolean;
}

/**
 * Checks a model answer against what the tools showed. Returns the problems, or the answer with
 * verified citations (verbatim quotes from the passages, renumbered 1, 2, … in order of use).
 */
export function verifyAnswer(engine: Engine, ev: Evidence, out: FinalAnswer, questions: string[], lang: Lang): { problems: Problem[]; verified: Verified | null } {
  const problems: Problem[] = [];
  const located = new Map<number, { start: number; end: number }>();
  for (const c of out.citations) {
    const chunk = ev.passages.get(c.n);
    if (!chunk) {
      problems.push({ vi: `trích dẫn [${c.n}] không phải số của một đoạn mà công cụ đã trả về`, en: `citation [${c.n}] is not a passage a tool returned` });
      continue;
    }
    const at = locateQuote(chunk.text, c.quote);
    if (!at) {
      const q = tidy(c.quote).slice(0, 120);
      problems.push({ vi: `trích dẫn [${c.n}] «${q}» không có nguyên văn trong đoạn ${c.n}`, en: `the quote for [${c.n}] «${q}» is not in passage ${c.n}` });
      continue;
    }
    const prev = located.get(c.n);
    located.set(c.n, prev ? { start: Math.min(prev.start, at.start), end: Math.max(prev.end, at.end) } : at);
  }
  for (const n of markersIn(out.answer)) {
    if (!out.citations.some((c) => c.n === n)) {
      problems.push({ vi: `dấu [${n}] trong câu trả lời không có trích dẫn tương ứng`, en: `marker [${n}] in the answer has no citation` });
    }
  }
  const refused = out.citations.length === 0;

  // What the answer may state: the cited passages with their section paths and documents.
  const citedChunks = [...new Set(out.citations.map((c) => ev.passages.get(c.n)).filter((c) => c !== undefined))];
  const sourceTexts = citedChunks.flatMap((c) => [c.text, sectionPath(c), docMetaText(engine, c.docId, lang)]);
  const allowed = numbersInSource(sourceTexts.join("\n"));
  // A refusal may repeat the question's own numbers ("không có số liệu năm 2030"), also those a
  // follow-up took from the conversation.
  if (refused) allowed.push(...numbersInSource(questions.join("\n")));
  // Calculator results count when every input is in a cited passage or an earlier such result.
  const grounded: Evidence["calcs"] = [];
  const ungrounded: Array<{ calc: Evidence["calcs"][number]; input: string }> = [];
  for (const calc of ev.calcs) {
    const bad = calc.result.inputs.find((i) => !checkNumbers(`${i.value}${i.unit === "%" ? "%" : i.unit ? ` ${i.unit}` : ""}`, allowed).ok);
    if (bad) {
      ungrounded.push({ calc, input: `${bad.value}${bad.unit ? ` ${bad.unit}` : ""}` });
      continue;
    }
    grounded.push(calc);
    allowed.push(calc.result.value, ...numbersInSource(calc.result.display));
  }
  const numbers = checkNumbers(out.answer, allowed);
  for (const m of numbers.unsupported) {
    const shown = `${m.raw}${m.percent ? "%" : ""}`;
    const via = ungrounded.find((u) => checkNumbers(m.raw, [u.calc.result.value, ...numbersInSource(u.calc.result.display)]).ok);
    problems.push(
      via
        ? {
            vi: `số ${shown} là kết quả ${via.calc.tool} tính từ ${via.input}, nhưng số này không có trong đoạn nào được trích dẫn`,
            en: `${shown} is the ${via.calc.tool} result computed from ${via.input}, which is in no cited passage`,
          }
        : { vi: `số ${shown} không có trong đoạn được trích dẫn hay kết quả công cụ tính`, en: `number ${shown} is not in a cited passage or a calculator result` },
    );
  }
  if (problems.length) return { problems, verified: null };

  // Renumber: markers in order of first use, then citations the text does not mark.
  const order = [...markersIn(out.answer), ...out.citations.map((c) => c.n)].filter((n, i, a) => a.indexOf(n) === i && located.has(n));
  const renumber = new Map(order.map((n, i) => [n, i + 1]));
  const citations: Citation[] = order.map((n) => {
    const chunk = ev.passages.get(n)!;
    const doc = engine.docsById.get(chunk.docId)!;
    const at = located.get(n)!;
    return {
      n: renumber.get(n)!,
      document: doc.id,
      title: doc.title,
      section: sectionPath(chunk),
      page: chunk.page,
      quote: tidy(chunk.text.slice(at.start, at.end)),
      text: chunk.text,
      chunkId: chunk.id,
      start: chunk.start + at.start,
      end: chunk.start + at.end,
    };
  });
  const answer = plainText(out.answer).replace(MARKER, (_, list: string) => `[${list.split(/[,;]/).map((x) => renumber.get(Number(x.trim())) ?? Number(x.trim())).join(", ")}]`).trim();
  const figures: AnswerFigure[] = grounded.map(({ result: r }) => ({
    label: r.tool,
    value: r.value,
    display: r.display,
    unit: r.unit,
    formula: r.formula,
    inputs: r.inputs.map((i) => ({ label: i.label, value: i.value, unit: i.unit, source: i.source ?? "", citation: i.citation !== null ? (renumber.get(i.citation) ?? null) : null })),
  }));
  return { problems: [], verified: { answer, citations, figures, refused } };
}

export function createLlmAnswerer(deps: LlmAnswererDeps): Answerer {
  const { engine, tools, offline, model, prompts, log, options } = deps;
  const breakerFailures = options.breakerFailures ?? 3;
  const breakerCooldownMs = options.breakerCooldownMs ?? 30_000;
  const historyTurns = options.historyTurns ?? 4;
  let consecutiveFailures = 0;
  let openUntil = 0;

  async function ask(rawQuestion: string, opts: AskOptions = {}): Promise<AskResult> {
    const lang: Lang = opts.lang ?? "vi";
    const question = validateQuestion(rawQuestion, options.maxQuestionChars);
    const fallback = await offline.ask(rawQuestion, opts);
    const history: Turn[] = opts.context?.history ?? [];
    const info: LlmInfo = {
      model: options.modelName,
      fallback: null,
      tokens: { input: 0, output: 0, total: 0 },
      calls: 0,
      tools: [],
      ms: 0,
      rewritten: null,
      guard: { checked: false, intervened: false, retried: false, problems: [] },
    };
    const t0 = performance.now();
    const finish = (answer: Answer): AskResult => {
      info.ms = Math.round(performance.now() - t0);
      answer.llm = info;
      answer.ms = fallback.answer.ms + (performance.now() - t0);
      log.info(
        { model: info.model, mode: answer.mode, fallback: info.fallback, tokens: info.tokens, calls: info.calls, tools: info.tools, ms: info.ms, guard: { intervened: info.guard.intervened, retried: info.guard.retried, problems: info.guard.problems.length } },
        "llm answer",
      );
      const context: ConversationContext = {
        ...fallback.context,
        history: [...history, { question, answer: answer.answer.slice(0, 600) }].slice(-historyTurns),
      };
      return { answer, context };
    };
    const offlineAnswer = (reason: FallbackReason): AskResult => {
      info.fallback = reason;
      return finish({ ...fallback.answer });
    };

    if (Date.now() < openUntil) return offlineAnswer("circuit-open");

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.answerTimeoutMs);
    const messages: BaseMessage[] = [];
    const used = () => messages.reduce((s, m) => s + messageChars(m), 0);

    async function call(msgs: BaseMessage[], bound: StructuredToolInterface[] | null): Promise<AIMessage> {
      try {
        const runnable = bound && model.bindTools ? model.bindTools(bound) : model;
        const res = (await runnable.invoke(msgs, { signal: controller.signal })) as AIMessage;
        info.calls++;
        const u = res.usage_metadata;
        if (u) {
          info.tokens.input += u.input_tokens;
          info.tokens.output += u.output_tokens;
          info.tokens.total += u.total_tokens;
        }
        return res;
      } catch (err) {
        info.calls++;
        throw new ModelCallError(classifyModelError(err, controller.signal.aborted), err);
      }
    }

    try {
      let standalone = question;
      if (history.length) {
        const h = history.map((t, i) => `${i + 1}. Q: ${t.question}\n   A: ${t.answer.replace(/\s+/g, " ").slice(0, 300)}`).join("\n");
        const res = await call([new HumanMessage(prompts.render("rewrite", lang, { history: h, question }))], null);
        const text = (typeof res.content === "string" ? res.content : "").replace(/\s+/g, " ").trim().replace(/^["«“]|["»”]$/g, "");
        if (text && text.length <= options.maxQuestionChars * 2) {
          standalone = text;
          info.rewritten = text;
        }
      }

      const ev = createEvidence();
      const budget = () => (options.maxContextTokens - REPLY_RESERVE) * CHARS_PER_TOKEN - used();
      const agentTools = createAgentTools(engine, tools, ev, { lang, budget });
      const byName = new Map(agentTools.map((t) => [t.name, t]));
      const finalOnly = agentTools.filter((t) => t.name === FINAL_ANSWER);
      messages.push(new SystemMessage(prompts.render("system", lang, { coverage: coverageText(engine.docs, lang) })));
      messages.push(new HumanMessage(prompts.render("compose", lang, { question: standalone })));

      for (let attempt = 0; attempt < 2; attempt++) {
        let reply: AIMessage | null = null;
        for (let round = 0; round <= options.maxToolRounds && !reply; round++) {
          const last = round === options.maxToolRounds || budget() < 600;
          if (last) {
            messages.push(new HumanMessage(lang === "vi" ? "Đã hết lượt dùng công cụ: hãy gọi final_answer ngay với những gì đã có." : "No more tool rounds: call final_answer now with what you have."));
          }
          const res = await call(messages, last ? finalOnly : agentTools);
          messages.push(res);
          const calls = res.tool_calls ?? [];
          if (calls.length === 0 || calls.some((c) => c.name === FINAL_ANSWER)) {
            reply = res;
            break;
          }
          // Out of rounds or context and still asking for tools: no answer this attempt.
          if (last) {
            for (const c of calls) messages.push(new ToolMessage({ content: lang === "vi" ? "(không chạy: đã hết lượt)" : "(not run: no rounds left)", tool_call_id: c.id ?? c.name, name: c.name }));
            break;
          }
          for (const c of calls) {
            const t = byName.get(c.name);
            info.tools.push(c.name);
            let content: string;
            if (!t) {
              content = lang === "vi" ? `Lỗi: không có công cụ "${c.name}".` : `Error: there is no tool "${c.name}".`;
              ev.calls.push({ name: c.name, ok: false });
            } else {
              try {
                const out: unknown = await t.invoke(c.args);
                content = typeof out === "string" ? out : JSON.stringify(out);
                ev.calls.push({ name: c.name, ok: true });
              } catch (err) {
                content = `${lang === "vi" ? "Lỗi" : "Error"}: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}`;
                ev.calls.push({ name: c.name, ok: false });
              }
            }
            messages.push(new ToolMessage({ content, tool_call_id: c.id ?? c.name, name: c.name }));
          }
        }
        const parsed = reply ? parseFinal(reply) : { ok: false as const, problem: { vi: "không có câu trả lời cuối cùng", en: "no final answer was given" } };
        const checked = parsed.ok ? verifyAnswer(engine, ev, parsed.value, [question, standalone], lang) : { problems: [parsed.problem], verified: null };
        info.guard.checked = info.guard.checked || parsed.ok;
        if (checked.verified) {
          consecutiveFailures = 0;
          const v = checked.verified;
          const text = v.refused ? `${v.answer}\n${lang === "vi" ? "Kho tài liệu hiện có" : "The corpus covers"}: ${coverageText(engine.docs, lang)}.` : v.answer;
          return finish({ question: rawQuestion, answer: text, refused: v.refused, citations: v.citations, figures: v.figures, mode: "llm", ms: 0, lang });
        }
        info.guard.intervened = true;
        info.guard.problems.push(...checked.problems.map((p) => p.en));
        if (attempt === 1) break;
        info.guard.retried = true;
        const shown = checked.problems.slice(0, 6).map((p) => `- ${(lang === "vi" ? p.vi : p.en).slice(0, 240)}`);
        const feedback = prompts.render("retry", lang, { problems: shown.join("\n") });
        // Every tool call of the rejected reply gets its answer; the feedback goes with the final one.
        const pending = reply?.tool_calls ?? [];
        if (pending.length) {
          for (const c of pending) {
            messages.push(new ToolMessage({ content: c.name === FINAL_ANSWER ? feedback : lang === "vi" ? "(không chạy)" : "(not run)", tool_call_id: c.id ?? c.name, name: c.name }));
          }
        } else {
          messages.push(new HumanMessage(feedback));
        }
      }
      consecutiveFailures = 0;
      return offlineAnswer("guard");
    } catch (err) {
      if (!(err instanceof ModelCallError)) throw err;
      const cause = err.original as { status?: unknown; message?: unknown } | null;
      log.warn({ model: options.modelName, reason: err.reason, status: cause?.status, err: redactKeys(typeof cause?.message === "string" ? cause.message.slice(0, 300) : String(cause)) }, "language model failed; answering offline");
      if (err.reason !== "rejected" && ++consecutiveFailures >= breakerFailures) {
        openUntil = Date.now() + breakerCooldownMs;
        log.warn({ model: options.modelName, cooldownMs: breakerCooldownMs }, "language model failing repeatedly; answering offline for a while");
      }
      return offlineAnswer(err.reason);
    } finally {
      clearTimeout(timer);
    }
  }

  return { ask };
}

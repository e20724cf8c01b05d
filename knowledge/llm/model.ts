// The chat model: ChatOpenAI from @langchain/openai over the Chat Completions API, which OpenAI
// and OpenAI-compatible servers (llama.cpp, vLLM, Ollama, LM Studio) all speak. Loaded lazily,
// so the offline mode never imports it.
//
// Retries: LangChain's caller retries a failed call up to `maxRetries` times with exponential
// back-off (about 1 s, 2 s, …); `retryPolicy` decides which failures are worth it: 429 (waiting
// at least the server's Retry-After; LangChain's own policy gives up on a 429 without one), 408,
// 5xx and network errors, never other 4xx or a spent quota. Each HTTP call has
// `requestTimeoutMs`; the answerer passes an AbortSignal for the whole answer on top.

import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

export interface ChatModelOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  requestTimeoutMs: number;
  maxRetries: number;
}

/** OpenAI's reasoning models take no temperature; they get a low reasoning effort instead. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (model.startsWith("gpt-5") && !model.startsWith("gpt-5-chat"));
}

export async function createChatModel(o: ChatModelOptions): Promise<BaseChatModel> {
  if (!o.apiKey && !o.baseURL) throw new Error("chat model: OPENAI_API_KEY or OPENAI_BASE_URL is required");
  const { ChatOpenAI } = await import("@langchain/openai");
  const reasoning = isReasoningModel(o.model);
  return new ChatOpenAI({
    model: o.model,
    // A local server usually needs no key; the client still wants one.
    apiKey: o.apiKey ?? "not-needed",
    configuration: o.baseURL ? { baseURL: o.baseURL } : {},
    timeout: o.requestTimeoutMs,
    maxRetries: o.maxRetries,
    onFailedAttempt: retryPolicy,
    useResponsesApi: false,
    ...(reasoning ? { reasoning: { effort: "low" as const } } : { temperature: 0 }),
  });
}

const MAX_RETRY_AFTER_MS = 20_000;

/**
 * LangChain's failed-attempt hook: returns to retry, throws to give up. Sets `retryAfterMs`
 * (which LangChain's back-off honours) from a 429's Retry-After header, capped at 20 s.
 */
export function retryPolicy(error: unknown): void {
  if (typeof error !== "object" || error === null) return;
  const e = error as { status?: unknown; name?: unknown; message?: unknown; code?: unknown; headers?: unknown; retryAfterMs?: number };
  if (e.name === "AbortError" || (typeof e.message === "string" && /^(Cancel|AbortError)/.test(e.message))) throw error;
  const status = typeof e.status === "number" ? e.status : null;
  if (status === 429) {
    if (e.code === "insufficient_quota") throw error;
    const h = e.headers as { get?: (k: string) => string | null } | Record<string, string> | undefined;
    const raw = typeof h?.get === "function" ? h.get("retry-after") : (h as Record<string, string> | undefined)?.["retry-after"];
    const seconds = raw != null ? Number(raw) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) e.retryAfterMs = Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    return;
  }
  if (status === null || status === 408 || status >= 500) return;
  throw error;
}

export type ModelFailure = "timeout" | "unavailable" | "rejected";

/**
 * Why a model call failed: the answer's deadline passed ("timeout"); the server could not be
 * reached or kept failing (network, 429, 5xx after retries: "unavailable"); or it refused the
 * request (401, 403, 404 unknown model, 400: "rejected", a configuration problem).
 */
export function classifyModelError(err: unknown, deadlinePassed: boolean): ModelFailure {
  if (deadlinePassed) return "timeout";
  const e = err as { status?: unknown; name?: unknown; message?: unknown; response?: { status?: unknown } } | null;
  const status = typeof e?.status === "number" ? e.status : typeof e?.response?.status === "number" ? e.response.status : null;
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return "rejected";
  if (typeof e?.name === "string" && /timeout/i.test(e.name)) return "timeout";
  if (typeof e?.message === "string" && /timed? ?out/i.test(e.message)) return "timeout";
  return "unavailable";
}

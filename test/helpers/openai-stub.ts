// A local OpenAI-compatible HTTP server for tests (node:http only, 127.0.0.1).
//
// It speaks enough of the OpenAI REST protocol for the real clients (@langchain/openai's
// ChatOpenAI over Chat Completions, OpenAIEmbeddings, and the `openai` SDK underneath) to run
// their whole HTTP path against it:
//
//   POST /v1/chat/completions   scripted replies: a message (text and/or tool calls), an
//                               OpenAI-style error, or a request that never gets an answer.
//                               Non-streaming only (`stream: true` is answered with a 400).
//   POST /v1/embeddings         deterministic vectors: a signed, hashed bag of folded words
//                               (NFD, marks removed, đ→d, lower case), the hash mixed with the
//                               model name, L2-normalised. Float arrays for
//                               `encoding_format: "float"`, base64 of little-endian float32 for
//                               "base64" or no encoding_format (the SDK's default).
//
// Anything else is a 404 JSON error; a body that is not JSON is a 400. Every request is
// recorded in `requests`.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type OpenAI from "openai";
import { fmix, fnv1a } from "../../knowledge/search/embeddings.js";
import { readBody } from "../../bot/http.js";

// --- Public types ---------------------------------------------------------------------------

export interface ToolCallSpec {
  name: string;
  args: unknown;
  id?: string;
}

export type ChatReply =
  | { kind: "message"; content?: string | null; toolCalls?: ToolCallSpec[]; usage?: { prompt: number; completion: number } }
  /** An OpenAI-style error body `{error: {message, type, code}}` with this HTTP status. */
  | { kind: "error"; status: number; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer (until the client aborts or the stub closes). */
  | { kind: "hang" };

/** One part of a multi-part message content (`{type: "text", text}`, images, …). */
export interface ChatContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface ChatToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: string;
  content?: string | ChatContentPart[] | null;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  name?: string;
}

export interface ChatToolDefinition {
  type: string;
  function: { name: string; description?: string; parameters?: unknown; strict?: boolean | null };
}

/** The part of a Chat Completions request body tests look at (other fields are kept as-is). */
export interface ChatCompletionBody {
  model: string;
  messages: ChatMessage[];
  tools?: ChatToolDefinition[];
  tool_choice?: unknown;
  temperature?: number;
  response_format?: unknown;
  stream?: boolean;
  [key: string]: unknown;
}

export interface ChatRequest {
  body: ChatCompletionBody;
  /** 0-based count of chat requests handed to a script so far (over the stub's lifetime). */
  index: number;
}

export type ChatScript = (req: ChatRequest) => ChatReply | Promise<ChatReply>;

export interface RecordedRequest {
  /** The URL path, e.g. "/v1/embeddings" (query string removed). */
  path: string;
  method: string;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
}

export interface EmbeddingErrorReply {
  status: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface OpenAIStub {
  /** Base URL to put in OPENAI_BASE_URL, e.g. "http://127.0.0.1:41234/v1". */
  url: string;
  /** Every request received, in order: path, parsed JSON body, headers (lower-case). */
  requests: RecordedRequest[];
  /** The bodies of the chat requests received (including rejected ones), in order. */
  chatBodies(): ChatCompletionBody[];
  /**
   * Replace the chat behaviour: a function, or a list of replies used in order (the last one
   * repeats). A list starts again from its first reply at each `setChat`.
   */
  setChat(script: ChatScript | ChatReply[]): void;
  /** Number of input texts embedded so far. */
  embeddedTexts(): number;
  /** Number of embedding requests answered with vectors so far. */
  embeddingCalls(): number;
  /**
   * Return vectors of this length whatever the request asks (a misconfigured or different
   * server); null restores the normal behaviour.
   */
  forceEmbeddingDim(dim: number | null): void;
  /** Answer every embedding request with this error; null restores the normal behaviour. */
  setEmbeddingError(reply: EmbeddingErrorReply | null): void;
  /** Requests currently held open by `hang` replies. */
  hanging(): number;
  close(): Promise<void>;
}

export interface OpenAIStubOptions {
  chat?: ChatScript | ChatReply[];
  /** Vector length when the request has no `dimensions`. Default 64. */
  embeddingDim?: number;
  /** See `OpenAIStub.forceEmbeddingDim`. */
  forceEmbeddingDim?: number;
}

// --- Helpers --------------------------------------------------------------------------------

const DEFAULT_EMBEDDING_DIM = 64;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const noChatScript: ChatScript = () => ({ kind: "error", status: 503, message: "no chat script" });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function errorType(status: number): { type: string; code: string | null } {
  if (status === 400) return { type: "invalid_request_error", code: null };
  if (status === 401) return { type: "authentication_error", code: "invalid_api_key" };
  if (status === 403) return { type: "permission_error", code: null };
  if (status === 404) return { type: "invalid_request_error", code: "not_found" };
  if (status === 429) return { type: "rate_limit_error", code: "rate_limit_exceeded" };
  if (status >= 500) return { type: "server_error", code: null };
  return { type: "invalid_request_error", code: null };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(data),
  });
  res.end(data);
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const { type, code } = errorType(status);
  sendJson(res, status, { error: { message, type, code, param: null } }, headers);
}

/** Text of a message content: the string, or the text parts joined. */
export function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (typeof p.text === "string" ? p.text : "")).join("");
}

function messageChars(m: ChatMessage): number {
  let n = contentText(m.content).length;
  for (const tc of m.tool_calls ?? []) n += tc.function.name.length + tc.function.arguments.length;
  return n;
}

/** Checks the fields of a chat body that the stub relies on; returns an error message or the body. */
function parseChatBody(raw: unknown): ChatCompletionBody | string {
  if (!isRecord(raw)) return "the request body must be a JSON object";
  if (typeof raw.model !== "string" || raw.model === "") return "you must provide a model parameter";
  if (!Array.isArray(raw.messages)) return "'messages' must be an array";
  for (const [i, m] of raw.messages.entries()) {
    if (!isRecord(m) || typeof m.role !== "string") return `messages[${i}] must be an object with a role`;
    const c = m.content;
    if (c !== undefined && c !== null && typeof c !== "string" && !(Array.isArray(c) && c.every((p) => isRecord(p) && typeof p.type === "string"))) {
      return `messages[${i}].content must be a string or an array of parts`;
    }
    if (m.tool_calls !== undefined) {
      const ok = Array.isArray(m.tool_calls) && m.tool_calls.every((tc) => isRecord(tc) && typeof tc.id === "string" && isRecord(tc.function) && typeof tc.function.name === "string" && typeof tc.function.arguments === "string");
      if (!ok) return `messages[${i}].tool_calls is malformed`;
    }
  }
  if (raw.tools !== undefined) {
    const ok = Array.isArray(raw.tools) && raw.tools.every((t) => isRecord(t) && typeof t.type === "string" && isRecord(t.function) && typeof t.function.name === "string");
    if (!ok) return "'tools' is malformed";
  }
  return raw as ChatCompletionBody;
}

// --- Embeddings -----------------------------------------------------------------------------

// The hashing of the built-in local embedding, reused: the stub needs vectors, not a new hash.

/** Lower-cased words without diacritics: "Hợp tác xã Đồng" → ["hop", "tac", "xa", "dong"]. */
export function stubWords(text: string): string[] {
  const folded = text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The stub's embedding of a text: each word adds ±1 to one of `dim` buckets (bucket and sign
 * from a hash of the model name and the word), then the vector is L2-normalised. A text without
 * words gets a fixed unit vector (per model), never a zero vector.
 */
export function stubEmbedding(text: string, model: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const seed = fnv1a(`model:${model}`, 0x811c9dc5);
  const words = stubWords(text);
  for (const w of words) {
    const h = fmix(fnv1a(w, seed));
    const bucket = h % dim;
    v[bucket] = (v[bucket] ?? 0) + (h & 0x80000000 ? -1 : 1);
  }
  let n = 0;
  for (const x of v) n += x * x;
  if (n === 0) {
    // No words, or every bucket cancelled out.
    v.fill(0);
    v[fmix(seed) % dim] = 1;
    return v;
  }
  const f = 1 / Math.sqrt(n);
  return v.map((x) => x * f);
}

/** Base64 of the vector as little-endian float32: what the OpenAI API returns for "base64". */
export function float32Base64(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

type EmbeddingResponse = Omit<OpenAI.CreateEmbeddingResponse, "data"> & {
  data: Array<Omit<OpenAI.Embedding, "embedding"> & { embedding: number[] | string }>;
};

// --- Server ---------------------------------------------------------------------------------


export async function startOpenAIStub(opts: OpenAIStubOptions = {}): Promise<OpenAIStub> {
  const requests: RecordedRequest[] = [];
  const chatBodies: ChatCompletionBody[] = [];
  const pending = new Set<ServerResponse>();
  let script: ChatScript = noChatScript;
  let chatIndex = 0;
  let embedded = 0;
  let embeddingCalls = 0;
  let forcedDim: number | null = opts.forceEmbeddingDim ?? null;
  let embeddingError: EmbeddingErrorReply | null = null;

  const setChat = (s: ChatScript | ChatReply[]): void => {
    if (typeof s === "function") {
      script = s;
      return;
    }
    if (s.length === 0) throw new Error("setChat: the list of replies is empty");
    const list = [...s];
    let at = 0;
    script = () => list[Math.min(at++, list.length - 1)]!;
  };
  if (opts.chat) setChat(opts.chat);

  async function handleChat(raw: unknown, res: ServerResponse): Promise<void> {
    const parsed = parseChatBody(raw);
    if (typeof parsed === "string") {
      sendError(res, 400, parsed);
      return;
    }
    chatBodies.push(parsed);
    if (parsed.stream === true) {
      sendError(res, 400, "stream: true is not supported by the OpenAI test stub; use non-streaming requests");
      return;
    }
    const index = chatIndex++;
    let reply: ChatReply;
    try {
      reply = await script({ body: parsed, index });
    } catch (err) {
      sendError(res, 500, `chat script threw: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (reply.kind === "hang") {
      pending.add(res);
      res.on("close", () => pending.delete(res));
      return;
    }
    if (reply.kind === "error") {
      sendError(res, reply.status, reply.message ?? `stub error ${reply.status}`, reply.headers);
      return;
    }
    const toolCalls = reply.toolCalls ?? [];
    const content = reply.content === undefined ? (toolCalls.length ? null : "") : reply.content;
    const calls = toolCalls.map((tc, i) => ({
      id: tc.id ?? `call_stub_${index}_${i}`,
      type: "function" as const,
      function: { name: tc.name, arguments: JSON.stringify(tc.args ?? {}) },
    }));
    const prompt = reply.usage?.prompt ?? Math.ceil(parsed.messages.reduce((n, m) => n + messageChars(m), 0) / 4);
    const completion =
      reply.usage?.completion ?? Math.ceil(((content ?? "").length + calls.reduce((n, c) => n + c.function.arguments.length, 0)) / 4);
    const body: OpenAI.ChatCompletion = {
      id: `chatcmpl-stub-${index}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: parsed.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) },
          finish_reason: calls.length ? "tool_calls" : "stop",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
    sendJson(res, 200, body);
  }

  function handleEmbeddings(raw: unknown, res: ServerResponse): void {
    if (!isRecord(raw)) {
      sendError(res, 400, "the request body must be a JSON object");
      return;
    }
    if (typeof raw.model !== "string" || raw.model === "") {
      sendError(res, 400, "you must provide a model parameter");
      return;
    }
    const input = raw.input;
    let texts: string[];
    if (typeof input === "string") texts = [input];
    else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "string")) texts = input as string[];
    else {
      sendError(res, 400, "'input' must be a string or a non-empty array of strings (token arrays are not supported by the stub)");
      return;
    }
    const format = raw.encoding_format ?? "base64";
    if (format !== "float" && format !== "base64") {
      sendError(res, 400, `unknown encoding_format ${JSON.stringify(format)}`);
      return;
    }
    const requested = raw.dimensions;
    if (requested !== undefined && !(typeof requested === "number" && Number.isInteger(requested) && requested > 0)) {
      sendError(res, 400, "'dimensions' must be a positive integer");
      return;
    }
    if (embeddingError) {
      sendError(res, embeddingError.status, embeddingError.message ?? `stub error ${embeddingError.status}`, embeddingError.headers);
      return;
    }
    const dim = forcedDim ?? requested ?? opts.embeddingDim ?? DEFAULT_EMBEDDING_DIM;
    const model = raw.model;
    const tokens = Math.ceil(texts.reduce((n, t) => n + t.length, 0) / 4);
    const body: EmbeddingResponse = {
      object: "list",
      data: texts.map((t, index) => {
        const v = stubEmbedding(t, model, dim);
        return { object: "embedding", index, embedding: format === "float" ? v : float32Base64(v) };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    embedded += texts.length;
    embeddingCalls++;
    sendJson(res, 200, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const text = await readBody(req, MAX_BODY_BYTES);
    let body: unknown = undefined;
    let malformed = false;
    if (text !== "") {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
        malformed = true;
      }
    }
    requests.push({ path, method, body, headers: { ...req.headers } });
    const route = `${method} ${path.replace(/\/+$/, "")}`;
    const known = route === "POST /v1/chat/completions" || route === "POST /v1/embeddings";
    if (!known) {
      sendError(res, 404, `the OpenAI test stub has no route ${method} ${path}`);
      return;
    }
    if (malformed) {
      sendError(res, 400, "the request body is not valid JSON");
      return;
    }
    if (route === "POST /v1/chat/completions") await handleChat(body, res);
    else handleEmbeddings(body, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `stub failure: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chatBodies: () => [...chatBodies],
    setChat,
    embeddedTexts: () => embedded,
    embeddingCalls: () => embeddingCalls,
    forceEmbeddingDim: (dim) => {
      forcedDim = dim;
    },
    setEmbeddingError: (reply) => {
      embeddingError = reply;
    },
    hanging: () => pending.size,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const res of pending) res.destroy();
        pending.clear();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

// The OpenAI test stub speaks the protocol: the real @langchain/openai clients (ChatOpenAI over
// Chat Completions, OpenAIEmbeddings) run their whole HTTP path against it on 127.0.0.1.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { tool } from "@langchain/core/tools";
import { getRetryable } from "@langchain/core/errors";
import { z } from "zod";
import { startOpenAIStub, stubEmbedding, type ChatCompletionBody, type OpenAIStub } from "../helpers/openai-stub.js";

let stub: OpenAIStub;

const chat = (opts: { timeout?: number; maxRetries?: number } = {}) =>
  new ChatOpenAI({ model: "stub-model", apiKey: "test", configuration: { baseURL: stub.url }, maxRetries: opts.maxRetries ?? 0, ...(opts.timeout ? { timeout: opts.timeout } : {}) });

const lastChat = (): ChatCompletionBody => {
  const bodies = stub.chatBodies();
  expect(bodies.length).toBeGreaterThan(0);
  return bodies[bodies.length - 1]!;
};

beforeAll(async () => {
  stub = await startOpenAIStub();
});

afterAll(async () => {
  await stub?.close();
});

describe("OpenAI stub: chat completions through ChatOpenAI", () => {
  it("returns the scripted content and usage_metadata", async () => {
    stub.setChat([{ kind: "message", content: "Xin chào", usage: { prompt: 12, completion: 3 } }]);
    const res = await chat().invoke([
      ["system", "Be brief."],
      ["human", "Chào bạn"],
    ]);
    expect(res.content).toBe("Xin chào");
    expect(res.usage_metadata).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
    const body = lastChat();
    expect(body.model).toBe("stub-model");
    expect(body.stream).not.toBe(true);
    expect(body.messages.map((m) => [m.role, m.content])).toEqual([
      ["system", "Be brief."],
      ["user", "Chào bạn"],
    ]);
    const req = stub.requests[stub.requests.length - 1]!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe("Bearer test");
  });

  it("estimates usage from characters when the script gives none", async () => {
    stub.setChat([{ kind: "message", content: "12345678" }]);
    const res = await chat().invoke("abcdefghij");
    // ceil(10 / 4) = 3 prompt tokens, ceil(8 / 4) = 2 completion tokens.
    expect(res.usage_metadata).toMatchObject({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
  });

  it("yields tool calls with parsed arguments from bindTools, and sees the tool result next", async () => {
    const sum = tool(({ values }: { values: number[] }) => String(values.reduce((a, b) => a + b, 0)), {
      name: "sum",
      description: "Adds numbers.",
      schema: z.object({ values: z.array(z.number()).describe("the numbers") }),
    });
    stub.setChat(({ body }) =>
      body.messages.some((m) => m.role === "tool")
        ? { kind: "message", content: "Tổng là 6." }
        : { kind: "message", toolCalls: [{ name: "sum", args: { values: [1, 2, 3] }, id: "call_1" }] },
    );
    const model = chat().bindTools([sum]);
    const first = await model.invoke("1 + 2 + 3?");
    expect(first.tool_calls).toEqual([expect.objectContaining({ name: "sum", args: { values: [1, 2, 3] }, id: "call_1" })]);
    const sent = lastChat();
    expect(sent.tools?.map((t) => t.function.name)).toEqual(["sum"]);
    expect(sent.tools?.[0]?.function.parameters).toMatchObject({ type: "object", properties: { values: { type: "array" } } });

    const result = await sum.invoke(first.tool_calls![0]!);
    const second = await model.invoke([["human", "1 + 2 + 3?"], first, result]);
    expect(second.content).toBe("Tổng là 6.");
    const toolMsg = lastChat().messages.find((m) => m.role === "tool");
    expect(toolMsg).toMatchObject({ tool_call_id: "call_1", content: "6" });
    expect(lastChat().messages.find((m) => m.role === "assistant")?.tool_calls?.[0]?.function).toEqual({ name: "sum", arguments: '{"values":[1,2,3]}' });
  });

  it("surfaces an HTTP error as a thrown error carrying the status", async () => {
    stub.setChat([{ kind: "error", status: 429, message: "Rate limit reached", headers: { "retry-after": "1" } }]);
    // LangChain rethrows the OpenAI SDK's own error object (class RateLimitError, a subclass of
    // APIError from "openai"): the status is `err.status` (a number), the response headers are
    // `err.headers` (a Headers object: `err.headers.get("retry-after")`), the parsed body is
    // `err.error` ({message, type, code, param}) and `err.code` / `err.type` copy its code and
    // type. @langchain/openai adds `lc_error_code` ("MODEL_RATE_LIMIT" for 429,
    // "MODEL_AUTHENTICATION" for 401, "MODEL_NOT_FOUND" for 404) and appends a troubleshooting URL
    // to `err.message`; @langchain/core's retry handler adds `rateLimitType` / `rateLimitReason`
    // / `retryAfterMs` on 429s and a retryability mark readable with `getRetryable(err)`.
    // `err.name` is "Error", except for a 429 without a retry hint, which the retry handler
    // renames "RateLimitCapacityError" and does not retry. There is no `err.response`.
    const err: unknown = await chat()
      .invoke("hi")
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    const e = err as Error & { status?: unknown; headers?: Headers; error?: unknown; code?: unknown; lc_error_code?: unknown; retryAfterMs?: unknown };
    expect(e.constructor.name).toBe("RateLimitError");
    expect(e.status).toBe(429);
    expect(e.headers?.get("retry-after")).toBe("1");
    expect(e.error).toMatchObject({ message: "Rate limit reached", code: "rate_limit_exceeded" });
    expect(e.code).toBe("rate_limit_exceeded");
    expect(e.lc_error_code).toBe("MODEL_RATE_LIMIT");
    expect(e.retryAfterMs).toBe(1000);
    expect(e.message).toContain("Rate limit reached");
    expect(getRetryable(e)).toBe(true);

    stub.setChat([{ kind: "error", status: 503, message: "overloaded" }]);
    const e503 = (await chat().invoke("hi").catch((x: unknown) => x)) as Error & { status?: unknown };
    expect(e503.constructor.name).toBe("InternalServerError");
    expect(e503.status).toBe(503);
  });

  it("rejects streaming requests with a clear 400", async () => {
    stub.setChat([{ kind: "message", content: "never streamed" }]);
    const e = (await new ChatOpenAI({ model: "stub-model", apiKey: "test", configuration: { baseURL: stub.url }, maxRetries: 0, streaming: true })
      .invoke("hi")
      .catch((x: unknown) => x)) as Error & { status?: unknown };
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/stream: true is not supported/);
  });

  it("answers with 503 when no chat script was set", async () => {
    const fresh = await startOpenAIStub();
    try {
      const res = await fetch(`${fresh.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [] }) });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { message: "no chat script" } });
    } finally {
      await fresh.close();
    }
  });

  it("holds a hanging request until the client times out, and close() does not wait for it", async () => {
    stub.setChat([{ kind: "hang" }]);
    const t0 = Date.now();
    const e = (await chat({ timeout: 300 }).invoke("hi").catch((x: unknown) => x)) as Error;
    expect(e.name).toBe("TimeoutError");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);

    const other = await startOpenAIStub({ chat: [{ kind: "hang" }] });
    const pending = fetch(`${other.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }) }).then(
      (r) => r.status,
      () => "failed",
    );
    while (other.hanging() === 0) await new Promise((r) => setTimeout(r, 10));
    const c0 = Date.now();
    await other.close();
    expect(Date.now() - c0).toBeLessThan(1_000);
    expect(await pending).toBe("failed");
  });
});

describe("OpenAI stub: plain HTTP", () => {
  it("answers unknown paths with 404 and malformed JSON with 400, in OpenAI's error format", async () => {
    const notFound = await fetch(`${stub.url}/responses`, { method: "POST", body: "{}" });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { message: expect.stringContaining("/v1/responses") as unknown, type: "invalid_request_error" } });
    const bad = await fetch(`${stub.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.stringContaining("JSON") as unknown } });
    const tokens = await fetch(`${stub.url}/embeddings`, { method: "POST", body: JSON.stringify({ model: "e", input: [[1, 2, 3]] }) });
    expect(tokens.status).toBe(400);
    expect(stub.requests.slice(-3).map((r) => r.path)).toEqual(["/v1/responses", "/v1/chat/completions", "/v1/embeddings"]);
  });
});

describe("OpenAI stub: embeddings through OpenAIEmbeddings", () => {
  const embedder = (opts: { encodingFormat?: "float" | "base64"; dimensions?: number; model?: string } = {}) =>
    new OpenAIEmbeddings({ model: opts.model ?? "stub-embed", apiKey: "test", configuration: { baseURL: stub.url }, maxRetries: 0, ...opts });

  it("returns vectors of the right length with the SDK's default (base64) and with float", async () => {
    const n0 = stub.embeddedTexts();
    const texts = ["Hợp tác xã nông nghiệp", "Liên minh HTX tỉnh Cao Bằng", ""];
    const b64 = await embedder().embedDocuments(texts);
    const float = await embedder({ encodingFormat: "float" }).embedDocuments(texts);
    expect(b64.map((v) => v.length)).toEqual([64, 64, 64]);
    expect(float.map((v) => v.length)).toEqual([64, 64, 64]);
    const bodies = stub.requests.filter((r) => r.path === "/v1/embeddings").slice(-2).map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.encoding_format)).toEqual(["base64", "float"]);
    // Same vectors either way (base64 carries float32, so up to float32 rounding).
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < 64; j++) expect(b64[i]![j]!).toBeCloseTo(float[i]![j]!, 6);
      const norm = Math.hypot(...float[i]!);
      expect(norm).toBeCloseTo(1, 6);
    }
    expect(float[0]).toEqual(stubEmbedding(texts[0]!, "stub-embed", 64));
    expect(stub.embeddedTexts() - n0).toBe(6);

    const q = await embedder({ encodingFormat: "float", dimensions: 32 }).embedQuery("hợp tác xã");
    expect(q).toHaveLength(32);
  });

  it("is deterministic, folds diacritics and case, and differs per model", async () => {
    const [a, b] = await embedder({ encodingFormat: "float" }).embedDocuments(["Đồng Hợp Tác Xã", "dong hop tac xa"]);
    expect(a).toEqual(b);
    const again = await embedder({ encodingFormat: "float" }).embedQuery("dong hop tac xa");
    expect(again).toEqual(a);
    const other = await embedder({ encodingFormat: "float", model: "stub-embed-other" }).embedQuery("dong hop tac xa");
    expect(other).not.toEqual(a);
  });

  it("can be forced to return another length than asked, and to fail", async () => {
    stub.forceEmbeddingDim(32);
    try {
      expect(await embedder({ encodingFormat: "float", dimensions: 64 }).embedQuery("x")).toHaveLength(32);
    } finally {
      stub.forceEmbeddingDim(null);
    }
    stub.setEmbeddingError({ status: 500, message: "embedding backend down" });
    try {
      const e = (await embedder().embedQuery("x").catch((x: unknown) => x)) as Error & { status?: unknown };
      expect(e.status).toBe(500);
    } finally {
      stub.setEmbeddingError(null);
    }
  });
});

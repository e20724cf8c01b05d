import { describe, expect, it } from "vitest";
import { classifyModelError, isReasoningModel, retryPolicy } from "../../../knowledge/llm/model.js";

const httpError = (status: number, extra: Record<string, unknown> = {}) => Object.assign(new Error(`status ${status}`), { status, ...extra });

describe("retryPolicy", () => {
  it("retries 429 (with or without Retry-After), 408, 5xx and network errors", () => {
    expect(() => retryPolicy(httpError(429))).not.toThrow();
    expect(() => retryPolicy(httpError(500))).not.toThrow();
    expect(() => retryPolicy(httpError(503))).not.toThrow();
    expect(() => retryPolicy(httpError(408))).not.toThrow();
    expect(() => retryPolicy(new TypeError("fetch failed"))).not.toThrow();
  });

  it("waits the server's Retry-After, at most 20 s", () => {
    const e = httpError(429, { headers: new Headers({ "retry-after": "3" }) });
    retryPolicy(e);
    expect((e as unknown as { retryAfterMs: number }).retryAfterMs).toBe(3000);
    const long = httpError(429, { headers: new Headers({ "retry-after": "600" }) });
    retryPolicy(long);
    expect((long as unknown as { retryAfterMs: number }).retryAfterMs).toBe(20_000);
  });

  it("gives up on other 4xx, a spent quota and an abort", () => {
    for (const s of [400, 401, 403, 404]) expect(() => retryPolicy(httpError(s))).toThrow();
    expect(() => retryPolicy(httpError(429, { code: "insufficient_quota" }))).toThrow();
    expect(() => retryPolicy(Object.assign(new Error("aborted"), { name: "AbortError" }))).toThrow();
  });
});

describe("classifyModelError", () => {
  it("tells a passed deadline, an unreachable model and a refused request apart", () => {
    expect(classifyModelError(new Error("x"), true)).toBe("timeout");
    expect(classifyModelError(Object.assign(new Error("Request timed out."), { name: "TimeoutError" }), false)).toBe("timeout");
    expect(classifyModelError(httpError(503), false)).toBe("unavailable");
    expect(classifyModelError(httpError(429), false)).toBe("unavailable");
    expect(classifyModelError(new TypeError("fetch failed"), false)).toBe("unavailable");
    expect(classifyModelError(httpError(401), false)).toBe("rejected");
    expect(classifyModelError(httpError(404), false)).toBe("rejected");
  });
});

describe("isReasoningModel", () => {
  it("knows which models take no temperature", () => {
    expect(isReasoningModel("gpt-5-mini")).toBe(true);
    expect(isReasoningModel("o4-mini")).toBe(true);
    expect(isReasoningModel("gpt-5-chat-latest")).toBe(false);
    expect(isReasoningModel("gpt-4.1-mini")).toBe(false);
    expect(isReasoningModel("qwen2.5-7b-instruct")).toBe(false);
  });
});

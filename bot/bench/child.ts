// Runs a TypeScript entry point in a fresh Node process (`node --import tsx FILE …`) and reads
// the JSON object it prints as the last line of its stdout. Its stderr (progress) is passed
// through.

import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../config.js";

export interface ChildRun<T> {
  result: T;
  /** Wall time from spawn to exit, measured by the parent. */
  wallMs: number;
}

export function runChild<T>(script: string, args: string[]): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, script), ...args], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - t0;
      const text = Buffer.concat(out).toString("utf8").trim();
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(" ")} exited with ${code ?? signal}${text ? `: ${text.slice(-500)}` : ""}`));
        return;
      }
      const last = text.split("\n").pop() ?? "";
      try {
        resolve({ result: JSON.parse(last) as T, wallMs });
      } catch {
        reject(new Error(`${script}: no JSON result on stdout (got ${JSON.stringify(last.slice(0, 200))})`));
      }
    });
  });
}

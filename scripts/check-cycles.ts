// Fails when source modules import each other in a cycle, or when a layer imports a layer above
// it (data flows one way: ingest builds what knowledge serves, bot delivers it).
// Type-only imports are ignored: they vanish at run time. Part of `npm test`.

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const LAYERS = ["knowledge", "ingest", "bot"]; // each may import only itself and those before it

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

const files = LAYERS.flatMap(sources);
const known = new Set(files);
const graph = new Map<string, string[]>();
const problems: string[] = [];
const IMPORT = /^\s*(import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm;

for (const file of files) {
  const src = readFileSync(path.join(ROOT, file), "utf8");
  const deps: string[] = [];
  for (const m of src.matchAll(IMPORT)) {
    const target = path.normalize(path.join(path.dirname(file), m[2]!)).replace(/\.js$/, ".ts");
    if (!known.has(target)) continue;
    deps.push(target);
    const from = LAYERS.indexOf(file.split(path.sep)[0]!);
    const to = LAYERS.indexOf(target.split(path.sep)[0]!);
    if (to > from) problems.push(`layer: ${file} imports ${target}`);
  }
  graph.set(file, deps);
}

// Tarjan's strongly connected components: any component larger than one file is a cycle.
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
function visit(v: string): void {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) problems.push(`cycle: ${scc.reverse().join(" → ")}`);
  }
}
for (const f of files) if (!idx.has(f)) visit(f);

if (problems.length) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(`No import cycles or upward imports in ${files.length} modules.\n`);

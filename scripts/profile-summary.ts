/**
 * `node scripts/profile-summary.ts DIR_OR_FILE`: where a process spent its CPU, from a V8 CPU
 * profile (`node --cpu-prof --cpu-prof-dir=DIR …`): self time by category (a workspace
 * package's source folder, a dependency, GC, idle, Node's internals, a native function) and the
 * functions with the most self time. The README's performance figures quote it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame }>;
  readonly samples: ReadonlyArray<number>;
  readonly timeDeltas: ReadonlyArray<number>;
}

const target = process.argv[2];
if (target === undefined) throw new Error("usage: node scripts/profile-summary.ts DIR_OR_FILE");
const file = statSync(target).isDirectory()
  ? join(target, readdirSync(target).find((name) => name.endsWith(".cpuprofile")) ?? "")
  : target;
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;

/** Self time of each profile node, in microseconds. */
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const categoryOf = ({ functionName, url }: CallFrame): string => {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName.startsWith("(")) return functionName;
  if (url === "") return `native: ${functionName}`;
  const dependency = /node_modules\/\.pnpm\/(@?[^@/]+(?:\+[^@/]+)?)@/.exec(url);
  if (dependency) return (dependency[1] as string).replace("+", "/");
  const source = /packages\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (source) return `@tally/${source[1]} ${source[2]}`;
  return url.startsWith("node:") ? "Node internals (module loading, streams, fs…)" : url;
};

const place = ({ functionName, url, lineNumber }: CallFrame): string =>
  `${functionName || "(anonymous)"} ${url.replace(/.*\/(packages|node_modules)\//, "")}:${lineNumber + 1}`;

const byCategory = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const time = selfTime.get(node.id) ?? 0;
  total += time;
  const category = categoryOf(node.callFrame);
  byCategory.set(category, (byCategory.get(category) ?? 0) + time);
  const name = place(node.callFrame);
  byFunction.set(name, (byFunction.get(name) ?? 0) + time);
}

const top = (times: Map<string, number>, count: number) =>
  [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join("\n");

console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log(`\nself time by category\n${top(byCategory, 15)}`);
console.log(`\nfunctions with the most self time\n${top(byFunction, 20)}`);

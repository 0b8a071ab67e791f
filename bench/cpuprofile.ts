// Where a server spent its CPU: the top self-time functions of a V8 .cpuprofile (as written
// by `node --cpu-prof`), and the same time grouped by where the code lives (a source file
// of the checkout, an npm package, Node itself). A window (µs of the monotonic clock, which
// profiles and process.hrtime share on Linux) keeps only the samples taken in it, e.g. the
// measured seconds of a bench row and not the server's start-up.
//
//   node --import tsx bench/cpuprofile.ts <file.cpuprofile>… [--top 20] [--window <fromUs>-<toUs>]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
  /** Percent of the time the process was not idle. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  window?: { fromUs: number; toUs: number };
  sampledMs: number;
  idlePercent: number;
  functions: Entry[];
  places: Entry[];
}

const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/**
 * Where code lives: a file of the checkout (`src/…`), of a package (`pg/lib/client.js`) or
 * of Node (`node:…`); `group` is what the "by place" line adds up (the package, not its file).
 */
function locate(url: string, lineNumber: number): { file: string; group: string } {
  if (!url) return { file: "(native)", group: "(native)" };
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const modules = file.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const inPackage = file.slice(modules + "node_modules/".length);
    const parts = inPackage.split("/");
    return { file: `${inPackage}:${lineNumber + 1}`, group: parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0] };
  }
  // The checkout's sources run through tsx, which strips whitespace: their line numbers
  // are not the .ts file's, so only the file is named.
  const src = file.lastIndexOf("/src/");
  if (src !== -1) return { file: file.slice(src + 1), group: file.slice(src + 1) };
  if (file.startsWith("node:")) return { file: `${file}:${lineNumber + 1}`, group: file };
  return { file: `${path.basename(file)}:${lineNumber + 1}`, group: path.basename(file) };
}

export function summarize(file: string, options: { top?: number; window?: { fromUs: number; toUs: number } } = {}): ProfileSummary {
  const { top = 15, window } = options;
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample: the time up to the next sample
  // belongs to sample i.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (window && (at < window.fromUs || at >= window.toUs)) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, delta));
  }
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += us;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    const where = locate(url, lineNumber);
    const name = SPECIAL.has(functionName) ? functionName : `${functionName || "(anonymous)"} ${where.file}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const group = SPECIAL.has(functionName) ? functionName : where.group;
    places.set(group, (places.get(group) ?? 0) + us);
  }
  const busy = total - idle;
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0 }));
  return {
    file,
    ...(window && { window }),
    sampledMs: Math.round(total / 1000),
    idlePercent: total > 0 ? Math.round((idle / total) * 1000) / 10 : 0,
    functions: ranked(functions),
    places: ranked(places),
  };
}

export function formatSummary(summary: ProfileSummary, title = summary.file): string {
  const span = summary.window ? " in the measured window" : "";
  const lines = [`${title}: ${summary.sampledMs} ms sampled${span}, ${summary.idlePercent} % idle; self time as % of busy time`];
  const width = Math.max(...summary.functions.map((f) => f.name.length), 10);
  for (const f of summary.functions) lines.push(`  ${f.percent.toFixed(1).padStart(5)} %  ${String(f.ms).padStart(6)} ms  ${f.name.padEnd(width)}`);
  lines.push("  by place: " + summary.places.slice(0, 8).map((p) => `${p.name} ${p.percent} %`).join(", "));
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at === -1 ? undefined : args.splice(at, 2)[1];
  };
  const top = Number(option("--top") ?? 15);
  const range = option("--window")?.split("-").map(Number);
  if (args.length === 0 || (range && range.length !== 2)) {
    console.error("usage: node --import tsx bench/cpuprofile.ts <file.cpuprofile>… [--top N] [--window <fromUs>-<toUs>]");
    process.exit(2);
  }
  const window = range && { fromUs: range[0], toUs: range[1] };
  for (const file of args) console.log(formatSummary(summarize(file, { top, window })));
}

// CPU time of processes and of the machine over the measured window, from /proc (Linux):
// shows who was busy, and how much the machine had to spare for this run (other work on
// the same cores makes numbers noisy).
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** utime + stime of a process, in ticks; undefined when it has gone. */
function processTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Busy and total ticks of all cores. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    const idle = values[3] + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuWindow {
  /** Percent of one core, per named group of processes. */
  groups: Record<string, number>;
  /** Percent of all cores that were busy (anything on the machine). */
  machineBusy: number | undefined;
}

export type Groups = Record<string, number[]>;

/** Call at the start of the window; the returned function, at its end. */
export function cpuWindow(groups: Groups): () => CpuWindow {
  const startedAt = performance.now();
  const before = new Map<number, number>();
  for (const pids of Object.values(groups)) for (const pid of pids) before.set(pid, processTicks(pid) ?? NaN);
  const machineBefore = machineTicks();
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const result: Record<string, number> = {};
    for (const [name, pids] of Object.entries(groups)) {
      let ticks = 0;
      for (const pid of pids) {
        const start = before.get(pid);
        const end = processTicks(pid);
        if (start !== undefined && !Number.isNaN(start) && end !== undefined) ticks += end - start;
      }
      result[name] = Math.round((ticks / TICKS_PER_SECOND / seconds) * 100);
    }
    const machineAfter = machineTicks();
    const machineBusy =
      machineBefore && machineAfter && machineAfter.total > machineBefore.total
        ? Math.round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100)
        : undefined;
    return { groups: result, machineBusy };
  };
}

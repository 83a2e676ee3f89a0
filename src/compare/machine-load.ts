/**
 * How busy the machine was during a bench or tune: CPU time the whole machine spent (from
 * /proc/stat) minus the CPU time of the runs themselves and of this process, as a share of
 * the machine's capacity (cores × wall time), and the 1-minute load average before and after.
 * The reading is apart from the arithmetic so that the arithmetic is tested on plain figures.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { MachineNoise } from './types.js';

export type { MachineNoise };

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/** Other processes using more than this share of the machine's CPU make the verdict unreliable. */
export const BUSY_SHARE = 0.15;

/** Shorter windows than this say nothing: /proc/stat counts in clock ticks, and virtual machines account in batches. */
export const MIN_WINDOW_MS = 2000;

/** One reading of the machine. */
export interface LoadSample {
  /** CPU time spent by every process since boot (user, nice, system, irq, softirq, steal), in ms; null off Linux. */
  readonly busyCpuMs: number | null;
  /** 1-minute load average. */
  readonly load1: number;
  /** CPU time of this process so far (user + system, every thread), in ms. */
  readonly selfCpuMs: number;
  /** performance.now() of the reading. */
  readonly atMs: number;
}

/** Busy CPU time of the whole machine from the text of /proc/stat, in ms; null when the line is missing. */
export function busyCpuMsOf(procStat: string): number | null {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not work.
  const busy = [0, 1, 2, 5, 6, 7].reduce((s, i) => s + (Number.isFinite(f[i]) ? (f[i] as number) : 0), 0);
  return (busy * 1000) / USER_HZ;
}

/** Read the machine now. */
export function readLoad(): LoadSample {
  let busyCpuMs: number | null;
  try {
    busyCpuMs = busyCpuMsOf(readFileSync('/proc/stat', 'utf8'));
  } catch {
    busyCpuMs = null;
  }
  const self = process.cpuUsage();
  return {
    busyCpuMs,
    load1: loadavg()[0] ?? 0,
    selfCpuMs: (self.user + self.system) / 1000,
    atMs: performance.now(),
  };
}

/** Noise between two readings, given the CPU time the runs (child processes) reported, in ms (pure). */
export function machineNoise(before: LoadSample, after: LoadSample, runsCpuMs: number, cores: number): MachineNoise {
  const wallMs = after.atMs - before.atMs;
  let share: number | null = null;
  if (before.busyCpuMs !== null && after.busyCpuMs !== null && wallMs >= MIN_WINDOW_MS && cores > 0) {
    const own = runsCpuMs + (after.selfCpuMs - before.selfCpuMs);
    share = Math.min(1, Math.max(0, after.busyCpuMs - before.busyCpuMs - own) / (wallMs * cores));
  }
  return {
    otherCpuShare: share,
    loadBefore: before.load1,
    loadAfter: after.load1,
    cores,
    busy: share !== null && share > BUSY_SHARE,
  };
}

/** `other processes used 48 % of the CPU (2 cores) during the runs; load average 1.20 → 2.35`. */
export function noiseText(n: MachineNoise): string {
  const cpu =
    n.otherCpuShare === null
      ? 'CPU used by other processes: unknown (no /proc/stat, or runs too short to tell)'
      : `other processes used ${Math.round(n.otherCpuShare * 100)} % of the CPU (${n.cores} cores) during the runs`;
  return `${cpu}; load average ${n.loadBefore.toFixed(2)} → ${n.loadAfter.toFixed(2)}`;
}

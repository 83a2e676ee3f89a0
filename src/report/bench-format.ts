/** Number formatting shared by the bench's text, CSV and HTML outputs (pure). */
import type { BenchTarget } from '../compare/types.js';

/** A number with a sensible count of decimals for its size; '—' when not a finite number. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toString();
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** `1.23×`, or '—'. */
export function times(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`;
}

/** `45%`, or '—'. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)}%`;
}

/** Bytes as MB with one decimal. */
export function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(1) : '—';
}

/** `812 (790–840)`: median with its range. */
export function withRange(s: { median: number; min: number; max: number }): string {
  return `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
}

/** `5 measured runs`, or `5–10 measured runs (more while a ratio's interval is wider than ±5 %)`. */
export function measuredRuns(r: { runs: number; maxRuns?: number | undefined }): string {
  const most = r.maxRuns ?? r.runs;
  return most > r.runs
    ? `${r.runs}–${most} measured runs (more while a ratio's interval is wider than ±5 %)`
    : `${r.runs} measured runs`;
}

/** What one run fetches: `194 codes × 20 = 3880 requests per run`, or with --rates `194 codes repeated for 2 s at each offered rate`. */
export function runWorkload(t: BenchTarget): string {
  const what = `${t.codeCount} ${t.kind === undefined || t.kind === 'flags' ? 'codes' : 'files'}`;
  if (t.rateDurationMs !== undefined) return `${what} repeated for ${t.rateDurationMs / 1000} s at each offered rate`;
  return `${what} × ${t.repeat} = ${t.codeCount * t.repeat} requests per run`;
}

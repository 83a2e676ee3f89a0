/** One progress bar's line (pure): bar and ETA when the total is known, count and rate when not. */
import type { Options, Params } from 'cli-progress';

/** What a bar carries beside its value. */
export interface BarPayload {
  readonly label: string;
  /** False: the total is not known in advance (dynamic split): no bar, no percentage, no ETA. */
  readonly known: boolean;
  /** When counting started, in ms since the epoch (the rate's start); the bar's own start when absent. */
  readonly since?: number | undefined;
}

const LABEL_WIDTH = 8;

/**
 * ` worker 1 |████░░░░| 40/97 41% · 610/s · ETA 0.1s` or ` worker 2 40 done · 610/s`.
 * The rate counts from `since` (the last moment nothing was done); no ETA until there is a rate.
 */
export function formatBarLine(options: Options, params: Params, payload: BarPayload): string {
  const label = payload.label.padEnd(LABEL_WIDTH);
  const elapsedS = ((params.stopTime ?? Date.now()) - (payload.since ?? params.startTime)) / 1000;
  const rate = elapsedS > 0 ? params.value / elapsedS : 0;
  const rateText = rate > 0 ? `${Math.round(rate)}/s` : '–/s';
  if (!payload.known) return ` ${label} ${params.value} done · ${rateText}`;
  const progress = params.total > 0 ? Math.min(1, params.value / params.total) : 1;
  const size = options.barsize ?? 30;
  const complete = Math.round(progress * size);
  const bar =
    (options.barCompleteString ?? '').slice(0, complete) +
    (options.barIncompleteString ?? '').slice(0, size - complete);
  const left = params.total - params.value;
  const eta = rate > 0 && left > 0 ? ` · ETA ${seconds(left / rate)}` : '';
  return ` ${label} |${bar}| ${params.value}/${params.total} ${Math.floor(progress * 100)}% · ${rateText}${eta}`;
}

/** 0.4s, 12s, 3m05s. */
function seconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

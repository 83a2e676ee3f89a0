/** Words shared by the showcase's explanations (pure). */
import type { BenchResult, ConfigSummary } from './types.js';

/** The summary of a model's configuration that has good runs. */
export function byModel(r: BenchResult, model: string): ConfigSummary | undefined {
  return r.configs.find((c) => c.config.model === model && c.goodRuns > 0);
}

/** How a ratio reads in words. */
export function compareWords(ratioToLoop: number): string {
  if (ratioToLoop > 1.1) return `beat the single loop (${ratioToLoop.toFixed(2)}×)`;
  if (ratioToLoop < 0.9) return `were slower than the single loop (${ratioToLoop.toFixed(2)}×)`;
  return `did about as well as the single loop (${ratioToLoop.toFixed(2)}×, within noise)`;
}

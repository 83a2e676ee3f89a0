/** Words shared by the showcase's explanations (pure): the same decision as the bench's verdict. */
import type { BenchResult, ConfigSummary } from './types.js';
import { againstLoopWords } from './verdict.js';

/** The summary of a model's configuration that has good runs. */
export function byModel(r: BenchResult, model: string): ConfigSummary | undefined {
  return r.configs.find((c) => c.config.model === model && c.goodRuns > 0 && c.failed === undefined);
}

/** How a configuration did against the loop in words: "beat" only where its interval excludes 1. */
export function compareWords(s: Pick<ConfigSummary, 'decision' | 'ratioInterval'>): string {
  return againstLoopWords(s);
}

/** True when the configuration's interval says it beat the loop. */
export function beatLoop(s: Pick<ConfigSummary, 'decision'>): boolean {
  return s.decision === 'faster';
}

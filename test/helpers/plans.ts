/** Building RunPlans for tests, with every field spelled out once. */
import type { ModelName, RunPlan } from '../../src/models/types.js';
import type { FetchSettings } from '../../src/download/settings.js';

/** Fetch settings for a test server: no saving, generous timeout, no retries. */
export function settingsFor(baseUrl: string, over: Partial<FetchSettings> = {}): FetchSettings {
  return {
    baseUrl,
    timeoutMs: 10_000,
    retries: 0,
    maxBytes: 5 * 1024 * 1024,
    followRedirects: 'same-origin',
    dest: null,
    names: false,
    ...over,
  };
}

/** A plan for `model` over `codes` against `baseUrl`. */
export function planFor(
  model: ModelName,
  codes: readonly string[],
  baseUrl: string,
  over: Partial<RunPlan> = {},
): RunPlan {
  return { model, codes, repeat: 1, maxReq: 10, workers: 2, split: 'dynamic', fetch: settingsFor(baseUrl), ...over };
}

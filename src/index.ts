/**
 * flagfetch as a library: `import { download, bench, tune, serve } from 'flagfetch'`. The same engine as
 * the command line, typed options in, plain report objects out; it never prints, never exits,
 * traps no signal and leaves no handle open once a run ends.
 */
export { download, DownloadRun } from './api/download.js';
export type { DownloadOptions, DownloadReport, DownloadRunEvents, DownloadStart } from './api/download.js';
export type { DownloadRunOptions, DownloadTargetOptions, WorkOption } from './api/options.js';
export type { DownloadProgress, WorkerProgress } from './api/progress.js';
export { bench, tune } from './api/bench.js';
export type { BenchOptions, BenchReport, TuneOptions } from './api/bench.js';
export type { BuiltInWork, WorkloadOptions } from './api/compare-options.js';
export type { TuneDocument, TuneReports } from './compare/tune-all.js';
export type { TuneReport } from './compare/tune-run.js';
export type { SloReport, SloCandidateReport } from './compare/tune-slo.js';
export type { Curve, CurvePoint, Knee, RateSummary } from './compare/curve-types.js';
export { serve } from './api/serve.js';
export type { FlagServer, ServeOptions } from './api/serve.js';
export { UsageError, RunFailure } from './errors.js';
export type { UsageDetail } from './errors.js';
export type { Outcome, OutcomeKind } from './download/outcome.js';
export type { WorkItem } from './cpu-work/step.js';
export type { WorkFunction } from './cpu-work/module.js';
export type { ModelName, SplitMode } from './models/types.js';
export type * from './api/report-types.js';

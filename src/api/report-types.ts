/**
 * The types of the reports the API returns, by name, for users' own code and the reference
 * docs: everything a download, bench or tune report holds, as `--json` and `--export-json` write it.
 */
export type {
  JsonReport,
  JsonRate,
  JsonWorkerReport,
  JsonCounts,
  JsonAgentReport,
  JsonShardReport,
} from '../compare/json-report.js';
export type {
  BenchResult,
  BenchConfig,
  BenchTarget,
  ConfigFailure,
  ConfigSummary,
  MachineInfo,
  MachineNoise,
  RunRecord,
  Spread,
  RatioInterval,
  Decision,
  Ranking,
  RankGroup,
  Comparison,
} from '../compare/types.js';
export type { Trial, TuneSpace, Verdict, TunePoint } from '../compare/tune-search.js';
export type { TuneChoice, RanPoint, Versus } from '../compare/tune-pick.js';
export type { TargetKind } from '../targets/url-list.js';
export type { Slo, SloTrial } from '../compare/slo.js';
export type { SloStop } from '../compare/slo-search.js';
export type { Percentiles } from '../compare/curve-types.js';
export type { SpectrumPoint, LatencySummary } from '../stats/latency.js';
export type { RateReport } from '../stats/rate.js';
export type { WorkKind } from '../cpu-work/kind.js';
export type { Protocol } from '../download/settings.js';
export type { ServerUrls } from '../server/serve-messages.js';

/** The flag server library: start a server, its content, its faults. */
export { startFlagServer, type FlagServer, type FlagServerOptions } from './flag-server.js';
export { loadFlagDirectory, syntheticContent, type FlagContent, type FlagFile } from './content.js';
export { FAULT_KINDS, parseFault, type FaultKind, type FaultSpec } from './faults.js';
export type { ServerStats } from './stats.js';

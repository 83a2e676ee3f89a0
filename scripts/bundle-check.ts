/** The build's check on esbuild's metafile (scripts/bundle.ts): no module of ours in two outputs. */
import type { Metafile } from 'esbuild';

/** Each input found in more than one output, with those outputs: `input (out1, out2)`. */
export function modulesInSeveralOutputs(metafile: Pick<Metafile, 'outputs'>): string[] {
  const holders = new Map<string, string[]>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    for (const input of Object.keys(inputs)) holders.set(input, [...(holders.get(input) ?? []), output]);
  }
  return [...holders].filter(([, outputs]) => outputs.length > 1).map(([input, o]) => `${input} (${o.join(', ')})`);
}

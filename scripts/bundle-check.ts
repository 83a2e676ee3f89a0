/**
 * The build's check on esbuild's metafile (scripts/bundle.ts): no module of ours in two outputs
 * that load into the same thread, where it would run twice with two copies of its state.
 */
import type { Metafile } from 'esbuild';

/**
 * Each input found in more than one output of the same thread, with those outputs:
 * `input (out1, out2)`. `threads` lists the outputs each kind of thread loads, by base name;
 * an output in no list is reported too (a new bundle must say where it runs).
 */
export function modulesTwiceInAThread(
  metafile: Pick<Metafile, 'outputs'>,
  threads: readonly (readonly string[])[],
): string[] {
  const base = (output: string): string => output.slice(output.lastIndexOf('/') + 1);
  const outputs = Object.keys(metafile.outputs).filter((o) => !o.endsWith('.map'));
  const unplaced = outputs.filter((o) => !threads.some((t) => t.includes(base(o))));
  const twice = threads.flatMap((thread) => {
    const holders = new Map<string, string[]>();
    for (const output of outputs.filter((o) => thread.includes(base(o)))) {
      for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
        holders.set(input, [...(holders.get(input) ?? []), base(output)]);
      }
    }
    return [...holders].filter(([, o]) => o.length > 1).map(([input, o]) => `${input} (${o.join(', ')})`);
  });
  return [...twice, ...unplaced.map((o) => `${base(o)} (loaded by no thread named in scripts/bundle.ts)`)];
}

/**
 * The Node.js flags flagfetch runs with. They must be given when the process starts, so
 * they live in three places that a test keeps equal: the shebang of src/cli.ts (what
 * `flagfetch` and `npx flagfetch` run), the `start` script in package.json, and every
 * process the benchmarks spawn (through this constant).
 *
 * `--max-semi-space-size=2` caps V8's young generation at 2 MB semi-spaces (default: grows
 * to 16 MB) in every thread. Measured here (nginx, -m 100, 2 cores): one million requests
 * peak at ~112 MB RSS instead of ~145 MB (loop) and ~137 MB instead of ~170 MB (workers,
 * three isolates); requests/s is unchanged for loop and ~10 % higher for workers -w 2.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

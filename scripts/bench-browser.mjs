// Runs bench/index.html (or, with `load` as the first argument, the load test
// bench/load.html) in headless Chromium and prints its JSON:
//   node scripts/bench-browser.mjs [scales=1,4 | load] [out.json] [build=simd] [threads]
// where build is simd, nosimd or threads (www/pkg, www/pkg-nosimd, www/pkg-threads) and
// threads sets the threaded build's pool size (default: the logical cores). Needs
// `make web` first.

import { writeFileSync } from 'node:fs';

import { runBenchPage } from './bench-page.mjs';

const TIMEOUT_MS = 15 * 60_000;
const scales = process.argv[2] ?? '1,4';
const out = process.argv[3];
const build = process.argv[4] ?? 'simd';
const threads = process.argv[5];

const query = new URLSearchParams({ scales, build });
if (threads !== undefined) {
  query.set('threads', threads);
}
const target = scales === 'load' ? 'bench/load.html' : `bench/index.html?${query}`;
const { text } = await runBenchPage(target, TIMEOUT_MS);
console.log(text);
if (out) {
  writeFileSync(out, `${text}\n`);
}

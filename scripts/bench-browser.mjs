// Runs bench/index.html (or, with `load` as the first argument, the load test
// bench/load.html) in headless Chromium and prints its JSON:
//   node scripts/bench-browser.mjs [scales=1,4 | load] [out.json]
// Needs `make web` first (the pages import www/pkg).

import { writeFileSync } from 'node:fs';

import { runBenchPage } from './bench-page.mjs';

const TIMEOUT_MS = 15 * 60_000;
const scales = process.argv[2] ?? '1,4';
const out = process.argv[3];

const target = scales === 'load' ? 'bench/load.html' : `bench/index.html?scales=${scales}`;
const { text } = await runBenchPage(target, TIMEOUT_MS);
console.log(text);
if (out) {
  writeFileSync(out, `${text}\n`);
}

// Runs bench/index.html (or, with `load` as the first argument, the load test
// bench/load.html) in headless Chromium and prints its JSON:
//   node scripts/bench-browser.mjs [scales=1,4 | load] [out.json] [build=simd] [threads]
// where build is simd, nosimd or threads (www/pkg, www/pkg-nosimd, www/pkg-threads) and
// threads sets the threaded build's pool size (default: the logical cores). Needs
// `make web` first.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 15 * 60_000;
const scales = process.argv[2] ?? '1,4';
const out = process.argv[3];
const build = process.argv[4] ?? 'simd';
const threads = process.argv[5];

const server = await startServer({ root: ROOT, port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const query = new URLSearchParams({ scales, build });
  if (threads !== undefined) {
    query.set('threads', threads);
  }
  const target = scales === 'load' ? 'bench/load.html' : `bench/index.html?${query}`;
  await page.goto(`${server.url}${target}`);
  const result = page.getByTestId('result');
  await page.waitForFunction(() => document.getElementById('result')?.dataset.done, null, { timeout: TIMEOUT_MS });
  const text = await result.textContent();
  if (!text.startsWith('{')) {
    throw new Error(`the benchmark page failed: ${text}`);
  }
  console.log(text);
  if (out) {
    writeFileSync(out, `${text}\n`);
  }
} finally {
  await browser.close();
  await server.close();
}

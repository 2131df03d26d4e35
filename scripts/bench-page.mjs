// Opens one benchmark page of bench/ in headless Chromium, served from the repository
// root, and returns the JSON it writes into its #result element. Shared by
// scripts/bench-browser.mjs and the load test in tests/page/. The pages import
// www/pkg, so `make web` must have run.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a benchmark page to the end.
 *
 * @param {string} target the page and query relative to the repository root, e.g. "bench/load.html"
 * @param {number} timeoutMs how long the page may run, in milliseconds
 * @returns {Promise<{text: string, result: object}>} the JSON as written and parsed
 * @throws {Error} with the page's message when it reports a failure or times out
 */
export async function runBenchPage(target, timeoutMs) {
  const server = await startServer({ root: ROOT, port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}${target}`);
    await page.waitForFunction(() => document.getElementById('result')?.dataset.done, null, { timeout: timeoutMs });
    const text = await page.locator('#result').textContent();
    if (!text.startsWith('{')) {
      throw new Error(`the benchmark page ${target} failed: ${text}`);
    }
    return { text, result: JSON.parse(text) };
  } finally {
    await browser.close();
    await server.close();
  }
}

// Shared setup of the package tests: paths, the build check, headless Chromium, and a
// recorder of page errors and Content Security Policy violations.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../../scripts/chromium.mjs';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


/**
 * Throws unless scripts/build-package.sh has built `file` (relative to pkg/), so that a
 * missing build fails with the command to run instead of a 404 inside the page.
 */
export function requireBuild(file) {
  const absolute = path.join(REPOSITORY_ROOT, 'pkg', file);
  if (!existsSync(absolute)) {
    throw new Error(
      `missing ${path.relative(REPOSITORY_ROOT, absolute)}: build the package first with ` +
        'PATH=$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH scripts/build-package.sh',
    );
  }
  return absolute;
}

export function launchBrowser() {
  return launchChromium();
}

/**
 * Records a page's uncaught errors, console errors and CSP violations. The violation
 * listener is installed before any page script runs.
 *
 * @returns {Promise<{pageErrors: string[], consoleErrors: string[], cspViolations: () => Promise<string[]>}>}
 */
export async function watchPage(page) {
  const pageErrors = [];
  const consoleErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
    });
  });
  return {
    pageErrors,
    consoleErrors,
    cspViolations: () => page.evaluate(() => window.__cspViolations),
  };
}

// Starts the headless Chromium that the page tests, package tests and browser
// benchmarks drive through playwright-core. The flags keep a fresh, offline machine
// from reaching the network or starting a sandbox it cannot create.

import { chromium } from 'playwright-core';

/** The browser binary: $CHROMIUM, else Debian's chromium package. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the browser.
 *
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

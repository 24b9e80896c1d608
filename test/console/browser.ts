/**
 * Debian's Chromium driven by playwright-core, for the console's end-to-end tests. A missing
 * browser fails the test loudly (CI installs it: `.ci/run` runs `apt-get install chromium`).
 * Screenshots go to the test output directory: `$SAILBUCKET_TEST_OUTPUT` or `dist/test-output/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/server.js';

export const CHROMIUM = process.env.SAILBUCKET_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT_DIR = join(process.env.SAILBUCKET_TEST_OUTPUT ?? join(REPO_ROOT, 'dist', 'test-output'), 'console');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the console tests need it (apt-get install -y chromium, as .ci/run does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves a full-page screenshot as `<OUTPUT_DIR>/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

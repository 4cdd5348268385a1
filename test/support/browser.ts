/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, for tests that open a
 * written report. Never a downloaded browser; a new empty profile per launch; every
 * request and dialog a page makes is recorded so a test can assert that nothing left
 * the file it opened.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../test-artifacts');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Whether browser tests run here: always under CI (where a missing Chromium must fail, not
 * hide), elsewhere only when Chromium is installed. When they do not, one line says what to install.
 */
export function browserTestsRun(): boolean {
  if (chromiumAvailable() || process.env.CI) return true;
  process.stderr.write(`skipping the browser tests: no Chromium at ${CHROMIUM_PATH} (install it: apt-get install chromium)\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  // chromium.launch gives each browser a fresh temporary profile, removed on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page requested, the document itself included. */
  requests: string[];
  /** Messages of alert/confirm/prompt/beforeunload dialogs (each is dismissed). */
  dialogs: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

/** A new context (its own storage), with request, dialog and error recording, at `url`. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, requests, dialogs, errors, close: () => context.close() };
}

/** Requests to anything but the local file, inline data, or about:blank. */
export function externalRequests(requests: readonly string[]): string[] {
  return requests.filter((url) => !/^(file|data|about):/i.test(url));
}

/** A full-page screenshot in test-artifacts/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

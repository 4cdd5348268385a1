/**
 * Golden files: a rendering is compared byte for byte with test/report/golden/<name>.
 * Run with UPDATE_GOLDEN=1 to (re)write them after an intended change, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'golden');

export function expectGolden(name: string, actual: string): void {
  const path = resolve(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file test/report/golden/${name} is missing: run the tests with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, 'utf8');
  // toBe on the whole text shows a line diff; the byte check below catches what a string diff could hide.
  expect(actual, `rendering differs from test/report/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(expected);
  expect(Buffer.from(actual, 'utf8').equals(readFileSync(path))).toBe(true);
}

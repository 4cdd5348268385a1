import { readFileSync } from 'node:fs';

/**
 * The version in package.json, read when asked: two folders up from this module is the
 * package root both in a clone (src/cli, dist/cli) and in an installed package (dist/cli).
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cloudtrail.js';
import { cli } from '../support/cli.js';

const ROOT = resolve(__dirname, '../..');
const MANIFEST_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('trailsift --version', () => {
  it('when --version is asked in-process then it prints the version in package.json', async () => {
    const result = await cli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${MANIFEST_VERSION}\n`, stderr: '' });
  });

  it('when the built CLI runs from an installed package then it prints that package\'s version', () => {
    // The package as npm installs it: package.json beside dist/, under node_modules.
    const installed = join(tempDir('trailsift-installed-'), 'node_modules', 'trailsift');
    mkdirSync(join(installed, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'cli', 'version.js'), join(installed, 'dist', 'cli', 'version.js'));
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'trailsift', version: '9.8.7-test', type: 'module' }));
    const printed = spawnSync(process.execPath, ['--input-type=module', '-e', `import { packageVersion } from ${JSON.stringify(join(installed, 'dist', 'cli', 'version.js'))}; console.log(packageVersion());`], { encoding: 'utf8' });
    expect(printed.stderr).toBe('');
    expect(printed.stdout).toBe('9.8.7-test\n');
  });
});

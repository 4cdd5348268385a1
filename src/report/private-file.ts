/** Files trailsift writes hold log content: they are created 0600, whatever the umask. */
import { chmodSync, closeSync, openSync, writeSync } from 'node:fs';

export function writePrivateFile(path: string, content: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  // An existing file keeps its old mode on open(); make it private too.
  chmodSync(path, 0o600);
}

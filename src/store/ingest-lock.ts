/**
 * One ingest per database at a time. A second one refuses at once with a clear
 * message instead of interleaving with the first; a lock left by a killed process is
 * recognised (its pid is gone) and taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DatabaseError } from './database.js';

export interface IngestLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireIngestLock(databasePath: string): IngestLock {
  const lockPath = `${databasePath}.ingest-lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release() {
          try {
            unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new DatabaseError(
          `another trailsift ingest (pid ${holder}) is writing to ${databasePath}; wait for it to finish, then run this one again`,
        );
      }
      unlinkSync(lockPath); // stale: its owner is gone
    }
  }
  throw new DatabaseError(`could not take the ingest lock ${lockPath}`);
}

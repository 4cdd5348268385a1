/**
 * How the files of a plan are worked through: a few at a time (lanes), committed in
 * batches at file boundaries.
 */

export const COMMIT_EVERY_ROWS = 100_000;
export const COMMIT_EVERY_MS = 3_000;

/**
 * When to commit: only with no file half-written (a kill then leaves every file whole or
 * absent), and once enough rows or time have gone by that a commit is worth its fsync.
 */
export class CommitPolicy {
  private openFiles = 0;
  private rowsSinceCommit = 0;
  private lastCommit: number;

  constructor(
    private readonly commit: () => void,
    private readonly now: () => number = Date.now,
    private readonly everyRows = COMMIT_EVERY_ROWS,
    private readonly everyMs = COMMIT_EVERY_MS,
  ) {
    this.lastCommit = now();
  }

  fileStarted(): void {
    this.openFiles += 1;
  }

  rowsWritten(rows: number): void {
    this.rowsSinceCommit += rows;
  }

  /** A file is finished: commits when no other file is open and a commit is due. */
  fileFinished(): void {
    this.openFiles -= 1;
    if (this.openFiles === 0 && (this.rowsSinceCommit >= this.everyRows || this.now() - this.lastCommit >= this.everyMs)) {
      this.commit();
      this.rowsSinceCommit = 0;
      this.lastCommit = this.now();
    }
  }
}

/**
 * Works through `items` in order with `lanes` of them in flight. No new item is taken once
 * `stopped()` says so or once one has thrown; items in flight finish. Returns the first
 * error thrown, or null when none was.
 */
export async function runInLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
  stopped: () => boolean,
): Promise<{ error: unknown } | null> {
  let failure: { error: unknown } | null = null;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (!stopped() && failure === null && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  return failure;
}

import { describe, expect, it } from 'vitest';
import { CommitPolicy, runInLanes } from '../../src/ingest/run.js';

/** A policy on a clock the test moves, committing every 10 rows or 1000 ms. */
function policy(): { commits: CommitPolicy; count: () => number; advance: (ms: number) => void } {
  let now = 0;
  let committed = 0;
  const commits = new CommitPolicy(() => (committed += 1), () => now, 10, 1000);
  return { commits, count: () => committed, advance: (ms) => (now += ms) };
}

/** A file's work that finishes when the test says so. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('commit policy', () => {
  it('when a file finishes with enough rows written then it commits', () => {
    const { commits, count } = policy();
    commits.fileStarted();
    commits.rowsWritten(10);
    commits.fileFinished();
    expect(count()).toBe(1);
  });

  it('when a file finishes with few rows and little time gone then it does not commit', () => {
    const { commits, count, advance } = policy();
    commits.fileStarted();
    commits.rowsWritten(9);
    advance(999);
    commits.fileFinished();
    expect(count()).toBe(0);
  });

  it('when enough time has gone by then a file end commits however few rows it wrote', () => {
    const { commits, count, advance } = policy();
    commits.fileStarted();
    advance(1000);
    commits.fileFinished();
    expect(count()).toBe(1);
  });

  it('when another file is still open then a due commit waits for it, so no file is committed half-written', () => {
    const { commits, count } = policy();
    commits.fileStarted();
    commits.fileStarted();
    commits.rowsWritten(50);
    commits.fileFinished();
    expect(count()).toBe(0);
    commits.fileFinished();
    expect(count()).toBe(1);
  });

  it('when it has committed then rows and time are counted afresh', () => {
    const { commits, count, advance } = policy();
    commits.fileStarted();
    commits.rowsWritten(10);
    advance(500);
    commits.fileFinished();
    commits.fileStarted();
    commits.rowsWritten(9);
    advance(999);
    commits.fileFinished();
    expect(count()).toBe(1);
  });
});

describe('lanes', () => {
  it('when there are more items than lanes then no more than the lanes are in flight, taken in order', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const done = runInLanes([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await gates[item]!.wait;
      inFlight -= 1;
    }, () => false);
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const each of gates) each.open();
    expect(await done).toBeNull();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('when one item throws then no new item is taken, those in flight finish, and the first error is returned', async () => {
    const slow = gate();
    const started: number[] = [];
    const finished: number[] = [];
    const done = runInLanes([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('disk full');
      if (item === 0) await slow.wait;
      finished.push(item);
    }, () => false);
    await settle();
    slow.open();
    const failure = await done;
    expect((failure?.error as Error).message).toBe('disk full');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
  });

  it('when asked to stop then items not yet taken are left alone', async () => {
    let stopped = false;
    const started: number[] = [];
    const failure = await runInLanes([0, 1, 2], 1, async (item) => {
      started.push(item);
      stopped = true;
    }, () => stopped);
    expect(failure).toBeNull();
    expect(started).toEqual([0]);
  });

  it('when no lane is asked for then one still works through the items', async () => {
    const started: number[] = [];
    await runInLanes([0, 1], 0, async (item) => void started.push(item), () => false);
    expect(started).toEqual([0, 1]);
  });
});

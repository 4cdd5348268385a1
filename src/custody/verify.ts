/**
 * Offline log file integrity validation (issue 17): the digests and log files an ingest
 * recorded, checked the way CloudTrail's digests allow, with no call to AWS. Pure: the
 * store hands over the facts (store/custody.ts), the caller the public keys.
 *
 * Per account/region/trail chain, newest to oldest: every listed log file present and equal
 * to its hash, every ingested log file listed somewhere, each digest where it says it is,
 * each previous-digest link and hash, each signature (the newest from its S3 metadata, the
 * others from their successor), and every gap set beside the trail-control events.
 */
import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { awsLogsKey, type DigestLogFile } from '../parse/digest-file.js';

export interface CustodyLogFile {
  uri: string;
  status: string;
  contentSha256: string | null;
  oldestEventTime: string | null;
  newestEventTime: string | null;
}

export interface CustodyDigest {
  uri: string;
  accountId: string | null;
  region: string | null;
  trailName: string | null;
  digestStartTime: string | null;
  digestEndTime: string | null;
  digestS3Bucket: string | null;
  digestS3Object: string | null;
  publicKeyFingerprint: string | null;
  signatureAlgorithm: string | null;
  previousS3Object: string | null;
  previousHashValue: string | null;
  previousSignature: string | null;
  /** SHA-256 of the digest's inflated bytes as stored. */
  contentSha256: string | null;
  /** x-amz-meta-signature, when it was ingested from S3. */
  s3Signature: string | null;
  logFiles: DigestLogFile[];
}

export interface TrailControlEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  accountId: string | null;
  trailName: string | null;
}

export interface CustodyFacts {
  logFiles: CustodyLogFile[];
  digests: CustodyDigest[];
  /** Digest objects that could not be read as digests: their chain has a hole there. */
  unreadableDigests: Array<{ uri: string; error: string | null }>;
  controlEvents: TrailControlEvent[];
}

/** Public keys by fingerprint (lower-case hex); null when none were given. */
export type PublicKeys = ReadonlyMap<string, KeyObject> | null;

export type ProblemKind =
  | 'missing'
  | 'modified'
  | 'unlisted'
  | 'moved'
  | 'digest-missing'
  | 'digest-modified'
  | 'unreadable-digest'
  | 'bad-signature'
  | 'unknown-key'
  | 'unexplained-gap'
  | 'explained-gap'
  | 'not-checked'
  | 'chain-starts-earlier';

/** Kinds that do not fail a run: a signature that could not be checked, a gap StopLogging explains, evidence that simply starts later. */
const NOT_FAILING: ReadonlySet<ProblemKind> = new Set(['explained-gap', 'not-checked', 'chain-starts-earlier']);

export interface CustodyProblem {
  kind: ProblemKind;
  fails: boolean;
  accountId: string | null;
  region: string | null;
  trailName: string | null;
  /** The log file or digest concerned (as ingested, or as the digest names it when absent). */
  location: string;
  /** The time the problem concerns (a log file's events, a digest's hour, a gap's span). */
  from: string | null;
  to: string | null;
  message: string;
}

export interface CustodyGap {
  accountId: string | null;
  region: string | null;
  trailName: string | null;
  from: string | null;
  to: string | null;
  cause: 'logging-restarted' | 'missing-digest' | 'missing-hours';
  /** The StopLogging the gap starts at, when there is one. */
  explainedBy: TrailControlEvent | null;
  /** Trail-control events around the gap (StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors). */
  nearby: TrailControlEvent[];
}

export type LogFileState = 'verified' | 'hash-matched' | 'modified' | 'unlisted' | 'not-checked';

export interface LogFileCustody {
  uri: string;
  accountId: string;
  region: string;
  oldestEventTime: string | null;
  newestEventTime: string | null;
  state: LogFileState;
}

export interface ChainSummary {
  accountId: string | null;
  region: string | null;
  trailName: string | null;
  from: string | null;
  to: string | null;
  digests: number;
  logFiles: number;
  logFilesVerified: number;
  signaturesValid: number;
  signaturesNotChecked: number;
  gaps: number;
  failures: number;
}

export interface VerifyReport {
  chains: ChainSummary[];
  problems: CustodyProblem[];
  gaps: CustodyGap[];
  /** Every ingested CloudTrail log file (AWSLogs/…/CloudTrail/…) and what could be proven of it. */
  logFiles: LogFileCustody[];
  /** Listed by a digest, never ingested. */
  missing: Array<{ accountId: string | null; region: string | null; object: string; oldestEventTime: string | null; newestEventTime: string | null }>;
  signaturesChecked: boolean;
  /** Nothing missing, modified, unlisted, moved, wrongly signed, and no unexplained gap. */
  passed: boolean;
}

const LOG_FILE_KEY = /^AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\//;
const CONTROL_WINDOW_MS = 3_600_000;
/** Digests of one chain follow each other to the second; a minute of slack, no more. */
const CONTIGUOUS_MS = 60_000;

type SignatureState = 'valid' | 'invalid' | 'not-checked' | 'unknown-key';

const chainKeyOf = (digest: CustodyDigest): string => JSON.stringify([digest.accountId, digest.region, digest.trailName]);
const time = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));

/** The string CloudTrail signs for a digest (cloudtrail-facts.md, "Log file integrity validation"). */
export function signedString(digest: CustodyDigest): string {
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${digest.contentSha256}\n${digest.previousSignature ?? 'null'}`;
}

export function verifyCustody(facts: CustodyFacts, keys: PublicKeys): VerifyReport {
  const problems: CustodyProblem[] = [];
  const gaps: CustodyGap[] = [];
  const chains: ChainSummary[] = [];
  const missing: VerifyReport['missing'] = [];

  const logByKey = new Map<string, CustodyLogFile>();
  for (const file of facts.logFiles) {
    const key = awsLogsKey(file.uri);
    if (key !== null) logByKey.set(key, file);
  }
  const fileState = new Map<string, LogFileState>();
  // A digest is found by where it lies and, failing that, by the name it gives itself (a moved one).
  const digestByKey = new Map<string, CustodyDigest>();
  for (const digest of facts.digests) {
    const claimed = digest.digestS3Object === null ? null : awsLogsKey(digest.digestS3Object);
    if (claimed !== null && !digestByKey.has(claimed)) digestByKey.set(claimed, digest);
  }
  for (const digest of facts.digests) {
    const key = awsLogsKey(digest.uri);
    if (key !== null) digestByKey.set(key, digest);
  }

  for (const unreadable of facts.unreadableDigests) {
    problems.push(problem('unreadable-digest', null, unreadable.uri, null, null, `digest could not be read: ${unreadable.error ?? 'unknown error'}`));
  }

  const byChain = new Map<string, CustodyDigest[]>();
  for (const digest of facts.digests) {
    const list = byChain.get(chainKeyOf(digest)) ?? [];
    list.push(digest);
    byChain.set(chainKeyOf(digest), list);
  }

  for (const digests of [...byChain.values()].sort((a, b) => chainKeyOf(a[0]!).localeCompare(chainKeyOf(b[0]!)))) {
    // Newest first, as the chain is walked.
    digests.sort((a, b) => (b.digestEndTime ?? '').localeCompare(a.digestEndTime ?? '') || b.uri.localeCompare(a.uri));
    const first = digests[0]!;
    const summary: ChainSummary = {
      accountId: first.accountId,
      region: first.region,
      trailName: first.trailName,
      from: digests.at(-1)!.digestStartTime,
      to: first.digestEndTime,
      digests: digests.length,
      logFiles: 0,
      logFilesVerified: 0,
      signaturesValid: 0,
      signaturesNotChecked: 0,
      gaps: 0,
      failures: 0,
    };
    const before = problems.length;
    // The signature each digest is checked with: its successor's previousDigestSignature, else its own S3 metadata.
    const carried = new Map<CustodyDigest, string | null>();
    digests.forEach((digest, index) => {
      const older = digests[index + 1] ?? null;
      if (digest.previousS3Object === null) {
        if (older) gaps.push(gapBetween(older, digest, 'logging-restarted', facts.controlEvents));
        return;
      }
      const previousKey = awsLogsKey(digest.previousS3Object);
      const previous = previousKey === null ? undefined : digestByKey.get(previousKey);
      if (!previous) {
        if (older) {
          problems.push(
            problem('digest-missing', digest, digest.previousS3Object, older.digestEndTime, digest.digestStartTime, 'the previous digest this one names was not ingested: deleted from the chain?'),
          );
          gaps.push(gapBetween(older, digest, 'missing-digest', facts.controlEvents));
        } else {
          problems.push(
            problem('chain-starts-earlier', digest, digest.previousS3Object, null, digest.digestStartTime, 'the chain goes on before the ingested digests (previous digest not ingested)'),
          );
        }
        return;
      }
      carried.set(previous, digest.previousSignature);
      if (previous.contentSha256 !== digest.previousHashValue) {
        problems.push(
          problem('digest-modified', previous, previous.uri, previous.digestStartTime, previous.digestEndTime, `SHA-256 ${previous.contentSha256 ?? 'unknown'} differs from ${digest.previousHashValue ?? 'null'} that its successor records`),
        );
      }
      if (older && time(digest.digestStartTime) - time(older.digestEndTime) > CONTIGUOUS_MS && previous === older) {
        gaps.push(gapBetween(older, digest, 'missing-hours', facts.controlEvents));
      }
    });

    for (const digest of digests) {
      const own = awsLogsKey(digest.uri);
      const claimed = digest.digestS3Object === null ? null : awsLogsKey(digest.digestS3Object);
      const bucket = /^s3:\/\/([^/]+)\//.exec(digest.uri)?.[1];
      if (own !== claimed || (bucket !== undefined && bucket !== digest.digestS3Bucket)) {
        problems.push(
          problem('moved', digest, digest.uri, digest.digestStartTime, digest.digestEndTime, `names itself ${digest.digestS3Bucket ?? '?'}/${digest.digestS3Object ?? '?'}`),
        );
      }
      const signature = carried.has(digest) ? carried.get(digest)! : digest.s3Signature;
      const state = checkSignature(digest, signature, keys, problems);
      if (state === 'valid') summary.signaturesValid += 1;
      if (state === 'not-checked') summary.signaturesNotChecked += 1;
      for (const listed of digest.logFiles) {
        summary.logFiles += 1;
        const key = listed.s3Object === null ? null : awsLogsKey(listed.s3Object);
        const file = key === null ? undefined : logByKey.get(key);
        const location = listed.s3Object ?? '(no s3Object)';
        if (!file) {
          missing.push({ accountId: digest.accountId, region: digest.region, object: location, oldestEventTime: listed.oldestEventTime, newestEventTime: listed.newestEventTime });
          problems.push(problem('missing', digest, location, listed.oldestEventTime, listed.newestEventTime, `listed by ${digest.uri}, not ingested`));
          continue;
        }
        let fileVerdict: LogFileState;
        if (file.contentSha256 === null) {
          if (file.status === 'error' || file.status === 'failed') {
            fileVerdict = 'modified';
            problems.push(problem('modified', digest, file.uri, listed.oldestEventTime, listed.newestEventTime, 'could not be read whole, so it is not what the digest lists'));
          } else {
            fileVerdict = 'not-checked';
            problems.push(problem('not-checked', digest, file.uri, listed.oldestEventTime, listed.newestEventTime, 'ingested before trailsift recorded hashes: ingest again'));
          }
        } else if (listed.hashValue === null || file.contentSha256 !== listed.hashValue.toLowerCase()) {
          fileVerdict = 'modified';
          problems.push(
            problem('modified', digest, file.uri, listed.oldestEventTime, listed.newestEventTime, `SHA-256 ${file.contentSha256} differs from ${listed.hashValue ?? 'null'} in ${digest.uri}`),
          );
        } else {
          fileVerdict = state === 'valid' ? 'verified' : 'hash-matched';
          if (fileVerdict === 'verified') summary.logFilesVerified += 1;
        }
        // A file listed twice keeps its worst state.
        const earlier = fileState.get(file.uri);
        if (earlier === undefined || STATE_RANK[fileVerdict] > STATE_RANK[earlier]) fileState.set(file.uri, fileVerdict);
      }
    }
    if (keys === null) {
      problems.push(problem('not-checked', first, `${first.accountId ?? '?'}/${first.region ?? '?'}/${first.trailName ?? '?'}`, summary.from, summary.to, `${summary.signaturesNotChecked} signature(s) not checked: no --public-keys given`));
    }
    summary.gaps = gaps.filter((gap) => JSON.stringify([gap.accountId, gap.region, gap.trailName]) === chainKeyOf(first)).length;
    summary.failures = problems.slice(before).filter((entry) => entry.fails).length;
    chains.push(summary);
  }

  for (const gap of gaps) {
    const explained = gap.explainedBy !== null && gap.cause === 'logging-restarted';
    const span = `${gap.from ?? '?'} to ${gap.to ?? '?'}`;
    const around = gap.nearby.map((event) => `${event.eventName} ${event.eventTime}`).join(', ');
    const message = explained
      ? `logging stopped from ${span}: StopLogging ${gap.explainedBy!.eventTime} (${gap.explainedBy!.eventId})`
      : `no digest from ${span} (${gap.cause})${around ? `; trail changes nearby: ${around}` : '; no StopLogging explains it'}`;
    problems.push({
      kind: explained ? 'explained-gap' : 'unexplained-gap',
      fails: !explained,
      accountId: gap.accountId,
      region: gap.region,
      trailName: gap.trailName,
      location: `${gap.accountId ?? '?'}/${gap.region ?? '?'}/${gap.trailName ?? '?'}`,
      from: gap.from,
      to: gap.to,
      message,
    });
  }

  const logFiles: LogFileCustody[] = [];
  for (const [key, file] of [...logByKey.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const match = LOG_FILE_KEY.exec(key);
    if (!match) continue;
    let state = fileState.get(file.uri);
    if (state === undefined) {
      state = 'unlisted';
      problems.push({
        kind: 'unlisted',
        fails: true,
        accountId: match[1]!,
        region: match[2]!,
        trailName: null,
        // The path under AWSLogs/, as digests name files: the same wherever the copy lies.
        location: key,
        from: file.oldestEventTime,
        to: file.newestEventTime,
        message: 'no ingested digest lists it: injected, or delivered outside the digests ingested',
      });
    }
    logFiles.push({ uri: file.uri, accountId: match[1]!, region: match[2]!, oldestEventTime: file.oldestEventTime, newestEventTime: file.newestEventTime, state });
  }

  return { chains, problems, gaps, logFiles, missing, signaturesChecked: keys !== null, passed: problems.every((entry) => !entry.fails) };
}

const STATE_RANK: Record<LogFileState, number> = { verified: 0, 'hash-matched': 1, 'not-checked': 2, unlisted: 3, modified: 4 };

function problem(kind: ProblemKind, digest: CustodyDigest | null, location: string, from: string | null, to: string | null, message: string): CustodyProblem {
  return {
    kind,
    fails: !NOT_FAILING.has(kind),
    accountId: digest?.accountId ?? null,
    region: digest?.region ?? null,
    trailName: digest?.trailName ?? null,
    location,
    from,
    to,
    message,
  };
}

function checkSignature(digest: CustodyDigest, signature: string | null, keys: PublicKeys, problems: CustodyProblem[]): SignatureState {
  const note = (kind: ProblemKind, message: string): void => {
    problems.push(problem(kind, digest, digest.uri, digest.digestStartTime, digest.digestEndTime, message));
  };
  if (signature === null) {
    note('not-checked', 'signature not checked: the newest digest of its chain, copied without its S3 metadata (x-amz-meta-signature)');
    return 'not-checked';
  }
  // Without keys every signature goes unchecked: one note per chain says so (below), not one per digest.
  if (keys === null) return 'not-checked';
  if (digest.signatureAlgorithm !== 'SHA256withRSA') {
    note('bad-signature', `unsupported signature algorithm ${digest.signatureAlgorithm ?? 'null'}`);
    return 'invalid';
  }
  const key = digest.publicKeyFingerprint === null ? undefined : keys.get(digest.publicKeyFingerprint.toLowerCase());
  if (!key) {
    note('unknown-key', `no public key with fingerprint ${digest.publicKeyFingerprint ?? 'null'} among the keys given: not signed by CloudTrail, or the key list is incomplete`);
    return 'unknown-key';
  }
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signature)) {
    note('bad-signature', 'the signature is not hex');
    return 'invalid';
  }
  let valid = false;
  try {
    valid = verifySignature('sha256', Buffer.from(signedString(digest), 'utf8'), key, Buffer.from(signature, 'hex'));
  } catch {
    valid = false;
  }
  if (!valid) {
    note('bad-signature', 'the RSA signature does not match: the digest, its hash or its predecessor link was altered, or signed with another key');
    return 'invalid';
  }
  return 'valid';
}

function gapBetween(older: CustodyDigest, newer: CustodyDigest, cause: CustodyGap['cause'], events: TrailControlEvent[]): CustodyGap {
  const from = older.digestEndTime;
  const to = newer.digestStartTime;
  const start = time(from);
  const end = time(to);
  const trail = newer.trailName;
  const ofTrail = (event: TrailControlEvent): boolean =>
    (event.accountId === null || event.accountId === newer.accountId) &&
    (event.trailName === null || trail === null || event.trailName === trail || event.trailName.endsWith(`:trail/${trail}`));
  const nearby = events.filter((event) => {
    const at = time(event.eventTime);
    return ofTrail(event) && at >= start - CONTROL_WINDOW_MS && at <= end + CONTROL_WINDOW_MS;
  });
  // The final digest is written at StopLogging: the gap starts within the hour after it.
  const explainedBy = nearby.find((event) => event.eventName === 'StopLogging' && time(event.eventTime) >= start - CONTROL_WINDOW_MS && time(event.eventTime) <= start + CONTIGUOUS_MS) ?? null;
  return { accountId: newer.accountId, region: newer.region, trailName: trail, from, to, cause, explainedBy, nearby };
}

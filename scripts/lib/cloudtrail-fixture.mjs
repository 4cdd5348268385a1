/**
 * cloudtrail-fixture.mjs: what the deterministic CloudTrail fixture generators share
 * (scripts/generate-scenario.mjs, scripts/generate-paths.mjs; scripts/bench/corpus.mjs uses mulberry32).
 *
 * Command-line reading, seeded mulberry32 random streams and the IDs and keys drawn from them, time
 * and AWS date forms, userIdentity builders, the grouping of records into 5-minute delivery files, log
 * object keys, and gzip writing with header mtime 0. Node builtins only, no side effects on import.
 * Both fixtures are byte-for-byte products of this code and of the order of the random draws: a change
 * here changes them, so regenerate them and compare.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// ---------------------------------------------------------------- arguments
/**
 * `[outDir] [--noise N] [flag...]`: returns { outDir, noiseTarget, flags (the Set of given flags) }.
 * Unknown options and a noise count that is not a non-negative integer throw.
 */
export function parseArgs(argv, { outDir, noise, flags = [] }) {
  const out = { outDir, noiseTarget: noise, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--noise') out.noiseTarget = Number.parseInt(argv[++i], 10);
    else if (a.startsWith('--noise=')) out.noiseTarget = Number.parseInt(a.slice(8), 10);
    else if (flags.includes(a)) out.flags.add(a);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else out.outDir = a;
  }
  if (!Number.isInteger(out.noiseTarget) || out.noiseTarget < 0) throw new Error('--noise needs a non-negative integer');
  return out;
}

// ---------------------------------------------------------------- PRNG
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const HEX = '0123456789abcdef';
export const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** One seeded stream; every method draws from it, so call order is part of the output. */
export class Rand {
  constructor(seed) { this.f = mulberry32(seed); }
  next() { return this.f(); }
  int(lo, hi) { return lo + Math.floor(this.f() * (hi - lo + 1)); }
  pick(a) { return a[Math.floor(this.f() * a.length)]; }
  chance(p) { return this.f() < p; }
  chars(alpha, n) { let s = ''; for (let i = 0; i < n; i++) s += alpha[Math.floor(this.f() * alpha.length)]; return s; }
  hex(n) { return this.chars(HEX, n); }
  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  akia() { return 'AKIA' + this.chars(B32, 16); }
  asia() { return 'ASIA' + this.chars(B32, 16); }
  uid(prefix) { return prefix + this.chars(B32, 17); }
  instanceId() { return 'i-0' + this.hex(16); }
  shuffle(arr) { for (let i = arr.length - 1; i > 0; i--) { const j = Math.floor(this.f() * (i + 1)); [arr[i], arr[j]] = [arr[j], arr[i]]; } return arr; }
}

// ---------------------------------------------------------------- time
export const T = (s) => Date.parse(s);
export const SEC = 1000;
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const WINDOW = 5 * MIN; // CloudTrail delivers about every 5 minutes
export const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const pad = (n) => String(n).padStart(2, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** AWS's non-ISO response date form: "Mar 5, 2026, 2:12:00 AM". */
export function awsDate(ms) {
  const d = new Date(ms);
  const h24 = d.getUTCHours();
  return `${MON[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h24 % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h24 < 12 ? 'AM' : 'PM'}`;
}
/** YYYYMMDDTHHMMZ, as in log file names. */
export const stamp = (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`; };
/** YYYY/MM/DD, the S3 folder of a delivery. */
export const ymd = (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`; };
/** Sort order of expected.json lists: (eventTime, eventId). */
export const byTimeId = (a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

// ---------------------------------------------------------------- identities
export const isIp = (s) => /^\d+\.\d+\.\d+\.\d+$/.test(s);
export function iamUser(acct, name, principalId, key) {
  const u = { type: 'IAMUser', principalId, arn: `arn:aws:iam::${acct}:user/${name}`, accountId: acct };
  if (key !== undefined) u.accessKeyId = key;
  u.userName = name;
  return u;
}
/** ro: { acct, name, roleId, arn }. */
export const sessionArn = (ro, sessionName) => `arn:aws:sts::${ro.acct}:assumed-role/${ro.name}/${sessionName}`;
/** userIdentity of an assumed-role session; extra: webId, ec2RoleDelivery, invokedBy. */
export function sessionUI(ro, sessionName, key, created, mfa, extra = {}) {
  const ui = {
    type: 'AssumedRole',
    principalId: `${ro.roleId}:${sessionName}`,
    arn: sessionArn(ro, sessionName),
    accountId: ro.acct,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: ro.roleId, arn: ro.arn, accountId: ro.acct, userName: ro.name },
      webIdFederationData: extra.webId ?? {},
      attributes: { creationDate: iso(created), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
  if (extra.ec2RoleDelivery) ui.sessionContext.ec2RoleDelivery = extra.ec2RoleDelivery;
  if (extra.invokedBy) ui.invokedBy = extra.invokedBy;
  return ui;
}
export const awsService = (svc) => ({ type: 'AWSService', invokedBy: svc });
/** [errorCode, errorMessage] of a RunInstances naming a missing instance profile. */
export const PROFILE_ERR = (name) => ['Client.InvalidParameterValue', `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`];

// ---------------------------------------------------------------- files
/**
 * The records grouped per (account, region, 5-minute window of eventTime), in (window, account, region)
 * order: [{ acct, region, delivered, suffix, records }]. Per file, in this order, F draws the shuffle of
 * the records (never left sorted, as CloudTrail does not sort a file), the delivery 2..9 minutes after
 * the window, and the 16-character file name suffix.
 */
export function deliveryFiles(records, F) {
  const groups = new Map();
  for (const rec of records) {
    const t = Date.parse(rec.eventTime);
    const key = `${rec.recipientAccountId}|${rec.awsRegion}|${Math.floor(t / WINDOW)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(rec);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [aa, ar, aw] = a.split('|'); const [ba, br, bw] = b.split('|');
    return Number(aw) - Number(bw) || aa.localeCompare(ba) || ar.localeCompare(br);
  });
  return keys.map((k) => {
    const [acct, region, w] = k.split('|');
    const recs = F.shuffle([...groups.get(k)]);
    // CloudTrail does not sort a file; make sure a shuffle never happens to come out sorted.
    if (recs.length > 1 && recs.every((r, i) => i === 0 || recs[i - 1].eventTime <= r.eventTime)) recs.reverse();
    const delivered = (Number(w) + 1) * WINDOW + SEC * F.int(120, 540);
    return { acct, region, delivered, suffix: F.chars(ALNUM, 16), records: recs };
  });
}
/** S3 key of a log file; prefix is 'AWSLogs/' or, for an organization trail, `AWSLogs/${orgId}/`. */
export function logObjectKey(prefix, acct, region, delivered, suffix) {
  return `${prefix}${acct}/CloudTrail/${region}/${ymd(delivered)}/${acct}_CloudTrail_${region}_${stamp(delivered)}_${suffix}.json.gz`;
}

// ---------------------------------------------------------------- write
/** Writes body gzipped (level 9, header mtime 0, so re-runs give the same bytes); returns the gzip size. */
export function writeGz(file, body) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const gz = zlib.gzipSync(Buffer.from(body, 'utf8'), { level: 9 });
  if (gz.readUInt32LE(4) !== 0) throw new Error('gzip mtime is not 0');
  fs.writeFileSync(file, gz);
  return gz.length;
}

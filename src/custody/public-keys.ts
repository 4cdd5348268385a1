/**
 * CloudTrail's public keys, saved beforehand with
 * `aws cloudtrail list-public-keys --region R --output json > keys/R.json` (one file per
 * region; every *.json file of the folder is read). Verification is offline, so the keys
 * are whatever the user saved: a key that is absent is reported, never fetched.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, own } from '../parse/json-access.js';

export class PublicKeyError extends Error {}

/** A key's DER: documented as PKCS#1, but the documentation's own sample holds an SPKI key, so both are accepted. */
export function publicKeyFromDer(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/** Keys of one list-public-keys output, by lower-case fingerprint. */
export function readPublicKeyList(text: string, source: string): Map<string, KeyObject> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PublicKeyError(`${source}: not JSON (${(error as Error).message}); expected the output of aws cloudtrail list-public-keys --output json`);
  }
  const list = own(asObject(parsed), 'PublicKeyList');
  if (!Array.isArray(list)) throw new PublicKeyError(`${source}: no PublicKeyList; expected the output of aws cloudtrail list-public-keys --output json`);
  const keys = new Map<string, KeyObject>();
  list.forEach((entry, index) => {
    const value = own(asObject(entry), 'Value');
    const fingerprint = own(asObject(entry), 'Fingerprint');
    if (typeof value !== 'string' || typeof fingerprint !== 'string') {
      throw new PublicKeyError(`${source}: PublicKeyList[${index}] lacks a Value or Fingerprint string`);
    }
    try {
      keys.set(fingerprint.toLowerCase(), publicKeyFromDer(Buffer.from(value, 'base64')));
    } catch {
      throw new PublicKeyError(`${source}: PublicKeyList[${index}] (fingerprint ${fingerprint}) is not an RSA public key in PKCS#1 or SPKI DER`);
    }
  });
  return keys;
}

/** Every key of every *.json file in `directory`. */
export function readPublicKeys(directory: string): Map<string, KeyObject> {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new PublicKeyError(`cannot read --public-keys ${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (names.length === 0) throw new PublicKeyError(`--public-keys ${directory} holds no .json file (save aws cloudtrail list-public-keys --output json there)`);
  const keys = new Map<string, KeyObject>();
  for (const name of names) {
    const path = join(directory, name);
    for (const [fingerprint, key] of readPublicKeyList(readFileSync(path, 'utf8'), path)) keys.set(fingerprint, key);
  }
  return keys;
}

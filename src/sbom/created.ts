// The one clock an SBOM has (sbom-lock.md rule C): SOURCE_DATE_EPOCH or the lock, never now.
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import type { LockDocumentInfo, LockMode } from '../lock/model.js';

/** 9999-12-31T23:59:59Z: the last instant YYYY-MM-DDThh:mm:ssZ can show */
const MAX_EPOCH_SECONDS = 253402300799;

/**
 * Parses SOURCE_DATE_EPOCH (reproducible-builds.org: decimal integer seconds since the epoch).
 * @throws GoshError OPTION_INVALID for anything else
 */
export function parseSourceDateEpoch(text: string): number {
  const seconds = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds > MAX_EPOCH_SECONDS) {
    fail('OPTION_INVALID', `SOURCE_DATE_EPOCH must be a whole number of seconds between 0 and ${MAX_EPOCH_SECONDS}, got ${JSON.stringify(text)}`);
  }
  return seconds;
}

/** YYYY-MM-DDThh:mm:ssZ, as SPDX's created wants it (UTC, no fraction). */
export function spdxDateFromEpoch(epochSeconds: number): string {
  if (!Number.isSafeInteger(epochSeconds) || epochSeconds < 0 || epochSeconds > MAX_EPOCH_SECONDS) {
    fail('OPTION_INVALID', `epoch seconds out of range: ${epochSeconds}`);
  }
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface CreatedInput {
  readonly mode: LockMode;
  readonly sourceDateEpoch?: number;
  /** the lock as read, when there was one */
  readonly previous?: LockDocumentInfo;
  /** the new document's body digest (without created and namespace) */
  readonly bodyDigest: Digest;
}

/**
 * prod keeps the committed lock's time, so a SOURCE_DATE_EPOCH that buildx forwards per commit
 * cannot break byte equality; dev/lock keep it while the body is unchanged (re-locking is a
 * no-op) and otherwise take SOURCE_DATE_EPOCH, else the epoch.
 */
export function chooseCreated(input: CreatedInput): string {
  const previous = input.previous;
  if (previous !== undefined && (input.mode === 'prod' || previous.bodyDigest === input.bodyDigest)) return previous.created;
  return spdxDateFromEpoch(input.sourceDateEpoch ?? 0);
}

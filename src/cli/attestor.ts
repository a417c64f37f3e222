// Handing the descriptor to an Attestor: one JSON POST with a bearer token, accepted only with
// HTTP 202. Connection failures and 5xx answers are retried with backoff for a few seconds; any
// other answer is final. The token is a secret: it goes into the Authorization header and
// nowhere else, and every message that could echo it (an answer's body) is redacted.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fail } from '../core/errors.js';

export const ATTESTOR_TOKEN_ENV = 'STELLAOPS_ATTESTOR_TOKEN';

export interface AttestorTarget {
  /** as the user wrote it; recorded as provenance.attestorUri */
  readonly uri: string;
  readonly url: URL;
  readonly token?: string;
  /** accept any TLS certificate (self-signed attestors in CI) */
  readonly insecure: boolean;
}

export interface RetryPolicy {
  readonly attempts: number;
  /** wait before attempt 2, 3, … (the last value repeats) */
  readonly delaysMs: readonly number[];
  /** per attempt: connect, send and answer */
  readonly timeoutMs: number;
}

/** At most 4 attempts over about 2 s of waiting; a silent attestor costs 4 × 3 s more. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, delaysMs: [250, 500, 1000], timeoutMs: 3000 };

// RFC 6750 b64token, and the visible ASCII that real tokens (JWTs, opaque keys) use
const TOKEN_RE = /^[\x21-\x7e]+$/;
// certificate problems: retrying cannot fix them
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const BODY_EXCERPT_CHARS = 300;

/**
 * Checks the URL and token before anything is written or sent.
 * @throws GoshError CLI_USAGE for a URL that is not http(s), carries credentials or a fragment,
 *   or a token that cannot go into an HTTP header (the message never shows the token)
 */
export function parseAttestorTarget(uri: string, token: string | undefined, tokenFrom: string, insecure: boolean, who: string): AttestorTarget {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fail('CLI_USAGE', `${who}: --attestor ${JSON.stringify(uri)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('CLI_USAGE', `${who}: --attestor must be an http or https URL, got ${JSON.stringify(url.protocol)}`);
  if (url.username !== '' || url.password !== '') {
    fail('CLI_USAGE', `${who}: --attestor must not carry credentials; pass the token with --attestor-token or ${ATTESTOR_TOKEN_ENV}`);
  }
  if (uri.includes('#') || /\s/.test(uri)) fail('CLI_USAGE', `${who}: --attestor must not contain "#" or spaces`);
  if (token !== undefined && !TOKEN_RE.test(token)) {
    fail('CLI_USAGE', `${who}: the attestor token (${tokenFrom}) must be visible ASCII without spaces (it goes into an HTTP header)`);
  }
  return { uri, url, insecure, ...(token !== undefined ? { token } : {}) };
}

/** The URL as shown in messages: no query (it may carry secrets of its own). */
export function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Replaces every occurrence of the token. */
export function redact(text: string, token: string | undefined): string {
  return token === undefined || token === '' ? text : text.split(token).join('[redacted]');
}

interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

type Outcome = { readonly kind: 'answer'; readonly answer: Answer } | { readonly kind: 'error'; readonly error: NodeJS.ErrnoException };

function send(target: AttestorTarget, body: Buffer, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    let settled = false;
    const settle = (o: Outcome): void => {
      if (!settled) {
        settled = true;
        done(o);
      }
    };
    const options = { method: 'POST', headers: { ...headers, 'Content-Length': String(body.byteLength) }, agent: false as const };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < 64 * 1024) {
          chunks.push(c);
          kept += c.byteLength;
        }
      });
      res.on('end', () => settle({ kind: 'answer', answer: { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') } }));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', error }));
    };
    const req = target.url.protocol === 'https:'
      ? httpsRequest(target.url, { ...options, rejectUnauthorized: !target.insecure }, onResponse)
      : httpRequest(target.url, options, onResponse);
    req.setTimeout(timeoutMs, () => {
      const error: NodeJS.ErrnoException = new Error(`no answer within ${timeoutMs} ms`);
      error.code = 'ETIMEDOUT';
      req.destroy(error);
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', error }));
    req.end(body);
  });
}

function excerpt(body: string, token: string | undefined): string {
  const oneLine = redact(body, token).replace(/\s+/g, ' ').trim();
  if (oneLine === '') return '';
  return `: ${oneLine.length > BODY_EXCERPT_CHARS ? `${oneLine.slice(0, BODY_EXCERPT_CHARS)}…` : oneLine}`;
}

function describeError(error: NodeJS.ErrnoException): string {
  const code = error.code !== undefined && !error.message.includes(error.code) ? `${error.code}: ` : '';
  return `${code}${error.message}`;
}

export interface PostOptions {
  readonly retry?: RetryPolicy;
  readonly userAgent: string;
  /** progress lines (retries); never contains the token */
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly who: string;
}

export interface PostResult {
  readonly status: number;
  readonly attempts: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * POSTs `body` (JSON) to the attestor.
 * @throws GoshError ATTESTOR_REJECTED for an answer other than 202 that is not a 5xx;
 *   ATTESTOR_UNAVAILABLE when every attempt failed to connect or got a 5xx, or the TLS
 *   certificate is not trusted (not retried)
 */
export async function postToAttestor(target: AttestorTarget, body: string, options: PostOptions): Promise<PostResult> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? defaultSleep;
  const token = target.token;
  const where = shownUrl(target.url);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': options.userAgent,
    ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
  };
  const bytes = Buffer.from(body, 'utf8');
  let last = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    const outcome = await send(target, bytes, headers, retry.timeoutMs);
    if (outcome.kind === 'answer') {
      const { status, statusText, body: answer } = outcome.answer;
      if (status === 202) return { status, attempts: attempt };
      const line = redact(`HTTP ${status}${statusText !== '' ? ` ${statusText}` : ''}${excerpt(answer, token)}`, token);
      if (status < 500 || status > 599) {
        const notes = status === 401 || status === 403
          ? [{ message: token === undefined ? `no token was sent: set --attestor-token or ${ATTESTOR_TOKEN_ENV}` : `check the token (--attestor-token or ${ATTESTOR_TOKEN_ENV})` }]
          : status < 400 ? [{ message: 'an attestor accepts a descriptor with 202 Accepted; nothing else counts' }] : undefined;
        fail('ATTESTOR_REJECTED', `${options.who}: the attestor at ${where} refused the descriptor: ${line}`, {}, notes);
      }
      last = line;
    } else {
      const error = outcome.error;
      if (error.code !== undefined && TLS_TRUST_CODES.has(error.code)) {
        fail('ATTESTOR_UNAVAILABLE', `${options.who}: the attestor at ${where} has an untrusted TLS certificate: ${redact(describeError(error), token)}`, {}, [
          { message: 'pass --attestor-insecure to accept a self-signed certificate' },
        ]);
      }
      last = redact(describeError(error), token);
    }
    if (attempt < retry.attempts) {
      const delay = retry.delaysMs[Math.min(attempt - 1, retry.delaysMs.length - 1)] ?? 0;
      options.log(`${options.who}: attestor ${where}: ${last}; retrying in ${delay} ms (attempt ${attempt + 1} of ${retry.attempts})\n`);
      await sleep(delay);
    }
  }
  return fail('ATTESTOR_UNAVAILABLE', `${options.who}: the attestor at ${where} did not accept the descriptor after ${retry.attempts} attempts; last: ${last}`);
}

import { assertNever, diagnostic, GoshError } from '../core/errors.js';
import type { Attestation, InTotoSubject, ResultRef, ReturnResult, SolveResult } from './client-types.js';
import { definitionFromWire } from './definition-wire.js';
import { mapSorted } from './sorted-record.js';
import type { WireAttestation, WireInTotoSubject, WireRef, WireResult, WireSolveResponse } from './wire-types.js';

// Result in both directions: what Solve hands back, and what Return sends.

// gateway.proto AttestationKind / InTotoSubjectKind enum numbers
const ATTESTATION_KIND = { intoto: 0, bundle: 1 } as const;
const SUBJECT_KIND = { self: 0, raw: 1 } as const;

/**
 * The Result for Return. Like BuildKit's Go client, a result with neither ref nor refs sends an
 * empty ref (an empty image), never an empty oneof.
 * @throws GoshError INTERNAL when both ref and refs are set.
 */
export function returnResultToWire(result: ReturnResult): WireResult {
  if (result.ref !== undefined && result.refs !== undefined) {
    throw new GoshError(diagnostic('INTERNAL', 'a result has either ref or refs, not both'));
  }
  const wire: WireResult = { metadata: mapSorted(result.metadata, (v) => v) };
  if (result.refs !== undefined) wire.refs = { refs: mapSorted(result.refs, (id) => ({ id })) };
  else wire.ref = { id: result.ref ?? '' };
  if (result.attestations !== undefined) {
    wire.attestations = mapSorted(result.attestations, (list) => ({ attestation: list.map(attestationToWire) }));
  }
  return wire;
}

function attestationToWire(a: Attestation): WireAttestation {
  const wire: WireAttestation = { kind: ATTESTATION_KIND[a.kind], ref: { id: a.refId }, path: a.path };
  if (a.metadata !== undefined) wire.metadata = mapSorted(a.metadata, (v) => v);
  if (a.predicateType !== undefined) wire.inTotoPredicateType = a.predicateType;
  if (a.subjects !== undefined) wire.inTotoSubjects = a.subjects.map(subjectToWire);
  return wire;
}

function subjectToWire(s: InTotoSubject): WireInTotoSubject {
  return { kind: SUBJECT_KIND[s.kind], digest: [...s.digests], ...(s.name !== undefined ? { name: s.name } : {}) };
}

/** SolveResponse → SolveResult; attestations in a Solve response are not used by us and dropped. */
export function solveResultFromWire(response: WireSolveResponse): SolveResult {
  const result = response.result;
  if (result === null || result === undefined) {
    // servers without the inline Result only fill the legacy ref field
    return { ref: { id: response.ref ?? '' }, metadata: {} };
  }
  const metadata = mapSorted(result.metadata ?? {}, (v) => new Uint8Array(v));
  switch (result.result) {
    case undefined:
      return { metadata };
    case 'refDeprecated':
      return { ref: { id: result.refDeprecated ?? '' }, metadata };
    case 'refsDeprecated':
      return { refs: mapSorted(result.refsDeprecated?.refs ?? {}, (id) => ({ id })), metadata };
    case 'ref':
      return { ref: refFromWire(result.ref), metadata };
    case 'refs':
      return { refs: mapSorted(result.refs?.refs ?? {}, (r) => refFromWire(r)), metadata };
    default:
      return assertNever(result.result, 'Result oneof member');
  }
}

function refFromWire(wire: WireRef | null | undefined): ResultRef {
  const id = wire?.id ?? '';
  const def = wire?.def;
  return def !== null && def !== undefined ? { id, definition: definitionFromWire(def) } : { id };
}

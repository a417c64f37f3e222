import { isDigest, type Digest } from '../core/digest.js';
import { diagnostic, GoshError } from '../core/errors.js';
import type { Definition, LineRange, OpMetadata, SourceInfo, SourceLocation, SourceMap } from '../llb/definition.js';
import { mapSorted, sortedRecord } from './sorted-record.js';
import type { WireDefinition, WireLocation, WireOpMetadata, WirePosition, WireRange, WireSource, WireSourceInfo } from './wire-types.js';

// Our plain Definition (llb/definition.ts) <-> pb.Definition. Op bytes pass through untouched:
// their sha256 is the op digest BuildKit uses.

export function definitionToWire(definition: Definition): WireDefinition {
  const wire: WireDefinition = {
    def: [...definition.def],
    metadata: mapSorted(definition.metadata, opMetadataToWire),
  };
  if (definition.source !== undefined) wire.Source = sourceMapToWire(definition.source);
  return wire;
}

function opMetadataToWire(md: OpMetadata): WireOpMetadata {
  const wire: WireOpMetadata = {};
  if (md.ignoreCache === true) wire.ignore_cache = true;
  if (md.description !== undefined) wire.description = mapSorted(md.description, (v) => v);
  if (md.caps !== undefined) wire.caps = mapSorted(md.caps, (v) => v);
  if (md.progressGroup !== undefined) {
    const { id, name, weak } = md.progressGroup;
    wire.progress_group = { id, name, ...(weak === true ? { weak } : {}) };
  }
  return wire;
}

function sourceMapToWire(source: SourceMap): WireSource {
  return {
    locations: mapSorted(source.locations, (locations) => ({ locations: locations.map(locationToWire) })),
    infos: source.infos.map(sourceInfoToWire),
  };
}

export function sourceInfoToWire(info: SourceInfo): WireSourceInfo {
  const wire: WireSourceInfo = { filename: info.filename, data: info.data };
  if (info.language !== undefined) wire.language = info.language;
  if (info.definition !== undefined) wire.definition = definitionToWire(info.definition);
  return wire;
}

function locationToWire(location: SourceLocation): WireLocation {
  return { sourceIndex: location.sourceIndex, ranges: location.ranges.map(lineRangeToWire) };
}

/** start and end are always written: they are non-nullable in BuildKit's Go types */
export function lineRangeToWire(range: LineRange): WireRange {
  return { start: positionToWire(range.start), end: positionToWire(range.end) };
}

function positionToWire(p: LineRange['start']): WirePosition {
  return p.character !== undefined && p.character !== 0 ? { line: p.line, character: p.character } : { line: p.line };
}

/**
 * @throws GoshError GATEWAY when a metadata or source-map key is not a digest.
 */
export function definitionFromWire(wire: WireDefinition): Definition {
  const metadata = sortedRecord(Object.entries(wire.metadata ?? {}).map(([k, md]) => [digestKey(k), opMetadataFromWire(md)] as const));
  const definition: Definition = {
    def: (wire.def ?? []).map((op) => new Uint8Array(op)),
    metadata,
    ...(wire.Source !== null && wire.Source !== undefined ? { source: sourceMapFromWire(wire.Source) } : {}),
  };
  return definition;
}

function digestKey(key: string): Digest {
  if (!isDigest(key)) throw new GoshError(diagnostic('GATEWAY', `definition from buildkit has a key that is not a digest: ${JSON.stringify(key)}`));
  return key;
}

function opMetadataFromWire(wire: WireOpMetadata): OpMetadata {
  const description = wire.description ?? {};
  const caps = wire.caps ?? {};
  const group = wire.progress_group;
  return {
    ...(wire.ignore_cache === true ? { ignoreCache: true } : {}),
    ...(Object.keys(description).length > 0 ? { description: mapSorted(description, (v) => v) } : {}),
    ...(Object.keys(caps).length > 0 ? { caps: mapSorted(caps, (v) => v) } : {}),
    ...(group !== null && group !== undefined
      ? { progressGroup: { id: group.id ?? '', name: group.name ?? '', ...(group.weak === true ? { weak: true } : {}) } }
      : {}),
  };
}

function sourceMapFromWire(wire: WireSource): SourceMap {
  const locations = sortedRecord(
    Object.entries(wire.locations ?? {}).map(([k, v]) => [digestKey(k), (v.locations ?? []).map(locationFromWire)] as const),
  );
  return { locations: locations, infos: (wire.infos ?? []).map(sourceInfoFromWire) };
}

function sourceInfoFromWire(wire: WireSourceInfo): SourceInfo {
  return {
    filename: wire.filename ?? '',
    data: new Uint8Array(wire.data ?? []),
    ...(wire.language !== undefined && wire.language !== '' ? { language: wire.language } : {}),
    ...(wire.definition !== null && wire.definition !== undefined ? { definition: definitionFromWire(wire.definition) } : {}),
  };
}

function locationFromWire(wire: WireLocation): SourceLocation {
  return { sourceIndex: wire.sourceIndex ?? 0, ranges: (wire.ranges ?? []).map(lineRangeFromWire) };
}

function lineRangeFromWire(wire: WireRange): LineRange {
  return { start: positionFromWire(wire.start), end: positionFromWire(wire.end) };
}

function positionFromWire(wire: WirePosition | null | undefined): LineRange['start'] {
  const line = wire?.line ?? 0;
  const character = wire?.character ?? 0;
  return character !== 0 ? { line, character } : { line };
}

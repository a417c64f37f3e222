import { isIP } from 'node:net';
import { fail } from '../../core/errors.js';
import { compareCodeUnits } from '../../core/canonical.js';
import type { ExposeInstruction } from '../../dockerfile/instructions.js';
import { commitHistory, withConfig } from '../image-config.js';
import { stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';

export type PortSpecResult = { readonly ok: true; readonly ports: readonly string[] } | { readonly ok: false; readonly error: string };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/**
 * "80", "80/udp", "8000-8002/tcp", "127.0.0.1:8080:80", "[::1]::53/udp" → the container ports
 * "80/tcp" … it exposes, with the checks and messages of docker/go-connections nat.ParsePortSpec
 * (the host part must be valid too, although EXPOSE drops it).
 */
export function parsePortSpec(spec: string): PortSpecResult {
  const parts = spec.split(':');
  const n = parts.length;
  let ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
  const hostPort = n >= 2 ? (parts[n - 2] as string) : '';
  // "80/" is tcp; anything after a second "/" is ignored
  const [rawContainer = '', rawProto] = (parts[n - 1] as string).split('/');
  const containerPort = rawContainer === '' ? '' : rawContainer;
  const proto = rawContainer === '' ? '' : rawProto === undefined || rawProto === '' ? 'tcp' : rawProto;
  if (ip.startsWith('[')) {
    const close = ip.indexOf(']');
    if (close < 0 || close !== ip.length - 1) return { ok: false, error: `invalid IP address ${ip}` };
    ip = ip.slice(1, close);
  }
  if (ip !== '' && (ip.includes('%') || isIP(ip) === 0)) return { ok: false, error: `invalid IP address: ${ip}` };
  if (containerPort === '') return { ok: false, error: `no port specified: ${spec}<empty>` };
  const container = parsePortRange(containerPort);
  if (container === undefined) return { ok: false, error: `invalid containerPort: ${containerPort}` };
  if (hostPort !== '') {
    const host = parsePortRange(hostPort);
    if (host === undefined) return { ok: false, error: `invalid hostPort: ${hostPort}` };
    if (container.end !== container.start && host.end - host.start !== container.end - container.start) {
      return { ok: false, error: `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}` };
    }
  }
  const protocol = proto.toLowerCase();
  if (!PROTOCOLS.has(protocol)) return { ok: false, error: `invalid proto: ${proto}` };
  const ports: string[] = [];
  for (let p = container.start; p <= container.end; p++) ports.push(`${p}/${protocol}`);
  return { ok: true, ports };
}

/** nat.ParsePortRange: "80" or "80-90" (only the first two "-" parts count), 16-bit decimals. */
function parsePortRange(text: string): { start: number; end: number } | undefined {
  const [first = '', second] = text.split('-');
  const start = parseUint16(first);
  if (start === undefined) return undefined;
  if (second === undefined) return { start, end: start };
  const end = parseUint16(second);
  if (end === undefined || end < start) return undefined;
  return { start, end };
}

function parseUint16(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

export function dispatchExpose(st: StageState, ins: ExposeInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  const ports = new Set<string>();
  for (const raw of ins.ports) {
    for (const word of ex.words(raw, at)) {
      const parsed = parsePortSpec(word);
      if (!parsed.ok) fail('DOCKERFILE_SYNTAX', `EXPOSE: ${parsed.error}`, at);
      for (const p of parsed.ports) ports.add(p);
    }
  }
  const exposed: Record<string, Record<string, never>> = { ...st.image.config.ExposedPorts };
  for (const p of ports) exposed[p] = {};
  // fmt prints a Go map with sorted keys: map[443/tcp:{} 80/tcp:{}]
  const shown = `map[${[...ports].sort(compareCodeUnits).map((p) => `${p}:{}`).join(' ')}]`;
  return {
    ...st,
    image: commitHistory(withConfig(st.image, { ExposedPorts: exposed }), { createdBy: `EXPOSE ${shown}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

import { fail } from '../../core/errors.js';
import { compareCodeUnits } from '../../core/canonical.js';
import type { ExposeInstruction } from '../../dockerfile/instructions.js';
import { commitHistory, withConfig } from '../image-config.js';
import { stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';

/** "80", "80/udp", "8000-8002/tcp", "127.0.0.1:80:80" → container ports "80/tcp" … (nat.ParsePortSpecs) */
export function parsePortSpec(spec: string): string[] | undefined {
  let proto = 'tcp';
  let rest = spec;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (proto === '') return undefined;
  }
  // [ip:][hostPort:]containerPort; an IPv6 ip is bracketed
  const parts = rest.replace(/^\[[^\]]*\]:/, 'ip:').split(':');
  const container = parts[parts.length - 1] as string;
  const m = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (m === null) return undefined;
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start > 65535 || end > 65535 || end < start) return undefined;
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

export function dispatchExpose(st: StageState, ins: ExposeInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  const ports = new Set<string>();
  for (const raw of ins.ports) {
    for (const word of ex.words(raw, at)) {
      const parsed = parsePortSpec(word);
      if (parsed === undefined) fail('DOCKERFILE_SYNTAX', `EXPOSE: invalid port specification: ${word}`, at);
      for (const p of parsed) ports.add(p);
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

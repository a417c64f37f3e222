import { fail } from '../../core/errors.js';
import { heredocBody, type RunInstruction } from '../../dockerfile/instructions.js';
import { fileOp } from '../../llb/file.js';
import type { Mount } from '../../llb/exec.js';
import { commitHistory } from '../image-config.js';
import { displayCommand, locate, prefixCommand, where, type DispatchContext, type StageState } from '../stage-state.js';
import { envMap } from '../expand.js';
import { commandArgs } from './command-config.js';
import { runMounts } from './run-mounts.js';
import { runSandbox } from './run-sandbox.js';
import { applyNetworkPolicy } from './run-network-policy.js';
import { dependencyMounts } from './run-dependencies.js';

export function dispatchRun(st: StageState, ins: RunInstruction, ctx: DispatchContext): StageState {
  const at = where(ctx, ins.range);
  const { network: flagged, security } = runSandbox(ins, at);
  const network = applyNetworkPolicy(st, ins, ctx, flagged, at);
  // BuildKit expands and checks every mount before it looks at the command
  const extra = runMounts(st, ins, ctx);

  const mounts: Mount[] = [];
  let command = ins.command;
  let nameSuffix = '';
  if (ins.heredocs.length > 0) {
    if (command.form !== 'shell') fail('DOCKERFILE_SYNTAX', 'RUN: a heredoc needs the shell form', at);
    const first = ins.heredocs[0] as NonNullable<(typeof ins.heredocs)[0]>;
    if (ins.heredocs.length === 1 && isOnlyHeredoc(command.text)) {
      const data = heredocBody(first);
      if (st.image.os !== 'windows' && first.content.startsWith('#!')) {
        // a script with a shebang: write it to a file and run that file
        const script = fileOp(undefined, [{ kind: 'mkfile', path: `/${first.name}`, mode: 0o755, data: new TextEncoder().encode(data) }], {
          customName: '[internal] preparing inline document',
          platform: st.platform,
        });
        mounts.push({ kind: 'bind', target: '/dev/pipes/', source: script, selector: '/', readonly: true });
        // still a shell-form RUN: BuildKit hands the script path to the shell
        command = { form: 'shell', text: `/dev/pipes/${first.name}` };
      } else {
        command = { form: 'shell', text: data };
      }
      nameSuffix = ` (${summarizeHeredoc(first.content)})`;
    } else {
      // several heredocs or more text: hand the shell the whole document
      let full = command.text;
      for (const h of ins.heredocs) full += `\n${h.content}${h.name}`;
      command = { form: 'shell', text: full };
    }
  }
  const args = commandArgs(st.image, command);
  mounts.push(...extra.mounts);
  const deps = dependencyMounts(ctx, st.llb.env);
  mounts.push(...deps.mounts);
  if (ctx.shmSizeBytes > 0) mounts.push({ kind: 'tmpfs', target: '/dev/shm', sizeBytes: ctx.shmSizeBytes });

  const named = prefixCommand(st, displayCommand(st, ins.original, ctx, true) + nameSuffix, ctx);
  const next = { ...named.stage, contextPaths: [...named.stage.contextPaths, ...extra.contextPaths] };
  const { state } = next.llb.run({
    args,
    mounts,
    ...(deps.env !== undefined ? { env: deps.env } : {}),
    ...(network !== undefined ? { network } : {}),
    ...(security !== undefined ? { security } : {}),
    ...(ctx.extraHosts.length > 0 ? { extraHosts: ctx.extraHosts } : {}),
    ...(ctx.hostname !== undefined ? { hostname: ctx.hostname } : {}),
    ...(ctx.ulimits.length > 0 ? { ulimits: ctx.ulimits } : {}),
    ...(ctx.cgroupParent !== undefined ? { cgroupParent: ctx.cgroupParent } : {}),
    ...(ctx.proxyEnv !== undefined ? { proxyEnv: ctx.proxyEnv } : {}),
    constraints: {
      customName: named.name,
      description: { 'com.docker.dockerfile.v1.command': ins.original },
      ...locate(ctx, ins.range),
      ...(st.ignoreCache ? { ignoreCache: true } : {}),
    },
  });
  const createdBy = `RUN ${runCommandString(args, next)}`;
  return { ...next, llb: state, image: commitHistory(next.image, { createdBy, withLayer: true, fromOp: true, epochSeconds: ctx.epochSeconds }) };
}

/** "RUN |2 A=1 B=2 /bin/sh -c …": the stage's ARGs, as ENV overrides them, then the args. */
function runCommandString(args: readonly string[], st: StageState): string {
  const env = envMap(st.llb.env);
  const pairs = st.args.map((a) => `${a.key}=${env.get(a.key) ?? a.value ?? ''}`);
  const prefix = pairs.length > 0 ? [`|${pairs.length}`, ...pairs] : [];
  return [...prefix, ...args].join(' ');
}

/** `<<EOF` alone (optionally with a file descriptor) on the RUN line. */
function isOnlyHeredoc(text: string): boolean {
  const m = /^\d*<<-?([^<]*)$/.exec(text);
  return m !== null && (m[1] as string).trim() !== '' && (m[1] as string).trim().split(/\s+/).length === 1;
}

/** The first line of a heredoc, with "..." when more follows (BuildKit's summarizeHeredoc). */
function summarizeHeredoc(doc: string): string {
  const lines = doc.trim().replace(/\r\n/g, '\n').split('\n');
  let summary = lines[0] ?? '';
  if (lines.length > 1) summary += '...';
  return summary;
}

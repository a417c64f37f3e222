// Compile-time figures for a generated Dockerfile (issue target: 2,000 instructions over 20 stages
// in under 50 ms and under 100 MB RSS). Prints numbers; asserts nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const STAGES = 20;
const PER_STAGE = 100;

/** 20 stages of 100 instructions each (FROM included), mixing every supported instruction. */
export function generateDockerfile(): string {
  const lines: string[] = ['ARG BASE=busybox:local'];
  for (let s = 0; s < STAGES; s++) {
    lines.push(s === 0 ? 'FROM ${BASE} AS s0' : `FROM s${s - 1} AS s${s}`);
    for (let i = 1; i < PER_STAGE; i++) {
      const n = `${s}_${i}`;
      switch (i % 9) {
        case 0: lines.push(`ARG A${n}=v${n}`); break;
        case 1: lines.push(`ENV E${n}="value ${n}" F${n}=\${A${s}_${Math.max(0, i - 1)}:-x}`); break;
        case 2: lines.push(`RUN echo ${n} > /tmp/f${n} && cat /tmp/f${n}`); break;
        case 3: lines.push(`COPY file${i % 5}.txt /data/${n}/`); break;
        case 4: lines.push(`WORKDIR /w/${n}`); break;
        case 5: lines.push(`LABEL l${n}="${n}"`); break;
        case 6: lines.push(`EXPOSE ${1000 + i}/tcp`); break;
        case 7: lines.push(`RUN ["/bin/sh", "-c", "echo ${n}"]`); break;
        default: lines.push(`USER ${1000 + (i % 3)}`); break;
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs bench/compile-child.mjs on dist/ (npm run build first) and prints its figures. */
export function benchCompile(iterations = 15): void {
  const child = spawnSync(process.execPath, [fileURLToPath(new URL('./compile-child.mjs', import.meta.url)), String(iterations)], {
    input: generateDockerfile(),
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    console.log(`(c) compile: skipped (${child.stderr.split('\n')[0] ?? 'child failed'}; run npm run build first)`);
    return;
  }
  const r = JSON.parse(child.stdout) as { times: number[]; ops: number; rssAfterFirst: number; rssEnd: number };
  const sorted = [...r.times].sort((a, b) => a - b);
  const mb = (b: number): string => (b / 1024 / 1024).toFixed(1);
  console.log(`(c) compile: parse + plan + compile + marshal of ${STAGES * PER_STAGE} instructions in ${STAGES} stages (${r.ops} ops), dist/ in a fresh process`);
  console.log(`  first (cold) ${(r.times[0] ?? 0).toFixed(1)} ms   median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)} ms   min ${(sorted[0] ?? 0).toFixed(1)} ms   (n=${r.times.length})`);
  console.log(`  RSS after the first compile ${mb(r.rssAfterFirst)} MB, after all ${mb(r.rssEnd)} MB   (targets: 50 ms, 100 MB)`);
}

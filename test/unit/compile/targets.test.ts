// frontend.targets as BuildKit v0.13.2 lists them (dockerfile2llb/convert.go ListTargets); the
// file below was printed by the builtin frontend first (`--print=targets,format=json`).
import { describe, expect, it } from 'vitest';
import { targetsOf } from './subrequest-helpers.js';

const FILE = `# escape=\\
# first unnamed stage is not described
FROM busybox:local
# named described\twith a tab
FROM --platform=$BUILDPLATFORM busybox:local AS named
RUN 3<<EOF cat
# late inside heredoc
EOF
RUN echo \\\\
# late described
FROM named AS late
  # other indented
FROM late AS other
FROM busybox:local
`;

describe('listTargets', () => {
  it('every stage in file order, bases and platforms unexpanded, the last one the default', () => {
    expect(targetsOf(FILE)).toEqual([
      { name: '', isDefault: false, description: '', base: 'busybox:local', platform: '', range: { startLine: 3, endLine: 3 } },
      {
        name: 'named',
        isDefault: false,
        description: 'described\twith a tab',
        base: 'busybox:local',
        platform: '$BUILDPLATFORM',
        range: { startLine: 5, endLine: 5 },
      },
      { name: 'late', isDefault: false, description: 'described', base: 'named', platform: '', range: { startLine: 11, endLine: 11 } },
      { name: 'other', isDefault: false, description: '', base: 'late', platform: '', range: { startLine: 13, endLine: 13 } },
      { name: '', isDefault: true, description: '', base: 'busybox:local', platform: '', range: { startLine: 14, endLine: 14 } },
    ]);
  });

  it('stage names are lowercased, and the description must use the lowercase name', () => {
    expect(targetsOf('# Build upper\n# build lower\nFROM a AS Build\n')[0]).toMatchObject({ name: 'build', description: 'lower' });
  });

  it('a FROM over several lines spans them', () => {
    expect(targetsOf('FROM \\\n  a AS x\n')[0]?.range).toEqual({ startLine: 1, endLine: 2 });
  });
});

import { describe, expect, it } from 'vitest';
import { GoshError, formatDiagnostic } from '../../../src/core/errors.js';
import { cleanContextPath, parseGoshYaml, type GoshConfig } from '../../../src/config/gosh-yaml.js';

const parse = (text: string): GoshConfig => parseGoshYaml({ name: 'Gosh.yaml', text });

function errors(text: string): string[] {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof GoshError)) throw e;
    for (const d of e.diagnostics) expect(d.code).toBe('GOSH_YAML_INVALID');
    return e.diagnostics.map(formatDiagnostic);
  }
  throw new Error('parsed');
}

// the proposal of sbom-lock.md §8, verbatim
const FULL = `dockerfile: {path: Dockerfile}        # as in GOSH
tag: gosh-example/app                 # -> SPDX name / root package name
args: {RUST_PROFILE: release}
mode: prod                            # prod | dev | lock; overridable by a frontend opt / build-arg
sbom:
  namespace: https://spdx.org/spdxdocs   # documentNamespace base
  formats: [spdx-2.3, cyclonedx-1.6]
prepare:
  cargo:
    - lockfile: Cargo.lock            # relative to the context; becomes a files[] entry
      stages: [build]                 # which stages get the vendor mount
      mirror: https://static.crates.io/crates/{crate}/{crate}-{version}.crate   # fetch template (tests: http://127.0.0.1:PORT/…)
subimages:
  tools: {context: tools, dockerfile: Dockerfile, target: "", args: {}}   # name used in FROM/COPY --from
descriptor:
  attestor: https://attestor.example/api   # optional attestorUri
policy:
  registries: [docker.io, localhost:5000]  # optional allow-list checked before resolving
`;

describe('parseGoshYaml', () => {
  it('reads the sbom-lock.md §8 example', () => {
    const config = parse(FULL);
    expect(config).toMatchObject({
      file: 'Gosh.yaml',
      dockerfile: { kind: 'path', path: 'Dockerfile' },
      tag: 'gosh-example/app',
      mode: 'prod',
      sbom: { namespace: 'https://spdx.org/spdxdocs', formats: ['spdx-2.3', 'cyclonedx-1.6'] },
      prepare: { cargo: [{ lockfile: 'Cargo.lock', stages: ['build'], mirror: 'https://static.crates.io/crates/{crate}/{crate}-{version}.crate' }] },
      descriptor: { attestor: 'https://attestor.example/api' },
      policy: { registries: ['docker.io', 'localhost:5000'] },
    });
    expect([...config.args]).toEqual([['RUST_PROFILE', 'release']]);
    expect([...config.subimages.values()]).toEqual([{ name: 'tools', context: 'tools', dockerfile: 'Dockerfile', args: new Map() }]);
  });

  it('keeps the lines of every value', () => {
    const config = parse(FULL);
    expect(config.ranges.get('tag')).toEqual({ startLine: 2, endLine: 2, startColumn: 6 });
    expect(config.ranges.get('args.RUST_PROFILE')?.startLine).toBe(3);
    expect(config.ranges.get('prepare.cargo[0].lockfile')?.startLine).toBe(10);
    expect(config.ranges.get('prepare.cargo[0].stages[0]')?.startLine).toBe(11);
    expect(config.ranges.get('subimages.tools.context')?.startLine).toBe(14);
  });

  it('gives every default for an empty file or a comment-only file', () => {
    for (const text of ['', '# nothing here\n', '---\n']) {
      const config = parse(text);
      expect(config.dockerfile).toEqual({ kind: 'path', path: 'Dockerfile' });
      expect(config.sbom).toEqual({ namespace: 'https://spdx.org/spdxdocs', formats: ['spdx-2.3', 'cyclonedx-1.6'] });
      expect(config.prepare).toEqual({ cargo: [], npm: [] });
      expect(config.subimages.size).toBe(0);
      expect(config.mode).toBeUndefined();
      expect(config.tag).toBeUndefined();
    }
  });

  it('sorts args and sub-images by key whatever the file order', () => {
    const config = parse('args: {B: "2", A: "1"}\nsubimages:\n  zed: {context: z}\n  abc: {context: a/./b/}\n');
    expect([...config.args.keys()]).toEqual(['A', 'B']);
    expect([...config.subimages.keys()]).toEqual(['abc', 'zed']);
    expect(config.subimages.get('abc')?.context).toBe('a/b');
  });

  it('reads an inline Dockerfile and resolves aliases', () => {
    const config = parse('dockerfile:\n  content: |\n    FROM busybox\nargs: &a {X: "1"}\nsubimages:\n  s: {context: ., args: *a}\n');
    expect(config.dockerfile).toEqual({ kind: 'inline', content: 'FROM busybox\n' });
    expect([...(config.subimages.get('s')?.args ?? [])]).toEqual([['X', '1']]);
  });
});

describe('parseGoshYaml errors', () => {
  it('an unknown key: Gosh.yaml:4: unknown key "foo"', () => {
    expect(errors('tag: app\nmode: dev\nargs: {}\nfoo: 1\n')).toEqual(['Gosh.yaml:4: unknown key "foo"\n  note: expected one of: args, descriptor, dockerfile, mode, policy, prepare, sbom, subimages, tag']);
  });

  it('collects every problem of the file, in line order', () => {
    expect(errors('mode: fast\nsbom:\n  namespaces: x\nsubimages:\n  tools: {context: ../up}\nargs: {1X: a}\n')).toEqual([
      'Gosh.yaml:1: mode: expected prod, dev, lock, found "fast"',
      'Gosh.yaml:3: unknown key "namespaces" in sbom\n  note: expected one of: formats, namespace',
      'Gosh.yaml:5: subimages.tools.context: context "../up" must stay inside the build context',
      'Gosh.yaml:6: args: invalid build arg name "1X"',
    ]);
  });

  it.each([
    ['args: {V: 1.10}', 'Gosh.yaml:1: args.V: expected a string; quote it: "1.10"'],
    ['args: {V: true}', 'Gosh.yaml:1: args.V: expected a string; quote it: "true"'],
    ['args: {V: }', 'Gosh.yaml:1: args.V: expected a string'],
    ['args: [a]', 'Gosh.yaml:1: args: expected a mapping'],
    ['tag: bad name', 'Gosh.yaml:1: tag: invalid reference format "bad name"'],
    ['tag: Bad', 'Gosh.yaml:1: tag: repository name must be lowercase'],
    ['dockerfile: {path: a, content: b}', 'Gosh.yaml:1: dockerfile: give exactly one of path or content'],
    ['dockerfile: {path: /etc/passwd}', 'Gosh.yaml:1: dockerfile.path: path "/etc/passwd" must stay inside the build context'],
    ['dockerfile: {path: .}', 'Gosh.yaml:1: dockerfile.path: expected a file, not the context directory'],
    ['dockerfile: Dockerfile', 'Gosh.yaml:1: dockerfile: expected a mapping'],
    ['sbom: {formats: [spdx-2.2]}', 'Gosh.yaml:1: sbom.formats: unknown format "spdx-2.2" (expected spdx-2.3 or cyclonedx-1.6)'],
    ['sbom: {formats: []}', 'Gosh.yaml:1: sbom.formats: list at least one format'],
    ['sbom: {formats: [spdx-2.3, spdx-2.3]}', 'Gosh.yaml:1: sbom.formats: "spdx-2.3" is listed twice'],
    ['sbom: {namespace: "https://x/y#z"}', 'Gosh.yaml:1: sbom.namespace: expected an http(s) URL without "#", found "https://x/y#z"'],
    ['prepare: {cargo: {lockfile: x}}', 'Gosh.yaml:1: prepare.cargo: expected a list'],
    ['prepare: {cargo: [{stages: [b]}]}', 'Gosh.yaml:1: prepare.cargo[0]: lockfile is required'],
    ['prepare: {cargo: [{lockfile: Cargo.lock, mirror: "https://m/{name}"}]}', 'Gosh.yaml:1: prepare.cargo[0].mirror: unknown marker {name} (expected {crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum})'],
    ['prepare: {cargo: [{lockfile: a}, {lockfile: ./a}]}', 'Gosh.yaml:1: prepare.cargo: "a" is listed twice'],
    ['prepare: {pip: []}', 'Gosh.yaml:1: unknown key "pip" in prepare\n  note: expected one of: cargo, npm'],
    ['prepare: {npm: [{lockfile: package-lock.json, mirror: "http://127.0.0.1:1/{crate}"}]}', 'Gosh.yaml:1: prepare.npm[0].mirror: unknown marker {crate} (an npm mirror is a registry base URL)'],
    ['subimages: {Tools: {context: t}}', 'Gosh.yaml:1: subimages: invalid sub-image name "Tools" (lowercase letters, digits, ".", "_", "-"; not "scratch")'],
    ['subimages: {scratch: {context: t}}', 'Gosh.yaml:1: subimages: invalid sub-image name "scratch" (lowercase letters, digits, ".", "_", "-"; not "scratch")'],
    ['subimages: {t: {dockerfile: D}}', 'Gosh.yaml:1: subimages.t: context is required'],
    ['subimages: {t: {context: t, target: "a b"}}', 'Gosh.yaml:1: subimages.t.target: invalid stage name "a b"'],
    ['subimages: {t: {context: t, platform: x}}', 'Gosh.yaml:1: unknown key "platform" in subimages.t\n  note: expected one of: args, context, dockerfile, target'],
    ['descriptor: {attestor: ftp://x}', 'Gosh.yaml:1: descriptor.attestor: expected an http(s) URL without "#", found "ftp://x"'],
    ['policy: {registries: ["docker.io/library"]}', 'Gosh.yaml:1: policy.registries: invalid registry "docker.io/library" (expected a host[:port] such as docker.io)'],
    ['- a\n- b', 'Gosh.yaml:1: top level: expected a mapping'],
    ['{1: a}', 'Gosh.yaml:1: unknown key "1"\n  note: expected one of: args, descriptor, dockerfile, mode, policy, prepare, sbom, subimages, tag'],
  ])('%j', (text, message) => {
    expect(errors(`${text}\n`)).toEqual([message]);
  });

  it('reports YAML syntax errors and duplicate keys at their lines', () => {
    const dup = errors('tag: a\nmode: dev\ntag: b\n');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatch(/^Gosh\.yaml:3: invalid YAML: Map keys must be unique/);
    const syntax = errors('args:\n  A: "unterminated\n');
    expect(syntax[0]).toMatch(/^Gosh\.yaml:3: invalid YAML: Missing closing "quote/);
  });

  it('refuses several documents in one file', () => {
    expect(errors('tag: a\n---\ntag: b\n')[0]).toMatch(/^Gosh\.yaml:\d+: invalid YAML: /);
  });
});

describe('cleanContextPath', () => {
  it.each([
    ['.', '.'],
    ['', '.'],
    ['./', '.'],
    ['a/./b//', 'a/b'],
    ['./tools', 'tools'],
  ])('%j → %j', (input, out) => expect(cleanContextPath(input)).toBe(out));

  it.each(['..', 'a/../..', 'a/..', '/abs', 'a\\b'])('refuses %j', (input) => expect(cleanContextPath(input)).toBeUndefined());
});

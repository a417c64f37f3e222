// Frontend options as dockerui v0.13.2 reads them (frontend/dockerui/config.go, attr.go): the
// platform/multi-platform pair, no-cache, add-hosts, SOURCE_DATE_EPOCH, cache imports and the
// keys of remote contexts, named contexts and input metadata.
import { describe, expect, it } from 'vitest';
import { parseBuildOptions, type BuildOptions } from '../../../src/config/build-options.js';
import { GoshError } from '../../../src/core/errors.js';

function parse(opts: Readonly<Record<string, string>>): BuildOptions {
  return parseBuildOptions(new Map(Object.entries(opts)));
}

function parseError(opts: Readonly<Record<string, string>>): GoshError {
  try {
    parse(opts);
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(opts)} to be refused`);
}

describe('platform and multi-platform', () => {
  it('platform=linux/amd64,linux/arm64 asks for a multi-platform result', () => {
    const o = parse({ platform: 'linux/amd64,linux/arm64' });
    expect(o.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    expect(o.multiPlatform).toBe(true);
  });

  it('one platform is single unless multi-platform says otherwise', () => {
    expect(parse({ platform: 'linux/arm64' }).multiPlatform).toBe(false);
    expect(parse({ platform: 'linux/arm64', 'multi-platform': 'true' }).multiPlatform).toBe(true);
    expect(parse({ 'multi-platform': '1' }).multiPlatform).toBe(true);
  });

  it('build-arg BUILDKIT_MULTI_PLATFORM wins over the multi-platform option', () => {
    expect(parse({ 'multi-platform': 'false', 'build-arg:BUILDKIT_MULTI_PLATFORM': '1' }).multiPlatform).toBe(true);
    expect(parse({ 'multi-platform': 'true', 'build-arg:BUILDKIT_MULTI_PLATFORM': 'false' }).multiPlatform).toBe(false);
    // an empty build arg leaves the option alone
    expect(parse({ 'multi-platform': 'true', 'build-arg:BUILDKIT_MULTI_PLATFORM': '' }).multiPlatform).toBe(true);
  });

  it('multi-platform=false with several platforms is a conflict', () => {
    expect(parseError({ platform: 'linux/amd64,linux/arm64', 'multi-platform': 'false' }).message).toContain(
      'conflicting config: returning multiple target platforms is not allowed',
    );
  });

  it('multi-platform must be a Go boolean', () => {
    const e = parseError({ 'multi-platform': 'yes' });
    expect(e.code).toBe('OPTION_INVALID');
    expect(e.message).toContain('invalid boolean value for multi-platform: yes');
  });

  it('a malformed platform is refused', () => {
    expect(parseError({ platform: 'linux/amd64/v2/x' }).message).toContain('failed to parse target platform linux/amd64/v2/x');
  });
});

describe('no-cache', () => {
  it('absent: every stage uses the cache', () => {
    expect(parse({}).noCache).toBeUndefined();
  });

  it('empty: no stage uses the cache', () => {
    expect(parse({ 'no-cache': '' }).noCache).toEqual(new Set());
  });

  it('stage names are compared ignoring case, and not trimmed', () => {
    expect(parse({ 'no-cache': 'Build, test' }).noCache).toEqual(new Set(['build', ' test']));
  });

  it('an empty item names the unnamed stages, as dockerui splits "a," into a and ""', () => {
    expect(parse({ 'no-cache': 'a,' }).noCache).toEqual(new Set(['a', '']));
  });
});

describe('add-hosts', () => {
  it('host=ip pairs in one CSV record, lowercased, IPs as Go prints them', () => {
    expect(parse({ 'add-hosts': 'MyHost=::FFFF:10.0.0.1,h6=2001:DB8:0:0:0:0:0:1,"h4=10.1.2.3"' }).extraHosts).toEqual([
      { host: 'myhost', ip: '10.0.0.1' },
      { host: 'h6', ip: '2001:db8::1' },
      { host: 'h4', ip: '10.1.2.3' },
    ]);
  });

  it('host:ip is not a pair', () => {
    expect(parseError({ 'add-hosts': 'h1:10.0.0.1' }).message).toContain('failed to parse additional hosts: invalid key-value pair h1:10.0.0.1');
  });

  it('the IP must parse', () => {
    expect(parseError({ 'add-hosts': 'h=10.0.0.256' }).message).toContain('failed to parse IP 10.0.0.256');
    expect(parseError({ 'add-hosts': 'h=010.0.0.1' }).message).toContain('failed to parse IP 010.0.0.1');
  });

  it('a bare quote is a CSV error', () => {
    expect(parseError({ 'add-hosts': 'h="x' }).message).toContain('bare " in non-quoted-field');
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it('seconds as strconv.ParseInt reads them', () => {
    expect(parse({ 'build-arg:SOURCE_DATE_EPOCH': '1700000000' }).sourceDateEpoch).toBe(1700000000);
    expect(parse({ 'build-arg:SOURCE_DATE_EPOCH': '-1' }).sourceDateEpoch).toBe(-1);
    expect(parse({ 'build-arg:SOURCE_DATE_EPOCH': '' }).sourceDateEpoch).toBeUndefined();
  });

  it('anything else is refused', () => {
    expect(parseError({ 'build-arg:SOURCE_DATE_EPOCH': '1.5' }).message).toContain('invalid SOURCE_DATE_EPOCH: 1.5');
    expect(parseError({ 'build-arg:SOURCE_DATE_EPOCH': '999999999999' }).message).toContain('year outside of range');
  });
});

describe('image-resolve-mode', () => {
  it('default, pull and local; empty is default', () => {
    expect(parse({}).imageResolveMode).toBe('default');
    expect(parse({ 'image-resolve-mode': '' }).imageResolveMode).toBe('default');
    expect(parse({ 'image-resolve-mode': 'pull' }).imageResolveMode).toBe('pull');
    expect(parse({ 'image-resolve-mode': 'local' }).imageResolveMode).toBe('local');
    expect(parseError({ 'image-resolve-mode': 'never' }).message).toContain('invalid image-resolve-mode: never');
  });
});

describe('cache imports', () => {
  it('cache-imports JSON, then one registry import per cache-from ref', () => {
    const o = parse({
      'cache-imports': '[{"Type":"local","Attrs":{"src":"/c"}},{"Type":"gha"}]',
      'cache-from': 'r1:cache,r2:cache',
    });
    expect(o.cacheImports).toEqual([
      { type: 'local', attrs: { src: '/c' } },
      { type: 'gha', attrs: {} },
      { type: 'registry', attrs: { ref: 'r1:cache' } },
      { type: 'registry', attrs: { ref: 'r2:cache' } },
    ]);
  });

  it('malformed JSON is refused', () => {
    expect(parseError({ 'cache-imports': '{' }).message).toContain('failed to unmarshal cache-imports');
    expect(parseError({ 'cache-imports': '[{"Attrs":{"a":1}}]' }).message).toContain('failed to unmarshal cache-imports');
  });
});

describe('contexts', () => {
  it('context:<name> and input-metadata:<name> by name', () => {
    const o = parse({ 'context:base': 'docker-image://busybox', 'context:base::linux/arm64': 'local:b', 'input-metadata:base': '{}' });
    expect([...o.namedContexts]).toEqual([
      ['base', 'docker-image://busybox'],
      ['base::linux/arm64', 'local:b'],
    ]);
    expect(o.inputMetadata.get('base')).toBe('{}');
    expect(o.ignoredKeys).toEqual([]);
  });

  it('the remote context URL is read from the option contextkey names', () => {
    expect(parse({ context: 'https://example.com/ctx.tar' }).remoteContext).toBe('https://example.com/ctx.tar');
    expect(parse({ contextkey: 'other', other: 'git://h/r.git', context: 'x' }).remoteContext).toBe('git://h/r.git');
    expect(parse({}).remoteContext).toBeUndefined();
  });

  it('contextsubdir and BUILDKIT_CONTEXT_KEEP_GIT_DIR', () => {
    const o = parse({ contextsubdir: 'sub', 'build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR': 'true' });
    expect(o.contextSubdir).toBe('sub');
    expect(o.keepGitDir).toBe(true);
    // a malformed value is ignored, as strconv.ParseBool's error is there
    expect(parse({ 'build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR': 'maybe' }).keepGitDir).toBe(false);
  });

  it('dockerfilekey forces the local Dockerfile', () => {
    expect(parse({}).forceLocalDockerfile).toBe(false);
    const o = parse({ dockerfilekey: 'df2' });
    expect(o.forceLocalDockerfile).toBe(true);
    expect(o.dockerfileKey).toBe('df2');
  });
});

describe('proxy build args (dockerfile2llb proxyEnvFromBuildArgs)', () => {
  it('none given: no proxy env', () => {
    expect(parse({ 'build-arg:A': '1' }).proxyEnv).toBeUndefined();
  });

  it('any case, declared or not, empty values kept; the lowercase spelling wins a tie', () => {
    expect(
      parse({
        'build-arg:HTTP_PROXY': 'http://upper',
        'build-arg:http_proxy': 'http://lower',
        'build-arg:Https_Proxy': 'https://s',
        'build-arg:FTP_PROXY': '',
        'build-arg:no_proxy': 'localhost',
        'build-arg:ALL_PROXY': 'socks://a',
        'build-arg:PROXY': 'not one',
      }).proxyEnv,
    ).toEqual({ httpProxy: 'http://lower', httpsProxy: 'https://s', ftpProxy: '', noProxy: 'localhost', allProxy: 'socks://a' });
  });
});

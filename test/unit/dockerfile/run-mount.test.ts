import { describe, expect, it } from 'vitest';
import { parseRunMount, readCsvRecord } from '../../../src/dockerfile/run-mount.js';

const expandAll = (v: string): string => v.replace('$T', '/target');
const full = (raw: string): ReturnType<typeof parseRunMount> => parseRunMount(raw, expandAll);

describe('parseRunMount at parse time (no expander)', () => {
  it('keeps only from, type stays bind', () => {
    expect(parseRunMount('type=cache,from=build,target=/x')).toEqual({
      ok: true,
      mount: { type: 'bind', from: 'build', readOnly: true, required: false },
    });
  });

  it('a variable in from= is refused', () => {
    expect(parseRunMount('from=$STAGE')).toMatchObject({ ok: false });
    expect(parseRunMount('from=a$')).toMatchObject({ ok: true });
  });

  it('bad CSV is refused, unknown keys are not looked at yet', () => {
    expect(parseRunMount('type="bind')).toMatchObject({ ok: false });
    expect(parseRunMount('bogus=1,ro')).toMatchObject({ ok: true });
  });
});

describe('parseRunMount with an expander', () => {
  it('defaults: bind read-only, cache and tmpfs writable', () => {
    expect(full('target=/x')).toEqual({
      ok: true,
      mount: { type: 'bind', target: '/x', readOnly: true, required: false },
    });
    expect(full('type=cache,target=$T,id=c,sharing=locked,mode=0700,uid=1,gid=2')).toEqual({
      ok: true,
      mount: {
        type: 'cache',
        target: '/target',
        id: 'c',
        sharing: 'locked',
        mode: 0o700,
        uid: 1,
        gid: 2,
        readOnly: false,
        required: false,
      },
    });
    expect(full('type=tmpfs,dst=/t,size=64m')).toEqual({
      ok: true,
      mount: { type: 'tmpfs', target: '/t', sizeBytes: 64 * 2 ** 20, readOnly: false, required: false },
    });
  });

  it('rw, ro=false, readonly flags', () => {
    expect(full('type=bind,target=/x,rw')).toMatchObject({ mount: { readOnly: false } });
    expect(full('type=bind,target=/x,ro=false')).toMatchObject({ mount: { readOnly: false } });
    expect(full('type=cache,target=/x,readonly')).toMatchObject({ mount: { readOnly: true } });
  });

  it('secret and ssh', () => {
    expect(full('type=secret,id=tok,required')).toMatchObject({
      ok: true,
      mount: { type: 'secret', id: 'tok', required: true, readOnly: true },
    });
    expect(full('type=secret')).toMatchObject({ ok: false });
    expect(full('type=secret,id=a,source=b')).toMatchObject({ ok: false });
    expect(full('type=secret,id=a,from=x')).toMatchObject({ ok: false });
    expect(full('type=ssh,required=true')).toMatchObject({ ok: true, mount: { type: 'ssh', required: true } });
  });

  it('invalid values', () => {
    for (const raw of [
      'type=nfs',
      'type=cache,sharing=global',
      'type=bind,mode=0755',
      'type=cache,mode=9',
      'type=cache,uid=-1',
      'size=1m',
      'type=tmpfs,size=big',
      'ro=maybe',
      'required',
      'oops',
      'typo=1',
      'type=bind,sharing=shared',
    ]) {
      expect([raw, full(raw).ok]).toEqual([raw, false]);
    }
  });

  it('destination= is a target; v0.13.2 has no env= for secrets', () => {
    expect(full('destination=/d')).toMatchObject({ ok: true, mount: { target: '/d' } });
    expect(full('type=secret,id=s,env=TOKEN')).toEqual({ ok: false, error: "unexpected key 'env' in 'env=TOKEN'" });
  });

  it('suggests a close key or type', () => {
    expect(full('targte=/x')).toMatchObject({ error: "unexpected key 'targte' in 'targte=/x' (did you mean target?)" });
    expect(full('type=cahce')).toMatchObject({ error: 'unsupported mount type "cahce" (did you mean cache?)' });
  });
});

describe('readCsvRecord', () => {
  it('plain, quoted, doubled quotes, empty fields', () => {
    expect(readCsvRecord('a,"b,c","d""e",')).toEqual({ ok: true, fields: ['a', 'b,c', 'd"e', ''] });
  });

  it('errors: bare quote, text after a closing quote, nothing at all', () => {
    expect(readCsvRecord('a"b')).toMatchObject({ ok: false });
    expect(readCsvRecord('"a"b')).toMatchObject({ ok: false });
    expect(readCsvRecord('"a')).toMatchObject({ ok: false });
    expect(readCsvRecord('')).toEqual({ ok: false, error: 'EOF' });
  });

  it("errors read like Go's encoding/csv, columns 1-based", () => {
    expect(readCsvRecord('type=bind,target=/x"')).toEqual({ ok: false, error: 'parse error on line 1, column 20: bare " in non-quoted-field' });
    expect(readCsvRecord('type=bind,target=/x,"a"b')).toEqual({ ok: false, error: 'parse error on line 1, column 23: extraneous or missing " in quoted-field' });
    expect(readCsvRecord('"a"b,target=/x')).toEqual({ ok: false, error: 'parse error on line 1, column 3: extraneous or missing " in quoted-field' });
  });
});

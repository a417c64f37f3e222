import { describe, expect, it } from 'vitest';
import {
  HeredocMarkerError,
  heredocMarkersOnLine,
  parseHeredocMarker,
} from '../../../src/dockerfile/heredoc-markers.js';

describe('heredoc markers', () => {
  it('<<EOF, <<-EOF, 2<<EOF', () => {
    expect(parseHeredocMarker('<<EOF')).toEqual({ name: 'EOF', expand: true, chomp: false, fileDescriptor: 0 });
    expect(parseHeredocMarker('<<-EOF')).toEqual({ name: 'EOF', expand: true, chomp: true, fileDescriptor: 0 });
    expect(parseHeredocMarker('2<<EOF')).toEqual({ name: 'EOF', expand: true, chomp: false, fileDescriptor: 2 });
  });

  it('quoting any part turns expansion off', () => {
    expect(parseHeredocMarker("<<'EOF'")).toMatchObject({ name: 'EOF', expand: false });
    expect(parseHeredocMarker('<<"E"OF')).toMatchObject({ name: 'EOF', expand: false });
    expect(parseHeredocMarker('<<E\\OF')).toMatchObject({ name: 'EOF', expand: true });
  });

  it('not markers: <<, <<<EOF, cat<<EOF, <<a b', () => {
    for (const word of ['<<', '<<-', '<<<EOF', 'cat<<EOF', '<<a b', 'EOF'])
      expect(parseHeredocMarker(word)).toBeUndefined();
  });

  it('an unclosed quote in the delimiter is an error', () => {
    expect(() => parseHeredocMarker('<<"EOF')).toThrow(HeredocMarkerError);
  });

  it('markers on a line, quotes kept together', () => {
    expect(heredocMarkersOnLine('RUN cat <<A && cat <<-"B C" 3<<D').map((m) => m.name)).toEqual(['A', 'B C', 'D']);
    expect(heredocMarkersOnLine("RUN echo '<<A'")).toEqual([]);
    expect(heredocMarkersOnLine('RUN echo "unclosed <<A')).toEqual([]);
  });
});

// Go's net.ParseIP and net.IP.String for the add-hosts option: BuildKit parses each IP and puts
// ip.String() into the exec op, so "::FFFF:10.0.0.1" arrives as "10.0.0.1".

/**
 * The canonical text of an IPv4 or IPv6 address as Go prints it, or undefined where Go's
 * ParseIP fails (leading zeros in IPv4 parts, zones, bad hex groups).
 */
export function canonicalIp(text: string): string | undefined {
  if (text.includes('.') && !text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 !== undefined ? v4.join('.') : undefined;
  }
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  // IPv4-mapped addresses print as IPv4
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    const [a, b] = [v6[6] as number, v6[7] as number];
    return [a >> 8, a & 0xff, b >> 8, b & 0xff].join('.');
  }
  return formatIpv6(v6);
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Go refuses leading zeros (ambiguous octal) since 1.17
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Eight 16-bit groups, or undefined. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0] as string);
  if (head === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = groupsOf(halves[1] as string);
  if (tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952: lowercase, no leading zeros, the first longest run of two or more zero groups as "::". */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

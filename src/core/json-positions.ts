// Where a JSON path starts in a document that is already known to be valid JSON, found on demand:
// reading a 10,000-package lock needs the lines of a few paths per package (and all of them only
// to explain an error), so recording every position while parsing costs more than it serves.
// Each container is scanned at most once, and only as far as the children asked for so far.
import type { JsonPosition } from './json-text.js';

/** A path step: a member key or an array index. */
type Step = string | number;

interface ContainerScan {
  readonly kind: 'object' | 'array';
  /** where scanning resumes: after the opening bracket or after the last child found */
  pos: number;
  done: boolean;
  /** array: value offsets by index; object: key → [key offset, value offset] */
  readonly elements: number[];
  readonly members: Map<string, readonly [number, number]>;
}

const IDENTIFIER_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `.key` (or `key` first), `["key"]`, `[3]` */
const PATH_STEP_RE = /\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[("(?:[^"\\]|\\.)*")\]|\[(0|[1-9][0-9]*)\]/y;

/**
 * The positions of a valid JSON `text` without duplicate keys, by path as memberPath and
 * elementPath write them ("" is the root): a member's key, an array element's value.
 * `all` lists every position; it is called only when the map is iterated.
 */
export class LazyJsonPositions implements ReadonlyMap<string, JsonPosition> {
  private readonly scans = new Map<number, ContainerScan>();
  private readonly found = new Map<string, number | undefined>();
  private lineStarts: number[] | undefined;
  private full: ReadonlyMap<string, JsonPosition> | undefined;

  constructor(
    private readonly text: string,
    private readonly all: () => ReadonlyMap<string, JsonPosition>,
  ) {}

  get(path: string): JsonPosition | undefined {
    let offset = this.found.get(path);
    if (offset === undefined && !this.found.has(path)) {
      offset = this.locate(path);
      this.found.set(path, offset);
    }
    return offset === undefined ? undefined : this.positionAt(offset);
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  get size(): number {
    return this.everything().size;
  }

  forEach(callback: (value: JsonPosition, key: string, map: ReadonlyMap<string, JsonPosition>) => void, thisArg?: unknown): void {
    this.everything().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, JsonPosition]> {
    return this.everything().entries();
  }

  keys(): MapIterator<string> {
    return this.everything().keys();
  }

  values(): MapIterator<JsonPosition> {
    return this.everything().values();
  }

  [Symbol.iterator](): MapIterator<[string, JsonPosition]> {
    return this.entries();
  }

  private everything(): ReadonlyMap<string, JsonPosition> {
    this.full ??= this.all();
    return this.full;
  }

  /** The offset a path's position names, or undefined when the document has no such path. */
  private locate(path: string): number | undefined {
    const steps = parsePath(path);
    if (steps === undefined) return undefined;
    let value = skipSpace(this.text, 0);
    let reported = value;
    for (const step of steps) {
      const scan = this.scanOf(value);
      if (scan === undefined) return undefined;
      if (typeof step === 'number') {
        if (scan.kind !== 'array') return undefined;
        while (scan.elements.length <= step && !scan.done) this.scanNext(scan);
        const at = scan.elements[step];
        if (at === undefined) return undefined;
        reported = value = at;
      } else {
        if (scan.kind !== 'object') return undefined;
        while (!scan.members.has(step) && !scan.done) this.scanNext(scan);
        const member = scan.members.get(step);
        if (member === undefined) return undefined;
        [reported, value] = member;
      }
    }
    return reported;
  }

  private scanOf(at: number): ContainerScan | undefined {
    let scan = this.scans.get(at);
    if (scan === undefined) {
      const c = this.text.charCodeAt(at);
      if (c !== 0x7b && c !== 0x5b) return undefined; // { [
      scan = { kind: c === 0x7b ? 'object' : 'array', pos: at + 1, done: false, elements: [], members: new Map() };
      this.scans.set(at, scan);
    }
    return scan;
  }

  /** Finds the next child of a container (the text is valid JSON, so no checks). */
  private scanNext(scan: ContainerScan): void {
    const text = this.text;
    let at = skipSpace(text, scan.pos);
    const c = text.charCodeAt(at);
    if (c === 0x7d || c === 0x5d) {
      scan.done = true;
      return;
    }
    if (c === 0x2c) at = skipSpace(text, at + 1);
    if (scan.kind === 'array') {
      scan.elements.push(at);
      scan.pos = skipValue(text, at);
      return;
    }
    const keyEnd = stringEnd(text, at);
    const raw = text.slice(at, keyEnd);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    const valueAt = skipSpace(text, skipSpace(text, keyEnd) + 1); // past ":"
    scan.members.set(key, [at, valueAt]);
    scan.pos = skipValue(text, valueAt);
  }

  private positionAt(offset: number): JsonPosition {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function skipSpace(text: string, at: number): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
    else return at;
  }
}

/** The offset just past the string whose opening quote is at `at`. */
function stringEnd(text: string, at: number): number {
  for (let q = text.indexOf('"', at + 1); ; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
}

/** The offset just past the value that starts at `at`. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === 0x22) return stringEnd(text, at);
  if (first !== 0x7b && first !== 0x5b) {
    // a number, true, false or null: up to the next delimiter
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || Number.isNaN(c)) return at;
      at++;
    }
  }
  let depth = 0;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x22) {
      at = stringEnd(text, at);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return at + 1;
    }
    at++;
  }
}

/**
 * The steps of a path as memberPath and elementPath write it, or undefined when `path` is not
 * written that way (such a path names nothing: the positions are keyed by those strings).
 */
function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rendered = '';
  let at = 0;
  while (at < path.length) {
    PATH_STEP_RE.lastIndex = at;
    const m = PATH_STEP_RE.exec(path);
    if (m === null) return undefined;
    at = PATH_STEP_RE.lastIndex;
    const [, identifier, quoted, index] = m;
    let step: Step;
    if (identifier !== undefined) step = identifier;
    else if (index !== undefined) step = Number(index);
    else {
      try {
        step = JSON.parse(quoted ?? '') as string;
      } catch {
        return undefined;
      }
    }
    steps.push(step);
    rendered += typeof step === 'number' ? `[${step}]` : IDENTIFIER_RE.test(step) ? `${rendered === '' ? '' : '.'}${step}` : `[${JSON.stringify(step)}]`;
  }
  return rendered === path ? steps : undefined;
}

/**
 * Building region text from pieces of the host document, and mapping SQL offsets back.
 *
 * Most embedded SQL is a single literal without escapes, whose text maps 1:1 onto the host;
 * such regions carry no table at all. Otherwise the region keeps a small segment table:
 * runs that are copied verbatim map linearly, and each escape sequence, line continuation
 * or odd-width placeholder is its own segment, mapped to the start of its host text.
 */
import type { EmbeddedRegion } from './types';

/** `$n` padded with spaces to `width`, or cut to `width` when it does not fit. */
export function placeholder(n: number, width: number): string {
  const p = '$' + n;
  return p.length <= width ? p + ' '.repeat(width - p.length) : p.slice(0, Math.max(0, width));
}

export interface BuiltText {
  sql: string;
  hostStart: number;
  segments?: number[];
}

/** Accumulates region text; `host` is the whole host document. */
export class SqlBuilder {
  private readonly chunks: string[] = [];
  private length = 0;
  /** flat [sqlStart, hostStart, sqlLen, hostLen] */
  private readonly seg: number[] = [];
  /** number of placeholders written so far (the next one is holes + 1) */
  holes = 0;
  /** true when the text starts with a non-literal (an interpolation or an operand) */
  startsWithHole = false;

  constructor(private readonly host: string) {}

  /** Copies host[start, end) unchanged. */
  verbatim(start: number, end: number): void {
    if (end > start) this.push(this.host.slice(start, end), start, end - start);
  }

  /** Appends the decoded value of an escape sequence host[start, end). */
  decoded(value: string, start: number, end: number): void {
    if (end > start || value.length > 0) this.push(value, start, end - start);
  }

  /**
   * Appends a placeholder for host[start, end). `exact` (an interpolation inside a literal)
   * keeps the width equal to the host text; otherwise (an operand of `+`) it is padded to
   * the operand's width when wider and kept whole when not.
   */
  hole(start: number, end: number, exact: boolean): void {
    if (this.length === 0) this.startsWithHole = true;
    const width = end - start;
    const n = ++this.holes;
    const p = exact ? placeholder(n, width) : placeholder(n, Math.max(width, ('$' + n).length));
    this.push(p, start, width);
  }

  private push(text: string, hostStart: number, hostLen: number): void {
    const sqlLen = text.length;
    const n = this.seg.length;
    // Extend the previous segment when both are linear and contiguous in the host.
    if (n > 0 && sqlLen === hostLen) {
      const prevSqlLen = this.seg[n - 2];
      const prevHostLen = this.seg[n - 1];
      if (prevSqlLen === prevHostLen && this.seg[n - 3] + prevHostLen === hostStart && prevSqlLen > 0) {
        this.seg[n - 2] += sqlLen;
        this.seg[n - 1] += hostLen;
        this.chunks.push(text);
        this.length += sqlLen;
        return;
      }
    }
    this.seg.push(this.length, hostStart, sqlLen, hostLen);
    this.chunks.push(text);
    this.length += sqlLen;
  }

  /** The text and its mapping; null when nothing was appended. */
  finish(): BuiltText | null {
    if (this.seg.length === 0) return null;
    const sql = this.chunks.join('');
    // where sql[0] sits: skip leading segments that produced no text (a line continuation)
    let first = 0;
    while (first + 4 < this.seg.length && this.seg[first + 2] === 0) first += 4;
    const hostStart = this.seg[first + 1];
    const linear = this.seg.length === 4 && this.seg[2] === this.seg[3];
    return linear ? { sql, hostStart } : { sql, hostStart, segments: this.seg.slice() };
  }
}

type Mappable = Pick<EmbeddedRegion, 'sql' | 'hostStart' | 'segments'>;

/** Index (in quadruples) of the last segment whose sqlStart <= offset. */
function segmentAt(seg: number[], offset: number): number {
  let lo = 0;
  let hi = seg.length / 4 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (seg[mid * 4] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Host offset of the character that produced sql[sqlOffset]. sqlOffset === sql.length maps
 * to the end of the region's host text. Characters decoded from an escape sequence map to
 * the escape's first character (the backslash).
 */
export function mapToHost(region: Mappable, sqlOffset: number): number {
  const o = Math.max(0, Math.min(sqlOffset, region.sql.length));
  const seg = region.segments;
  if (!seg) return region.hostStart + o;
  const i = segmentAt(seg, o) * 4;
  const [s, h, sl, hl] = [seg[i], seg[i + 1], seg[i + 2], seg[i + 3]];
  const d = o - s;
  if (d >= sl) return h + hl; // end of the region (or past a zero-length continuation)
  if (sl === hl) return h + d;
  return h + Math.min(d, Math.max(0, hl - 1));
}

/**
 * Host offset just after the character sql[sqlEnd - 1]: the exclusive end of a range.
 * Unlike mapToHost(sqlEnd) it does not jump over the quotes and `+` between two pieces, and
 * it covers a whole escape sequence.
 */
export function mapEndToHost(region: Mappable, sqlEnd: number): number {
  const e = Math.max(0, Math.min(sqlEnd, region.sql.length));
  const seg = region.segments;
  if (!seg) return region.hostStart + e;
  if (e === 0) return mapToHost(region, 0);
  const i = segmentAt(seg, e - 1) * 4;
  const [s, h, sl, hl] = [seg[i], seg[i + 1], seg[i + 2], seg[i + 3]];
  if (e - s >= sl) return h + hl;
  if (sl === hl) return h + (e - s);
  return Math.min(h + hl, mapToHost(region, e - 1) + 1);
}

/** Host range [start, end) of the SQL range [sqlStart, sqlEnd). */
export function mapRangeToHost(region: Mappable, sqlStart: number, sqlEnd: number): { start: number; end: number } {
  const start = mapToHost(region, sqlStart);
  const end = sqlEnd > sqlStart ? mapEndToHost(region, sqlEnd) : start;
  return { start, end: Math.max(start, end) };
}

/** End of the region's text in the host (exclusive). */
export function hostEnd(region: Mappable): number {
  return mapEndToHost(region, region.sql.length);
}

/**
 * SQL offset for a host offset (e.g. the cursor), or -1 when the host offset is outside the
 * region's text (in the quotes or `+` between pieces counts as outside).
 */
export function mapFromHost(region: Mappable, hostOffset: number): number {
  const seg = region.segments;
  if (!seg) {
    const d = hostOffset - region.hostStart;
    return d >= 0 && d <= region.sql.length ? d : -1;
  }
  for (let i = 0; i < seg.length; i += 4) {
    const [s, h, sl, hl] = [seg[i], seg[i + 1], seg[i + 2], seg[i + 3]];
    if (hostOffset >= h && hostOffset < h + hl) return sl === hl ? s + (hostOffset - h) : s;
  }
  return hostOffset === hostEnd(region) ? region.sql.length : -1;
}

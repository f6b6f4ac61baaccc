import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Which ward a WGS84 point lies in, for wards at full resolution (thousands of vertices each).
 *
 * Rules (the naive scan in naiveJoins.ts follows the same ones, and the tests hold them equal):
 * - a ward is a closed set: a point on its boundary, a vertex included, is inside it;
 * - a point strictly inside a hole is not in that ward (it is in the ward filling the hole, if any);
 *   a point on the hole's ring is on the ward's boundary, so inside;
 * - a MultiPolygon contains a point when any of its polygons does;
 * - a point in more than one ward (on a shared boundary, or where invalid data overlaps) belongs to
 *   the ward whose code sorts first by UTF-16 code units (plain `<`, not locale-aware), then to the
 *   earlier ward in the input;
 * - every decision is exact: the only arithmetic that matters, the sign of an orientation, is
 *   computed exactly (a floating-point filter, then BigInt when the filter cannot tell).
 *
 * How: a uniform grid over the wards' bounding box, with about CELLS_PER_EDGE cells per boundary
 * edge. A cell that no edge comes near (within a margin far above rounding error) lies wholly in
 * one ward or in none, so it stores the answer. A point in any other cell is ray cast exactly
 * against the edges of its grid row only: each row keeps the edges that reach it, sorted by their
 * eastern end, so the eastward ray starts at a binary search. It is sized for one council's wards:
 * for a whole country's, the grid would stop growing at MAX_CELLS and its rows would hold so many
 * edges that the exact test would be slow.
 */

export interface WardShape {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

const CELLS_PER_EDGE = 64;
const MAX_CELLS = 1 << 22;
const MAX_SIDE = 4096;
const BOUNDARY = -2;
const OUTSIDE = -1;
const UNSET = -3;
const RADIANS = Math.PI / 180;

export class WardIndex {
  /** How many wards were indexed. */
  readonly size: number;
  /** Grid shape and how many cells need an exact test, for benchmarks and notes. */
  readonly grid: { columns: number; rows: number; boundaryCells: number };

  private readonly wards: readonly WardShape[];
  private readonly partWard: Int32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly inverseCellWidth: number;
  private readonly inverseCellHeight: number;
  private readonly cells: Int32Array;
  /** Row r's edges are entries rowStart[r] … rowStart[r + 1] − 1, sorted by their eastern end. */
  private readonly rowStart: Int32Array;
  /** ax, ay, bx, by of each row entry. */
  private readonly rowEdges: Float64Array;
  private readonly rowEastX: Float64Array;
  private readonly rowPart: Int32Array;
  /** Scratch for the ray cast: crossings per polygon, and which polygons were crossed. */
  private readonly crossings: Int32Array;
  private readonly crossed: Int32Array;

  private constructor(wards: readonly WardShape[], edges: Edges) {
    this.wards = wards;
    this.size = wards.length;
    this.partWard = edges.partWard;
    const { minX, minY, maxX, maxY } = edges;
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.crossings = new Int32Array(edges.partWard.length);
    this.crossed = new Int32Array(edges.partWard.length);

    // Cells roughly square on the ground.
    const count = edges.count;
    const width = count > 0 ? (maxX - minX) * Math.cos(((minY + maxY) / 2) * RADIANS) : 0;
    const height = count > 0 ? maxY - minY : 0;
    const target = Math.min(MAX_CELLS, Math.max(1, count * CELLS_PER_EDGE));
    const side = Math.sqrt(Math.max(width * height, 1e-18) / target);
    this.columns = clampInt(Math.round(width / side), 1, MAX_SIDE);
    this.rows = clampInt(Math.round(height / side), 1, MAX_SIDE);
    const cellWidth = maxX > minX ? (maxX - minX) / this.columns : 1;
    const cellHeight = maxY > minY ? (maxY - minY) / this.rows : 1;
    this.inverseCellWidth = 1 / cellWidth;
    this.inverseCellHeight = 1 / cellHeight;
    // Far above the rounding error of locating a point in a cell, far below a cell.
    const marginX = Math.max(cellWidth * 1e-6, 1e-12);
    const marginY = Math.max(cellHeight * 1e-6, 1e-12);

    const { ax, ay, bx, by, part } = edges;
    const rowOf = (y: number) => clampInt(Math.floor((y - minY) * this.inverseCellHeight), 0, this.rows - 1);
    const columnOf = (x: number) => clampInt(Math.floor((x - minX) * this.inverseCellWidth), 0, this.columns - 1);

    // Rows' edge lists, filled in order of eastern end so that each row comes out sorted.
    const order = Array.from({ length: count }, (_, e) => e).sort(
      (e, f) => Math.max(ax[e] as number, bx[e] as number) - Math.max(ax[f] as number, bx[f] as number),
    );
    const firstRow = new Int32Array(count);
    const lastRow = new Int32Array(count);
    const rowStart = new Int32Array(this.rows + 1);
    for (let e = 0; e < count; e++) {
      firstRow[e] = rowOf(Math.min(ay[e] as number, by[e] as number) - marginY);
      lastRow[e] = rowOf(Math.max(ay[e] as number, by[e] as number) + marginY);
      for (let r = firstRow[e] as number; r <= (lastRow[e] as number); r++) rowStart[r + 1] = (rowStart[r + 1] as number) + 1;
    }
    for (let r = 0; r < this.rows; r++) rowStart[r + 1] = (rowStart[r + 1] as number) + (rowStart[r] as number);
    const total = rowStart[this.rows] as number;
    this.rowStart = rowStart;
    this.rowEdges = new Float64Array(total * 4);
    this.rowEastX = new Float64Array(total);
    this.rowPart = new Int32Array(total);
    const fill = rowStart.slice(0, this.rows);
    for (const e of order) {
      for (let r = firstRow[e] as number; r <= (lastRow[e] as number); r++) {
        const slot = fill[r] as number;
        fill[r] = slot + 1;
        this.rowEdges[slot * 4] = ax[e] as number;
        this.rowEdges[slot * 4 + 1] = ay[e] as number;
        this.rowEdges[slot * 4 + 2] = bx[e] as number;
        this.rowEdges[slot * 4 + 3] = by[e] as number;
        this.rowEastX[slot] = Math.max(ax[e] as number, bx[e] as number);
        this.rowPart[slot] = part[e] as number;
      }
    }

    // Mark every cell that an edge comes within the margin of: the part of the edge inside the
    // row's band (widened by the margin) spans these columns (widened likewise).
    const cells = new Int32Array(this.columns * this.rows).fill(UNSET);
    for (let e = 0; e < count; e++) {
      const x0 = ax[e] as number;
      const y0 = ay[e] as number;
      const x1 = bx[e] as number;
      const y1 = by[e] as number;
      for (let r = firstRow[e] as number; r <= (lastRow[e] as number); r++) {
        let west = Math.min(x0, x1);
        let east = Math.max(x0, x1);
        if (y0 !== y1) {
          const low = minY + r * cellHeight - marginY;
          const high = minY + (r + 1) * cellHeight + marginY;
          const tLow = (low - y0) / (y1 - y0);
          const tHigh = (high - y0) / (y1 - y0);
          const t0 = Math.max(0, Math.min(tLow, tHigh));
          const t1 = Math.min(1, Math.max(tLow, tHigh));
          if (t0 > t1) continue;
          const xa = x0 + t0 * (x1 - x0);
          const xb = x0 + t1 * (x1 - x0);
          west = Math.min(xa, xb);
          east = Math.max(xa, xb);
        }
        const last = columnOf(east + marginX);
        for (let c = columnOf(west - marginX); c <= last; c++) cells[r * this.columns + c] = BOUNDARY;
      }
    }

    // The other cells: a run of them along a row touches no boundary, so one exact test at the
    // centre of its first cell answers for the whole run.
    this.cells = cells;
    let boundaryCells = 0;
    for (let r = 0; r < this.rows; r++) {
      let run = UNSET;
      for (let c = 0; c < this.columns; c++) {
        const k = r * this.columns + c;
        if (cells[k] === BOUNDARY) {
          boundaryCells++;
          run = UNSET;
          continue;
        }
        if (run === UNSET) run = this.locate(minX + (c + 0.5) * cellWidth, minY + (r + 0.5) * cellHeight);
        cells[k] = run;
      }
    }
    this.grid = { columns: this.columns, rows: this.rows, boundaryCells };
  }

  /** Indexes the wards; the shapes are kept, not copied, and never modified. */
  static build(wards: readonly WardShape[]): WardIndex {
    const sorted = wards
      .map((ward, position) => ({ ward, position }))
      .sort((a, b) => (a.ward.code < b.ward.code ? -1 : a.ward.code > b.ward.code ? 1 : a.position - b.position))
      .map(({ ward }) => ward);
    return new WardIndex(sorted, collectEdges(sorted));
  }

  /** The ward containing the point, or null outside every ward. */
  wardAt(lon: number, lat: number): WardShape | null {
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return null;
    let c = Math.floor((lon - this.minX) * this.inverseCellWidth);
    if (c >= this.columns) c = this.columns - 1;
    let r = Math.floor((lat - this.minY) * this.inverseCellHeight);
    if (r >= this.rows) r = this.rows - 1;
    let ward = this.cells[r * this.columns + c] as number;
    if (ward === BOUNDARY) ward = this.locate(lon, lat);
    return ward === OUTSIDE ? null : (this.wards[ward] as WardShape);
  }

  /**
   * Exact ray cast eastwards over the point's grid row. A vertex on the ray's line counts as
   * below it (the half-open rule), so a ray through a vertex is counted once, and horizontal
   * edges never cross it. Returns the position of the first ward (in code order) containing
   * the point, or OUTSIDE.
   */
  private locate(px: number, py: number): number {
    const row = clampInt(Math.floor((py - this.minY) * this.inverseCellHeight), 0, this.rows - 1);
    const eastX = this.rowEastX;
    let lo = this.rowStart[row] as number;
    let hi = this.rowStart[row + 1] as number;
    const end = hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((eastX[mid] as number) < px) lo = mid + 1;
      else hi = mid;
    }

    const edges = this.rowEdges;
    const crossings = this.crossings;
    let crossedCount = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let e = lo; e < end; e++) {
      const o = e * 4;
      const ax = edges[o] as number;
      const ay = edges[o + 1] as number;
      const bx = edges[o + 2] as number;
      const by = edges[o + 3] as number;
      const bAbove = by > py;
      if (ay > py !== bAbove) {
        let crosses = px < ax && px < bx;
        if (!crosses) {
          const side = orientation(ax, ay, bx, by, px, py);
          if (side === 0) {
            best = Math.min(best, this.partWard[this.rowPart[e] as number] as number);
            continue;
          }
          crosses = bAbove ? side > 0 : side < 0;
        }
        if (crosses) {
          const part = this.rowPart[e] as number;
          if ((crossings[part] as number) === 0) this.crossed[crossedCount++] = part;
          crossings[part] = (crossings[part] as number) + 1;
        }
      } else if (ay === py || by === py) {
        // Touches the ray's line without crossing it: the point is on this edge only if the edge
        // is horizontal and reaches the point, or the touching vertex is the point itself.
        const onEdge = ay === by ? px >= Math.min(ax, bx) : ay === py ? ax === px : bx === px;
        if (onEdge) best = Math.min(best, this.partWard[this.rowPart[e] as number] as number);
      }
    }
    for (let k = 0; k < crossedCount; k++) {
      const part = this.crossed[k] as number;
      if (((crossings[part] as number) & 1) === 1) best = Math.min(best, this.partWard[part] as number);
      crossings[part] = 0;
    }
    return best === Number.POSITIVE_INFINITY ? OUTSIDE : best;
  }
}

interface Edges {
  count: number;
  ax: Float64Array;
  ay: Float64Array;
  bx: Float64Array;
  by: Float64Array;
  /** The polygon (the part of a MultiPolygon, or the Polygon) each edge belongs to. */
  part: Int32Array;
  partWard: Int32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Polygons of a ward's geometry: one for a Polygon, each part of a MultiPolygon. */
export function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Every edge of every ring, as the classic ray-casting loop walks it: from the last position to
 * the first, then along the ring. A closed ring so yields one zero-length edge, which is harmless;
 * an unclosed ring is closed.
 */
function collectEdges(wards: readonly WardShape[]): Edges {
  let count = 0;
  let parts = 0;
  for (const ward of wards) {
    for (const polygon of polygonsOf(ward.geometry)) {
      parts++;
      for (const ring of polygon) count += ring.length;
    }
  }
  const edges: Edges = {
    count,
    ax: new Float64Array(count),
    ay: new Float64Array(count),
    bx: new Float64Array(count),
    by: new Float64Array(count),
    part: new Int32Array(count),
    partWard: new Int32Array(parts),
    minX: Number.POSITIVE_INFINITY,
    minY: Number.POSITIVE_INFINITY,
    maxX: Number.NEGATIVE_INFINITY,
    maxY: Number.NEGATIVE_INFINITY,
  };
  let e = 0;
  let part = 0;
  wards.forEach((ward, w) => {
    for (const polygon of polygonsOf(ward.geometry)) {
      edges.partWard[part] = w;
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [x0, y0] = ring[j] as Position;
          const [x1, y1] = ring[i] as Position;
          if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) {
            throw new RangeError(`Ward ${ward.code} has a position that is not a pair of finite numbers`);
          }
          edges.ax[e] = x0 as number;
          edges.ay[e] = y0 as number;
          edges.bx[e] = x1 as number;
          edges.by[e] = y1 as number;
          edges.part[e] = part;
          edges.minX = Math.min(edges.minX, x1 as number);
          edges.minY = Math.min(edges.minY, y1 as number);
          edges.maxX = Math.max(edges.maxX, x1 as number);
          edges.maxY = Math.max(edges.maxY, y1 as number);
          e++;
        }
      }
      part++;
    }
  });
  return edges;
}

function clampInt(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

// Shewchuk's orientation filter: when |det| exceeds this fraction of |left| + |right|, the sign of
// the floating-point det is the sign of the exact one (for products that did not underflow).
const ORIENTATION_BOUND = (3 + 16 * 2 ** -53) * 2 ** -53;
const SMALLEST_SAFE_PRODUCT = 1e-280;

/**
 * The exact sign of (b − a) × (p − a): 1 when p is left of the line a→b, −1 when right, 0 when
 * the three points are collinear. Rounding can flip the sign of the plain floating-point formula
 * for points on or very near the line — exactly the points on a ward boundary.
 */
export function orientation(ax: number, ay: number, bx: number, by: number, px: number, py: number): -1 | 0 | 1 {
  const left = (ax - px) * (by - py);
  const right = (ay - py) * (bx - px);
  const det = left - right;
  // Products of opposite signs cannot cancel (the signs of rounded differences are exact).
  if (left > 0 ? right < 0 : left < 0 && right > 0) return det > 0 ? 1 : -1;
  // Otherwise trust det only well clear of its error bound, and only for products too large to
  // have underflowed.
  const sum = Math.abs(left) + Math.abs(right);
  if (sum > SMALLEST_SAFE_PRODUCT) {
    const bound = ORIENTATION_BOUND * sum;
    if (det > bound) return 1;
    if (-det > bound) return -1;
  }
  return exactOrientation(ax, ay, bx, by, px, py);
}

function exactOrientation(ax: number, ay: number, bx: number, by: number, px: number, py: number): -1 | 0 | 1 {
  const x = scaled(px);
  const y = scaled(py);
  const det = (scaled(ax) - x) * (scaled(by) - y) - (scaled(ay) - y) * (scaled(bx) - x);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}

const bits = new DataView(new ArrayBuffer(8));

/** A finite double times 2^1074, as an exact integer (every double is a multiple of 2^−1074). */
function scaled(value: number): bigint {
  bits.setFloat64(0, value);
  const high = bits.getUint32(0);
  const exponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(bits.getUint32(4));
  if (exponent > 0) mantissa |= 1n << 52n;
  const magnitude = mantissa << BigInt(Math.max(exponent, 1) - 1);
  return high >>> 31 ? -magnitude : magnitude;
}

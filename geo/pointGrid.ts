/**
 * A static uniform grid over points on a plane (localMetric.ts IndexPlane), for nearest searches
 * within a short radius. Compressed sparse rows: cells are numbered row by row, and the items of
 * cell c sit in slots offsets[c] … offsets[c + 1] − 1 of `ids`, so the cells of one row between
 * two columns hold one contiguous run of slots. A search writes one run per grid row of the square
 * around its circle into `runs` and allocates nothing; the caller measures the items of those runs
 * itself (a superset of the items within the radius: every one of them, and others nearby).
 *
 * Cells are at least `minCellSize` across and there are at most CELLS_PER_ITEM cells per item, so a
 * large, sparse area costs a few bytes per item (Highland: 26,000 km², 150,000 UPRNs, ≤ 600,000
 * cells, 2.4 MB), not one cell per few metres. Measured against kdbush and Flatbush in
 * docs/adr/0009-grid-index-for-nearest-searches.md; wardIndex.ts keeps a grid of the same kind.
 */

const CELLS_PER_ITEM = 4;

export class PointGrid {
  /** How many points were indexed. */
  readonly size: number;
  /** The item (its position in the input) in each slot; a cell's items are in input order. */
  readonly ids: Uint32Array;
  /** Start and end (exclusive) slot of each run written by the last search. */
  readonly runs: Uint32Array;
  readonly columns: number;
  readonly rows: number;
  readonly cellSize: number;

  private readonly offsets: Uint32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly inverseCell: number;

  private constructor(xs: ArrayLike<number>, ys: ArrayLike<number>, minCellSize: number) {
    const n = xs.length;
    let minX = n === 0 ? 0 : Infinity;
    let minY = n === 0 ? 0 : Infinity;
    let maxX = n === 0 ? 0 : -Infinity;
    let maxY = n === 0 ? 0 : -Infinity;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const y = ys[i] as number;
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`Point ${i} is not a pair of finite numbers: ${x}, ${y}`);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const width = maxX - minX;
    const height = maxY - minY;
    const maxCells = Math.max(1, CELLS_PER_ITEM * n);
    let cell = Math.max(minCellSize, Math.sqrt((width * height) / maxCells));
    // A long, thin extent has more cells than its area suggests: widen them until they fit.
    // The counts use the same arithmetic as the searches, so the last point lands in the last cell.
    while ((Math.floor(width * (1 / cell)) + 1) * (Math.floor(height * (1 / cell)) + 1) > maxCells) cell *= 1.05;
    const inverseCell = 1 / cell;
    this.size = n;
    this.cellSize = cell;
    this.inverseCell = inverseCell;
    this.minX = minX;
    this.minY = minY;
    this.columns = n === 0 ? 0 : Math.floor(width * inverseCell) + 1;
    this.rows = n === 0 ? 0 : Math.floor(height * inverseCell) + 1;
    this.runs = new Uint32Array(2 * this.rows);

    const cellOf = new Uint32Array(n);
    const offsets = new Uint32Array(this.columns * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(((ys[i] as number) - minY) * inverseCell) * this.columns + Math.floor(((xs[i] as number) - minX) * inverseCell);
      cellOf[i] = c;
      offsets[c + 1] = (offsets[c + 1] as number) + 1;
    }
    for (let c = 1; c < offsets.length; c++) offsets[c] = (offsets[c] as number) + (offsets[c - 1] as number);
    const next = offsets.slice(0, offsets.length - 1);
    this.ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const c = cellOf[i] as number;
      this.ids[next[c] as number] = i;
      next[c] = (next[c] as number) + 1;
    }
    this.offsets = offsets;
  }

  /** Indexes points (xs[i], ys[i]) given in plane units; cells are at least minCellSize across. */
  static build(xs: ArrayLike<number>, ys: ArrayLike<number>, minCellSize: number): PointGrid {
    if (ys.length !== xs.length) throw new RangeError(`Points need one y per x: ${xs.length} xs, ${ys.length} ys`);
    if (!(minCellSize > 0 && minCellSize < Infinity)) throw new RangeError(`The smallest cell must be a positive size, not ${minCellSize}`);
    return new PointGrid(xs, ys, minCellSize);
  }

  /**
   * Writes to `runs` the slots of every cell that overlaps the square of half-side `radius` around
   * (x, y), one run per grid row, and returns how many runs it wrote: 0 when the square misses the
   * grid. Every point within `radius` of (x, y) on each axis is in a run, rounding included: each
   * step below (± radius, − min, × 1 / cell, floor) is monotone, and a point's own cell was found
   * with the same steps, so x − radius ≤ px puts the first column at or before the point's.
   */
  search(x: number, y: number, radius: number): number {
    const inverseCell = this.inverseCell;
    const columns = this.columns;
    let c0 = Math.floor((x - radius - this.minX) * inverseCell);
    let c1 = Math.floor((x + radius - this.minX) * inverseCell);
    let r0 = Math.floor((y - radius - this.minY) * inverseCell);
    let r1 = Math.floor((y + radius - this.minY) * inverseCell);
    if (c0 < 0) c0 = 0;
    if (c1 >= columns) c1 = columns - 1;
    if (r0 < 0) r0 = 0;
    if (r1 >= this.rows) r1 = this.rows - 1;
    if (!(c0 <= c1 && r0 <= r1)) return 0;
    const offsets = this.offsets;
    const runs = this.runs;
    let n = 0;
    for (let row = r0; row <= r1; row++) {
      const first = row * columns;
      runs[n++] = offsets[first + c0] as number;
      runs[n++] = offsets[first + c1 + 1] as number;
    }
    return n >> 1;
  }
}

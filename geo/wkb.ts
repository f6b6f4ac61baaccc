import type { Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Position } from 'geojson';

/**
 * GeoPackage geometry blobs (OGC 12-128r18 §2.1.3): a small header — magic "GP", version, flags,
 * srs_id, an optional envelope — followed by standard WKB (OGC 06-103r4). Pure decoding, no I/O,
 * so the readers in geo/import/ and their tests share one implementation.
 *
 * Only x and y are kept: Z and M ordinates (ISO type codes 1000/2000/3000 and the EWKB high-bit
 * flags) are read past, since everything downstream is 2-D.
 */

/** A blob that is not a well-formed GeoPackage geometry; the message says what is wrong. */
export class WkbError extends Error {
  override readonly name = 'WkbError';
}

export interface GeoPackageHeader {
  srsId: number;
  /** The envelope as stored, x and y only: [minX, maxX, minY, maxY] (the spec's order), or null. */
  envelope: [number, number, number, number] | null;
  /** The header's empty-geometry flag. */
  empty: boolean;
  /** Where the WKB starts. */
  wkbOffset: number;
}

export interface GeoPackageGeometry extends GeoPackageHeader {
  /** Null when the geometry is empty (the header flag, or WKB POINT EMPTY written as NaN, NaN). */
  geometry: Geometry | null;
}

/** Envelope contents indicator → number of doubles (xy, xyz, xym, xyzm). */
const ENVELOPE_DOUBLES = [0, 4, 6, 6, 8] as const;

const TYPE_NAMES: Record<number, string> = {
  1: 'Point',
  2: 'LineString',
  3: 'Polygon',
  4: 'MultiPoint',
  5: 'MultiLineString',
  6: 'MultiPolygon',
  7: 'GeometryCollection',
};

/** Reads only the header: enough to check the srs and test the envelope without decoding the WKB. */
export function readGeoPackageHeader(blob: Uint8Array): GeoPackageHeader {
  if (blob.length < 8) throw new WkbError(`geometry blob is ${blob.length} bytes, shorter than the 8-byte header`);
  if (blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new WkbError(`geometry blob does not start with "GP" (found 0x${hex(blob[0])} 0x${hex(blob[1])})`);
  }
  if (blob[2] !== 0) throw new WkbError(`geometry blob version ${blob[2]} is not supported (expected 0, GeoPackage 1)`);
  const flags = blob[3] as number;
  if (flags & 0x20) throw new WkbError('geometry blob uses the ExtendedGeoPackageBinary format, which is not supported');
  const little = (flags & 0x01) === 1;
  const indicator = (flags >> 1) & 0x07;
  const doubles = ENVELOPE_DOUBLES[indicator as 0 | 1 | 2 | 3 | 4];
  if (doubles === undefined) throw new WkbError(`geometry blob has an invalid envelope indicator ${indicator}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const wkbOffset = 8 + doubles * 8;
  if (blob.length < wkbOffset) throw new WkbError(`geometry blob is ${blob.length} bytes, too short for its ${doubles * 8}-byte envelope`);
  const envelope: [number, number, number, number] | null =
    doubles === 0
      ? null
      : [view.getFloat64(8, little), view.getFloat64(16, little), view.getFloat64(24, little), view.getFloat64(32, little)];
  return { srsId: view.getInt32(4, little), envelope, empty: (flags & 0x10) !== 0, wkbOffset };
}

/** Header and geometry of a GeoPackage blob. */
export function readGeoPackageGeometry(blob: Uint8Array): GeoPackageGeometry {
  const header = readGeoPackageHeader(blob);
  if (header.empty) return { ...header, geometry: null };
  const { geometry, end } = readWkb(blob, header.wkbOffset);
  if (end !== blob.length) throw new WkbError(`geometry blob has ${blob.length - end} bytes after the end of its WKB`);
  return { ...header, geometry };
}

/**
 * Decodes one WKB geometry starting at `offset`; `end` is where it stopped. Returns null for
 * POINT EMPTY (NaN coordinates). Either byte order, nested parts included.
 */
export function readWkb(bytes: Uint8Array, offset = 0): { geometry: Geometry | null; end: number } {
  const reader = new WkbReader(bytes, offset);
  const geometry = reader.geometry(null);
  return { geometry, end: reader.pos };
}

/** Where readGeoPackagePoint puts its result. */
export interface PointOut {
  x: number;
  y: number;
  srsId: number;
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * The fast path for point tables with tens of millions of rows (OS Open UPRN): reads a Point blob
 * into `out` without allocating, and returns false if it is empty. Same checks as
 * readGeoPackageGeometry, and the same errors; anything but a Point is a WkbError.
 */
export function readGeoPackagePoint(blob: Uint8Array, out: PointOut): boolean {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50 || blob[2] !== 0 || ((blob[3] as number) & 0x20) !== 0) {
    readGeoPackageHeader(blob); // throws the precise error
  }
  const flags = blob[3] as number;
  const indicator = (flags >> 1) & 0x07;
  const doubles = ENVELOPE_DOUBLES[indicator as 0 | 1 | 2 | 3 | 4];
  if (doubles === undefined) throw new WkbError(`geometry blob has an invalid envelope indicator ${indicator}`);
  out.srsId = int32(blob, 4, (flags & 0x01) === 1);
  if (flags & 0x10) return false;
  let at = 8 + doubles * 8;
  if (blob.length < at + 5) throw new WkbError('WKB is truncated: a WKB geometry header runs past the end of the blob');
  const order = blob[at];
  if (order !== 0 && order !== 1) throw new WkbError(`WKB byte-order marker is ${order}, expected 0 or 1`);
  const little = order === 1;
  const code = int32(blob, at + 1, little) >>> 0;
  const iso = code & 0x0fffffff;
  if (iso % 1000 !== 1) {
    // Not a Point: let the general decoder name the type (or the fault).
    const { geometry } = readWkb(blob, at);
    throw new WkbError(`expected a Point, found a ${geometry?.type ?? 'empty geometry'}`);
  }
  if (iso >= 4000) throw new WkbError(`WKB geometry type code ${code} is not a known type`);
  const dimensions = 2 + (code & 0x80000000 || iso >= 3000 || (iso >= 1000 && iso < 2000) ? 1 : 0) + (code & 0x40000000 || iso >= 2000 ? 1 : 0);
  at += 5 + (code & 0x20000000 ? 4 : 0);
  if (blob.length !== at + dimensions * 8) {
    throw new WkbError(blob.length < at + dimensions * 8 ? 'WKB is truncated: a coordinate runs past the end of the blob' : 'geometry blob has bytes after the end of its WKB');
  }
  out.x = float64(blob, at, little);
  out.y = float64(blob, at + 8, little);
  return !(Number.isNaN(out.x) && Number.isNaN(out.y));
}

function int32(bytes: Uint8Array, at: number, little: boolean): number {
  for (let i = 0; i < 4; i++) scratch.setUint8(i, bytes[at + i] as number);
  return scratch.getInt32(0, little);
}

function float64(bytes: Uint8Array, at: number, little: boolean): number {
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[at + i] as number);
  return scratch.getFloat64(0, little);
}

interface TypeCode {
  base: number;
  dimensions: number;
}

class WkbReader {
  private readonly view: DataView;
  pos: number;
  private little = true;

  constructor(private readonly bytes: Uint8Array, offset: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
  }

  /** One geometry; `expected` is the base type a part of a multi-geometry must have. */
  geometry(expected: number | null): Geometry | null {
    const { base, dimensions } = this.header();
    if (expected !== null && base !== expected) {
      throw new WkbError(`a part of a multi-geometry is a ${typeName(base)}, expected ${typeName(expected)}`);
    }
    switch (base) {
      case 1: {
        const position = this.position(dimensions);
        if (Number.isNaN(position[0]) && Number.isNaN(position[1])) return null;
        return { type: 'Point', coordinates: position } satisfies Point;
      }
      case 2:
        return { type: 'LineString', coordinates: this.positions(dimensions) } satisfies LineString;
      case 3:
        return { type: 'Polygon', coordinates: this.rings(dimensions) } satisfies Polygon;
      case 4:
        return { type: 'MultiPoint', coordinates: this.parts(1, (part) => (part as Point | null)?.coordinates ?? null) } satisfies MultiPoint;
      case 5:
        return { type: 'MultiLineString', coordinates: this.parts(2, (part) => (part as LineString).coordinates) } satisfies MultiLineString;
      case 6:
        return { type: 'MultiPolygon', coordinates: this.parts(3, (part) => (part as Polygon).coordinates) } satisfies MultiPolygon;
      default:
        throw new WkbError(`WKB geometry type ${typeName(base)} is not supported`);
    }
  }

  /** Byte order and type code; also skips an EWKB SRID. */
  private header(): TypeCode {
    this.need(5, 'a WKB geometry header');
    const order = this.bytes[this.pos];
    if (order !== 0 && order !== 1) throw new WkbError(`WKB byte-order marker is ${order}, expected 0 or 1`);
    this.little = order === 1;
    const code = this.view.getUint32(this.pos + 1, this.little);
    this.pos += 5;
    // EWKB (PostGIS) flags in the high bits; ISO adds 1000 (Z), 2000 (M), 3000 (ZM) to the base type.
    let z = (code & 0x80000000) !== 0;
    let m = (code & 0x40000000) !== 0;
    const srid = (code & 0x20000000) !== 0;
    const iso = code & 0x0fffffff;
    const thousands = Math.floor(iso / 1000);
    const base = iso % 1000;
    if (thousands > 3 || base < 1 || base > 7) throw new WkbError(`WKB geometry type code ${code} is not a known type`);
    if (thousands === 1 || thousands === 3) z = true;
    if (thousands === 2 || thousands === 3) m = true;
    if (srid) {
      this.need(4, 'an EWKB SRID');
      this.pos += 4;
    }
    return { base, dimensions: 2 + (z ? 1 : 0) + (m ? 1 : 0) };
  }

  private count(what: string, minBytesEach: number): number {
    this.need(4, `the number of ${what}`);
    const n = this.view.getUint32(this.pos, this.little);
    this.pos += 4;
    // Checked before allocating, so a corrupt count cannot ask for gigabytes.
    if (n * minBytesEach > this.bytes.length - this.pos) {
      throw new WkbError(`WKB says ${n} ${what}, more than the remaining ${this.bytes.length - this.pos} bytes can hold`);
    }
    return n;
  }

  private position(dimensions: number): Position {
    this.need(dimensions * 8, 'a coordinate');
    const x = this.view.getFloat64(this.pos, this.little);
    const y = this.view.getFloat64(this.pos + 8, this.little);
    this.pos += dimensions * 8;
    return [x, y];
  }

  private positions(dimensions: number): Position[] {
    const n = this.count('points', dimensions * 8);
    const positions: Position[] = new Array(n);
    for (let i = 0; i < n; i++) positions[i] = this.position(dimensions);
    return positions;
  }

  private rings(dimensions: number): Position[][] {
    const n = this.count('rings', 4);
    const rings: Position[][] = new Array(n);
    for (let i = 0; i < n; i++) rings[i] = this.positions(dimensions);
    return rings;
  }

  private parts<T>(base: number, take: (part: Geometry | null) => T | null): T[] {
    const n = this.count('parts', 9);
    const parts: T[] = [];
    for (let i = 0; i < n; i++) {
      const part = take(this.geometry(base));
      // An empty point inside a MultiPoint carries no position; GeoJSON has no way to say it.
      if (part !== null) parts.push(part);
    }
    return parts;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) throw new WkbError(`WKB is truncated: ${what} runs past the end of the blob`);
  }
}

function typeName(base: number): string {
  return TYPE_NAMES[base] ?? `code ${base}`;
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

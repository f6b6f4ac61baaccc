import { describe, expect, it } from 'vitest';
import { readGeoPackageGeometry, readGeoPackageHeader, readGeoPackagePoint, readWkb, WkbError, type PointOut } from './wkb.js';

/** Builds WKB and GeoPackage blobs byte by byte, in either byte order. */
class Bytes {
  private readonly out: number[] = [];
  constructor(private readonly little = true) {}

  u8(...values: number[]): this {
    this.out.push(...values);
    return this;
  }
  u32(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, value, this.little);
    return this.u8(...new Uint8Array(view.buffer));
  }
  f64(...values: number[]): this {
    for (const value of values) {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value, this.little);
      this.u8(...new Uint8Array(view.buffer));
    }
    return this;
  }
  /** Byte-order marker and type code. */
  head(code: number): this {
    return this.u8(this.little ? 1 : 0).u32(code);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

function gpHeader(flags: number, srsId: number, envelope: number[] = [], little = true): Bytes {
  return new Bytes(little).u8(0x47, 0x50, 0, flags).u32(srsId).f64(...envelope);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

// A MultiLineString blob exactly as GDAL 3.6 wrote it into a GeoPackage (little-endian, xy envelope).
const GDAL_MULTILINESTRING = Uint8Array.from(
  Buffer.from(
    '4750000334' + '6c0000' + '00000000' + '00f31641' + '0000000090f41641' + '00000000c0cd1741' + '0000000088ce1741' +
      '0105000000' + '01000000' + '0102000000' + '02000000' + '0000000000f31641' + '00000000c0cd1741' + '0000000090f41641' + '0000000088ce1741',
    'hex',
  ),
);

describe('readGeoPackageGeometry', () => {
  it('reads a blob GDAL wrote: srs, envelope and MultiLineString', () => {
    const parsed = readGeoPackageGeometry(GDAL_MULTILINESTRING);
    expect(parsed.srsId).toBe(27700);
    expect(parsed.envelope).toEqual([376000, 376100, 390000, 390050]);
    expect(parsed.empty).toBe(false);
    expect(parsed.geometry).toEqual({ type: 'MultiLineString', coordinates: [[[376000, 390000], [376100, 390050]]] });
  });

  it('reads a big-endian header and big-endian WKB', () => {
    const wkb = new Bytes(false).head(1).f64(358260.66, 172796.5).bytes();
    const blob = concat(gpHeader(0b0000_0000, 27700, [], false).bytes(), wkb);
    expect(readGeoPackageGeometry(blob)).toMatchObject({ srsId: 27700, envelope: null, geometry: { type: 'Point', coordinates: [358260.66, 172796.5] } });
  });

  it('skips every envelope size (xy, xyz, xym, xyzm)', () => {
    const wkb = new Bytes().head(1).f64(1, 2).bytes();
    for (const [indicator, doubles] of [[1, 4], [2, 6], [3, 6], [4, 8]] as const) {
      const envelope = Array.from({ length: doubles }, (_, i) => i + 10);
      const blob = concat(gpHeader(1 | (indicator << 1), 27700, envelope).bytes(), wkb);
      const parsed = readGeoPackageGeometry(blob);
      expect(parsed.envelope).toEqual([10, 11, 12, 13]);
      expect(parsed.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    }
  });

  it('honours the empty flag without reading the WKB', () => {
    const blob = concat(gpHeader(1 | 0x10, 27700).bytes(), new Bytes().head(1).f64(NaN, NaN).bytes());
    expect(readGeoPackageGeometry(blob)).toMatchObject({ empty: true, geometry: null });
  });

  it('treats WKB POINT EMPTY (NaN, NaN) as empty', () => {
    expect(readWkb(new Bytes().head(1).f64(NaN, NaN).bytes()).geometry).toBeNull();
  });

  it.each([
    ['a short blob', Uint8Array.from([0x47, 0x50, 0]), /shorter than the 8-byte header/],
    ['the wrong magic', Uint8Array.from([0x47, 0x51, 0, 1, 0, 0, 0, 0, 1]), /does not start with "GP"/],
    ['an unknown version', Uint8Array.from([0x47, 0x50, 1, 1, 0, 0, 0, 0]), /version 1 is not supported/],
    ['the extended format', Uint8Array.from([0x47, 0x50, 0, 0x21, 0, 0, 0, 0]), /ExtendedGeoPackageBinary/],
    ['envelope indicator 5', Uint8Array.from([0x47, 0x50, 0, 1 | (5 << 1), 0, 0, 0, 0]), /invalid envelope indicator 5/],
    ['a cut-off envelope', concat(gpHeader(1 | (1 << 1), 27700).bytes(), new Uint8Array(16)), /too short for its 32-byte envelope/],
  ])('rejects %s', (_, blob, message) => {
    expect(() => readGeoPackageGeometry(blob)).toThrow(WkbError);
    expect(() => readGeoPackageGeometry(blob)).toThrow(message);
  });

  it('rejects bytes after the WKB', () => {
    const blob = concat(gpHeader(1, 27700).bytes(), new Bytes().head(1).f64(1, 2).bytes(), Uint8Array.from([0]));
    expect(() => readGeoPackageGeometry(blob)).toThrow(/1 bytes after the end of its WKB/);
  });

  it('reads the header alone', () => {
    expect(readGeoPackageHeader(GDAL_MULTILINESTRING)).toEqual({
      srsId: 27700,
      envelope: [376000, 376100, 390000, 390050],
      empty: false,
      wkbOffset: 40,
    });
  });
});

describe('readWkb', () => {
  it.each([true, false])('reads every supported type (little-endian %s)', (little) => {
    const b = () => new Bytes(little);
    const line = b().head(2).u32(2).f64(0, 0, 1, 1).bytes();
    const square = b().head(3).u32(2).u32(5).f64(0, 0, 4, 0, 4, 4, 0, 4, 0, 0).u32(4).f64(1, 1, 2, 1, 2, 2, 1, 1).bytes();
    expect(readWkb(b().head(1).f64(3, 4).bytes()).geometry).toEqual({ type: 'Point', coordinates: [3, 4] });
    expect(readWkb(line).geometry).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
    expect(readWkb(square).geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[1, 1], [2, 1], [2, 2], [1, 1]],
      ],
    });
    const multiPoint = concat(b().head(4).u32(2).bytes(), b().head(1).f64(1, 2).bytes(), b().head(1).f64(3, 4).bytes());
    expect(readWkb(multiPoint).geometry).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(readWkb(concat(b().head(5).u32(2).bytes(), line, line)).geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [[[0, 0], [1, 1]], [[0, 0], [1, 1]]],
    });
    const multiPolygon = readWkb(concat(b().head(6).u32(1).bytes(), square));
    expect(multiPolygon.geometry?.type).toBe('MultiPolygon');
    expect(multiPolygon.end).toBe(9 + square.length);
  });

  it('reads parts whose byte order differs from the whole', () => {
    const part = new Bytes(false).head(2).u32(2).f64(5, 6, 7, 8).bytes();
    const whole = concat(new Bytes(true).head(5).u32(1).bytes(), part);
    expect(readWkb(whole).geometry).toEqual({ type: 'MultiLineString', coordinates: [[[5, 6], [7, 8]]] });
  });

  it.each([
    ['ISO Z', 1002, 3],
    ['ISO M', 2002, 3],
    ['ISO ZM', 3002, 4],
    ['EWKB Z', 0x80000002, 3],
    ['EWKB M', 0x40000002, 3],
    ['EWKB ZM', 0xc0000002, 4],
  ])('drops the extra ordinates of %s and stays in step', (_, code, dimensions) => {
    const ordinates = dimensions === 3 ? [1, 2, 99, 3, 4, 99] : [1, 2, 98, 99, 3, 4, 98, 99];
    const line = new Bytes().head(code).u32(2).f64(...ordinates).bytes();
    const multi = concat(new Bytes().head(code + 3).u32(2).bytes(), line, line);
    expect(readWkb(line).geometry).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
    expect(readWkb(multi).geometry).toEqual({ type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[1, 2], [3, 4]]] });
    expect(readWkb(multi).end).toBe(multi.length);
  });

  it('skips an EWKB SRID', () => {
    const point = new Bytes().head(0x20000001).u32(27700).f64(1, 2).bytes();
    expect(readWkb(point)).toEqual({ geometry: { type: 'Point', coordinates: [1, 2] }, end: point.length });
  });

  it.each([
    ['a bad byte-order marker', Uint8Array.from([2, 1, 0, 0, 0]), /byte-order marker is 2/],
    ['an unknown type code', new Bytes().head(8).bytes(), /type code 8 is not a known type/],
    ['an ISO code past ZM', new Bytes().head(4001).bytes(), /type code 4001/],
    ['a GeometryCollection', new Bytes().head(7).u32(0).bytes(), /GeometryCollection is not supported/],
    ['a truncated coordinate', new Bytes().head(1).f64(1).bytes(), /truncated/],
    ['a count larger than the blob', new Bytes().head(2).u32(0x7fffffff).bytes(), /more than the remaining/],
    ['a Point inside a MultiLineString', concat(new Bytes().head(5).u32(1).bytes(), new Bytes().head(1).f64(1, 2).bytes()), /is a Point, expected LineString/],
  ])('rejects %s', (_, bytes, message) => {
    expect(() => readWkb(bytes)).toThrow(WkbError);
    expect(() => readWkb(bytes)).toThrow(message);
  });
});

describe('readGeoPackagePoint', () => {
  const out = (): PointOut => ({ x: 0, y: 0, srsId: 0 });

  it.each([
    ['little-endian, no envelope', concat(gpHeader(1, 27700).bytes(), new Bytes().head(1).f64(358260.66, 172796.5).bytes())],
    ['big-endian, xy envelope', concat(gpHeader(1 << 1, 27700, [1, 2, 3, 4], false).bytes(), new Bytes(false).head(1).f64(358260.66, 172796.5).bytes())],
    ['ISO PointZ', concat(gpHeader(1, 27700).bytes(), new Bytes().head(1001).f64(358260.66, 172796.5, 12).bytes())],
    ['EWKB PointZM with an SRID', concat(gpHeader(1, 27700).bytes(), new Bytes().head(0xe0000001).u32(27700).f64(358260.66, 172796.5, 12, 3).bytes())],
  ])('reads %s as the general decoder does', (_, blob) => {
    const point = out();
    expect(readGeoPackagePoint(blob, point)).toBe(true);
    expect(point).toEqual({ x: 358260.66, y: 172796.5, srsId: 27700 });
    expect(readGeoPackageGeometry(blob).geometry).toEqual({ type: 'Point', coordinates: [358260.66, 172796.5] });
  });

  it('returns false for an empty point, by flag or by NaN', () => {
    expect(readGeoPackagePoint(concat(gpHeader(1 | 0x10, 27700).bytes(), new Bytes().head(1).f64(NaN, NaN).bytes()), out())).toBe(false);
    expect(readGeoPackagePoint(concat(gpHeader(1, 27700).bytes(), new Bytes().head(1).f64(NaN, NaN).bytes()), out())).toBe(false);
  });

  it.each([
    ['a LineString', GDAL_MULTILINESTRING, /expected a Point, found a MultiLineString/],
    ['the wrong magic', Uint8Array.from([0x47, 0x51, 0, 1, 0, 0, 0, 0, 1]), /does not start with "GP"/],
    ['a cut-off coordinate', concat(gpHeader(1, 27700).bytes(), new Bytes().head(1).f64(1).bytes()), /truncated/],
    ['bytes after the point', concat(gpHeader(1, 27700).bytes(), new Bytes().head(1).f64(1, 2, 3).bytes()), /bytes after the end/],
    ['an unknown type code', concat(gpHeader(1, 27700).bytes(), new Bytes().head(4001).f64(1, 2).bytes()), /type code 4001/],
  ])('rejects %s', (_, blob, message) => {
    expect(() => readGeoPackagePoint(blob, out())).toThrow(WkbError);
    expect(() => readGeoPackagePoint(blob, out())).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { boundsFrame, deviceTableHtml, farthestDevice, formatDistance, mapDescription, mapKeyHtml, nearestNote, placeLabels, placeMapSvg, scaleBarMetres } from './placeMap.js';
import { briefing } from './testBuilders.js';

const ward = briefing();
const street = briefing({
  place: { kind: 'street', id: '12345678', name: 'High Street', ward: { code: 'E05015239', name: 'Altrincham' }, uprnCount: 40 },
  nearest: true,
  devices: [
    { id: 'aq-1', name: 'Station Road', kind: 'air_quality', lon: -2.352, lat: 53.39, capture: 80.4, distanceM: 420 },
    { id: 'aq-2', name: 'Park', kind: 'air_quality', lon: -2.34, lat: 53.392, capture: 99.9, distanceM: 1250 },
  ],
  map: {
    bounds: [-2.355, 53.385, -2.335, 53.395],
    place: {
      type: 'line',
      lines: [
        [
          [-2.35, 53.39],
          [-2.345, 53.391],
        ],
      ],
    },
  },
});

describe('boundsFrame', () => {
  it('fits the bounds into the width, north up, keeping shape', () => {
    const frame = boundsFrame([-2.4, 53.35, -2.3, 53.42], [], 600, 2000, 100, 0);
    expect(frame.width).toBe(600);
    const [x0, y0] = frame.project([-2.4, 53.42]);
    const [x1, y1] = frame.project([-2.3, 53.35]);
    expect(x0).toBeCloseTo(0);
    expect(x1).toBeCloseTo(600);
    // The height is rounded up to a whole unit and the drawing centred in it.
    expect(y0).toBeCloseTo(0, 0);
    // 0.1° of longitude at 53.4° N is about 0.596 of 0.1° of latitude.
    expect((y1 - y0) / (x1 - x0)).toBeCloseTo(0.07 / (0.1 * Math.cos((53.385 * Math.PI) / 180)), 3);
    expect(frame.unitsPerMetre).toBeCloseTo(600 / (0.1 * Math.cos((53.385 * Math.PI) / 180) * 111_320), 6);
  });

  it('widens to take in a device outside the bounds, and gives a point some room', () => {
    const frame = boundsFrame([-2.4, 53.35, -2.3, 53.42], [[-2.5, 53.4]], 600, 600, 100, 0);
    expect(frame.project([-2.5, 53.4])[0]).toBeCloseTo(0);
    const point = boundsFrame([-2.4, 53.4, -2.4, 53.4], [], 400, 300);
    expect(point.project([-2.4, 53.4])[0]).toBeCloseTo(200);
    expect(point.project([-2.4, 53.4])[1]).toBeCloseTo(point.height / 2);
  });

  it('chooses a round scale bar no longer than a quarter of the width', () => {
    const frame = boundsFrame([-2.4, 53.35, -2.3, 53.42], [], 600, 600);
    const metres = scaleBarMetres(frame);
    expect([500, 1000, 2000, 5000]).toContain(metres);
    expect(metres * frame.unitsPerMetre).toBeLessThanOrEqual(150);
    expect(formatDistance(1000)).toBe('1 km');
    expect(formatDistance(1250)).toBe('1.3 km');
    expect(formatDistance(420.4)).toBe('420 m');
  });
});

describe('placeLabels', () => {
  it('puts a number right of its marker, else left when that is taken or off the map', () => {
    const labels = placeLabels(
      [
        [100, 100],
        [120, 100],
        [395, 50],
      ],
      ['1', '2', '3'],
      { width: 400, height: 200 },
    );
    // Right of marker 1 is marker 2, so its number goes to the left.
    expect(labels[0]).toMatchObject({ anchor: 'end' });
    expect(labels[0]?.x).toBeLessThan(100);
    expect(labels[1]).toMatchObject({ anchor: 'start' });
    expect(labels[1]?.x).toBeGreaterThan(120);
    expect(labels[2]?.anchor).toBe('end');
  });
});

describe('placeMapSvg', () => {
  it('draws the ward filled and the devices as a circle and a square, with a text alternative', () => {
    const svg = placeMapSvg(ward, { width: 480, maxHeight: 360, id: 'place-map-svg' });
    expect(svg).toMatch(/^<svg id="place-map-svg" [^>]*role="img" aria-label="Map of Altrincham: its boundary, shaded, with 1 air-quality monitor \(circles\) and 1 traffic counter \(squares\), numbered as in the table below\."/);
    expect(svg).toContain('fill="#d2e2f1" fill-rule="evenodd"');
    expect(svg).toContain('<g class="app-map-device" data-kind="air_quality"><title>1: A one, air-quality monitor</title><path d="M');
    expect(svg).toContain('<title>2: B &#60;two&#62;, traffic counter</title>');
    expect(svg).toMatch(/<g class="app-map-scale">.*<text[^>]*>(\d+ m|\d+ km)<\/text><\/g>/);
  });

  it('draws a street as a thick line and says the devices are the nearest', () => {
    const svg = placeMapSvg(street, { width: 480, maxHeight: 360, id: 'm' });
    expect(svg).toContain('fill="none" stroke="#0b0c0c" stroke-width="7"');
    expect(svg).toContain('aria-label="Map of High Street: the street as a thick line, with 2 air-quality monitors (circles), numbered as in the table below. They are the nearest devices: the street has none of its own."');
    expect(svg).toContain('<title>1: Station Road, air-quality monitor, 420 m away</title>');
  });
});

describe('around the map', () => {
  it('keys only what is drawn', () => {
    expect(mapKeyHtml(ward)).toContain('<span>The ward</span>');
    expect(mapKeyHtml(ward)).toContain('Traffic counter (square)');
    expect(mapKeyHtml(street)).toContain('<span>The street</span>');
    expect(mapKeyHtml(street)).not.toContain('Traffic counter');
  });

  it('says how far the nearest devices are', () => {
    expect(farthestDevice(street)).toBe(1250);
    expect(farthestDevice(ward)).toBeNull();
    expect(nearestNote(street)).toContain('This street has no devices of its own. The briefing uses the nearest devices, up to 1.3 km away.');
    expect(nearestNote(ward)).toBe('');
    expect(mapDescription({ ...ward, devices: [] })).toBe('Map of Altrincham: its boundary, shaded, with no devices.');
  });

  it('lists the devices with their kind in words, capture and distance when nearest', () => {
    const html = deviceTableHtml(ward);
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--s">Devices used in this briefing, numbered as on the map <span class="app-caption-note">Data capture is the share');
    expect(html).toMatch(/<th scope="row" class="govuk-table__header"><span class="app-device"><svg [^>]*aria-hidden="true"[^>]*>.*?<\/svg><span>1\. A one<\/span><\/span><\/th><td class="govuk-table__cell">Air quality \(circle\)<\/td><td class="govuk-table__cell govuk-table__cell--numeric">93%<\/td><\/tr>/);
    expect(html).toContain('2. B &#60;two&#62;</span></span></th><td class="govuk-table__cell">Traffic (square)</td><td class="govuk-table__cell govuk-table__cell--numeric">Not known</td>');
    expect(html).not.toContain('Distance');
    expect(deviceTableHtml(street)).toContain('>1.3 km</td></tr>');
    expect(deviceTableHtml({ devices: [], nearest: false })).toContain('There are no devices in or near this place');
  });
});

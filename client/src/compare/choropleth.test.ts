import { describe, expect, it } from 'vitest';
import type { WardShape } from './areaWards.js';
import { legendEntries, legendHtml, mapModel, mapShapesMarkup, mapSvg, wardTitle } from './choropleth.js';
import { EXPORT_WIDTH, exportSvg, wrapText } from './mapExport.js';
import { compareResponse, wardResult } from './testBuilders.js';

function square(code: string, name: string, west: number): WardShape {
  return {
    code,
    name,
    polygons: [
      [
        [
          [west, 53.4],
          [west + 0.05, 53.4],
          [west + 0.05, 53.45],
          [west, 53.45],
          [west, 53.4],
        ],
      ],
    ],
  };
}

const SHAPES = [square('E05000819', 'Altrincham', -2.4), square('E05000820', 'Bowdon', -2.35), square('E05000821', 'Broadheath & Hale', -2.3)];

describe('the map', () => {
  const response = compareResponse();
  const model = mapModel(SHAPES, 800, 600);

  it('fills each ward from its class and hatches a ward without data', () => {
    const markup = mapShapesMarkup(model, response, 'map');
    expect(markup).toContain('fill="#9e9ac8" data-code="E05000819"');
    expect(markup).toContain('fill="url(#map-no-data)" data-code="E05000821"');
    expect(markup).toContain('<pattern id="map-no-data"');
  });

  it('gives each ward a title with its value, unit and rank, escaped', () => {
    const markup = mapShapesMarkup(model, response, 'map');
    expect(markup).toContain('<title>Altrincham: 31.2 µg/m³, rank 1 of 2 (selected)</title>');
    expect(markup).toContain('<title>Broadheath &#38; Hale: no data</title>');
  });

  it('outlines the selected wards, on top, and none when all wards are asked for', () => {
    const outlines = (markup: string) => markup.split('<g pointer-events="none">')[1]?.match(/<path /g)?.length ?? 0;
    expect(outlines(mapShapesMarkup(model, response, 'map'))).toBe(4);
    expect(outlines(mapShapesMarkup(model, compareResponse({ all: true }), 'map'))).toBe(0);
  });

  it('is an image named by its title and described by the text that points to the table', () => {
    const svg = mapSvg(model, response, { title: 't', description: 'd' }, 'Mean NO₂ by ward');
    expect(svg).toMatch(/^<svg id="compare-map-svg"[^>]*role="img" aria-labelledby="t" aria-describedby="d"/);
    expect(svg).toContain('<title id="t">Mean NO₂ by ward</title>');
  });

  it('says a ward the answer does not have has no data', () => {
    expect(wardTitle('Nowhere', undefined, response)).toBe('Nowhere: no data');
    expect(wardTitle('Bowdon', wardResult({ selected: false, rank: 2, mean: 12 }), compareResponse({ all: true }))).toBe('Bowdon: 12.0 µg/m³, rank 2 of 2');
  });
});

describe('the legend', () => {
  it('lists every class lowest first with its ward count, then no data and the outline', () => {
    expect(legendEntries(compareResponse()).map((entry) => [entry.label, entry.count])).toEqual([
      ['0–10 (WHO guideline 10)', 0],
      ['10–40', 2],
      ['40 and over (UK objective 40)', 0],
      ['No data', 1],
      ['Selected ward (thick outline)', 2],
    ]);
    expect(legendEntries(compareResponse({ all: true })).map((entry) => entry.kind)).not.toContain('selected');
  });

  it('has the explanation under the list', () => {
    const html = legendHtml(compareResponse());
    expect(html).toContain('<ul class="app-legend" id="map-legend-list"');
    expect(html).toContain('<p class="govuk-body-s" id="map-explanation">Breaks are fixed');
    expect(html).toContain('10–40 <span class="app-legend__count">(2 wards)</span>');
  });
});

describe('the picture to download', () => {
  it('is 1200 wide on white, with the title, the key and the attribution', () => {
    const model = mapModel(SHAPES, 720, 720);
    const picture = exportSvg({
      model,
      response: compareResponse(),
      title: 'Mean NO₂ by ward, Trafford',
      subtitle: '22 October to 20 November 2026 (30 days)',
      attribution: 'Contains OS data © Crown copyright',
    });
    expect(picture.width).toBe(EXPORT_WIDTH);
    expect(EXPORT_WIDTH).toBeGreaterThanOrEqual(1200);
    expect(picture.svg).toContain(`<rect width="1200" height="${picture.height}" fill="#ffffff"/>`);
    expect(picture.svg).toContain('>Mean NO₂ by ward, Trafford</text>');
    expect(picture.svg).toContain('No data (1 ward)');
    expect(picture.svg).toContain('Contains OS data © Crown copyright');
    expect(picture.svg).toContain('url(#export-no-data)');
    expect(picture.height).toBeGreaterThan(model.height + 100);
  });

  it('wraps text between words', () => {
    expect(wrapText('Breaks are fixed at the WHO guideline', 12)).toEqual(['Breaks are', 'fixed at the', 'WHO', 'guideline']);
    expect(wrapText('a-very-long-word b', 5)).toEqual(['a-very-long-word', 'b']);
    expect(wrapText('  ', 5)).toEqual([]);
  });
});

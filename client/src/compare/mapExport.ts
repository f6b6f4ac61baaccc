import { legendEntries, mapShapesMarkup, swatchSvg, wardCount, type MapModel } from './choropleth.js';
import type { CompareResponse } from './compareResponse.js';
import { escapeHtml } from '../shared/html.js';

/**
 * The map as a picture to put in a report: one standalone SVG with a white background, a title (the
 * measure, the period and the area), the map, its key with the explanation of the breaks, and the
 * boundaries' attribution. The page draws it on a canvas and saves a PNG (pngExport.ts).
 */

export const EXPORT_WIDTH = 1200;
/** The map's box in the picture; mapModel() is made at this size for it. */
export const EXPORT_MAP_WIDTH = 720;
export const EXPORT_MAP_MAX_HEIGHT = 720;

const MARGIN = 40;
const LEGEND_X = MARGIN + EXPORT_MAP_WIDTH + 40;
const FONT = 'Arial, Helvetica, sans-serif';
const TEXT = '#0b0c0c';
const MUTED = '#505a5f';

/** Lines of at most about `maxChars` characters, broken between words (a longer word stands alone). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function textLines(lines: readonly string[], x: number, y: number, size: number, options: { bold?: boolean; colour?: string; lineHeight?: number } = {}): { markup: string; bottom: number } {
  const lineHeight = options.lineHeight ?? Math.round(size * 1.3);
  const weight = options.bold ? ' font-weight="700"' : '';
  const markup = lines
    .map((line, i) => `<text x="${x}" y="${y + size + i * lineHeight}" font-size="${size}"${weight} fill="${options.colour ?? TEXT}">${escapeHtml(line)}</text>`)
    .join('');
  return { markup, bottom: y + (lines.length === 0 ? 0 : size + (lines.length - 1) * lineHeight + Math.round(size * 0.35)) };
}

export interface ExportInput {
  /** Made with mapModel(wards, EXPORT_MAP_WIDTH, EXPORT_MAP_MAX_HEIGHT). */
  model: MapModel;
  response: CompareResponse;
  title: string;
  subtitle: string;
  attribution: string | null;
}

export function exportSvg(input: ExportInput): { svg: string; width: number; height: number } {
  const { model, response } = input;
  const parts: string[] = [];
  const title = textLines(wrapText(input.title, 60), MARGIN, MARGIN - 8, 30, { bold: true });
  const subtitle = textLines(wrapText(input.subtitle, 100), MARGIN, title.bottom + 4, 18, { colour: MUTED });
  parts.push(title.markup, subtitle.markup);
  const top = subtitle.bottom + 24;

  parts.push(`<g transform="translate(${MARGIN} ${top})">${mapShapesMarkup(model, response, 'export')}</g>`);

  const unit = response.unit === 'index' ? '(index)' : `(${response.unit})`;
  const legendTitle = textLines(wrapText(`Key: ward mean ${unit}`, 30), LEGEND_X, top, 18, { bold: true });
  parts.push(legendTitle.markup);
  let y = legendTitle.bottom + 12;
  legendEntries(response).forEach((entry, i) => {
    parts.push(`<g transform="translate(${LEGEND_X} ${y})">${swatchSvg(entry, `export-legend-${i}`)}</g>`);
    const label = textLines(wrapText(`${entry.label} (${wardCount(entry.count)})`, 34), LEGEND_X + 44, y - 1, 16);
    parts.push(label.markup);
    y = Math.max(y + 24, label.bottom) + 12;
  });
  const explanation = textLines(wrapText(response.breaks.explanation, 42), LEGEND_X, y + 8, 14, { colour: MUTED });
  parts.push(explanation.markup);

  const footerTop = Math.max(top + model.height, explanation.bottom) + 24;
  const footerText = [input.attribution ? `Ward boundaries: ${input.attribution.replace(/\.?\s*$/, '.')}` : null, 'Made with Smartplace.'].filter((line) => line !== null).join(' ');
  const footer = textLines(wrapText(footerText, 150), MARGIN, footerTop, 12, { colour: MUTED });
  parts.push(footer.markup);
  const height = Math.ceil(footer.bottom + MARGIN);

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${EXPORT_WIDTH}" height="${height}" viewBox="0 0 ${EXPORT_WIDTH} ${height}" font-family="${FONT}">` +
    `<rect width="${EXPORT_WIDTH}" height="${height}" fill="#ffffff"/>` +
    parts.join('') +
    `</svg>`;
  return { svg, width: EXPORT_WIDTH, height };
}

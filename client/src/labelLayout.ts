/**
 * How big each ward name is drawn and which names are drawn at a zoom level. A name is sized in
 * metres to fit the room around its label point, within a readable range of pixels; when names
 * would still overlap on screen, the ward with more room keeps its name and the other waits for a
 * closer zoom (the table lists every ward's devices either way). Pure: positions come in, a list
 * goes out, so the layer stays a function of its data and the zoom.
 */

export interface PlacedLabel {
  name: string;
  /** [longitude, latitude]. */
  position: [number, number];
  /** Text size in metres on the ground. */
  sizeM: number;
}

/** Ward names wrap at this many ems (the TextLayer's maxWidth). */
export const LABEL_WRAP_EM = 9;
/** Ward names never shrink below this on screen, nor grow past the maximum. */
export const LABEL_PIXELS = { min: 12, max: 16 };
/** Rough proportions of bold sans-serif text, in ems. */
const CHAR_EM = 0.62;
const LINE_EM = 1.2;
/** Pixels kept clear between two names. */
const GAP_PX = 4;
/** MapLibre's world is 512 pixels wide at zoom 0. */
const TILE_PX = 512;
const EARTH_CIRCUMFERENCE_M = 40_075_016.686;

/** The name wrapped at word boundaries as the map wraps it, and its box in ems. */
export function labelBoxEm(name: string): { lines: string[]; widthEm: number; heightEm: number } {
  const perLine = Math.floor(LABEL_WRAP_EM / CHAR_EM);
  const lines: string[] = [];
  for (const word of name.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= perLine) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const longest = Math.min(Math.max(...lines.map((line) => line.length)), perLine);
  return { lines, widthEm: longest * CHAR_EM, heightEm: lines.length * LINE_EM };
}

/**
 * The shape of room to look for (labelPoint's aspect): as wide as the label, up to twice as wide
 * as tall. Searching for the label's full width (five or six times its height) sends names into
 * the thin strips between a ward's edge and a road; an ellipse of 2:1 still prefers the wide parts
 * of a ward and keeps names off its edges.
 */
export function labelAspect(name: string): number {
  const { widthEm, heightEm } = labelBoxEm(name);
  return Math.min(widthEm / heightEm, MAX_SEARCH_ASPECT);
}

const MAX_SEARCH_ASPECT = 2;

/**
 * The text size, in metres, at which a name's box fits in the ellipse of labelAspect(name) with
 * the given half-height. A box w × h fits an ellipse with half-axes (aR, R) when
 * (w/2)² / (aR)² + (h/2)² / R² ≤ 1, so its height can be 2R / √(1 + (w / (a·h))²).
 */
export function wardLabelSizeM(name: string, roomM: number): number {
  const { widthEm, heightEm } = labelBoxEm(name);
  const stretch = widthEm / heightEm / labelAspect(name);
  return (2 * roomM) / Math.sqrt(1 + stretch * stretch) / heightEm;
}

export function metresPerPixel(latitude: number, zoom: number): number {
  return (EARTH_CIRCUMFERENCE_M * Math.cos((latitude * Math.PI) / 180)) / (TILE_PX * 2 ** zoom);
}

/** Web Mercator pixel coordinates at a zoom: differences between them are on-screen distances. */
function worldPixels([lon, lat]: [number, number], zoom: number): [number, number] {
  const size = TILE_PX * 2 ** zoom;
  const phi = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * size, ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * size];
}

/** The on-screen size a label is drawn at: its size in metres, clamped to the readable range. */
export function labelPixels(label: PlacedLabel, zoom: number): number {
  const pixels = label.sizeM / metresPerPixel(label.position[1], zoom);
  return Math.min(LABEL_PIXELS.max, Math.max(LABEL_PIXELS.min, pixels));
}

/** The labels to draw at this zoom, largest room first, leaving out any that would overlap one kept. */
export function visibleLabels<T extends PlacedLabel>(labels: readonly T[], zoom: number): T[] {
  const kept: { label: T; box: [number, number, number, number] }[] = [];
  for (const label of [...labels].sort((a, b) => b.sizeM - a.sizeM)) {
    const pixels = labelPixels(label, zoom);
    const { widthEm, heightEm } = labelBoxEm(label.name);
    const [x, y] = worldPixels(label.position, zoom);
    const halfW = (widthEm * pixels) / 2 + GAP_PX / 2;
    const halfH = (heightEm * pixels) / 2 + GAP_PX / 2;
    const box: [number, number, number, number] = [x - halfW, y - halfH, x + halfW, y + halfH];
    const overlaps = kept.some(({ box: other }) => box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3]);
    if (!overlaps) kept.push({ label, box });
  }
  // Back in the input order, so the layer's data keeps a stable order.
  const keptSet = new Set(kept.map(({ label }) => label));
  return labels.filter((label) => keptSet.has(label));
}

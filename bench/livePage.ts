import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * What the live-map benchmark runs inside Chromium, installed with page.addInitScript before the
 * client's own scripts. It is text, not TypeScript, because the Node typecheck has no DOM.
 *   - Map canvases keep their drawing buffer (`preserveDrawingBuffer: true`), so the pixels of the
 *     last frame MapLibre and deck.gl drew can be read at any moment (costs a buffer copy a frame).
 *   - Every WebSocket message is looked at as it arrives (before socket.io-client sees it): when the
 *     first `snapshot:v2` came and how long it was, and when each frame naming the probe came.
 *   - A load watcher (requestAnimationFrame) notes when the device table has all its rows, when the
 *     connection badge says live, and when the canvas first shows DAQI-coloured pixels (three bands
 *     of 8 rows across the map).
 *   - `__bench.watchProbe(x, y)` reads one canvas pixel each animation frame and records every
 *     change of its class (high / low / other colour) with its time, calling `__benchProbe`.
 *   Canvas reads are asynchronous (a pixel buffer and a fence), so the page never waits for the GPU
 *   process. A read is seen finished at a later animation frame; the GPU runs commands in order, so
 *   a change first seen in one read was drawn after the previous read was last seen unfinished,
 *   and before the frame that sees it: that interval is the measurement's resolution.
 * Times are performance.now() (from navigation start) or, for the probe, performance.timeOrigin +
 * performance.now(), the same wall clock the benchmark's Date.now() reads.
 */

export interface PageConfig {
  /** Rows the device table has when it is full. */
  expectRows: number;
  /** DAQI colours as [r, g, b]. */
  daqi: [number, number, number][];
  /** DAQI-coloured pixels in the sampled bands that count as "markers drawn". */
  markerPixels: number;
  probeId: string | null;
  /** Diagnostic: take the two tables out of layout (display: none), to see what laying them out costs. */
  hideTables: boolean;
  high: [number, number, number];
  low: [number, number, number];
}

export interface LoadMarks {
  snapshotAt: number | null;
  snapshotChars: number;
  tableAt: number | null;
  liveAt: number | null;
  markersAt: number | null;
  domContentLoaded: number;
  areaFetch: { start: number; end: number; bytes: number } | null;
  scriptEnd: number | null;
  longTasks: { start: number; duration: number }[];
}

export function pageInstruments(config: PageConfig): string {
  return `(() => {
  const config = ${JSON.stringify(config)};
  const bench = (window.__bench = {
    snapshotAt: null, snapshotChars: 0, tableAt: null, liveAt: null, markersAt: null,
    probeFrames: [], transitions: [], frameGaps: [], longTasks: [],
  });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}

  if (config.hideTables) {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = '#devices .table-scroll { display: none !important; }';
      document.head.append(style);
    });
  }

  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, attributes) {
    if (type === 'webgl' || type === 'webgl2') attributes = Object.assign({}, attributes || {}, { preserveDrawingBuffer: true });
    return getContext.call(this, type, attributes);
  };

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const now = performance.now();
        if (bench.snapshotAt === null && event.data.startsWith('42["snapshot:v2"')) {
          bench.snapshotAt = now;
          bench.snapshotChars = event.data.length;
        }
        if (config.probeId && event.data.startsWith('42["readings:v1"') && event.data.includes(config.probeId)) {
          for (const reading of JSON.parse(event.data.slice(2))[1]) {
            if (reading.deviceId === config.probeId) bench.probeFrames.push({ at: performance.timeOrigin + now, time: reading.time });
          }
        }
      });
    }
  };

  const mapGl = () => {
    const canvas = document.querySelector('#map canvas.maplibregl-canvas');
    if (!canvas) return null;
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    return gl ? { canvas, gl } : null;
  };
  // Asynchronous reads of a rectangle of the default framebuffer (WebGL2: readPixels into a pixel
  // buffer, then a fence), so the page never waits for the GPU process: a synchronous readPixels
  // would stall the main thread until SwiftShader had drawn the frame. GL state is left as found.
  const makeReader = (gl, x, y, width, height) => {
    const size = width * height * 4;
    const pending = [];
    const spare = [];
    // When the read before the one just finished was last seen unfinished: anything the GPU drew
    // after that read (in command order) was finished after this moment.
    let previousUnfinishedAt = null;
    const withPackBuffer = (buffer, action) => {
      const previous = gl.getParameter(gl.PIXEL_PACK_BUFFER_BINDING);
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
      action();
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, previous);
    };
    return {
      /** Hands each finished read, oldest first, to onResult(data, earliest): see previousUnfinishedAt. */
      poll(onResult, now) {
        while (pending.length > 0 && gl.getSyncParameter(pending[0].sync, gl.SYNC_STATUS) === gl.SIGNALED) {
          const read = pending.shift();
          const data = new Uint8Array(size);
          withPackBuffer(read.buffer, () => gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, data));
          gl.deleteSync(read.sync);
          spare.push(read.buffer);
          onResult(data, previousUnfinishedAt);
          previousUnfinishedAt = read.unfinishedAt;
        }
        // The GPU runs commands in order: reads still pending were not finished at this moment.
        for (const read of pending) read.unfinishedAt = now;
      },
      issue(now) {
        if (pending.length >= 4) return;
        let buffer = spare.pop();
        if (!buffer) {
          buffer = gl.createBuffer();
          withPackBuffer(buffer, () => gl.bufferData(gl.PIXEL_PACK_BUFFER, size, gl.STREAM_READ));
        }
        const previousRead = gl.getParameter(gl.READ_FRAMEBUFFER_BINDING);
        if (previousRead !== null) gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
        withPackBuffer(buffer, () => gl.readPixels(x, y, width, height, gl.RGBA, gl.UNSIGNED_BYTE, 0));
        if (previousRead !== null) gl.bindFramebuffer(gl.READ_FRAMEBUFFER, previousRead);
        const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
        gl.flush();
        pending.push({ buffer, sync, unfinishedAt: now });
      },
    };
  };
  const near = (data, i, rgb, tolerance) =>
    Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance && Math.abs(data[i + 2] - rgb[2]) <= tolerance;

  let bands = null;
  const watchLoad = () => {
    const now = performance.now();
    const table = document.getElementById('device-table');
    const rows = table && table.tBodies[0] ? table.tBodies[0].rows.length : 0;
    // The table shows a page of 50 rows: filled once that page is and the count covers every device.
    const count = document.getElementById('device-count');
    const counted = count !== null && count.textContent === 'Showing ' + config.expectRows + ' of ' + config.expectRows + ' devices';
    if (bench.tableAt === null && counted && rows >= Math.min(config.expectRows, 50)) bench.tableAt = now;
    if (bench.liveAt === null && document.querySelector('#connection[data-live="true"]')) bench.liveAt = now;
    if (bench.markersAt === null) {
      const found = mapGl();
      if (found && !bands) {
        const { canvas, gl } = found;
        bands = [0.25, 0.5, 0.75].map((fraction) => makeReader(gl, 0, Math.floor(canvas.height * fraction), canvas.width, 8));
      }
      if (bands) {
        for (const band of bands) {
          band.poll((data) => {
            let count = 0;
            for (let i = 0; i < data.length; i += 4) if (config.daqi.some((rgb) => near(data, i, rgb, 2))) count++;
            if (bench.markersAt === null && count >= config.markerPixels) bench.markersAt = now;
          }, now);
          band.issue(now);
        }
      }
    }
    if (bench.tableAt === null || bench.markersAt === null || bench.liveAt === null) requestAnimationFrame(watchLoad);
  };
  requestAnimationFrame(watchLoad);

  bench.watchProbe = (x, y) => {
    const found = mapGl();
    if (!found) return 'no map canvas';
    const { canvas, gl } = found;
    if (!(gl instanceof WebGL2RenderingContext)) return 'the map is not WebGL2';
    const ratio = canvas.width / canvas.clientWidth;
    const reader = makeReader(gl, Math.round(x * ratio), canvas.height - 1 - Math.round(y * ratio), 1, 1);
    let state = null;
    let lastFrame = null;
    bench.stopProbe = false;
    const loop = () => {
      if (bench.stopProbe) return;
      const now = performance.now();
      if (lastFrame !== null) bench.frameGaps.push(now - lastFrame);
      lastFrame = now;
      reader.poll((data, previousUnfinishedAt) => {
        const next = near(data, 0, config.high, 8) ? 'high' : near(data, 0, config.low, 8) ? 'low' : 'other';
        if (next === state) return;
        state = next;
        // Drawn after the previous read finished, and finished by now.
        const at = performance.timeOrigin + now;
        const earliest = performance.timeOrigin + (previousUnfinishedAt ?? now);
        bench.transitions.push({ state, at, earliest, rgb: [data[0], data[1], data[2]] });
        if (window.__benchProbe) window.__benchProbe(state, at, earliest);
      }, now);
      reader.issue(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    return 'watching';
  };
})();`;
}

/** The page's load marks, once the watcher has seen everything (or `timeoutMs` passed). */
export async function loadMarks(page: Page, timeoutMs: number): Promise<LoadMarks> {
  await page
    .waitForFunction(() => {
      const bench = (globalThis as unknown as { __bench?: LoadMarks }).__bench;
      return bench !== undefined && bench.tableAt !== null && bench.markersAt !== null && bench.liveAt !== null;
    }, undefined, { timeout: timeoutMs, polling: 250 })
    .catch(() => undefined);
  return page.evaluate(() => {
    const global = globalThis as unknown as {
      __bench: LoadMarks;
      performance: { getEntriesByType(type: string): { name: string; startTime: number; responseEnd: number; encodedBodySize: number; domContentLoadedEventEnd: number }[] };
    };
    const bench = global.__bench;
    const navigation = global.performance.getEntriesByType('navigation')[0];
    const area = global.performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/api/v1/area'));
    const scripts = global.performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/assets/') && entry.name.endsWith('.js'));
    return {
      snapshotAt: bench.snapshotAt,
      snapshotChars: bench.snapshotChars,
      tableAt: bench.tableAt,
      liveAt: bench.liveAt,
      markersAt: bench.markersAt,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN,
      areaFetch: area ? { start: area.startTime, end: area.responseEnd, bytes: area.encodedBodySize } : null,
      scriptEnd: scripts.length > 0 ? Math.max(...scripts.map((entry) => entry.responseEnd)) : null,
      longTasks: bench.longTasks,
    };
  });
}

/** Centre (in viewport CSS pixels) of the pixels of one colour in a viewport screenshot; null if none. */
export function colourCentroid(png: Buffer, rgb: [number, number, number], tolerance = 2): { x: number; y: number; count: number } | null {
  const image = PNG.sync.read(png);
  let sumX = 0;
  let sumY = 0;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      if (
        Math.abs((image.data[i] as number) - rgb[0]) <= tolerance &&
        Math.abs((image.data[i + 1] as number) - rgb[1]) <= tolerance &&
        Math.abs((image.data[i + 2] as number) - rgb[2]) <= tolerance
      ) {
        sumX += x;
        sumY += y;
        count++;
      }
    }
  }
  return count === 0 ? null : { x: sumX / count, y: sumY / count, count };
}

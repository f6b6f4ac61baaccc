import { Presets, SingleBar } from 'cli-progress';

/**
 * Progress for `smartplace import`: a bar on a terminal, and on anything else (a log, CI) a line
 * every 10 %, so a two-hour national import is never silent and never floods a log.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update: (label: string, done: number, total: number) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  let currentLabel = '';
  let lastTenth = -1;
  return {
    update(label, done, total) {
      if (stream.isTTY) {
        if (!bar || label !== currentLabel) {
          bar?.stop();
          currentLabel = label;
          bar = new SingleBar(
            { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, {eta_formatted} left`, hideCursor: true, etaBuffer: 50 },
            Presets.shades_classic,
          );
          bar.start(total, done);
        }
        bar.setTotal(total);
        bar.update(done);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (label !== currentLabel) {
        currentLabel = label;
        lastTenth = -1;
      }
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${tenth * 10}% (${done} of ${total})\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

import type { ReplayAnswer, ReplayHour } from '../../core/replay.js';
import type { LiveState } from './liveState.js';
import { bannerText, hourAt, hourOf, isOutOfDate, LIVE_POSITION, periodOf, positionLabel, positionValueText, replayPeriod, replayState, REPLAY_HOURS, type Period } from './replay.js';

/**
 * The time slider: one step per hour of the last 24, then live. Moving it fetches the hourly means
 * (GET /api/v1/replay) once, and again only after another hour has ended; the page then shows the
 * chosen hour while live readings go on arriving underneath. "Back to live", the slider's last
 * step or Escape return to them.
 */

export interface ReplayElements {
  slider: HTMLInputElement;
  /** The slider's value as text, beside it. */
  output: HTMLOutputElement;
  live: HTMLButtonElement;
  /** Say what is replayed; the first is the live region that announces it. */
  banners: HTMLElement[];
  /** Something to redraw: the replayed hour changed, or live is back. */
  onChange: () => void;
}

export interface ReplayControl {
  /** What the page shows: the live state, or the replayed hour's (the live state's devices). */
  view(live: LiveState): LiveState;
  replaying(): boolean;
}

export function createReplayControl(elements: ReplayElements): ReplayControl {
  const { slider, output, live, banners, onChange } = elements;
  let position = LIVE_POSITION;
  let answer: ReplayAnswer | null = null;
  let error: string | null = null;
  let request = 0;
  let memo: { devices: LiveState['devices']; hour: ReplayHour; view: LiveState } | undefined;

  slider.min = '0';
  slider.max = String(LIVE_POSITION);
  slider.step = '1';
  slider.value = String(LIVE_POSITION);

  const period = (): Period => (answer ? periodOf(answer) : replayPeriod(Date.now()));

  function show(): void {
    const now = Date.now();
    const text = positionLabel(position, period(), now);
    slider.setAttribute('aria-valuetext', positionValueText(position, period(), now));
    output.textContent = text;
    live.disabled = position === LIVE_POSITION;
    const start = hourAt(position, period());
    const banner =
      start === null ? '' : error ? `The replay could not be loaded (${error}). Showing live data.` : answer ? bannerText(start, now) : `Loading ${text} (hourly means)…`;
    for (const element of banners) if (element.textContent !== banner) element.textContent = banner;
  }

  const changed = () => {
    show();
    onChange();
  };

  function load(): void {
    const mine = ++request;
    error = null;
    fetch(`/api/v1/replay?hours=${REPLAY_HOURS}`, { headers: { accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.json()) as ReplayAnswer;
      })
      .then(
        (fetched) => {
          if (mine !== request) return;
          answer = fetched;
          changed();
        },
        (failure: unknown) => {
          if (mine !== request) return;
          answer = null;
          error = (failure as Error).message;
          changed();
        },
      );
  }

  function moveTo(next: number): void {
    position = next;
    slider.value = String(next);
    if (next !== LIVE_POSITION && (!answer || error || isOutOfDate(answer, Date.now()))) load();
    changed();
  }

  slider.addEventListener('input', () => moveTo(Number(slider.value)));
  live.addEventListener('click', () => {
    moveTo(LIVE_POSITION);
    // The button is disabled now: hand the focus to the slider rather than lose it.
    slider.focus();
  });
  document.addEventListener('keydown', (event) => {
    // Escape in a text box or a list clears or closes that instead.
    const inField = event.target instanceof Element && event.target.closest('input:not([type="range"]), select, textarea') !== null;
    if (event.key === 'Escape' && position !== LIVE_POSITION && !event.defaultPrevented && !inField) moveTo(LIVE_POSITION);
  });
  show();

  return {
    view(liveState) {
      const start = hourAt(position, period());
      const hour = start === null || !answer ? undefined : hourOf(answer, start);
      if (!hour) return liveState;
      if (memo?.devices !== liveState.devices || memo.hour !== hour) memo = { devices: liveState.devices, hour, view: replayState(liveState.devices, hour) };
      return memo.view;
    },
    replaying: () => position !== LIVE_POSITION && answer !== null,
  };
}

import { escapeHtml } from '../shared/html.js';
import type { SearchResult } from './briefingResponse.js';

/**
 * The search box's suggestions as a pure state machine, following the ARIA Authoring Practices'
 * combobox with a list popup and manual selection: typing shows suggestions without choosing one, the
 * arrow keys move a highlight through them (wrapping round), Enter opens the highlighted one, Escape
 * closes the list and a second Escape clears the box. searchBox.ts turns events into these calls and
 * the state into attributes.
 */

export const MIN_QUERY_LENGTH = 2;
export const MAX_QUERY_LENGTH = 100;

export interface ComboboxState {
  /** The text the results are for. */
  query: string;
  results: readonly SearchResult[];
  open: boolean;
  /** The highlighted option, or -1 for none. */
  active: number;
}

export const EMPTY_COMBOBOX: ComboboxState = { query: '', results: [], open: false, active: -1 };

export type ComboboxKey = 'ArrowDown' | 'ArrowUp' | 'Enter' | 'Escape';

export type ComboboxEffect =
  /** Open this briefing. */
  | { type: 'go'; href: string }
  /** Empty the text box. */
  | { type: 'clear' }
  /** Let the form submit (Enter with nothing highlighted). */
  | { type: 'submit' }
  | { type: 'none' };

/** The text worth asking the server about, or null when it is too short. */
export function searchQuery(text: string): string | null {
  const query = text.trim().slice(0, MAX_QUERY_LENGTH);
  return query.length >= MIN_QUERY_LENGTH ? query : null;
}

/** The server's suggestions for `query` arrived: the list opens when there are any, nothing highlighted. */
export function withResults(query: string, results: readonly SearchResult[]): ComboboxState {
  return { query, results, open: results.length > 0, active: -1 };
}

/** The text changed: the old suggestions no longer answer it, so they are put away. */
export function typed(state: ComboboxState): ComboboxState {
  return { ...state, open: false, active: -1 };
}

export function closed(state: ComboboxState): ComboboxState {
  return { ...state, open: false, active: -1 };
}

/** A key pressed in the text box: the next state, what to do, and whether the key was used. */
export function pressKey(state: ComboboxState, key: ComboboxKey, altKey = false): { state: ComboboxState; effect: ComboboxEffect; handled: boolean } {
  const count = state.results.length;
  const none: ComboboxEffect = { type: 'none' };
  switch (key) {
    case 'ArrowDown': {
      if (count === 0) return { state, effect: none, handled: false };
      // Alt+Down opens the list without moving the highlight.
      if (altKey) return { state: { ...state, open: true }, effect: none, handled: true };
      const active = state.open ? (state.active + 1) % count : 0;
      return { state: { ...state, open: true, active }, effect: none, handled: true };
    }
    case 'ArrowUp': {
      if (count === 0) return { state, effect: none, handled: false };
      const active = state.open && state.active > 0 ? state.active - 1 : count - 1;
      return { state: { ...state, open: true, active }, effect: none, handled: true };
    }
    case 'Enter': {
      const chosen = state.open ? state.results[state.active] : undefined;
      if (chosen) return { state: closed(state), effect: { type: 'go', href: chosen.href }, handled: true };
      return { state: closed(state), effect: { type: 'submit' }, handled: false };
    }
    case 'Escape':
      if (state.open) return { state: closed(state), effect: none, handled: true };
      return { state: EMPTY_COMBOBOX, effect: { type: 'clear' }, handled: true };
  }
}

/** What the live region says when suggestions arrive. */
export function resultsAnnouncement(count: number): string {
  if (count === 0) return 'No results';
  return `${count} ${count === 1 ? 'result' : 'results'}`;
}

/** The id of option `i` of the list `listId`, for aria-activedescendant. */
export function optionId(listId: string, i: number): string {
  return `${listId}-option-${i}`;
}

/** The options of the listbox: each a name and the server's line of detail (which names the kind). */
export function optionsHtml(listId: string, state: ComboboxState): string {
  return state.results
    .map((result, i) => {
      const selected = i === state.active;
      return (
        `<li class="app-suggestion${selected ? ' app-suggestion--active' : ''}" id="${optionId(listId, i)}" role="option" aria-selected="${selected}" data-href="${escapeHtml(result.href)}">` +
        `<span class="app-suggestion__label">${escapeHtml(result.label)}</span> ` +
        `<span class="app-suggestion__detail">${escapeHtml(result.detail)}</span></li>`
      );
    })
    .join('');
}

/** The first suggestion's link, for a form submitted with none chosen. */
export function firstHref(results: readonly SearchResult[]): string | null {
  return results[0]?.href ?? null;
}

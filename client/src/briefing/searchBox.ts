import type { SearchResult } from './briefingResponse.js';
import { EMPTY_COMBOBOX, closed, firstHref, optionId, optionsHtml, pressKey, resultsAnnouncement, searchQuery, typed, withResults, type ComboboxKey, type ComboboxState } from './combobox.js';

/**
 * The search box's events: suggestions as you type (after a short pause, at least two characters,
 * an older request cancelled by a newer one), the keys of combobox.ts, a click on a suggestion, and
 * the form submitted with none chosen, which opens the first result.
 */

export const DEBOUNCE_MS = 150;

export interface SearchBoxElements {
  form: HTMLFormElement;
  group: HTMLElement;
  input: HTMLInputElement;
  listbox: HTMLElement;
  /** The live region that counts the suggestions. */
  status: HTMLElement;
  error: HTMLElement;
}

export interface SearchBoxDeps {
  fetchResults(query: string, signal: AbortSignal): Promise<SearchResult[]>;
  /** Open a briefing. */
  go(href: string): void;
  /** A problem to list in the page's error summary, or null to clear it. */
  onError(message: string | null): void;
}

const KEYS: readonly string[] = ['ArrowDown', 'ArrowUp', 'Enter', 'Escape'] satisfies ComboboxKey[];

export function createSearchBox(elements: SearchBoxElements, deps: SearchBoxDeps): { reset(): void } {
  const { form, group, input, listbox, status, error } = elements;
  let state: ComboboxState = EMPTY_COMBOBOX;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let request: AbortController | null = null;

  function render(): void {
    input.setAttribute('aria-expanded', String(state.open));
    listbox.hidden = !state.open;
    listbox.innerHTML = state.open ? optionsHtml(listbox.id, state) : '';
    if (state.open && state.active >= 0) {
      const id = optionId(listbox.id, state.active);
      input.setAttribute('aria-activedescendant', id);
      document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function showError(message: string | null): void {
    error.hidden = message === null;
    error.innerHTML = '';
    if (message !== null) {
      const hidden = document.createElement('span');
      hidden.className = 'govuk-visually-hidden';
      hidden.textContent = 'Error: ';
      error.append(hidden, message);
    }
    group.classList.toggle('govuk-form-group--error', message !== null);
    input.classList.toggle('govuk-input--error', message !== null);
    input.setAttribute('aria-describedby', message === null ? 'place-search-hint' : `place-search-hint ${error.id}`);
    deps.onError(message);
  }

  /** The results for `query`, or null when a newer request took its place. */
  async function lookup(query: string): Promise<SearchResult[] | null> {
    request?.abort();
    const controller = new AbortController();
    request = controller;
    try {
      const results = await deps.fetchResults(query, controller.signal);
      return request === controller ? results : null;
    } catch (problem) {
      if (controller.signal.aborted) return null;
      throw problem;
    }
  }

  async function suggest(query: string): Promise<void> {
    let results: SearchResult[] | null;
    try {
      results = await lookup(query);
    } catch {
      status.textContent = 'Suggestions are not available at the moment.';
      return;
    }
    // The text may have changed while the answer was on its way.
    if (results === null || searchQuery(input.value) !== query) return;
    state = withResults(query, results);
    render();
    status.textContent = resultsAnnouncement(results.length);
  }

  function choose(href: string): void {
    clearTimeout(timer);
    request?.abort();
    state = closed(state);
    render();
    deps.go(href);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    state = typed(state);
    render();
    const query = searchQuery(input.value);
    if (query === null) {
      request?.abort();
      state = EMPTY_COMBOBOX;
      status.textContent = '';
      return;
    }
    timer = setTimeout(() => void suggest(query), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    if (!KEYS.includes(event.key) || event.isComposing) return;
    const { state: next, effect, handled } = pressKey(state, event.key as ComboboxKey, event.altKey);
    if (handled) event.preventDefault();
    state = next;
    render();
    switch (effect.type) {
      case 'go':
        choose(effect.href);
        break;
      case 'clear':
        input.value = '';
        status.textContent = '';
        break;
      case 'submit':
      case 'none':
        break;
    }
  });

  input.addEventListener('blur', () => {
    state = closed(state);
    render();
  });

  // A press on a suggestion must not take focus from the text box first.
  listbox.addEventListener('mousedown', (event) => event.preventDefault());
  listbox.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest<HTMLElement>('[role="option"]') : null;
    if (option?.dataset.href) choose(option.dataset.href);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const query = searchQuery(input.value);
    if (query === null) {
      showError('Enter 2 or more letters or numbers of a street, ward, UPRN or USRN');
      return;
    }
    if (state.query === query && state.results.length > 0) {
      showError(null);
      choose(firstHref(state.results) as string);
      return;
    }
    status.textContent = 'Searching…';
    lookup(query).then(
      (results) => {
        if (results === null) return;
        state = withResults(query, results);
        status.textContent = resultsAnnouncement(results.length);
        const href = firstHref(results);
        if (href === null) {
          render();
          showError(`No street or ward matches “${query}”. Check the spelling, or search for a UPRN or USRN`);
          return;
        }
        showError(null);
        choose(href);
      },
      () => {
        status.textContent = '';
        showError('The search is not working at the moment. Try again later');
      },
    );
  });

  return {
    reset() {
      clearTimeout(timer);
      request?.abort();
      state = EMPTY_COMBOBOX;
      input.value = '';
      status.textContent = '';
      error.hidden = true;
      group.classList.remove('govuk-form-group--error');
      input.classList.remove('govuk-input--error');
      input.setAttribute('aria-describedby', 'place-search-hint');
      render();
    },
  };
}

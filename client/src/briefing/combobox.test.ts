import { describe, expect, it } from 'vitest';
import { EMPTY_COMBOBOX, closed, firstHref, optionId, optionsHtml, pressKey, resultsAnnouncement, searchQuery, typed, withResults } from './combobox.js';
import { searchResults } from './testBuilders.js';

const results = searchResults();
const open = withResults('high', results);

describe('searchQuery', () => {
  it('asks only about 2 characters or more, trimmed and at most 100', () => {
    expect(searchQuery(' h ')).toBeNull();
    expect(searchQuery(' hi ')).toBe('hi');
    expect(searchQuery('x'.repeat(120))).toHaveLength(100);
  });
});

describe('the combobox’s keys', () => {
  it('opens on results with nothing highlighted, and stays shut with none', () => {
    expect(open).toMatchObject({ open: true, active: -1 });
    expect(withResults('zz', [])).toMatchObject({ open: false, active: -1 });
  });

  it('moves the highlight down and up, wrapping round', () => {
    let state = pressKey(open, 'ArrowDown').state;
    expect(state.active).toBe(0);
    state = pressKey(state, 'ArrowDown').state;
    state = pressKey(state, 'ArrowDown').state;
    expect(state.active).toBe(2);
    expect(pressKey(state, 'ArrowDown').state.active).toBe(0);
    expect(pressKey(open, 'ArrowUp').state.active).toBe(2);
    expect(pressKey(pressKey(open, 'ArrowDown').state, 'ArrowUp').state.active).toBe(2);
  });

  it('opens a closed list with Down (Alt+Down without highlighting) and ignores arrows with no results', () => {
    const shut = closed(open);
    expect(pressKey(shut, 'ArrowDown').state).toMatchObject({ open: true, active: 0 });
    expect(pressKey(shut, 'ArrowDown', true).state).toMatchObject({ open: true, active: -1 });
    expect(pressKey(EMPTY_COMBOBOX, 'ArrowDown').handled).toBe(false);
  });

  it('opens the highlighted result with Enter, or lets the form submit', () => {
    const highlighted = pressKey(pressKey(open, 'ArrowDown').state, 'ArrowDown').state;
    expect(pressKey(highlighted, 'Enter')).toMatchObject({ effect: { type: 'go', href: '/briefing/ward/E05015239' }, handled: true, state: { open: false } });
    expect(pressKey(open, 'Enter')).toMatchObject({ effect: { type: 'submit' }, handled: false });
  });

  it('closes with Escape, then clears', () => {
    const first = pressKey(pressKey(open, 'ArrowDown').state, 'Escape');
    expect(first).toMatchObject({ effect: { type: 'none' }, state: { open: false, active: -1 } });
    expect(pressKey(first.state, 'Escape')).toMatchObject({ effect: { type: 'clear' }, state: EMPTY_COMBOBOX });
  });

  it('puts the list away when the text changes', () => {
    expect(typed(pressKey(open, 'ArrowDown').state)).toMatchObject({ open: false, active: -1, results });
  });
});

describe('the listbox', () => {
  it('marks the highlighted option and escapes the server’s text', () => {
    const state = pressKey(withResults('x', [...results, { kind: 'street', id: '1', label: '<b>Lane</b>', detail: 'Street', href: '/briefing/street/1' }]), 'ArrowUp').state;
    const html = optionsHtml('search-list', state);
    expect(html).toContain(`id="${optionId('search-list', 3)}" role="option" aria-selected="true"`);
    expect(html).toContain('id="search-list-option-0" role="option" aria-selected="false"');
    expect(html).toContain('&#60;b&#62;Lane&#60;/b&#62;');
    expect(html).toContain('<span class="app-suggestion__detail">Property on High Street, Altrincham</span>');
  });

  it('counts the results in words and finds the first link', () => {
    expect(resultsAnnouncement(5)).toBe('5 results');
    expect(resultsAnnouncement(1)).toBe('1 result');
    expect(resultsAnnouncement(0)).toBe('No results');
    expect(firstHref(results)).toBe('/briefing/street/12345678');
    expect(firstHref([])).toBeNull();
  });
});

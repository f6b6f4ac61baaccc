import { describe, expect, it } from 'vitest';
import { selectionText, togglePicked, wardCheckboxesHtml } from './wardPicker.js';

describe('the ward list', () => {
  it('keeps the order of ticking', () => {
    let picked: string[] = [];
    picked = togglePicked(picked, 'B', true);
    picked = togglePicked(picked, 'A', true);
    picked = togglePicked(picked, 'B', false);
    picked = togglePicked(picked, 'B', true);
    expect(picked).toEqual(['A', 'B']);
  });

  it('says how many are selected and which is compared with the others', () => {
    const names = new Map([
      ['A', 'Altrincham'],
      ['B', 'Bowdon'],
    ]);
    expect(selectionText([], names)).toBe('0 wards selected.');
    expect(selectionText(['A'], names)).toBe('1 ward selected.');
    expect(selectionText(['B', 'A'], names)).toBe('2 wards selected; Bowdon is compared with the others.');
  });

  it('makes a labelled checkbox a ward', () => {
    const html = wardCheckboxesHtml([{ code: 'E05000819', name: 'Gorse Hill & Cornbrook' }]);
    expect(html).toContain('<input class="govuk-checkboxes__input" id="ward-E05000819" name="ward" type="checkbox" value="E05000819">');
    expect(html).toContain('<label class="govuk-label govuk-checkboxes__label" for="ward-E05000819">Gorse Hill &#38; Cornbrook</label>');
  });
});

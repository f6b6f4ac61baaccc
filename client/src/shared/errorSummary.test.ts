import { describe, expect, it } from 'vitest';
import { errorSummaryHtml } from './errorSummary.js';

describe('errorSummaryHtml', () => {
  it('links each error to its field and escapes the text', () => {
    const html = errorSummaryHtml([
      { text: 'Enter the start date', href: '#from-day' },
      { text: 'The <server> failed', href: null },
    ]);
    expect(html).toContain('data-module="govuk-error-summary"');
    expect(html).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(html).toContain('<li><a href="#from-day">Enter the start date</a></li>');
    expect(html).toContain('<li>The &#60;server&#62; failed</li>');
  });
});

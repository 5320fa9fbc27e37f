import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../../src/archive/load/html.js';

const context = { file: 'folder/example.md', maxTitleLength: 200 };

describe('parseHtml', () => {
  it('keeps an article header (headline, byline) but drops the page header', () => {
    const html =
      '<title>Page</title><header>SITE BANNER</header><article><header><h1>Page</h1><p>By Staff</p></header><p>Body.</p></article>';
    expect(parseHtml(html, context).documents).toEqual([{ title: 'Page', text: 'By Staff\n\nBody.' }]);
  });

  it('does not uppercase headings, keeps list items and table cells on their own lines', () => {
    const html = '<h1>T</h1><h2>Section Two</h2><ul><li>One</li><li>Two</li></ul><table><tr><td>Kim</td><td>Leader</td></tr></table>';
    expect(parseHtml(html, context).documents[0]?.text).toBe('Section Two\n\n- One\n- Two\n\nKim\nLeader');
  });
});

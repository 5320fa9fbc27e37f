/**
 * HTML: a title and the readable text, by html-to-text. Page furniture (scripts, styles,
 * navigation, site header and footer, asides, forms) is dropped; paragraphs are separated by a
 * blank line. The parser's DOM is read for the title and <meta> values; no HTML is parsed here.
 */
import { createRequire } from 'node:module';
import type { DomNode, FormatCallback, SelectorDefinition } from 'html-to-text';
import { normalizeDate } from './fields.js';
import type { ParseContext, ParsedDocument, ParseResult } from './parsed.js';
import { baseName, collapseWhitespace, normalizeText, sameTitle, tidyBody } from './text.js';

/** What the formatters find on the way through one page. */
class PageFacts {
  title?: string;
  firstH1?: string;
  date?: string;
  source?: string;
  siteName?: string;
  author?: string;
  url?: string;
  canonical?: string;
}

/** Elements that are never part of the readable text. */
const DROPPED = [
  'nav',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'noscript',
  'template',
  'script',
  'style',
  'svg',
  'canvas',
  'iframe',
  'object',
  'img',
  'hr',
];

// The converter is compiled once; each call gets its own PageFacts through html-to-text's
// `metadata` argument, which the library hands to formatters on the builder.
function factsOf(builder: object): PageFacts {
  const facts: unknown = Reflect.get(builder, 'metadata');
  if (!(facts instanceof PageFacts)) throw new Error('html loader: formatter called without page facts');
  return facts;
}

const formatters: Record<string, FormatCallback> = {
  archivistTitle(elem, _walk, builder) {
    const facts = factsOf(builder);
    facts.title ??= textOf(elem) || undefined;
  },
  archivistH1(elem, walk, builder, options) {
    const facts = factsOf(builder);
    facts.firstH1 ??= textOf(elem) || undefined;
    builder.options.formatters['heading']?.(elem, walk, builder, options);
  },
  archivistMeta(elem, _walk, builder) {
    const facts = factsOf(builder);
    const key = (attr(elem, 'name') ?? attr(elem, 'property') ?? '').toLowerCase();
    const content = collapseWhitespace(attr(elem, 'content') ?? '');
    if (!content) return;
    if (key === 'date' || key === 'article:published_time') facts.date ??= normalizeDate(content);
    else if (key === 'source') facts.source ??= content;
    else if (key === 'og:site_name') facts.siteName ??= content;
    else if (key === 'author') facts.author ??= content;
    else if (key === 'og:url') facts.url ??= content;
  },
  archivistLink(elem, _walk, builder) {
    const rel = (attr(elem, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(elem, 'href')?.trim();
    if (rel.includes('canonical') && href) factsOf(builder).canonical ??= href;
  },
  // A page's own <header> is site furniture; an <article>'s header holds its headline and byline.
  archivistHeader(elem, walk, builder, options) {
    if (hasAncestor(elem, 'article')) builder.options.formatters['block']?.(elem, walk, builder, options);
  },
};

const heading = (level: number, leadingLineBreaks: number): SelectorDefinition => ({
  selector: `h${level}`,
  format: level === 1 ? 'archivistH1' : 'heading',
  options: { leadingLineBreaks, trailingLineBreaks: 2, uppercase: false },
});

// @types/html-to-text omits the compiled function's second parameter, `metadata`; the library
// passes it to formatters (see factsOf), so the wider signature is declared here.
type Converter = (html: string, metadata: PageFacts) => string;
let compiled: Converter | undefined;

/**
 * html-to-text is loaded (and the converter compiled) when the first HTML page is read: an archive
 * without HTML, and every start from a saved index, skip its import (~40 ms of a CLI start).
 */
function convert(html: string, metadata: PageFacts): string {
  compiled ??= compileConverter();
  return compiled(html, metadata);
}

function compileConverter(): Converter {
  const { compile } = createRequire(import.meta.url)('html-to-text') as typeof import('html-to-text');
  return compile({
    wordwrap: false,
    // Whole document, <head> included, so that <title> and <meta> reach the formatters.
    baseElements: { selectors: ['html'], returnDomByDefault: true },
    // The loader already refuses files over its own size limit; the library must not cut one short.
    limits: { maxInputLength: Number.MAX_SAFE_INTEGER },
    formatters,
    selectors: [
      { selector: 'title', format: 'archivistTitle' },
      { selector: 'meta', format: 'archivistMeta' },
      { selector: 'link', format: 'archivistLink' },
      { selector: 'header', format: 'archivistHeader', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      ...DROPPED.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'ul', options: { itemPrefix: '- ' } },
      // Rows as paragraphs, cells as lines: readable for data tables, and layout tables (an old
      // site's whole page in one cell) come out as ordinary text instead of padded columns.
      { selector: 'table', format: 'block', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      { selector: 'tr', format: 'block', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      { selector: 'td', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'th', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      ...[1, 2, 3].map((level) => heading(level, 3)),
      ...[4, 5, 6].map((level) => heading(level, 2)),
    ],
  });
}

export const parseHtml = (source: string, context: ParseContext): ParseResult => {
  const facts = new PageFacts();
  let text = tidyBody(normalizeText(convert(source, facts)));
  const title = facts.title ?? facts.firstH1;

  // The page headline is the title, not a passage, whichever of <title> or <h1> named the page.
  const firstLineEnd = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n');
  const firstLine = text.slice(0, firstLineEnd);
  const isHeadline = [title, facts.firstH1].some((t) => t !== undefined && sameTitle(firstLine, t));
  if (isHeadline) {
    text = text.slice(firstLineEnd).trim();
  }

  const document: ParsedDocument = { title: title ?? baseName(context.file), text };
  const publisher = facts.source ?? facts.siteName ?? facts.author;
  const url = facts.canonical ?? facts.url;
  if (publisher) document.source = publisher;
  if (facts.date) document.date = facts.date;
  if (url) document.url = url;
  return { documents: [document], problems: [] };
};

function attr(elem: DomNode, name: string): string | undefined {
  const attribs: unknown = elem.attribs;
  if (typeof attribs !== 'object' || attribs === null) return undefined;
  const value: unknown = Reflect.get(attribs, name);
  return typeof value === 'string' ? value : undefined;
}

function textOf(node: DomNode): string {
  const parts: string[] = [];
  const visit = (n: DomNode): void => {
    if (n.type === 'text' && n.data) parts.push(n.data);
    n.children?.forEach(visit);
  };
  visit(node);
  return collapseWhitespace(normalizeText(parts.join('')));
}

function hasAncestor(elem: DomNode, name: string): boolean {
  for (let node = elem.parent; node; node = node.parent) if (node.name === name) return true;
  return false;
}

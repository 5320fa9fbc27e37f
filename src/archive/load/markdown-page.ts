/**
 * A Markdown page read as documentation: its words as a reader sees them, laid out in sections and
 * blocks, with every stretch of text traced back to the span of the source file it was cut from.
 *
 * The page is parsed by mdast-util-from-markdown with the GFM extensions (tables, strikethrough,
 * autolinks, footnotes), which gives exact source offsets on every node, inline ones included.
 * VuePress/VitePress containers (`::: tip Title` … `:::`) are not CommonMark: a pre-pass blanks
 * their fence lines (same length, so every offset holds), and the blocks inside are labelled
 * with the container's title. What a reader never sees is left out: link syntax (the link's text
 * stays, marked as a link), code fences (the code stays, as a code block), HTML tags, `<style>` and
 * `<script>` elements, comments and Vue interpolations. A self-closing component whose text lives
 * in its attributes (`<Badge text="new"/>`, `<DocsLink path="class/Client"/>`) shows that text.
 */
import type { Nodes, Parents, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { BlockKind, DocumentLayout, PageSection, TextBlock, TextMark } from '../types.js';
import { plainMarkdownTree } from './plain-markdown.js';
import { collapseWhitespace } from './text.js';

interface MarkdownPage {
  /** The first heading, when it opens the page (or the first top-level heading): the page's title. */
  heading?: string;
  /** The page's words without markup, blocks separated by a blank line. */
  text: string;
  layout: DocumentLayout;
}

/** Separates blocks in the text: a paragraph break, as in any other document. */
const BLOCK_BREAK = '\n\n';
/** Container types that are layout, not an admonition: their blocks get no label. */
const UNLABELLED_CONTAINERS = new Set(['code-group', 'raw', 'v-pre']);

/**
 * Reads a page's body (the file after its front matter). `offset` is where the body starts in the
 * source file, so that pieces point into the file. `knownTitle` (from front matter) keeps a first
 * heading that repeats it out of the sections; a first heading longer than `maxTitleChars` is no
 * title, and stays a section so that its words are not lost.
 */
export function readMarkdownPage(body: string, offset: number, knownTitle?: string, maxTitleChars = Infinity): MarkdownPage {
  const { text: blanked, containers } = blankContainers(body);
  // Plain prose under headings (most of a generated or exported archive) is read without the parser: same tree.
  const tree = plainMarkdownTree(blanked) ?? fromMarkdown(blanked, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const page = new PageBuilder(body, offset, containers);
  const children = tree.children;
  const first = children.find((node) => !isInvisible(node));
  let heading: string | undefined;
  let titleNode: RootContent | undefined;
  if (first?.type === 'heading') titleNode = first;
  else titleNode = children.find((node) => node.type === 'heading' && node.depth === 1);
  if (titleNode?.type === 'heading') {
    heading = headingText(titleNode, body).text || undefined;
    if (heading !== undefined && heading.length > maxTitleChars) heading = titleNode = undefined;
    // A first heading that is not the known title is a section like any other.
    if (knownTitle !== undefined && heading !== undefined && heading.toLowerCase() !== knownTitle.toLowerCase()) titleNode = undefined;
  }
  for (const node of children) {
    if (node === titleNode) continue;
    page.block(node);
  }
  return { ...(heading === undefined ? {} : { heading }), ...page.finish() };
}

/** Nothing a reader sees: an HTML block of only tags, styles or scripts, a definition, a rule. */
function isInvisible(node: RootContent): boolean {
  if (node.type === 'html') return htmlText(node.value, 0).every((part) => part.text.trim() === '');
  return node.type === 'definition' || node.type === 'thematicBreak' || node.type === 'yaml';
}

interface Container {
  /** Source offsets of the container's content (between its fence lines). */
  start: number;
  end: number;
  label?: string;
}

/**
 * The body with VuePress/VitePress container fences (`::: tip`, `:::`), code imports (`<<< @/x`)
 * and `[[toc]]` lines blanked to spaces, outside code fences; and the containers found.
 */
function blankContainers(body: string): { text: string; containers: Container[] } {
  const containers: Container[] = [];
  const open: Array<{ start: number; label?: string }> = [];
  const out: string[] = [];
  let fence: string | undefined;
  let at = 0;
  for (const line of body.split('\n')) {
    const lineEnd = at + line.length;
    let blank = false;
    const codeFence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (codeFence && codeFence[1]![0] === fence[0] && codeFence[1]!.length >= fence.length && line.trim() === codeFence[1])
        fence = undefined;
    } else if (codeFence) {
      fence = codeFence[1];
    } else {
      const container = /^ {0,3}:{3,}\s*([\w-]*)\s*(.*)$/.exec(line);
      if (container) {
        blank = true;
        const [, type = '', title = ''] = container;
        if (type === '') {
          const opened = open.pop();
          if (opened) containers.push({ start: opened.start, end: at, ...(opened.label ? { label: opened.label } : {}) });
        } else {
          const label = UNLABELLED_CONTAINERS.has(type) ? undefined : title.trim() || type[0]!.toUpperCase() + type.slice(1);
          open.push({ start: lineEnd + 1, ...(label ? { label } : {}) });
        }
      } else if (/^ {0,3}(?:<<<\s|\[\[toc\]\]\s*$)/.test(line)) {
        blank = true;
      }
    }
    out.push(blank ? ' '.repeat(line.length) : line);
    at = lineEnd + 1;
  }
  for (const opened of open) containers.push({ start: opened.start, end: body.length, ...(opened.label ? { label: opened.label } : {}) });
  containers.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text: out.join('\n'), containers };
}

/** Builds the page's text, its pieces and marks, and its blocks and sections, in one walk. */
class PageBuilder {
  private text = '';
  private readonly pieces: number[] = [];
  private readonly marks: TextMark[] = [];
  private readonly blocks: TextBlock[] = [];
  private readonly sections: PageSection[] = [];
  private readonly headings: Array<{ depth: number; text: string }> = [];
  private readonly anchors = new Map<string, number>();
  private section = -1;
  /** Start of the open prose block in the text, if one is open. */
  private open: number | undefined;
  private readonly labelled = new Set<Container>();

  constructor(
    private readonly source: string,
    private readonly offset: number,
    private readonly containers: readonly Container[],
  ) {}

  finish(): { text: string; layout: DocumentLayout } {
    this.close();
    return { text: this.text, layout: { sections: this.sections, blocks: this.blocks, marks: this.marks, pieces: this.pieces } };
  }

  block(node: RootContent): void {
    switch (node.type) {
      case 'heading':
        this.close();
        this.startSection(node.depth, headingText(node, this.source));
        return;
      case 'paragraph':
        this.close();
        this.line(node);
        this.inline(node.children);
        this.close();
        return;
      case 'code':
        this.close();
        this.code(
          node.meta && /\btwoslash\b/.test(node.meta) ? twoslashShown(node.value) : node.value,
          start(node),
          end(node),
          node.lang ?? undefined,
        );
        return;
      case 'list':
        this.close();
        this.list(node);
        this.close();
        return;
      case 'table':
        this.close();
        for (const row of node.children) {
          this.line(row);
          row.children.forEach((cell, i) => {
            if (i > 0) this.add(' | ');
            this.inline(cell.children);
          });
        }
        this.close();
        return;
      case 'html':
        this.close();
        this.line(node);
        this.html(node.value, start(node));
        this.close();
        return;
      case 'blockquote':
      case 'footnoteDefinition':
        for (const child of node.children) this.block(child);
        return;
      default:
        // Definitions, rules and front matter show nothing.
        return;
    }
  }

  private list(node: Extract<RootContent, { type: 'list' }>): void {
    for (const item of node.children) {
      for (const child of item.children) {
        if (child.type === 'paragraph') {
          this.line(child);
          this.inline(child.children);
        } else if (child.type === 'list') {
          this.list(child);
        } else {
          // A code block, table or quote inside an item is a block of its own; the list goes on after it.
          this.close();
          this.block(child);
          this.close();
        }
      }
    }
  }

  /** A new line in the open prose block (opening one, labelled by its container, when none is open). */
  private line(node: Nodes): void {
    if (this.open === undefined) {
      if (this.text !== '') this.text += BLOCK_BREAK;
      this.open = this.text.length;
      this.label(start(node));
    } else if (this.text.length > this.open && !this.text.endsWith('\n')) {
      this.text += '\n';
    }
  }

  /** `Tip: ` before the first block of a container. */
  private label(at: number): void {
    for (const container of this.containers) {
      if (container.start > at) break;
      if (at < container.end && container.label && !this.labelled.has(container)) {
        this.labelled.add(container);
        this.add(`${container.label}: `);
      }
    }
  }

  /** Ends the open prose block; a block with no words in it is taken back out of the text. */
  private close(): void {
    const from = this.open;
    if (from === undefined) return;
    this.open = undefined;
    this.push(from, 'prose');
  }

  private push(from: number, kind: BlockKind, language?: string): void {
    let end = this.text.length;
    while (end > from && /\s/.test(this.text[end - 1]!)) end--;
    if (!/[\p{L}\p{N}]/u.test(this.text.slice(from, end))) {
      this.truncate(this.blocks.length ? this.blocks.at(-1)!.end : 0);
      return;
    }
    this.truncate(end);
    this.blocks.push({ start: from, end, kind, section: this.section, ...(language ? { language } : {}) });
  }

  /** Cuts the text back to `length`, with the pieces and marks past it. */
  private truncate(length: number): void {
    this.text = this.text.slice(0, length);
    while (this.pieces.length && this.pieces[this.pieces.length - 3]! >= length) this.pieces.length -= 3;
    if (this.pieces.length) {
      const last = this.pieces.length - 3;
      this.pieces[last + 2] = Math.min(this.pieces[last + 2]!, length - this.pieces[last]!);
    }
    while (this.marks.length && this.marks.at(-1)!.start >= length) this.marks.pop();
    const mark = this.marks.at(-1);
    if (mark && mark.end > length) mark.end = length;
  }

  private startSection(depth: number, heading: { text: string; anchor?: string }): void {
    while (this.headings.length && this.headings.at(-1)!.depth >= depth) this.headings.pop();
    if (!heading.text) return;
    this.headings.push({ depth, text: heading.text });
    const slug = heading.anchor ?? slugify(heading.text);
    // Repeated headings get -1, -2, … as the site generators number them.
    const seen = this.anchors.get(slug) ?? 0;
    this.anchors.set(slug, seen + 1);
    const anchor = seen === 0 || heading.anchor !== undefined ? slug : `${slug}-${seen}`;
    this.section = this.sections.push({ headings: this.headings.map((h) => h.text), ...(anchor ? { anchor } : {}) }) - 1;
  }

  private code(value: string, from: number, to: number, language: string | undefined): void {
    if (this.text !== '') this.text += BLOCK_BREAK;
    const begin = this.text.length;
    this.label(from);
    // The code's lines as the source holds them (a fence's indentation taken off).
    let cursor = this.source.indexOf('\n', from) + 1 || to;
    let shown = 0;
    value.split('\n').forEach((line) => {
      // Hidden lines, and blank lines before the first shown one, are left out.
      if (line === HIDDEN_LINE || (shown === 0 && line.trim() === '')) return;
      if (shown++ > 0) this.add('\n');
      const at = line === '' ? -1 : this.source.indexOf(line, cursor);
      if (at >= 0 && at + line.length <= to) {
        this.addPiece(line, at);
        cursor = at + line.length;
      } else {
        this.add(line);
      }
    });
    this.push(begin, 'code', language?.match(/^[\w+#.-]+/)?.[0]);
    // Joined to prose in one passage (a short error message before its explanation), code still shows as code.
    const block = this.blocks.at(-1);
    if (block?.kind === 'code' && block.start >= begin) this.marks.push({ start: block.start, end: block.end, kind: 'code' });
  }

  private inline(nodes: readonly PhrasingContent[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          this.addSource(node.value, start(node), end(node));
          break;
        case 'inlineCode': {
          const from = this.text.length;
          const at = this.source.indexOf(node.value, start(node));
          if (node.value !== '' && at >= 0 && at + node.value.length <= end(node)) this.addPiece(node.value, at);
          else this.add(node.value);
          if (this.text.length > from) this.marks.push({ start: from, end: this.text.length, kind: 'code' });
          break;
        }
        case 'link': {
          const from = this.text.length;
          this.inline(node.children);
          if (this.text.length > from) this.marks.push({ start: from, end: this.text.length, kind: 'link', href: node.url });
          break;
        }
        case 'html':
          this.html(node.value, start(node));
          break;
        case 'break':
          this.add('\n');
          break;
        case 'image':
        case 'imageReference':
        case 'footnoteReference':
          break;
        default:
          if ('children' in node) this.inline(node.children);
      }
    }
  }

  private html(value: string, from: number): void {
    for (const part of htmlText(value, from)) {
      if (part.space && this.text !== '' && !/\s$/.test(this.text)) this.add(' ');
      if (part.at >= 0) this.addSource(part.text, part.at, part.at + part.text.length);
      else this.add(part.text);
    }
  }

  /** Text that is in no source span: a separator or a label. */
  private add(text: string): void {
    this.text += text;
  }

  /** Text that is exactly the source's characters from `at`. */
  private addPiece(text: string, at: number): void {
    if (text === '') return;
    const last = this.pieces.length - 3;
    // Extends the previous piece when both text and source run on from it.
    if (
      last >= 0 &&
      this.pieces[last]! + this.pieces[last + 2]! === this.text.length &&
      this.pieces[last + 1]! + this.pieces[last + 2]! === this.offset + at
    ) {
      this.pieces[last + 2]! += text.length;
    } else {
      this.pieces.push(this.text.length, this.offset + at, text.length);
    }
    this.text += text;
  }

  /**
   * A parsed value that the source holds between `from` and `to`, perhaps with escapes (`\*`),
   * character references (`&amp;`) and line prefixes (indentation, `>`) in between: the value's
   * characters are matched to the source's in one forward walk, so each run of equal characters is
   * a piece; a line break inside a paragraph shows as a space.
   */
  private addSource(value: string, from: number, to: number): void {
    const source = this.source;
    let j = from;
    let run = '';
    let runAt = -1;
    const flush = () => {
      if (run) this.addPiece(run, runAt);
      run = '';
    };
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      if (ch === '\n') {
        flush();
        if (this.text !== '' && !/\s$/.test(this.text)) this.add(' ');
        const next = source.indexOf('\n', j);
        if (next >= 0 && next < to) j = next + 1;
        continue;
      }
      let found = false;
      let referenced = false;
      while (j < to) {
        if (source[j] === ch) {
          found = true;
          break;
        }
        const semicolon = source[j] === '&' ? source.indexOf(';', j) : -1;
        if (semicolon > j && semicolon - j <= 32 && semicolon < to) {
          // A character reference stands for this character: shown, but from no one source character.
          flush();
          this.add(ch);
          j = semicolon + 1;
          referenced = true;
          break;
        }
        j++;
      }
      if (referenced) continue;
      if (!found) {
        flush();
        this.add(value.slice(i).replace(/\n/g, ' '));
        return;
      }
      if (run && runAt + run.length !== j) flush();
      if (!run) runAt = j;
      run += ch;
      j++;
    }
    flush();
  }
}

function start(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

function end(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}

/** Marks a line a twoslash block hides; never a real line (it holds a NUL). */
const HIDDEN_LINE = '\u0000hidden';

/**
 * The lines of a twoslash code block (VitePress/Shiki) a reader sees: the setup before
 * `// ---cut---`, after `// ---cut-after---` and between `// ---cut-start---` and
 * `// ---cut-end---`, the `// @flag` compiler lines and the `// ^?` queries are not rendered.
 * Hidden lines become HIDDEN_LINE so the others keep their place in the source.
 */
function twoslashShown(value: string): string {
  const lines = value.split('\n');
  const cut = (name: string): number => lines.findLastIndex((line) => line.trim() === `// ---${name}---`);
  const before = Math.max(cut('cut'), cut('cut-before'));
  const after = lines.findIndex((line) => line.trim() === '// ---cut-after---');
  let hiding = false;
  return lines
    .map((line, i) => {
      const trimmed = line.trim();
      if (trimmed === '// ---cut-start---') hiding = true;
      const hidden = hiding || i <= before || (after >= 0 && i >= after) || /^\/\/\s*(@\w|\^[?|!~])/.test(trimmed);
      if (trimmed === '// ---cut-end---') hiding = false;
      return hidden ? HIDDEN_LINE : line;
    })
    .join('\n');
}

/** A heading's words (links and code as their text, components by their text) and its `{#custom-id}`. */
function headingText(node: Parents, source: string): { text: string; anchor?: string } {
  const builder = new PageBuilder(source, 0, []);
  builder.block({ type: 'paragraph', children: node.children as PhrasingContent[], position: node.position });
  let text = collapseWhitespace(builder.finish().text);
  const custom = /\s*\{#([\w-]+)\}$/.exec(text);
  if (custom) text = text.slice(0, custom.index);
  return { text, ...(custom ? { anchor: custom[1] } : {}) };
}

/**
 * The anchor VitePress and VuePress give a heading: accents and punctuation off, runs of them as
 * one `-`, lower case (`Server Options` → `server-options`).
 */
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u0000-\u001f]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

interface HtmlPart {
  text: string;
  /** Source offset of `text`, or -1 when it is not a verbatim span (never, today). */
  at: number;
  /** A tag that breaks the text stood before it: keep the words apart. */
  space: boolean;
}

// Comments, <style> and <script> with their content, Vue interpolations and tags; each match runs
// to its end or to the end of the value, so unclosed ones cost one scan, not one per start.
const HTML_TOKEN = /<!--[\s\S]*?(?:-->|$)|<(style|script)\b[\s\S]*?(?:<\/\1\s*>|$)|\{\{[\s\S]*?(?:\}\}|$)|<\/?[A-Za-z][^>]*(?:>|$)/g;
const INLINE_TAGS = new Set(['a', 'b', 'i', 'em', 'strong', 'code', 'span', 'kbd', 'sup', 'sub', 'u', 's', 'mark', 'small', 'abbr']);
/** Attributes that hold a self-closing component's text, in the order they are preferred. */
const TEXT_ATTRIBUTES = ['text', 'label', 'title', 'name', 'path'];

/** The readable text of an HTML fragment that starts at source offset `from`. */
function htmlText(value: string, from: number): HtmlPart[] {
  const parts: HtmlPart[] = [];
  let space = false;
  let at = 0;
  const text = (until: number) => {
    const chunk = value.slice(at, until);
    const trimmed = chunk.trim();
    if (trimmed) {
      parts.push({ text: trimmed, at: from + at + chunk.indexOf(trimmed), space: space || /^\s/.test(chunk) });
      space = /\s$/.test(chunk);
    } else if (chunk) {
      space = true;
    }
  };
  for (const match of value.matchAll(HTML_TOKEN)) {
    text(match.index);
    at = match.index + match[0].length;
    const tag = /^<\/?([A-Za-z][\w.-]*)/.exec(match[0]);
    if (!tag) {
      space = true;
      continue;
    }
    if (!INLINE_TAGS.has(tag[1]!.toLowerCase())) space = true;
    if (!/\/\s*>$/.test(match[0])) continue;
    for (const [i, piece] of componentText(match[0]).entries()) {
      parts.push({ text: piece.text, at: from + match.index + piece.at, space: i === 0 && space });
      space = false;
    }
  }
  text(value.length);
  return parts;
}

/** The last part of a page's path: lower-case words joined by hyphens (`command-handling`, `cooldowns`). */
const PAGE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A documentation path naming a symbol of a kind: `GuildMember:Class#permissions`. */
const SYMBOL_PATH = /^([\w$.]+):\w+(?:#(.+))?$/;

/**
 * The text a self-closing component shows from its attributes (`text="…"`, a `path`'s last part),
 * as pieces of the tag with their offsets in it. A symbol path shows as its site renders it:
 * `GuildMember:Class#permissions` as `GuildMember` and `#permissions`, the kind left out.
 */
function componentText(tag: string): Array<{ text: string; at: number }> {
  for (const name of TEXT_ATTRIBUTES) {
    const match = new RegExp(`\\s${name}\\s*=\\s*(["'])([^"']*)\\1`).exec(tag);
    if (!match?.[2]?.trim()) continue;
    const text = match[2].trim();
    const at = match.index + match[0].indexOf(match[2]) + match[2].indexOf(text);
    if (name !== 'path') return [{ text, at }];
    const symbol = SYMBOL_PATH.exec(text);
    if (symbol) {
      const pieces = [{ text: symbol[1]!, at }];
      if (symbol[2]) pieces.push({ text: `#${symbol[2]}`, at: at + text.length - symbol[2].length - 1 });
      return pieces;
    }
    // `class/Client?scrollTo=ready` shows as `Client`. A page's path (`creating-your-bot/command-handling`,
    // all lower case: a slug) names another page, not a symbol: a site shows its own words for it, never the slug.
    const last = text.replace(/[?#].*$/, '').replace(/\/+$/, '');
    const slash = last.lastIndexOf('/');
    if (slash >= 0 && PAGE_SLUG.test(last.slice(slash + 1))) return [];
    if (last.slice(slash + 1)) return [{ text: last.slice(slash + 1), at: at + slash + 1 }];
  }
  return [];
}

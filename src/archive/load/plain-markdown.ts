/**
 * The syntax tree of a Markdown page that is only plain prose under ATX headings, made without the
 * parser. micromark with GFM reads about half a megabyte a second and was a third of the main
 * thread's CPU in a cold build of the generated 100k archive (ASCII prose in paragraphs under a `#`
 * title), where this pass reads the same text in a few milliseconds.
 *
 * It answers only for text in which no character can open a construct where it stands: every line
 * empty, a heading (`#`…`######`, one space, plain words), or a paragraph line that starts with a
 * letter, digit or quote (not a list's `1.`), ends without a space and holds only letters, digits, spaces
 * and `, . ; ? ' " -`. No emphasis, link, code, HTML, escape, entity, table, autolink (`www.` is
 * refused), hard break, setext underline, indentation or container can start in such text, so the
 * tree is the parser's: headings and paragraphs of one text node, with the parser's positions.
 * Anything else returns undefined and the parser reads the page. tests/archive/load/plain-markdown
 * compares both on generated pages and on text full of Markdown's characters.
 */
import type { Heading, Paragraph, Root, RootContent, Text } from 'mdast';

type Point = NonNullable<Text['position']>['start'];

/** Plain words: they start with a letter, digit or quote and end with no space. */
const PLAIN = `[A-Za-z0-9'"](?:[A-Za-z0-9 ,.;?'"-]*[A-Za-z0-9,.;?'"-])?`;
/** A paragraph line: plain words that do not open an ordered list. */
const PROSE_LINE = new RegExp(`^(?!\\d+\\.)${PLAIN}$`);
/** An ATX heading of plain words, without closing hashes. */
const HEADING_LINE = new RegExp(`^(#{1,6}) ${PLAIN}$`);
/** GFM's `www.` autolink literal can start after any of the allowed characters. */
const WWW = /www\./i;

const point = (line: number, column: number, offset: number): Point => ({ line, column, offset });

function textNode(value: string, start: Point, end: Point): Text {
  return { type: 'text', value, position: { start, end } };
}

/** The tree fromMarkdown (with GFM) gives for `text`, when `text` is plain prose under headings; else undefined. */
export function plainMarkdownTree(text: string): Root | undefined {
  if (WWW.test(text)) return undefined;
  const children: RootContent[] = [];
  // The open paragraph: its first line's start and its lines so far.
  let open: { start: Point; lines: string[]; end: Point } | undefined;
  const closeParagraph = (): void => {
    if (!open) return;
    const { start, end } = open;
    const paragraph: Paragraph = { type: 'paragraph', children: [textNode(open.lines.join('\n'), start, end)], position: { start, end } };
    children.push(paragraph);
    open = undefined;
  };
  let offset = 0;
  let lineNumber = 1;
  let last = '';
  for (const line of text.split('\n')) {
    last = line;
    const lineEnd = point(lineNumber, line.length + 1, offset + line.length);
    if (line === '') {
      closeParagraph();
    } else if (line.charCodeAt(0) === 0x23 /* # */) {
      const heading = HEADING_LINE.exec(line);
      if (!heading) return undefined;
      closeParagraph();
      const depth = heading[1]!.length;
      const contentStart = point(lineNumber, depth + 2, offset + depth + 1);
      const node: Heading = {
        type: 'heading',
        depth: depth as Heading['depth'],
        children: [textNode(line.slice(depth + 1), contentStart, lineEnd)],
        position: { start: point(lineNumber, 1, offset), end: lineEnd },
      };
      children.push(node);
    } else if (PROSE_LINE.test(line)) {
      if (open) {
        open.lines.push(line);
        open.end = lineEnd;
      } else {
        open = { start: point(lineNumber, 1, offset), lines: [line], end: lineEnd };
      }
    } else {
      return undefined;
    }
    offset += line.length + 1;
    lineNumber++;
  }
  closeParagraph();
  return {
    type: 'root',
    children,
    position: { start: point(1, 1, 0), end: point(lineNumber - 1, last.length + 1, text.length) },
  };
}

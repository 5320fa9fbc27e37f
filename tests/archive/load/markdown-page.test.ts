/**
 * Markdown pages read as documentation (issue 21): small hand-made pages, each with the trap a
 * real docs archive sets (a ::: tip container, a page that opens with <style>, a link whose text
 * matches the question, a code block beside the prose that answers in words).
 */
import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/index.js';
import { loadMarkdownReader, parseMarkdown } from '../../../src/archive/load/markdown.js';
import { renderExcerpt } from '../../../src/bot/answers/quote.js';

await loadMarkdownReader();

const context = { file: 'guide/page.md', maxTitleLength: 200 };
const page = (source: string) => parseMarkdown(source, context).documents[0]!;

/** Every piece of the layout is the source file's characters, cut by offsets. */
function expectPiecesVerbatim(source: string): void {
  const document = page(source);
  const pieces = document.layout!.pieces;
  expect(pieces.length).toBeGreaterThan(0);
  for (let i = 0; i < pieces.length; i += 3) {
    const [at, from, length] = [pieces[i]!, pieces[i + 1]!, pieces[i + 2]!];
    expect(document.text.slice(at, at + length)).toBe(source.slice(from, from + length));
  }
}

describe('a ::: tip page', () => {
  const source = '# Server\n\n## Port\n\n::: tip Heads up\nThe port is **5173** unless taken.\n:::\n\nMore text.\n';

  it('quotes the container content, labelled with its title, never the fence', () => {
    const document = page(source);
    expect(document.title).toBe('Server');
    expect(document.text).toBe('Heads up: The port is 5173 unless taken.\n\nMore text.');
    expect(document.layout!.sections).toEqual([{ headings: ['Port'], anchor: 'port' }]);
    expect(document.layout!.blocks.map((b) => b.section)).toEqual([0, 0]);
    expectPiecesVerbatim(source);
  });

  it('labels a container without a title by its type', () => {
    expect(page('# T\n\n::: warning\nCareful here.\n:::\n').text).toBe('Warning: Careful here.');
  });
});

describe('a page that opens with <style>', () => {
  const source =
    '<style scoped>\n.emoji-container {\n  display: flex;\n}\n</style>\n\n# Emoji\n\nUse <Badge type="tip" text="new"/> emoji.\n\n<div class="x">\nProse inside HTML.\n</div>\n';

  it('is titled by its first heading; no style, tag or component syntax reaches the text', () => {
    const document = page(source);
    expect(document.title).toBe('Emoji');
    expect(document.text).toBe('Use new emoji.\n\nProse inside HTML.');
    expectPiecesVerbatim(source);
  });

  it('a self-closing component shows the text of its attributes', () => {
    expect(page('# T\n\nSee <DocsLink path="class/Client?scrollTo=ready" />.\n').text).toBe('See Client.');
  });

  it('a symbol path shows as its site renders it, the kind left out, each piece verbatim', () => {
    const source = '# T\n\nUse <DocsLink path="GuildMember:Class#permissions" /> on a <DocsLink path="Client:Class"/>.\n';
    expect(page(source).text).toBe('Use GuildMember#permissions on a Client.');
    expectPiecesVerbatim(source);
  });

  it("a page's path (a slug) shows nothing: it is no text of the page, and no passage of its own", () => {
    const source = '# Command handling\n\nLoad each command file.\n\n<ResultingCode path="creating-your-bot/command-handling" />\n';
    expect(page(source).text).toBe('Load each command file.');
    const archive = Archive.fromDocuments([{ id: 'p', file: 'p.md', ...page(source) }]);
    expect(archive.search('command handling').hits.map((hit) => hit.text)).toEqual(['Load each command file.']);
  });
});

describe('a link with a match in its text', () => {
  const source =
    '# Shared Options\n\n## base\n\nSee the [base option](/config/shared-options.md#base) and [the guide](https://vite.dev/guide/) for `base` paths.\n';

  it('quotes the link text, marked, and the bot shows a masked link only for an absolute target', () => {
    const archive = Archive.fromDocuments([{ id: 'p', file: 'p.md', ...page(source) }]);
    const [hit] = archive.search('base option guide').hits;
    expect(hit?.excerpt.text).toBe('See the base option and the guide for base paths.');
    expect(hit?.section).toEqual({ headings: ['base'], anchor: 'base' });
    const shown = renderExcerpt(hit!.excerpt);
    // The highlight lands in the link's text, never in its syntax; relative links show as text.
    expect(shown).toBe('See the **base option** and [the **guide**](<https://vite.dev/guide/>) for **`base`** paths.');
  });
});

describe('a code question and a prose question on one page', () => {
  const source = [
    '# Commands',
    '',
    '## Cooldowns',
    '',
    'A cooldown stops a user from running a command again too soon; the default cooldown is three seconds.',
    '',
    '```ts',
    'command.setCooldown(5)',
    'command.setCooldown(10) // a longer cooldown',
    '```',
    '',
  ].join('\n');
  const archive = Archive.fromDocuments([{ id: 'c', file: 'c.md', ...page(source) }], { passages: { joinBelowChars: 0 } });

  it('a question in words is answered by the prose', () => {
    const [hit] = archive.search('what is the default cooldown').hits;
    expect(hit?.excerpt.code).toBeUndefined();
    expect(hit?.excerpt.text).toContain('the default cooldown is three seconds');
  });

  it('a question naming the API gets the code, as a code block in its language, whole lines', () => {
    const [hit] = archive.search('setCooldown example').hits;
    expect(hit?.excerpt).toMatchObject({ code: { language: 'ts' } });
    expect(renderExcerpt(hit!.excerpt)).toBe('```ts\ncommand.setCooldown(5)\ncommand.setCooldown(10) // a longer cooldown\n```');
  });

  it('"set cooldown" finds the identifier setCooldown', () => {
    const hits = archive.search('set cooldown code').hits;
    expect(hits.some((hit) => hit.excerpt.code !== undefined)).toBe(true);
  });
});

describe('a page quoted within a reply’s room', () => {
  const words = 'The dev server reloads the page when a module changes, unless the module accepts its own update. ';
  const source =
    `# Server\n\n## Reload\n\n${words.repeat(3)}Run \`vite --force\` to rebuild the cache, see ` +
    `[the dependency optimizer guide](https://vite.dev/guide/dep-pre-bundling.html#caching). ${words.repeat(3)}\n`;
  const archive = Archive.fromDocuments([{ id: 'r', file: 'r.md', ...page(source) }]);

  it('fits inline code and a masked link into the room as the bot renders them', async () => {
    const { DISCORD_QUOTE_COST } = await import('../../../src/bot/answers/quote.js');
    const hit = archive.search('how do I rebuild the cache with force', { limit: 1 }).hits[0]!;
    for (const room of [120, 160, 240]) {
      const shown = renderExcerpt(hit.excerptWithin({ maxChars: room, cost: DISCORD_QUOTE_COST }));
      expect(shown.length).toBeLessThanOrEqual(room);
      expect(shown).toContain('force');
      expect(shown).not.toMatch(/(^|[^\\])\*\*\*\*|\]\(https/);
    }
    const roomy = renderExcerpt(hit.excerptWithin({ maxChars: 240, cost: DISCORD_QUOTE_COST }));
    expect(roomy).toContain('**`vite --force`**');
    expect(roomy).toContain('](<https://vite.dev/guide/dep-pre-bundling.html#caching>)');
  });
});

describe('a twoslash code block', () => {
  const source =
    '# Glob\n\nImport every module of a folder at once with the glob function, as below.\n\n' +
    "```js twoslash\n// @filename: /foo.d.ts\nimport 'vite/client'\n// ---cut---\n\nconst modules = import.meta.glob('./dir/*.js')\n//    ^?\n```\n";

  it('shows what the docs site renders: no setup above the cut, no compiler flags or queries', () => {
    const document = page(source);
    expect(document.text).toContain("const modules = import.meta.glob('./dir/*.js')");
    expect(document.text).not.toMatch(/---cut---|@filename|vite\/client|\^\?/);
    expectPiecesVerbatim(source);
  });

  it('an ordinary block keeps every line, comments included', () => {
    const plain = '# P\n\nSome prose to open the page with.\n\n```js\n// ---cut---\nrun()\n```\n';
    expect(page(plain).text).toContain('// ---cut---\nrun()');
  });
});

describe('a short code block joined to the prose around it', () => {
  const source = [
    '# Partials',
    '',
    '## Enabling partials',
    '',
    '```js',
    "const { Client, Partials } = require('discord.js');",
    '',
    'const client = new Client({',
    '\tpartials: [Partials.Message],',
    '});',
    '```',
    '',
    '::: warning',
    'Enable every partial you need.',
    ':::',
    '',
  ].join('\n');

  it('shows the code as a code block in its language, indentation kept, between the prose around it', () => {
    const archive = Archive.fromDocuments([{ id: 'p', file: 'p.md', ...page(source) }]);
    const [hit] = archive.search('which partials to enable').hits;
    expect(hit!.text).toContain('const client');
    expect(hit!.text).toContain('Enable every partial');
    const code = hit!.excerpt.marks?.find((mark) => mark.block);
    expect(code?.block).toEqual({ language: 'js' });
    const shown = renderExcerpt(hit!.excerpt);
    expect(shown).toContain(
      "```js\nconst { Client, Partials } = require('discord.js');\n\nconst client = new Client({\n\tpartials: [Partials.Message],\n});\n```\n",
    );
    // The prose after it is prose again, its match in bold; no line of the code is inline code.
    expect(shown).toMatch(/```\n.*\*\*partial\*\*/s);
    expect(shown).not.toContain('`const');
  });

  it('fits the code block, fences and all, into the room as the bot renders it', async () => {
    const { DISCORD_QUOTE_COST } = await import('../../../src/bot/answers/quote.js');
    const archive = Archive.fromDocuments([{ id: 'p', file: 'p.md', ...page(source) }]);
    const [hit] = archive.search('which partials to enable').hits;
    for (const room of [60, 90, 120, 160, 200, 260]) {
      const shown = renderExcerpt(hit!.excerptWithin({ maxChars: room, cost: DISCORD_QUOTE_COST }));
      // As the reply shows it: each line of the quote behind "> " (the first line's is the caller's).
      const quoted = shown.split('\n').join('\n> ');
      expect(quoted.length).toBeLessThanOrEqual(room);
      // Fences come in pairs: a block is never left open.
      expect((shown.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });
});

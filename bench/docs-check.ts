/**
 * `npx tsx bench/docs-check.ts --dir=PATH [--questions=FILE] [--options=JSON] [--verbose]` — a
 * question set over a second documentation archive that is not in ../shared: by default the
 * discord.js guide (`bench/eval/djs-questions.json`; fetch github.com/discordjs/guide and pass its
 * `guide/` folder). Scored as the docs own set is (evidence in the first quote, answer passage in
 * the top 3, right page first, flags and honest replies). A check set: the whole of it is measured
 * only, never diagnosed for tuning; `--verbose` prints what each miss quoted, for defects of
 * reading or display (markup, a junk passage), not for weights.
 */
import { readFile } from 'node:fs/promises';
import { Archive, type ArchiveOptions } from '../src/archive/index.js';
import { projectRoot } from './paths.js';
import { pageFinder, type DocsQuestion } from './eval/docs-own.js';
import { emptyCounts, scoreAnswer } from './eval/kcna-own.js';
import { countMarkup, emptyMarkupCounts, shownQuote } from './eval/markup.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    return [key, value];
  }),
);
const dir = args.get('--dir');
if (!dir) throw new Error('bench: docs-check needs --dir=PATH, the archive the questions are about');
const file = args.get('--questions') || `${projectRoot}/bench/eval/djs-questions.json`;
const options = JSON.parse(args.get('--options') || '{}') as ArchiveOptions;

const { questions } = JSON.parse(await readFile(file, 'utf8')) as { questions: Array<Omit<DocsQuestion, 'split' | 'style'>> };
const archive = await Archive.load(dir, { ...options, cache: false });
const pageOf = pageFinder(archive.documents);
const counts = emptyCounts();
const markup = emptyMarkupCounts();
const collapse = (text: string) => text.toLowerCase().replace(/\s+/g, ' ');
for (const question of questions) {
  const response = archive.search(question.question, { limit: 10 });
  const hits = response.hits;
  for (const hit of hits.slice(0, 5)) countMarkup(markup, shownQuote(hit.excerpt), hit.document.title);
  const documents = [...new Set(hits.map((hit) => hit.document.id))];
  const flagged = (hits[0]?.missing.length ?? 0) > 0;
  const quote = hits[0]?.excerpt.text;
  const gold = pageOf(question as DocsQuestion);
  const held = scoreAnswer(counts, question, { documents, quote, passages: hits.slice(0, 3).map((hit) => hit.text), flagged }, gold);
  if (!args.has('--verbose') || held || (!question.answerable && (hits.length === 0 || flagged))) continue;
  const pageRank = documents.findIndex((id) => gold.has(id)) + 1;
  const passageRank = hits.findIndex((hit) => question.evidence.some((e) => collapse(hit.text).includes(collapse(e)))) + 1;
  console.log(`\n## ${question.id} [${question.kind}] ${question.question}`);
  console.log(`   evidence: ${question.evidence.map((e) => JSON.stringify(e)).join(' | ') || '(absent)'}  page: ${question.page}`);
  console.log(
    `   page rank ${pageRank || '>10'}; evidence passage rank ${passageRank || '>10'}; missing ${JSON.stringify(hits[0]?.missing ?? [])}`,
  );
  console.log(`   quote: ${JSON.stringify(quote ?? `(empty: ${response.emptyReason})`)}`);
}
const n = counts.answerable;
const share = (x: number, of: number) => `${(x / Math.max(1, of)).toFixed(3)} (${x}/${of})`;
console.log(
  `\n${questions.length} questions over ${dir}: evidence-in-excerpt@1 ${share(counts.eie1, n)}, passage in top 3 ${share(counts.passage3, n)}, ` +
    `right page first ${share(counts.article1, n)}, answerable flagged or empty ${share(counts.flagged, n)}, ` +
    `absent answered honestly ${share(counts.honest, counts.absent)}, quotes with raw markup ${markup.quotesWithMarkup} of ${markup.quotes}, ` +
    `titles ${markup.titlesWithMarkup} of ${markup.titles}`,
);

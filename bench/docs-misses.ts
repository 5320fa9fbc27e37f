/**
 * `npx tsx bench/docs-misses.ts [--options=JSON] [--kind=K]` — the TUNE half's misses of our engine
 * on the docs own set, for diagnosis: the question, its evidence, its page, and what we quoted.
 * The held-out half is never printed here (it is only ever measured, by `npm run bench`).
 */
import { Archive } from '../src/archive/index.js';
import { missesArgs } from './misses-args.js';
import { DOCS_DIR } from './data/docs.js';
import { loadDocsQuestions, pageFinder } from './eval/docs-own.js';
import { emptyCounts, scoreAnswer } from './eval/kcna-own.js';

const { options, kind } = missesArgs();

const archive = await Archive.load(DOCS_DIR, { ...options, cache: false });
const pageOf = pageFinder(archive.documents);
const counts = emptyCounts();
for (const question of await loadDocsQuestions()) {
  if (question.split !== 'tune' || (kind && question.kind !== kind)) continue;
  const response = archive.search(question.question, { limit: 10 });
  const hits = response.hits;
  const ids = [...new Set(hits.map((hit) => hit.document.id))];
  const quote = hits[0]?.excerpt.text;
  const gold = pageOf(question);
  const flagged = (hits[0]?.missing.length ?? 0) > 0;
  const held = scoreAnswer(counts, question, { documents: ids, quote, passages: hits.slice(0, 3).map((h) => h.text), flagged }, gold);
  if (held || (!question.answerable && (hits.length === 0 || flagged))) continue;
  console.log(`\n## ${question.id} [${question.kind}/${question.style}] ${question.question}`);
  console.log(`   evidence: ${question.evidence.map((e) => JSON.stringify(e)).join(' | ') || '(absent)'}  page: ${question.page}`);
  if (!hits.length) {
    console.log(`   EMPTY (${response.emptyReason ?? '?'})`);
    continue;
  }
  const pageRank = ids.findIndex((id) => gold.has(id)) + 1;
  const passageRank = hits.findIndex((hit) => question.evidence.some((e) => hit.text.toLowerCase().includes(e.toLowerCase()))) + 1;
  console.log(
    `   page rank ${pageRank || '>10'} (first: ${hits[0]!.document.file}); evidence passage rank ${passageRank || '>10'}; missing ${JSON.stringify(hits[0]!.missing)}`,
  );
  console.log(`   quote: ${JSON.stringify(quote)}`);
  if (passageRank > 1) console.log(`   answer: ${JSON.stringify(hits[passageRank - 1]!.text.slice(0, 300))}`);
}
const n = counts.answerable;
console.log(
  `\ntune: evidence-in-excerpt@1 ${(counts.eie1 / n).toFixed(3)}, passage in top 3 ${(counts.passage3 / n).toFixed(3)}, ` +
    `page first ${(counts.article1 / n).toFixed(3)}, flagged ${counts.flagged}/${n}, honest ${counts.honest}/${counts.absent}`,
);

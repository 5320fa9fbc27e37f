/**
 * `npx tsx bench/kcna-misses.ts [--options=JSON] [--kind=when]` — the TUNE half's misses of our
 * engine on the KCNA own set, for diagnosis: the question, its evidence, and what we quoted.
 * The held-out half is never printed here (it is only ever measured, by `npm run bench`).
 */
import { Archive } from '../src/archive/index.js';
import { missesArgs } from './misses-args.js';
import { loadKcna } from './data/kcna.js';
import { emptyCounts, goldFinder, loadKcnaQuestions, scoreAnswer } from './eval/kcna-own.js';

const { options, kind } = missesArgs();

const documents = await loadKcna();
const archive = Archive.fromDocuments(documents, options);
const goldOf = goldFinder(documents);
const counts = emptyCounts();
for (const question of await loadKcnaQuestions()) {
  if (question.split !== 'tune' || (kind && question.kind !== kind)) continue;
  const response = archive.search(question.question, { limit: 10 });
  const hits = response.hits;
  const ids = [...new Set(hits.map((hit) => hit.document.id))];
  const quote = hits[0]?.excerpt.text;
  const gold = goldOf(question);
  const held = scoreAnswer(counts, question, { documents: ids, quote, passages: hits.slice(0, 3).map((h) => h.text) }, gold);
  const honest = !question.answerable && hits.length === 0;
  if (held || honest) continue;
  const articleFirst = ids[0] !== undefined && gold.has(ids[0]);
  const goldRank = ids.findIndex((id) => gold.has(id)) + 1;
  console.log(`\n## ${question.id} [${question.kind}/${question.style}] ${question.question}`);
  console.log(`   evidence: ${question.evidence.map((e) => JSON.stringify(e)).join(' | ') || '(absent)'}`);
  if (response.corrections?.length) console.log(`   corrections: ${JSON.stringify(response.corrections)}`);
  if (!hits.length) {
    console.log(`   EMPTY (${response.emptyReason ?? '?'})`);
    continue;
  }
  console.log(`   article first: ${articleFirst ? 'yes' : `no (gold rank ${goldRank || '>10'}: ${hits[0]!.document.title})`}`);
  const passageRank = hits.findIndex((hit) => question.evidence.some((e) => hit.text.toLowerCase().includes(e.toLowerCase()))) + 1;
  console.log(`   evidence passage rank: ${passageRank || '>10'}; first hit passage #${hits[0]!.passage.position}`);
  console.log(`   quote: ${quote}`);
}
const n = counts.answerable;
console.log(
  `\ntune: evidence-in-excerpt@1 ${(counts.eie1 / n).toFixed(3)}, passage in top 3 ${(counts.passage3 / n).toFixed(3)}, ` +
    `article first ${(counts.article1 / n).toFixed(3)}, honest empty ${counts.honestEmpty}/${counts.absent}, false empty ${counts.falseEmpty}/${n}`,
);

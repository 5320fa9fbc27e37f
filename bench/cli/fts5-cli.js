/**
 * `node bench/cli/fts5-cli.js DIR < questions.txt` — SQLite FTS5 doing the CLI's job, as the peer of
 * `archivist ask --json --batch --data DIR` in `npm run bench -- cli`: read every Markdown file in
 * DIR (`# title`, blank line, text), index them in an in-memory FTS5 table (`porter unicode61`),
 * then answer one question per stdin line with one JSON line: the top 3 by `bm25()`, each with its
 * title, a `snippet()` excerpt and its whole text (what our JSON answer carries too).
 *
 * Plain JavaScript on purpose: it starts as `node` alone, without tsx compiling anything, so the
 * peer pays no start-up cost that is ours. Questions are its content words, each quoted, OR-ed, as
 * bench/peers/sqlite.ts asks (the same stop list: FTS5 has none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { URL } from 'node:url';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/cli/fts5-cli.js DIR < questions');
const stopWords = new Set(JSON.parse(readFileSync(new URL('../peers/stop-words.json', import.meta.url), 'utf8')));
const WORD = /[\p{L}\p{N}]+/gu;

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize = 'porter unicode61')`);
const insert = db.prepare('INSERT INTO docs (id, title, text) VALUES (?, ?, ?)');
db.transaction(() => {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md')) continue;
    const content = readFileSync(path.join(dir, name), 'utf8');
    const heading = /^# (.*)\n/.exec(content);
    insert.run(name, heading?.[1] ?? name, heading ? content.slice(heading[0].length).trim() : content);
  }
})();
const select = db.prepare(
  `SELECT id, title, snippet(docs, 2, '', '', '…', 48) AS excerpt, text, bm25(docs) AS score FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 3`,
);

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const words = [...new Set(line.toLowerCase().match(WORD) ?? [])].filter((w) => !stopWords.has(w));
  const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
  const results = match ? select.all(match) : [];
  process.stdout.write(`${JSON.stringify({ query: line, results, total: results.length })}\n`);
}

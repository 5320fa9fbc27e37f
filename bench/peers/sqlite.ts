/**
 * SQLite FTS5 (through better-sqlite3, in memory) with the Porter tokenizer and
 * `bm25()` ranking. A question becomes its content words, each quoted, OR-ed:
 * FTS5 has no stop-word list, so the shared English stop words are dropped from
 * the query (never from the index).
 */
import Database from 'better-sqlite3';
import type { SearchSystem } from '../types.js';
import { contentWords } from './analysis.js';

/** `"a" OR "b"`: each word quoted (inner quotes doubled) so FTS5 syntax in a question is inert. */
export function ftsQuery(question: string): string {
  const words = [...new Set(contentWords(question))];
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
}

export function createSqlite(): SearchSystem {
  let db: Database.Database | undefined;
  let select: Database.Statement<[string, number], { id: string }> | undefined;
  return {
    name: 'SQLite FTS5',
    build(documents) {
      db = new Database(':memory:');
      db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize = 'porter unicode61')`);
      const insert = db.prepare('INSERT INTO docs (id, title, text) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const d of documents) insert.run(d.id, d.title, d.text);
      })();
      select = db.prepare('SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?');
    },
    search(query, k) {
      if (!select) throw new Error('bench: SQLite FTS5 searched before build');
      const match = ftsQuery(query);
      return match ? select.all(match, k).map((row) => row.id) : [];
    },
  };
}

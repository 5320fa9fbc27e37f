/**
 * Cranfield 1400 in SMART format. The trap (../shared/eval/README.md): cran.qry
 * prints query numbers 001–365 with gaps, while cranqrel numbers the queries
 * 1–225 by their position in cran.qry. Rows graded -1 are not judgements.
 */
import { readFile } from 'node:fs/promises';
import { sharedPath } from '../paths.js';
import type { BenchDocument, CranfieldQuery } from '../types.js';

export const CRANFIELD_DIR = sharedPath('eval/cranfield');

/** SMART records: `.I id` starts a record, `.X` lines start its fields. */
export function parseSmart(text: string): Array<{ id: string; fields: Record<string, string> }> {
  const records: Array<{ id: string; fields: Record<string, string> }> = [];
  let field: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const marker = /^\.([A-Z])(?:\s+(.*))?$/.exec(line);
    if (marker) {
      if (marker[1] === 'I') {
        records.push({ id: (marker[2] ?? '').trim(), fields: {} });
        field = undefined;
      } else {
        field = marker[1]!;
        const record = records.at(-1);
        if (record) record.fields[field] = record.fields[field] ?? '';
      }
      continue;
    }
    const record = records.at(-1);
    if (record && field) record.fields[field] += (record.fields[field] ? '\n' : '') + line;
  }
  for (const record of records) {
    for (const key of Object.keys(record.fields)) record.fields[key] = record.fields[key]!.trim();
  }
  return records;
}

/** The 1,400 documents: title from `.T`, text from `.W`, id = the `.I` number without leading zeros. */
export function parseCranfieldDocuments(text: string): BenchDocument[] {
  return parseSmart(text).map(({ id, fields }) => ({
    id: String(Number(id)),
    title: fields.T ?? '',
    text: fields.W ?? '',
    file: 'cran.all.1400',
  }));
}

/**
 * Queries numbered by position (1-based), which is how cranqrel refers to them;
 * judgements attached from the qrels text. Rows graded -1 (or outside 1..4) are
 * skipped; a pair judged twice keeps its best (lowest) grade.
 */
export function parseCranfieldQueries(qryText: string, qrelText: string): CranfieldQuery[] {
  const queries: CranfieldQuery[] = parseSmart(qryText).map(({ id, fields }, i) => ({
    number: i + 1,
    printedId: id,
    text: (fields.W ?? '').replace(/\s+/g, ' ').trim(),
    grades: new Map(),
  }));
  for (const line of qrelText.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3) continue;
    const [q, doc, g] = parts.map(Number) as [number, number, number];
    if (!Number.isInteger(q) || !Number.isInteger(doc) || !(g >= 1 && g <= 4)) continue;
    const query = queries[q - 1];
    if (!query) throw new Error(`cranfield: qrels name query ${q}, but cran.qry has ${queries.length} queries`);
    const previous = query.grades.get(String(doc));
    query.grades.set(String(doc), previous === undefined ? g : Math.min(previous, g));
  }
  return queries;
}

export interface CranfieldSet {
  documents: BenchDocument[];
  queries: CranfieldQuery[];
}

export async function loadCranfield(dir = CRANFIELD_DIR): Promise<CranfieldSet> {
  const [all, qry, qrel] = await Promise.all(['cran.all.1400', 'cran.qry', 'cranqrel'].map((name) => readFile(`${dir}/${name}`, 'utf8')));
  return { documents: parseCranfieldDocuments(all!), queries: parseCranfieldQueries(qry!, qrel!) };
}

/**
 * A hand-built index of three passages in two documents, analysed by hand (every word is its own
 * term; "the", "at", "for", "of" are stop words), so index and ranking tests do not depend on
 * wink-nlp's analysis:
 *
 *   doc 0 "Rocket report"  p0 "the rocket launch at the spaceport"
 *                          p1 "rocket rocket rocket engines"
 *   doc 1 "Summit news"    p2 "leaders met at the spaceport for the summit"
 */
import type { AnalyzedToken, Span } from '../../src/archive/analysis/analyze.js';
import { IndexBuilder } from '../../src/archive/postings/builder.js';
import type { InvertedIndex } from '../../src/archive/postings/inverted-index.js';

const STOP_WORDS = new Set(['the', 'at', 'for', 'of']);

/** Tokens of `text` (words split at single spaces), with offsets shifted by `offset`. */
export function handTokens(text: string, offset = 0): AnalyzedToken[] {
  const tokens: AnalyzedToken[] = [];
  let at = 0;
  for (const word of text.split(' ')) {
    tokens.push({ start: offset + at, end: offset + at + word.length, terms: STOP_WORDS.has(word) ? [] : [word] });
    at += word.length + 1;
  }
  return tokens;
}

export const DOCUMENTS = [
  { title: 'Rocket report', passages: ['the rocket launch at the spaceport', 'rocket rocket rocket engines'] },
  { title: 'Summit news', passages: ['leaders met at the spaceport for the summit'] },
];

export function threePassageIndex(): InvertedIndex {
  const builder = new IndexBuilder();
  for (const document of DOCUMENTS) {
    builder.addDocument(handTokens(document.title.toLowerCase()));
    // The document's text is its passages joined by a blank line; offsets point into it.
    const text = document.passages.join('\n\n');
    let offset = 0;
    for (const passage of document.passages) {
      const sentence: Span = { start: offset, end: offset + passage.length };
      builder.addPassage(handTokens(passage, offset), [sentence], text);
      offset += passage.length + 2;
    }
  }
  return builder.build();
}

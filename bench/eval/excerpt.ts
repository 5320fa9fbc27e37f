/**
 * The one rule that cuts a quote for every peer library, so their
 * answer-in-excerpt@1 figures are comparable (our engine quotes with its own
 * excerpts). Candidates are windows of consecutive sentences of the top passage
 * that fit in `maxChars`; the window that covers the most distinct query stems
 * wins, ties go to the earlier window. A sentence longer than `maxChars` on its
 * own yields word-aligned windows inside it.
 */
import { stemSet } from '../peers/analysis.js';

/** The protocol's excerpt cap. */
export const MAX_EXCERPT_CHARS = 350;

interface Span {
  start: number;
  end: number;
}

/** Sentence spans: a sentence ends at . ! ? (plus closing quotes/brackets) before whitespace, or at a line break. */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const push = (from: number, to: number) => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) spans.push({ start: from, end: to });
  };
  let start = 0;
  for (const match of text.matchAll(/[.!?]+["'”’)\]]*(?=\s|$)|\n/g)) {
    const end = match.index + match[0].length;
    push(start, end);
    start = end;
  }
  push(start, text.length);
  return spans;
}

/** Word start offsets inside a span. */
function wordStarts(text: string, span: Span): number[] {
  const starts: number[] = [];
  const re = /\S+/g;
  re.lastIndex = span.start;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m.index < span.end) starts.push(m.index);
  return starts;
}

/** Last word end at or before `limit` inside [from, limit], or undefined when the first word is too long. */
function lastWordEnd(text: string, from: number, limit: number): number | undefined {
  let end: number | undefined;
  const re = /\S+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const wordEnd = m.index + m[0].length;
    if (wordEnd > limit) break;
    end = wordEnd;
  }
  return end;
}

/** Candidate windows in text order. */
export function candidateWindows(text: string, maxChars = MAX_EXCERPT_CHARS): Span[] {
  const sentences = sentenceSpans(text);
  const windows: Span[] = [];
  sentences.forEach((sentence, i) => {
    if (sentence.end - sentence.start > maxChars) {
      // An over-long sentence: word-aligned windows starting at each of its words.
      for (const start of wordStarts(text, sentence)) {
        const end = lastWordEnd(text, start, Math.min(start + maxChars, sentence.end));
        windows.push({ start, end: end ?? start + maxChars });
        if (sentence.end - start <= maxChars) break;
      }
      return;
    }
    let j = i;
    while (j + 1 < sentences.length && sentences[j + 1]!.end - sentence.start <= maxChars) j++;
    windows.push({ start: sentence.start, end: sentences[j]!.end });
  });
  return windows;
}

/** The shared quote for a peer's top passage. */
export function sharedExcerpt(passage: string, query: string, maxChars = MAX_EXCERPT_CHARS): string {
  const wanted = stemSet(query);
  let best: Span | undefined;
  let bestScore = -1;
  for (const window of candidateWindows(passage, maxChars)) {
    const covered = stemSet(passage.slice(window.start, window.end));
    let score = 0;
    for (const stem of wanted) if (covered.has(stem)) score++;
    if (score > bestScore) {
      best = window;
      bestScore = score;
    }
  }
  return best ? passage.slice(best.start, best.end) : passage.slice(0, maxChars);
}

/**
 * Ranking: a question's terms → scored passages → the few worth quoting.
 *
 * Score = BM25F over the passage body, its document's title (weighted by `titleWeight`) and its
 * document's lead (weighted by `leadWeight`, shared by the passages after it), scaled by
 * coordination, plus a bonus for the question's words found together in one sentence (more for a
 * sentence that also holds the kind of answer asked for: a number, a date, a name).
 *
 * Thin-match rule: each question term weighs its idf (a word the archive has never
 * seen weighs as much as the rarest word it has). A passage is an answer only when
 * the terms it matches carry at least `minCoverage` of the weight of the question's
 * `coverageTerms` heaviest terms (long questions carry incidental words that should not
 * raise the bar). So "Kim Jong Un's hobbies" does not come back with any passage naming
 * Kim when no passage mentions hobbies, while a question whose distinctive words match does.
 *
 * Coordination: among qualifying passages, score is scaled by the share of all the
 * question's weight matched, so covering more of the question beats repeating one word.
 *
 * Diversity: no document gets more than `maxPerDocument` of the leading results while
 * passages from other documents qualify; its further passages follow after them.
 */
import type { QueryAnalysis } from '../analysis/analyze.js';
import {
  ANSWER_KIND_BOOST,
  CODE_WEIGHT,
  COORDINATION,
  COVERAGE_TERMS,
  LEAD_WEIGHT,
  MIN_SHARE_WITH_UNKNOWN,
  MAX_PER_DOCUMENT,
  MIN_COVERAGE,
  QUESTION_TERMS_MAX,
  SENTENCE_POOL,
  SECTION_WEIGHT,
  SENTENCE_WEIGHT,
  TITLE_WEIGHT,
  SPECIFICITY_WEIGHT,
  ANSWER_SLOT_PENALTY,
} from '../defaults.js';
import { DEFAULT_BM25, inverseDocumentFrequency, lengthNormalization, normalizedFrequency, saturate, type Bm25Params } from './bm25.js';
import { NO_TERM, PASSAGE_CODE, type InvertedIndex } from '../postings/inverted-index.js';
import { ANSWER_DATE, ANSWER_NUMBER, nameKindsAt, TEXT_KINDS, termAnswerKinds } from '../analysis/answer-kind.js';

export interface RankingOptions {
  /** BM25 parameters for passage bodies. @defaultValue DEFAULT_BM25 */
  bm25?: Bm25Params;
  /** BM25F weight of the document-title field relative to the passage body. @defaultValue 2 */
  titleWeight?: number;
  /**
   * BM25F weight of the document's lead (its first passage) as a field shared by the document's
   * other passages. A news lead restates the headline and the question's context; as a field of
   * every passage it is context, not a rival, so the passage with the asked-for detail wins,
   * while the lead stays a passage of its own (quotable when it is the answer). 0 disables.
   * Only a lead of one or two sentences in a document of three passages or more counts.
   * @defaultValue {@link LEAD_WEIGHT}
   */
  leadWeight?: number;
  /**
   * BM25F weight of a page passage's section headings (the path below the page title) as a field
   * of the passage, the way the title is a field of all of a document's passages.
   * @defaultValue {@link SECTION_WEIGHT}
   */
  sectionWeight?: number;
  /**
   * A page's code passage scores this times its score unless the question asks for code (names an
   * API, asks for an example): a question asked in words is answered in words. 1 disables.
   * @defaultValue {@link CODE_WEIGHT}
   */
  codeWeight?: number;
  /**
   * Share of the question's idf weight a passage must match to count as an answer.
   * The weight is that of the `coverageTerms` heaviest terms. @defaultValue 0.4
   */
  minCoverage?: number;
  /**
   * When the question holds words the archive has never seen (they are left out of the coverage
   * bar), the share of the whole question's idf weight a passage must match. @defaultValue 0.3
   */
  minShareWithUnknown?: number;
  /** How many of the question's heaviest terms set the coverage bar. @defaultValue 3 */
  coverageTerms?: number;
  /** Leading results one document may take while others also match. @defaultValue 2 */
  maxPerDocument?: number;
  /**
   * Coordination: the score is multiplied by coverage^coordination, so a passage that
   * holds more of the question's weight beats one that repeats a single word. 0 disables.
   * @defaultValue 0.5
   */
  coordination?: number;
  /**
   * Bonus for the idf weight of the question terms found together in one sentence: a
   * question is usually answered by one sentence that holds most of its words. @defaultValue 0.5
   */
  sentenceWeight?: number;
  /**
   * How much more a sentence counts in the sentence bonus when it also holds a word of the kind
   * the question asks for (a number for "how many", a date for "when", a name for "who"/"where"):
   * its question weight is multiplied by 1 + this. Bounded so it never outweighs the question's
   * own words by much. 0 disables. @defaultValue 0.3
   */
  answerKindBoost?: number;
  /**
   * In-document term specificity: within a document, its passages are ordered again with a bonus
   * of this times the weight of the question words each holds, each scaled by the share of the
   * document's passages that lack it. A word in every paragraph identifies the article, not the
   * paragraph; the paragraph with the question's rarer words (within that article) is the answer.
   * The document's place among others is kept: its passages trade scores. 0 disables.
   * @defaultValue {@link SPECIFICITY_WEIGHT}
   */
  specificity?: number;
  /** Add the specificity bonus to the scores instead of only reordering within documents (an experiment). @defaultValue false */
  specificityAcross?: boolean;
  /**
   * Typed answer slot: within a document, a passage whose richest sentence lacks a word of the
   * kind asked for (a date for "when", a number for "how many", a name for "who") scores
   * 1 − this times as much when its passages are ordered again. 0 disables.
   * @defaultValue {@link ANSWER_SLOT_PENALTY}
   */
  answerSlot?: number;
  /**
   * Skip reading in full the postings of question terms that cannot make a passage qualify on
   * their own (see {@link nonEssentialTerms}), and make no candidate of a qualifying passage scored
   * below the worst of the pool the sentence bonus is computed for (it is only counted for
   * `total`): the answers, their scores and `total` are the same to the bit either way; false
   * reads every posting and makes every qualifying passage a candidate (the reference the tests
   * compare against). @defaultValue true
   */
  prune?: boolean;
}

const DEFAULT_RANKING: Required<RankingOptions> = {
  specificity: SPECIFICITY_WEIGHT,
  specificityAcross: false,
  answerSlot: ANSWER_SLOT_PENALTY,
  bm25: DEFAULT_BM25,
  titleWeight: TITLE_WEIGHT,
  sectionWeight: SECTION_WEIGHT,
  codeWeight: CODE_WEIGHT,
  leadWeight: LEAD_WEIGHT,
  minCoverage: MIN_COVERAGE,
  minShareWithUnknown: MIN_SHARE_WITH_UNKNOWN,
  coverageTerms: COVERAGE_TERMS,
  maxPerDocument: MAX_PER_DOCUMENT,
  coordination: COORDINATION,
  sentenceWeight: SENTENCE_WEIGHT,
  answerKindBoost: ANSWER_KIND_BOOST,
  prune: true,
};

export interface RankedPassage {
  passage: number;
  score: number;
}

export interface Ranking {
  /** The requested slice of the ranked list. */
  ranked: RankedPassage[];
  /**
   * No passage holds the question's quoted words in that order, so they were searched apart: a
   * pasted error message with its paths or values elided ("file:///...") is still found.
   */
  phrasesRelaxed?: boolean;
  /** All passages that qualified, for paging. */
  total: number;
  /** idf weight of each question term (unknown terms included), for excerpts and reports. */
  termWeights: Map<string, number>;
  /** `filtered`: passages matched, but `acceptDocument` refused every one of them. */
  emptyReason?: 'no-terms' | 'no-match' | 'too-thin' | 'filtered';
  /** Postings read: every entry of a list read in full, and one per passage looked up in a skipped term's lists (a measure of work). */
  postingsRead: number;
}

/** A term added to the question (not typed by the asker): it scores at `boost` × its idf and counts for no coverage. */
export interface AddedTerm {
  term: string;
  boost: number;
}

export interface RankRequest {
  /** The question's terms (and quoted phrases) as ranked, and terms added to them (feedback). */
  query: Pick<QueryAnalysis, 'terms' | 'phrases'> & { added?: AddedTerm[] };
  /** ANSWER_* bits: the kinds of answer the question asks for. @defaultValue 0 */
  answerKinds?: number;
  /** The question asks for code (an API name, an example): code passages are not weighted down. @defaultValue false */
  asksForCode?: boolean;
  /** A document's text, to tell names by their capitals (without it, "who"/"where" get no bonus). */
  documentText?: (document: number) => string;
  /** Keep only passages of documents this accepts; undefined keeps all. */
  acceptDocument?: (document: number) => boolean;
  offset: number;
  limit: number;
}

/** Documents with fewer passages have no lead worth sharing (a split paragraph's first half is no lead). */
const LEAD_MIN_PASSAGES = 3;
/** A lead is an opening of a sentence or two (a news lead); a long first paragraph is a passage like any other. */
const LEAD_MAX_SENTENCES = 2;

// The coverage bitmask holds QUESTION_TERMS_MAX terms; longer questions still score every term,
// and the terms past it simply count as matched for coverage (they cannot tip it to "thin").
const MAX_MASKED_TERMS = QUESTION_TERMS_MAX;

/** Scratch buffers reused across queries: allocating them per query costs more than scoring. */
interface Scratch {
  scores: Float64Array;
  masks: Uint32Array;
  touched: Uint32Array;
  /** A term's weighted, normalised title frequency for each passage of a matching document. */
  titleParts: Float64Array;
  titledPassages: Uint32Array;
  /** With skipped terms: the passages the other terms reach, and a flag per passage for collecting them once. */
  reached: Uint32Array;
  isReached: Uint8Array;
  /** The question's terms as bits by term id (see {@link questionTerms}); zero between questions. */
  termBits?: Uint32Array;
}
const scratchByIndex = new WeakMap<InvertedIndex, Scratch>();

function scratchFor(index: InvertedIndex): Scratch {
  let scratch = scratchByIndex.get(index);
  if (!scratch) {
    const n = index.passageCount;
    scratch = {
      scores: new Float64Array(n),
      masks: new Uint32Array(n),
      touched: new Uint32Array(n),
      titleParts: new Float64Array(n),
      // Each passage can be listed once for its title and once for its document's lead.
      titledPassages: new Uint32Array(2 * n),
      reached: new Uint32Array(n),
      isReached: new Uint8Array(n),
    };
    scratchByIndex.set(index, scratch);
  }
  return scratch;
}

/**
 * What the scoring loop asks of every posting's passage, worked out once per index (and BM25 `b`):
 * whether it is a lead shared with its document's later passages, and its body's BM25 length
 * normalisation. Asked per posting, these were four more reads of per-document arrays and a
 * division's operands; at a million passages the loop over postings is most of a search. The norm
 * is the same lengthNormalization normalizedFrequency divides by, so scores are unchanged to the bit.
 */
interface PassageFacts {
  b: number;
  /** 1 for a lead whose share reaches its document's later passages. */
  lead: Uint8Array;
  /** `1 - b + b × length / average length` of each passage's body. */
  bodyNorm: Float64Array;
}
const passageFactsByIndex = new WeakMap<InvertedIndex, PassageFacts>();

function passageFactsFor(index: InvertedIndex, b: number): PassageFacts {
  let facts = passageFactsByIndex.get(index);
  if (!facts || facts.b !== b) {
    const data = index.data;
    const n = index.passageCount;
    const lead = new Uint8Array(n);
    const bodyNorm = new Float64Array(n);
    const average = index.averagePassageLength;
    for (let passage = 0; passage < n; passage++) {
      const document = data.passageDocument[passage]!;
      lead[passage] =
        data.documentPassageCount[document]! >= LEAD_MIN_PASSAGES &&
        data.documentFirstPassage[document] === passage &&
        data.sentenceStart[passage + 1]! - data.sentenceStart[passage]! <= 2 * LEAD_MAX_SENTENCES
          ? 1
          : 0;
      bodyNorm[passage] = lengthNormalization(data.passageLength[passage]!, average, b);
    }
    facts = { b, lead, bodyNorm };
    passageFactsByIndex.set(index, facts);
  }
  return facts;
}

export function rankPassages(index: InvertedIndex, request: RankRequest, options: RankingOptions = {}): Ranking {
  const settings = { ...DEFAULT_RANKING, ...options };
  const { query, acceptDocument, offset, limit } = request;
  const passageCount = index.passageCount;
  const termWeights = new Map<string, number>();
  if (query.terms.length === 0) return { ranked: [], total: 0, termWeights, emptyReason: 'no-terms', postingsRead: 0 };

  const termIds = query.terms.map((term) => index.termIds.get(term) ?? -1);
  query.terms.forEach((term, i) => {
    const id = termIds[i]!;
    termWeights.set(term, inverseDocumentFrequency(id < 0 ? 0 : index.passageFrequency(id), passageCount));
  });
  // Added terms (pseudo-relevance feedback) score at their boost, and count for no coverage.
  const added = query.added ?? [];
  const boostOf = new Map(added.map((a) => [a.term, a.boost]));
  const weights = query.terms.map((term) => termWeights.get(term)! * (boostOf.get(term) ?? 1));
  for (const { term, boost } of added) {
    if (termWeights.has(term)) continue;
    const id = index.termIds.get(term) ?? -1;
    termIds.push(id);
    weights.push(boost * inverseDocumentFrequency(id < 0 ? 0 : index.passageFrequency(id), passageCount));
  }
  // The weights coverage is measured in: the question's own terms only (the excerpt sees only these too).
  const coverWeights = weights.map((weight, q) => (q < query.terms.length ? weight : 0));
  const totalWeight = coverWeights.reduce((sum, w) => sum + w, 0);
  // Long questions carry many incidental words: the thin-match bar is set by the heaviest few terms.
  let unknownWeight = 0;
  termIds.forEach((id, q) => {
    if (id < 0) unknownWeight += coverWeights[q]!;
  });
  // Words the archive lacks cannot be matched: they are left out of the bar (the share rule below covers them).
  const barWeight = coverWeights
    .filter((_, q) => termIds[q]! >= 0)
    .sort((x, y) => y - x)
    .slice(0, settings.coverageTerms)
    .reduce((sum, w) => sum + w, 0);

  const { scores, masks, touched, titleParts, titledPassages } = scratchFor(index);
  let touchedCount = 0;
  const data = index.data;
  const bm25 = settings.bm25;

  // BM25F: a term's title and body frequencies are combined (each length-normalised, the title
  // weighted) before saturation, so a word that is already in the title adds little by repeating
  // in the body, and the passages of one article compete on the words the title does not hold.
  const averageTitle = index.averageTitleLength;
  const averageSection = index.averageSectionLength;
  // Code is weighted down unless asked for; a factor of 1 leaves every score as it was.
  const codeFactor = request.asksForCode ? 1 : settings.codeWeight;
  const facts = passageFactsFor(index, bm25.b);
  const { lead, bodyNorm } = facts;
  const skipped = settings.prune ? nonEssentialTerms(index, termIds, coverWeights, settings.minCoverage * barWeight) : undefined;
  const scratch = scratchFor(index);
  let postingsRead = 0;
  let reachedCount = 0;
  if (skipped) {
    reachedCount = reachEssential(index, termIds, skipped, settings, facts, scratch);
    scratch.reached.subarray(0, reachedCount).sort();
  }
  for (let q = 0; q < termIds.length; q++) {
    const id = termIds[q]!;
    if (id < 0) continue;
    const weight = weights[q]!;
    const bit = q < MAX_MASKED_TERMS ? 1 << q : 0;
    if (skipped?.[q]) {
      // Only the passages the other terms reach can qualify: look this term up in each of them.
      postingsRead += reachedCount;
      touchedCount = scoreByLookup(index, id, weight, bit, settings, facts, scratch, reachedCount, touchedCount);
      continue;
    }
    postingsRead += data.postingStart[id + 1]! - data.postingStart[id]!;
    let titled = 0;
    if (settings.titleWeight > 0) {
      const titles = index.titlePostings(id);
      for (let i = 0, end = titles.targets.length; i < end; i++) {
        const document = titles.targets[i]!;
        const part = settings.titleWeight * normalizedFrequency(titles.frequencies[i]!, data.titleLength[document]!, averageTitle, bm25);
        const first = data.documentFirstPassage[document]!;
        for (let p = first, last = first + data.documentPassageCount[document]!; p < last; p++) {
          titleParts[p] = part;
          titledPassages[titled++] = p;
        }
      }
    }
    if (settings.sectionWeight > 0) {
      // A page passage's section headings: a field of that passage alone.
      const sections = index.sectionPostings(id);
      for (let i = 0, end = sections.targets.length; i < end; i++) {
        const passage = sections.targets[i]!;
        const part =
          settings.sectionWeight * normalizedFrequency(sections.frequencies[i]!, data.sectionLength[passage]!, averageSection, bm25);
        if (titleParts[passage] === 0) titledPassages[titled++] = passage;
        titleParts[passage]! += part;
      }
    }
    const body = index.bodyPostings(id);
    for (let i = 0, end = body.targets.length; i < end; i++) {
      const passage = body.targets[i]!;
      // normalizedFrequency of the body, its lengthNormalization precomputed.
      const bodyFrequency = body.frequencies[i]! / bodyNorm[passage]!;
      if (settings.leadWeight > 0 && lead[passage] === 1) {
        // A lead's postings come before its document's later passages (postings ascend by passage),
        // so its share reaches them before their own postings are read.
        const count = data.documentPassageCount[data.passageDocument[passage]!]!;
        const part = settings.leadWeight * bodyFrequency;
        for (let p = passage + 1, last = passage + count; p < last; p++) {
          if (titleParts[p] === 0) titledPassages[titled++] = p;
          titleParts[p]! += part;
        }
      }
      const tf = bodyFrequency + titleParts[passage]!;
      titleParts[passage] = 0;
      if (masks[passage] === 0 && scores[passage] === 0) touched[touchedCount++] = passage;
      scores[passage]! += weight * saturate(tf, bm25);
      masks[passage]! |= bit;
    }
    for (let i = 0; i < titled; i++) {
      const passage = titledPassages[i]!;
      const tf = titleParts[passage]!;
      if (tf === 0) continue; // its body matched too, and was scored above
      titleParts[passage] = 0;
      if (masks[passage] === 0 && scores[passage] === 0) touched[touchedCount++] = passage;
      scores[passage]! += weight * saturate(tf, bm25);
      masks[passage]! |= bit;
    }
  }

  const phraseIds = query.phrases.map((phrase) => phrase.map((term) => (term ? (index.termIds.get(term) ?? -2) : NO_TERM)));
  const wanted = offset + limit;
  // The sentence bonus is costly (a walk over every word) and can only reorder near the top: it is
  // added to the best few dozen by the other signals. Pruning keeps only those as qualifying
  // passages are met (one that cannot enter them is counted for `total`, never made a candidate).
  const poolSize = Math.max(SENTENCE_POOL, wanted * 4);
  const candidates = new BoundedPool(poolSize, !settings.prune);
  // Passages that qualify but for a quoted phrase: the answer when no passage holds the phrase.
  const phraseMissed = new BoundedPool(poolSize, !settings.prune);
  const anyMatch = touchedCount > 0;
  let anyAccepted = false;
  const coverage = new CoverageByMask(coverWeights, totalWeight, barWeight, unknownWeight, settings);
  for (let i = 0; i < touchedCount; i++) {
    const passage = touched[i]!;
    const score = scores[passage]!;
    const mask = masks[passage]!;
    scores[passage] = 0;
    masks[passage] = 0;
    if (acceptDocument && !acceptDocument(data.passageDocument[passage]!)) continue;
    anyAccepted = true;
    // The share of the question's weight matched, raised to `coordination`; -1 when the passage does not qualify.
    const factor = coverage.factor(mask);
    if (factor < 0) continue;
    const coordinated = settings.coordination ? score * factor : score;
    const candidateScore = data.passageKind[passage] === PASSAGE_CODE ? coordinated * codeFactor : coordinated;
    const holdsPhrases = !phraseIds.length || phraseIds.every((phrase) => containsPhrase(index.positions(passage), phrase));
    (holdsPhrases ? candidates : phraseMissed).offer(passage, candidateScore, mask);
  }

  if (skipped) for (let i = 0; i < reachedCount; i++) scratch.isReached[scratch.reached[i]!] = 0;
  const phrasesRelaxed = candidates.count === 0 && phraseMissed.count > 0;
  const qualified = phrasesRelaxed ? phraseMissed : candidates;
  if (qualified.count === 0) {
    // Why nothing qualified depends on every matching passage: the full read says it.
    if (skipped) return rankPassages(index, request, { ...options, prune: false });
    const emptyReason = !anyMatch ? 'no-match' : anyAccepted ? 'too-thin' : 'filtered';
    return { ranked: [], total: 0, termWeights, emptyReason, postingsRead };
  }
  const pool = qualified.best();
  if (settings.sentenceWeight > 0) {
    const target = answerTargetFor(index, request, settings.answerKindBoost);
    const best = { answered: false };
    const question = questionTerms(index, termIds);
    try {
      for (const candidate of pool) {
        const bonus = settings.sentenceWeight * bestSentenceWeight(index, candidate.passage, question, weights, target, best);
        candidate.score += data.passageKind[candidate.passage] === PASSAGE_CODE ? bonus * codeFactor : bonus;
        if (target) candidate.answered = best.answered;
      }
    } finally {
      // The bits are shared by the index's questions: a read failing part-way must not leave them set.
      question.clear();
    }
  }
  if (settings.specificity > 0 || settings.answerSlot > 0) {
    chooseWithinDocuments(index, pool, termIds, weights, settings);
  }
  const leading = topByScore(pool, Math.max(wanted * 4, wanted + 20));
  const ordered = diversify(leading, (p) => data.passageDocument[p]!, settings.maxPerDocument);
  return {
    ranked: ordered.slice(offset, wanted),
    total: qualified.count,
    termWeights,
    postingsRead,
    ...(phrasesRelaxed ? { phrasesRelaxed } : {}),
  };
}

/**
 * Which question terms need not be read in full (MaxScore's "non-essential" terms, with the
 * thin-match bar as the threshold): the lightest terms whose coverage weight together, with that
 * of the terms past the coverage mask (which count as matched for every passage), stays under
 * `bar`. A passage holding only such terms cannot qualify, so the candidates are among the passages
 * the other terms reach, and the skipped terms are looked up in those alone: the candidates, their
 * masks, scores (added in the question's order, so equal to the bit) and `total` are those of the
 * full read. Undefined when nothing can be skipped, or when the lookups would cost more than the
 * reads they save.
 */
function nonEssentialTerms(index: InvertedIndex, termIds: number[], coverWeights: number[], bar: number): Uint8Array | undefined {
  if (!(bar > 0)) return undefined;
  const length = (id: number) => index.passageFrequency(id) + index.titleFrequency(id);
  let always = 0;
  for (let q = MAX_MASKED_TERMS; q < coverWeights.length; q++) always += coverWeights[q]!;
  const known = termIds.map((_, q) => q).filter((q) => termIds[q]! >= 0);
  // Cheapest coverage first; among equals, the longest lists (the most reading saved).
  known.sort((x, y) => coverWeights[x]! - coverWeights[y]! || length(termIds[y]!) - length(termIds[x]!));
  const skipped = new Uint8Array(termIds.length);
  // A margin of a millionth keeps the bound safe from rounding (the matched weight is summed in another order).
  const room = bar * (1 - 1e-6);
  let weight = always;
  let skippedLength = 0;
  let skippedTerms = 0;
  for (const q of known) {
    if (q < MAX_MASKED_TERMS) {
      if (weight + coverWeights[q]! >= room) continue;
      weight += coverWeights[q]!;
    }
    skipped[q] = 1;
    skippedLength += length(termIds[q]!);
    skippedTerms++;
  }
  if (skippedTerms === 0) return undefined;
  let essentialLength = 0;
  for (const q of known) if (!skipped[q]) essentialLength += length(termIds[q]!);
  // The essential lists are read twice (to collect, then to score), and each skipped term costs a
  // few binary searches per passage reached: skip only when that is clearly less than reading.
  return skippedLength > essentialLength * (1 + LOOKUP_COST * skippedTerms) ? skipped : undefined;
}

/** A lookup of one term in one passage, counted in postings read (three or four galloping searches). */
const LOOKUP_COST = 2;

/** Collect (into `scratch.reached`, unsorted) every passage a term not skipped gives a share to, as the full read would. */
function reachEssential(
  index: InvertedIndex,
  termIds: number[],
  skipped: Uint8Array,
  settings: Required<RankingOptions>,
  { lead }: Pick<PassageFacts, 'lead'>,
  { reached, isReached }: Scratch,
): number {
  const data = index.data;
  let count = 0;
  const reach = (p: number) => {
    if (isReached[p] === 0) {
      isReached[p] = 1;
      reached[count++] = p;
    }
  };
  for (let q = 0; q < termIds.length; q++) {
    const id = termIds[q]!;
    if (id < 0 || skipped[q]) continue;
    if (settings.titleWeight > 0) {
      const titles = index.titlePostings(id).targets;
      for (let i = 0, end = titles.length; i < end; i++) {
        const document = titles[i]!;
        const first = data.documentFirstPassage[document]!;
        for (let p = first, last = first + data.documentPassageCount[document]!; p < last; p++) reach(p);
      }
    }
    if (settings.sectionWeight > 0) {
      const sections = index.sectionPostings(id).targets;
      for (let i = 0, end = sections.length; i < end; i++) reach(sections[i]!);
    }
    const body = index.bodyPostings(id).targets;
    for (let i = 0, end = body.length; i < end; i++) {
      const passage = body[i]!;
      reach(passage);
      if (settings.leadWeight > 0 && lead[passage] === 1) {
        const count = data.documentPassageCount[data.passageDocument[passage]!]!;
        for (let p = passage + 1, last = passage + count; p < last; p++) reach(p);
      }
    }
  }
  return count;
}

/**
 * Add a skipped term's share to each reached passage (`scratch.reached`, ascending), computed as the
 * full read computes it: body + ((title + section) + the lead's share), then saturated and weighted.
 * Returns the new count of touched passages.
 */
function scoreByLookup(
  index: InvertedIndex,
  id: number,
  weight: number,
  bit: number,
  settings: Required<RankingOptions>,
  { lead, bodyNorm }: Pick<PassageFacts, 'lead' | 'bodyNorm'>,
  { reached, scores, masks, touched }: Scratch,
  reachedCount: number,
  touchedCount: number,
): number {
  const data = index.data;
  const { passageDocument, documentFirstPassage } = data;
  const { targets: postingPassage, frequencies: postingFrequency } = index.bodyPostings(id);
  const { targets: titleDocument, frequencies: titleFrequency } = index.titlePostings(id);
  const { targets: sectionPassage, frequencies: sectionFrequency } = index.sectionPostings(id);
  const bm25 = settings.bm25;
  const bodyStart = 0;
  const bodyEnd = postingPassage.length;
  const titleStart = 0;
  const titleEnd = titleDocument.length;
  const sectionStart = 0;
  const sectionEnd = sectionPassage.length;
  let body = bodyStart;
  let leadAt = bodyStart;
  let title = titleStart;
  let section = sectionStart;
  let previousDocument = 0;
  for (let k = 0; k < reachedCount; k++) {
    const passage = reached[k]!;
    const document = passageDocument[passage]!;
    // Documents ascend with their passages; should a saved index say otherwise, search from the start.
    if (document < previousDocument) {
      title = titleStart;
      leadAt = bodyStart;
    }
    previousDocument = document;
    let fields = 0;
    let inFields = false;
    if (settings.titleWeight > 0) {
      title = gallop(titleDocument, title, titleEnd, document);
      if (title < titleEnd && titleDocument[title] === document) {
        fields =
          settings.titleWeight * normalizedFrequency(titleFrequency[title]!, data.titleLength[document]!, index.averageTitleLength, bm25);
        inFields = true;
      }
    }
    if (settings.sectionWeight > 0) {
      section = gallop(sectionPassage, section, sectionEnd, passage);
      if (section < sectionEnd && sectionPassage[section] === passage) {
        fields +=
          settings.sectionWeight *
          normalizedFrequency(sectionFrequency[section]!, data.sectionLength[passage]!, index.averageSectionLength, bm25);
        inFields = true;
      }
    }
    if (settings.leadWeight > 0) {
      const first = documentFirstPassage[document]!;
      if (first !== passage && lead[first] === 1) {
        leadAt = gallop(postingPassage, leadAt, bodyEnd, first);
        if (leadAt < bodyEnd && postingPassage[leadAt] === first) {
          fields += settings.leadWeight * (postingFrequency[leadAt]! / bodyNorm[first]!);
          inFields = true;
        }
      }
    }
    body = gallop(postingPassage, body, bodyEnd, passage);
    let tf: number;
    if (body < bodyEnd && postingPassage[body] === passage) tf = postingFrequency[body]! / bodyNorm[passage]! + fields;
    else if (inFields) tf = fields;
    else continue;
    if (masks[passage] === 0 && scores[passage] === 0) touched[touchedCount++] = passage;
    scores[passage]! += weight * saturate(tf, bm25);
    masks[passage]! |= bit;
  }
  return touchedCount;
}

/** The first index in `sorted[from..to)` (ascending) whose value is ≥ `value`, galloping from `from`; `to` when none. */
function gallop(sorted: ArrayLike<number>, from: number, to: number, value: number): number {
  if (from >= to || sorted[from]! >= value) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < to && sorted[hi]! < value) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > to) hi = to;
  // sorted[lo] < value; the answer is in (lo, hi].
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const termKindsByIndex = new WeakMap<InvertedIndex, Uint8Array>();

function answerTargetFor(index: InvertedIndex, request: RankRequest, boost: number): AnswerTarget | undefined {
  const asked = request.answerKinds ?? 0;
  if (!asked || boost <= 0) return undefined;
  // A date is often written as a day number ("on May 16", with "may" a stop word).
  const kinds = asked & ANSWER_DATE ? asked | ANSWER_NUMBER : asked;
  let termKinds = termKindsByIndex.get(index);
  if (!termKinds) termKindsByIndex.set(index, (termKinds = new Uint8Array(index.termCount)));
  return { kinds, boost, termKinds, terms: index.data.terms, documentText: request.documentText };
}

/** Summed weight of the question terms a passage matched (terms past the mask count as matched). */
function matchedWeight(mask: number, weights: number[]): number {
  let matched = 0;
  for (let q = 0; q < weights.length; q++) {
    if (q >= MAX_MASKED_TERMS || mask & (1 << q)) matched += weights[q]!;
  }
  return matched;
}

/** Does the passage hold the phrase's terms at consecutive positions? (NO_TERM = any word) */
function containsPhrase(positions: Int32Array, phrase: number[]): boolean {
  const length = phrase.length;
  outer: for (let start = 0; start + length <= positions.length; start++) {
    for (let k = 0; k < length; k++) {
      const want = phrase[k]!;
      if (want !== NO_TERM && positions[start + k] !== want) continue outer;
    }
    return true;
  }
  return false;
}

/** What the sentence bonus looks for besides the question's words: an answer of the asked-for kind. */
interface AnswerTarget {
  /** ANSWER_* bits a word may carry to count as a candidate answer (0: none wanted). */
  kinds: number;
  /** How much a sentence holding such a word multiplies its question weight by, minus one. */
  boost: number;
  /** Answer kinds of each term id (lazily filled; bit 7 marks "computed"). */
  termKinds: Uint8Array;
  terms: readonly string[];
  /** The text of a document, for telling names by their capital letter. */
  documentText?: (document: number) => string;
}

const KINDS_COMPUTED = 0x80;

function kindsOfTerm(target: AnswerTarget, id: number): number {
  let kinds = target.termKinds[id]!;
  if (!(kinds & KINDS_COMPUTED)) {
    kinds = termAnswerKinds(target.terms[id]!) | KINDS_COMPUTED;
    target.termKinds[id] = kinds;
  }
  return kinds;
}

/** The question's masked terms as bits by term id, for the walk over a passage's words (one read a word, not one compare a term). */
interface QuestionTerms {
  /** Bit `1 << q` set at each question term `q`'s id (below {@link MAX_MASKED_TERMS}); 0 for other words. */
  bits: Uint32Array;
  /** How many of the question's terms have a bit. */
  terms: number;
  /** Zero the bits again (they are the index's scratch). */
  clear(): void;
}

function questionTerms(index: InvertedIndex, termIds: number[]): QuestionTerms {
  const scratch = scratchFor(index);
  scratch.termBits ??= new Uint32Array(index.termCount);
  const bits = scratch.termBits;
  const terms = Math.min(termIds.length, MAX_MASKED_TERMS);
  for (let q = 0; q < terms; q++) if (termIds[q]! >= 0) bits[termIds[q]!]! |= 1 << q;
  return {
    bits,
    terms,
    clear: () => {
      for (let q = 0; q < terms; q++) if (termIds[q]! >= 0) bits[termIds[q]!] = 0;
    },
  };
}

/**
 * The summed weight of distinct question terms in the passage's richest sentence; a sentence that
 * also holds a word of the kind the question asks for (not itself a question word) counts
 * `1 + boost` times its weight.
 */
function bestSentenceWeight(
  index: InvertedIndex,
  passage: number,
  { bits: questionBits, terms }: QuestionTerms,
  weights: number[],
  target?: AnswerTarget,
  out?: { answered: boolean },
): number {
  const { passageDocument } = index.data;
  const { terms: positionTerm, offsets: positionOffset, sentences: sentenceSpan } = index.passageWords(passage);
  const wanted = target?.kinds ?? 0;
  // The document's text, to tell names by their capitals: read only when a word needs it.
  const documentText = wanted & TEXT_KINDS ? target?.documentText : undefined;
  let text: string | undefined;
  let sentence = 0;
  const sentenceEnd = sentenceSpan.length;
  let best = 0;
  let bestAnswers = false;
  let mask = 0;
  let answers = false;
  for (let at = 0, end = positionTerm.length; at <= end; at++) {
    // Past the last word, or past the current sentence's end: weigh the sentence just read.
    const leaving = at === end || (sentence + 2 < sentenceEnd && positionOffset[at]! >= sentenceSpan[sentence + 1]!);
    if (leaving) {
      let weight = 0;
      for (let q = 0; q < terms; q++) if (mask & (1 << q)) weight += weights[q]!;
      if (answers) weight *= 1 + target!.boost;
      if (weight > best) {
        best = weight;
        bestAnswers = answers;
      }
      mask = 0;
      answers = false;
      if (at === end) break;
      while (sentence + 2 < sentenceEnd && positionOffset[at]! >= sentenceSpan[sentence + 1]!) sentence += 2;
    }
    const id = positionTerm[at]!;
    if (id === NO_TERM) continue;
    const bits = questionBits[id]!;
    mask |= bits;
    if (wanted && !answers && bits === 0) {
      answers =
        (kindsOfTerm(target!, id) & wanted) !== 0 ||
        (documentText !== undefined &&
          (nameKindsAt(
            (text ??= documentText(passageDocument[passage]!)),
            positionOffset[at]!,
            sentence < sentenceEnd ? sentenceSpan[sentence]! : 0,
          ) &
            wanted) !==
            0);
    }
  }
  if (out) out.answered = bestAnswers;
  return best;
}

/** A qualifying passage, with the question terms it matched (bits) and whether its richest sentence holds the asked-for kind. */
interface Candidate extends RankedPassage {
  mask: number;
  answered?: boolean;
}

/**
 * Within each document of the pool (of {@link LEAD_MIN_PASSAGES} passages or more), order its
 * passages again: each gains `specificity` × the weight of the question words its body holds, each
 * scaled by the share of the document's passages lacking it, and one whose richest sentence lacks
 * the asked-for kind of answer loses `answerSlot` of its score. The passages then take the
 * document's scores in their new order, so the document keeps its place among the others.
 */
function chooseWithinDocuments(
  index: InvertedIndex,
  pool: Candidate[],
  termIds: number[],
  weights: number[],
  settings: Required<RankingOptions>,
): void {
  const data = index.data;
  const byDocument = new Map<number, Candidate[]>();
  for (const candidate of pool) {
    const document = data.passageDocument[candidate.passage]!;
    const group = byDocument.get(document);
    if (group) group.push(candidate);
    else byDocument.set(document, [candidate]);
  }
  const terms = Math.min(termIds.length, MAX_MASKED_TERMS);
  for (const [document, group] of byDocument) {
    const count = data.documentPassageCount[document]!;
    if (count < LEAD_MIN_PASSAGES || (group.length < 2 && !settings.specificityAcross)) continue;
    const first = data.documentFirstPassage[document]!;
    const share: number[] = [];
    const adjusted = group.map((candidate) => {
      let bonus = 0;
      for (let q = 0; q < terms && settings.specificity > 0; q++) {
        const id = termIds[q]!;
        if (id < 0 || !(candidate.mask & (1 << q)) || index.passagesWithTerm(id, candidate.passage, candidate.passage + 1) === 0) continue;
        // A word of the title or the opening paragraph names the article (its context), not a paragraph.
        share[q] ??=
          index.titleHasTerm(id, document) || index.passagesWithTerm(id, first, first + 1) > 0
            ? 0
            : 1 - index.passagesWithTerm(id, first, first + count) / count;
        bonus += weights[q]! * share[q]!;
      }
      const score = candidate.score + settings.specificity * bonus;
      return candidate.answered === false ? score * (1 - settings.answerSlot) : score;
    });
    if (settings.specificityAcross) {
      group.forEach((candidate, i) => (candidate.score = adjusted[i]!));
      continue;
    }
    const scores = group.map((candidate) => candidate.score).sort((x, y) => y - x);
    const order = group.map((_, i) => i).sort((i, j) => adjusted[j]! - adjusted[i]! || group[i]!.passage - group[j]!.passage);
    order.forEach((i, rank) => (group[i]!.score = scores[rank]!));
  }
}

/**
 * Whether a passage with these question terms (a coverage mask) qualifies, and its coordination
 * factor `(matched / totalWeight) ** coordination`, worked out once per mask: a question's passages
 * share a handful of masks, and the power was a tenth of a heavy question's time. Computed as
 * before, so scores are the same to the bit.
 */
class CoverageByMask {
  /** By mask, for questions of few terms (NaN: not yet worked out); else a map. */
  private readonly table: Float64Array | undefined;
  private readonly known = new Map<number, number>();
  constructor(
    private readonly coverWeights: number[],
    private readonly totalWeight: number,
    private readonly barWeight: number,
    private readonly unknownWeight: number,
    private readonly settings: Required<RankingOptions>,
  ) {
    if (coverWeights.length <= MASK_TABLE_TERMS) this.table = new Float64Array(1 << coverWeights.length).fill(Number.NaN);
  }

  /** The coordination factor of a qualifying mask (1 when coordination is off); -1 for a thin one. */
  factor(mask: number): number {
    const table = this.table;
    if (table) {
      const factor = table[mask]!;
      return Number.isNaN(factor) ? (table[mask] = this.compute(mask)) : factor;
    }
    let factor = this.known.get(mask);
    if (factor === undefined) this.known.set(mask, (factor = this.compute(mask)));
    return factor;
  }

  private compute(mask: number): number {
    const { totalWeight, barWeight, settings } = this;
    const matched = matchedWeight(mask, this.coverWeights);
    if (barWeight > 0 && matched / barWeight < settings.minCoverage) return -1;
    // Words the archive has never seen (a name it never reports) are what the question is about:
    // then the passage must hold a share of the whole question, not just of its heaviest words.
    if (this.unknownWeight > 0 && matched / totalWeight < settings.minShareWithUnknown) return -1;
    return settings.coordination ? (matched / totalWeight) ** settings.coordination : 1;
  }
}

/** Questions of up to this many terms look their masks' coverage up in a table (4,096 entries). */
const MASK_TABLE_TERMS = 12;

/**
 * The `size` best of the passages offered (score, then the lower passage first: a strict order, so
 * the set is that of sorting them all), and how many were offered. With `keepAll` false, a passage
 * below the worst kept once the pool is full is only counted: no candidate is made for it; with it
 * true, every passage offered is kept and the best are chosen at the end (the exhaustive reference).
 */
class BoundedPool {
  count = 0;
  private readonly kept: Candidate[] = [];
  constructor(
    private readonly size: number,
    private readonly keepAll: boolean,
  ) {}

  offer(passage: number, score: number, mask: number): void {
    this.count++;
    const heap = this.kept;
    if (this.keepAll) heap.push({ passage, score, mask });
    else if (heap.length < this.size) {
      heap.push({ passage, score, mask });
      siftUp(heap, heap.length - 1, better);
    } else {
      const worst = heap[0]!;
      if (score > worst.score || (score === worst.score && passage < worst.passage)) {
        heap[0] = { passage, score, mask };
        siftDown(heap, 0, better);
      }
    }
  }

  /** The passages kept, best first. */
  best(): Candidate[] {
    return this.keepAll ? topByScore(this.kept, this.size) : this.kept.sort((x, y) => (better(x, y) ? -1 : 1));
  }
}

const better = (x: RankedPassage, y: RankedPassage): boolean => x.score > y.score || (x.score === y.score && x.passage < y.passage);

/** The `count` best candidates, best first: a bounded min-heap, O(n log count), no full sort. */
function topByScore<T extends RankedPassage>(candidates: T[], count: number): T[] {
  const heap: T[] = [];
  for (const candidate of candidates) {
    if (heap.length < count) {
      heap.push(candidate);
      siftUp(heap, heap.length - 1, better);
    } else if (better(candidate, heap[0]!)) {
      heap[0] = candidate;
      siftDown(heap, 0, better);
    }
  }
  return heap.sort((x, y) => (better(x, y) ? -1 : 1));
}

// The heap's root is its worst element: a parent is never better than its children.
function siftUp<T>(heap: T[], at: number, better: (x: T, y: T) => boolean): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!better(heap[parent]!, heap[at]!)) break;
    [heap[parent], heap[at]] = [heap[at]!, heap[parent]!];
    at = parent;
  }
}

function siftDown<T>(heap: T[], at: number, better: (x: T, y: T) => boolean): void {
  for (;;) {
    let worst = at;
    for (const child of [2 * at + 1, 2 * at + 2]) {
      if (child < heap.length && better(heap[worst]!, heap[child]!)) worst = child;
    }
    if (worst === at) return;
    [heap[worst], heap[at]] = [heap[at]!, heap[worst]!];
    at = worst;
  }
}

/** Stable reorder: a document's passages beyond the first `cap` move after every other document's. */
function diversify(ranked: RankedPassage[], documentOf: (passage: number) => number, cap: number): RankedPassage[] {
  const seen = new Map<number, number>();
  const leading: RankedPassage[] = [];
  const trailing: RankedPassage[] = [];
  for (const hit of ranked) {
    const document = documentOf(hit.passage);
    const count = seen.get(document) ?? 0;
    seen.set(document, count + 1);
    (count < cap ? leading : trailing).push(hit);
  }
  return leading.concat(trailing);
}

/**
 * Answering a question: the answer and its quote, its buttons, sending it, filters, mentions.
 * The wing's entry: everything outside src/bot/answers/ imports it from here.
 */
export { DEFAULT_RESULTS, MAX_RESULTS, formatNoResult } from './answer.js';
export { HELPFUL_ACTION, MORE_ACTION, PASSAGE_ACTION, READ_ACTION, UNHELPFUL_ACTION } from './answer-controls.js';
export { readFilters } from './filters.js';
export { createMessageHandler, questionText } from './mention.js';
export { DISCORD_QUOTE_COST, renderExcerpt, sourceLine } from './quote.js';
export { sendAnswer } from './send-answer.js';

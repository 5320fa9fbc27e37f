/**
 * Finding documents: titles, autocomplete, /search pages.
 * The wing's entry: everything outside src/bot/browse/ imports it from here.
 */
export { documentChoiceName, documentValue, fitChoices, rank, rankDocuments, resolveDocument } from './autocomplete.js';
export { SearchSessions } from './search-sessions.js';
export type { SearchSession } from './search-sessions.js';
export { documentRef } from './title-index.js';

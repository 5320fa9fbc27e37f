/**
 * The architecture as rules (docs/DESIGN.md draws the same house). `npm run lint` fails on a
 * forbidden import; tests/architecture.e2e.test.ts proves each rule fires on tests/fixtures/lint/.
 * The one tool for import rules: eslint.config.js checks code, not imports.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/**
 * The layers, lowest first: each imports only from the layers before it (or within itself). One
 * rule per layer forbids every import that runs back up.
 */
const LAYERS = [
  { name: 'the engine', path: '^src/archive/' },
  { name: 'the votes database, the shared database and the settings', path: '^src/(feedback|settings|store)/' },
  { name: 'the Discord plumbing', path: '^src/discord/' },
  { name: 'the bot and the CLI', path: '^src/(bot|cli)/' },
  { name: 'the commands', path: '^commands/' },
  { name: 'the composition roots', path: '^src/app/' },
];

/**
 * The engine's parts, lowest first (folders, and the files directly in src/archive/): a part imports
 * only from the parts before it, so no two folders import each other, however indirectly.
 */
const ENGINE_PARTS = [
  { name: 'types, errors and numbers', path: '^src/archive/(types|errors|defaults|shaping-defaults|threads)\\.ts$' },
  { name: 'load/', path: '^src/archive/load/' },
  { name: 'analysis/', path: '^src/archive/analysis/' },
  { name: 'passages.ts', path: '^src/archive/passages\\.ts$' },
  { name: 'postings/', path: '^src/archive/postings/' },
  { name: 'wire/', path: '^src/archive/wire/' },
  { name: 'cache/', path: '^src/archive/cache/' },
  { name: 'pipeline/', path: '^src/archive/pipeline/' },
  { name: 'rank/', path: '^src/archive/rank/' },
  { name: 'excerpt/', path: '^src/archive/excerpt/' },
  { name: 'the readers (filters, diff, explain, skipped)', path: '^src/archive/(filters|diff|explain|skipped)\\.ts$' },
  { name: 'archive.ts', path: '^src/archive/archive\\.ts$' },
  { name: 'worker/', path: '^src/archive/worker/' },
  { name: 'the entry (index.ts)', path: '^src/archive/index\\.ts$' },
];

/** One rule per part: nothing in `parts[i]` imports anything in `parts[i + 1…]`. */
function upward(ruleName, parts, what) {
  return parts.slice(0, -1).map((part, i) => ({
    name: ruleName,
    severity: 'error',
    comment: `${what}: ${part.name} imports nothing of ${parts
      .slice(i + 1)
      .map((above) => above.name)
      .join(', ')}.`,
    from: { path: part.path },
    to: { path: parts.slice(i + 1).map((above) => above.path) },
  }));
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a graph without cycles: data flows one way.',
      from: {},
      to: { circular: true },
    },
    ...upward('layers', LAYERS, 'No import runs back up a layer'),
    ...upward('engine-layers', ENGINE_PARTS, 'The engine is layered too'),
    {
      name: 'engine-no-folder-cycle',
      severity: 'error',
      comment: 'No two folders of the engine import each other (directly or through other folders).',
      scope: 'folder',
      from: { path: '^src/archive/' },
      to: { path: '^src/archive/', circular: true },
    },
    {
      name: 'engine-knows-no-discord',
      severity: 'error',
      comment: 'The engine (src/archive) imports no discord.js.',
      from: { path: '^src/archive/' },
      to: { path: 'node_modules/(discord\\.js|@discordjs)/' },
    },
    {
      name: 'only-analysis-imports-wink',
      severity: 'error',
      comment: 'One analysis pipeline for documents and questions: only src/archive/analysis/ talks to wink-nlp.',
      from: { pathNot: '^src/archive/analysis/' },
      to: { path: 'node_modules/wink-(nlp|eng-lite-web-model)/' },
    },
    {
      name: 'engine-through-its-entry',
      severity: 'error',
      comment: 'Everything outside the engine imports it only through src/archive/index.ts.',
      from: { pathNot: '^(src/archive/|tests/|testing/)' },
      to: { path: '^src/archive/', pathNot: '^src/archive/index\\.ts$' },
    },
    {
      name: 'wings-through-their-entry',
      severity: 'error',
      comment: 'A wing of the bot (src/bot/<wing>/) is imported from outside it only through its index.ts.',
      from: { path: '^src/bot/([^/]+)/' },
      to: { path: '^src/bot/[^/]+/', pathNot: ['^src/bot/$1/', '^src/bot/[^/]+/index\\.ts$'] },
    },
    {
      name: 'wings-through-their-entry',
      severity: 'error',
      comment: 'A wing of the bot (src/bot/<wing>/) is imported from outside it only through its index.ts.',
      from: { pathNot: '^(src/bot/[^/]+/|tests/|testing/)' },
      to: { path: '^src/bot/[^/]+/', pathNot: '^src/bot/[^/]+/index\\.ts$' },
    },
    {
      name: 'cli-and-bot-apart',
      severity: 'error',
      comment: 'The CLI and the bot are two faces on the engine; neither imports the other.',
      from: { path: '^src/(cli|bot)/' },
      to: { path: '^src/(bot|cli)/', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|tests/fixtures/lint)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};

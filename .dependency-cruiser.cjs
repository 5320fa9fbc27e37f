/**
 * The architecture as rules (docs/DESIGN.md draws the same graph). `npm run lint` fails on a
 * forbidden import; tests/architecture.test.ts proves each rule fires on a fixture.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a graph without cycles: data flows one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-knows-no-discord',
      severity: 'error',
      comment: 'The engine (src/archive) imports no discord.js and nothing of the bot, the CLI or the commands.',
      from: { path: '^src/archive/' },
      to: { path: ['^src/(discord|bot|cli)/', '^commands/', 'node_modules/(discord\\.js|@discordjs)/'] },
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
      name: 'discord-is-plumbing',
      severity: 'error',
      comment: 'src/discord is Discord plumbing: it imports nothing of the product (src/bot, src/cli, commands).',
      from: { path: '^src/discord/' },
      to: { path: ['^src/(bot|cli)/', '^commands/'] },
    },
    {
      name: 'bot-does-not-import-commands',
      severity: 'error',
      comment: 'Only the composition roots (src/app/main.ts, src/app/register.ts) import commands/.',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^commands/' },
    },
    {
      name: 'cli-and-bot-apart',
      severity: 'error',
      comment: 'The CLI and the bot are two faces on the engine; neither imports the other.',
      from: { path: '^src/cli/' },
      to: { path: '^(src/(bot|discord)/|commands/)' },
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

import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Archive } from '../src/archive/index.js';
import { formatNoResult, readFilters, DISCORD_QUOTE_COST, renderExcerpt, sourceLine, MORE_ACTION } from '../src/bot/answers/index.js';
import { readArgs } from '../src/discord/command.js';
import type { BotContext } from '../src/bot/context.js';
import { plural, quoteInput } from '../src/discord/format.js';
import { deferIfBehind, reply, type ReplyBody } from '../src/discord/reply.js';
import type { SearchSession } from '../src/bot/browse/index.js';
import { autocompleteSource, fromOption, sourceOption, toOption } from './shared.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'search',
  description: 'A ranked list of the passages that match, with buttons to page through them',
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'query',
      description: 'Words to look for',
      required: true,
      max_length: 500,
    },
    fromOption,
    toOption,
    sourceOption,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const cooldown = true;

/** Results per page. */
export const PAGE_SIZE = 5;
/** Characters of each result's one-line excerpt. */
const EXCERPT_CHARS = 220;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const args = readArgs(interaction, definition);
  const archive = ctx.archive.current;
  const filters = readFilters(args, archive);
  if (!filters.ok) {
    await reply(interaction, { content: filters.message }, { ephemeral: true });
    return;
  }
  await deferIfBehind(interaction);
  const session = { userId: interaction.user.id, query: args.query, filters: filters.filters };
  const response = archive.search(args.query, { ...filters.filters, limit: PAGE_SIZE, offset: 0, profile: 'keyword' });
  if (!response.hits.length) {
    await reply(interaction, {
      content: formatNoResult(response, { question: args.query, filterDescription: filters.description }),
    });
    return;
  }
  const id = ctx.searches.create(session);
  await reply(interaction, renderPage(archive, id, session, 0));
}

/** Paging: `search:<session id>:<page>`. Only the person who searched may page. */
export async function button(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<void> {
  const [id = '', pageText = ''] = args;
  if (id === MORE_ACTION) {
    await moreResults(interaction, ctx, pageText);
    return;
  }
  const session = ctx.searches.get(id);
  if (!session) {
    await reply(interaction, { content: 'This result list has expired; run `/search` again.' }, { ephemeral: true });
    return;
  }
  if (session.userId !== interaction.user.id) {
    await reply(
      interaction,
      { content: 'Only the person who ran this search can page through it; run `/search` to get your own list.' },
      { ephemeral: true },
    );
    return;
  }
  const page = Number.parseInt(pageText, 10);
  await reply(interaction, renderPage(ctx.archive.current, id, session, Number.isSafeInteger(page) ? Math.max(0, page) : 0), {
    update: true,
  });
}

/**
 * **More results** under an answer (`search:more:<session>`): the answer's question as a /search list,
 * shown only to whoever pressed it, and theirs to page through (a session of their own).
 */
async function moreResults(interaction: ButtonInteraction, ctx: BotContext, answerSession: string): Promise<void> {
  const asked = ctx.searches.get(answerSession);
  if (!asked) {
    await reply(interaction, { content: 'This answer is too old to continue; ask again or run `/search`.' }, { ephemeral: true });
    return;
  }
  const session = {
    userId: interaction.user.id,
    query: asked.query,
    filters: asked.filters,
    ...(asked.profile ? { profile: asked.profile } : {}),
    ...(asked.skip ? { skip: asked.skip } : {}),
  };
  const id = ctx.searches.create(session);
  await reply(interaction, renderPage(ctx.archive.current, id, session, 0), { ephemeral: true });
}

/** One page of results as an embed with Previous/Next buttons (exported for the property tests). */
export function renderPage(
  archive: Archive,
  id: string,
  session: Pick<SearchSession, 'query' | 'filters' | 'profile' | 'skip'>,
  wantedPage: number,
): ReplyBody {
  const skip = session.skip ?? 0;
  const profile = session.profile ?? 'keyword';
  const search = (page: number) =>
    archive.search(session.query, { ...session.filters, limit: PAGE_SIZE, offset: skip + page * PAGE_SIZE, profile });
  let page = wantedPage;
  let response = search(page);
  const total = Math.max(0, response.total - skip);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page >= pages) {
    // The archive may have been reloaded with fewer results since the list was made.
    page = pages - 1;
    response = search(page);
  }
  const lines = response.hits.map((hit, i) => {
    const excerpt = renderExcerpt(hit.excerptWithin({ maxChars: EXCERPT_CHARS, cost: DISCORD_QUOTE_COST }), { oneLine: true });
    return `**${skip + page * PAGE_SIZE + i + 1}.** ${sourceLine(hit.document, hit.passage.position, undefined, hit.section)}\n${excerpt}`;
  });
  const embed: APIEmbed = {
    title: `Search: ${quoteInput(session.query, 200)}`,
    description: lines.join('\n\n') || 'No results on this page.',
    // After an answer, the count is the answer's own "N more matching passages".
    footer: { text: `Page ${page + 1} of ${pages} · ${plural(total, skip ? 'more matching passage' : 'matching passage')}` },
  };
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: `search:${id}:${page - 1}`,
        label: 'Previous',
        disabled: page <= 0,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: `search:${id}:${page + 1}`,
        label: 'Next',
        disabled: page >= pages - 1,
      },
    ],
  };
  return { embeds: [embed], components: pages > 1 ? [row] : [] };
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await autocompleteSource(interaction, ctx);
}

import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { reply } from '../src/discord/reply.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'help',
  description: 'What this bot does and how to ask it well',
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const lines = [
    '**Archivist** answers questions from a document archive with passages quoted word for word, and says where each comes from.',
    '',
    '`/ask question:` the best passages for a question, matched words in **bold**, each with its title, source, date and passage number.',
    'Under an answer: **Read n** shows that passage in full (only to you) with Previous/Next; **More results** continues the list; 👍/👎 says whether it helped.',
    '`/search query:` a ranked list of every matching passage, with buttons to page through it.',
    '`/source document:` a document’s details and passage list, page by page; add `passage:` to read one passage in full, then Previous/Next.',
    '`/archive` what the archive holds and when it was loaded.',
    '`/reload` (admins) re-read the archive after its files changed.',
    '`/upload file:` (admins) add a document file (.md, .txt, .json, .jsonl, .html…), optionally with `title:`, `source:` and `date:`; it is checked, saved under `uploads/` and answerable at once.',
    '`/remove document:` (admins) take a document’s file out: it is moved to the archive’s trash folder, never deleted, and the reply says how to restore it.',
    '',
    'You can also mention me (or my role) with a question in any channel I can read, or reply to one of my answers with a follow-up.',
    'Or ask with someone’s message: right-click it (long-press on a phone) → **Apps** → **Ask the archive**, and its text is asked as `/ask` would.',
    ...(ctx.config.answerChannelIds.size
      ? [
          `In ${[...ctx.config.answerChannelIds].map((id) => `<#${id}>`).join(', ')} I answer every message that ends with “?”, no mention needed.`,
        ]
      : []),
    '',
    '**Asking well**',
    '- Use the words the documents would use: names, places, organisations, events.',
    '- Narrow by time or origin with `from:` / `to:` (2023, 2023-09 or 2023-09-14) and `source:`.',
    '- Nothing found? Try fewer words, other spellings, or `/search`.',
    '- I only quote the archive; I do not write answers of my own.',
  ];
  await reply(interaction, { content: lines.join('\n') }, { ephemeral: true });
}

/**
 * The buttons under an answer: one **Read n** per quoted passage (the whole passage, privately, with
 * Previous/Next), **More results** (the rest of the list, as /search gives it) when more matched,
 * and 👍/👎 (the answer is recorded for the vote: question and passages shown).
 * The same controls follow an answer however it was asked (/ask, a mention, a reply, the message menu).
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
} from 'discord.js';
import type { SearchFilters, SearchResponse } from '../../archive/index.js';
import { customId } from '../../discord/custom-id.js';
import type { BotContext } from '../context.js';
import { documentRef } from '../browse/index.js';

interface ShownAnswer {
  question: string;
  filters?: SearchFilters;
  response: SearchResponse;
  /** How many of the hits the answer quotes. */
  shown: number;
  /** Who asked. */
  userId: string;
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** custom_ids the controls use, one place so the handlers and the tests agree. */
export const READ_ACTION = 'read';
export const PASSAGE_ACTION = 'p';
export const MORE_ACTION = 'more';
export const HELPFUL_ACTION = 'up';
export const UNHELPFUL_ACTION = 'down';

/** The button that shows a passage in full, privately. */
function readButtonId(hit: { document: SearchResponse['hits'][number]['document']; passage: { position: number } }): string {
  return customId('source', READ_ACTION, documentRef(hit.document), hit.passage.position);
}

export function answerComponents(ctx: Pick<BotContext, 'searches' | 'feedback' | 'logger'>, answer: ShownAnswer): Row[] {
  const hits = answer.response.hits.slice(0, answer.shown);
  if (!hits.length) return [];
  const read: APIButtonComponent[] = hits.map((hit, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: readButtonId(hit),
    label: `Read ${i + 1}`,
  }));
  const more: APIButtonComponent[] = [];
  if (answer.response.total > answer.shown) {
    // The rest of the answer's own list: ranked as the answer was, after the passages it quoted.
    const session = ctx.searches.create({
      userId: answer.userId,
      query: answer.question,
      filters: answer.filters ?? {},
      profile: 'question',
      skip: answer.shown,
    });
    more.push({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      custom_id: customId('search', MORE_ACTION, session),
      label: 'More results',
    });
  }
  const id = recordForVotes(ctx, answer, hits);
  if (id) {
    more.push(
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId('ask', HELPFUL_ACTION, id), emoji: { name: '👍' } },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId('ask', UNHELPFUL_ACTION, id), emoji: { name: '👎' } },
    );
  }
  const rows: Row[] = [{ type: ComponentType.ActionRow, components: read }];
  if (more.length) rows.push({ type: ComponentType.ActionRow, components: more });
  return rows;
}

/**
 * Records the answer for its vote buttons; undefined (logged) when the votes database cannot take
 * it now (another process holds its lock, the disk is full): votes are optional, so the answer goes
 * out at once without buttons rather than waiting or failing.
 */
function recordForVotes(
  ctx: Pick<BotContext, 'feedback' | 'logger'>,
  answer: ShownAnswer,
  hits: ShownAnswer['response']['hits'],
): string | undefined {
  if (!ctx.feedback) return undefined;
  try {
    return ctx.feedback.recordAnswer(
      answer.question,
      hits.map((hit) => ({ document: hit.document.id, passage: hit.passage.position })),
    );
  } catch (err) {
    ctx.logger.warn('answer not recorded for votes; it goes without vote buttons', { userId: answer.userId, err });
    return undefined;
  }
}

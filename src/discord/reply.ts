/**
 * The one way the bot sends a message. Whatever the caller built is fitted to Discord's limits first
 * (word-boundary truncation, embed limits, no control characters or lone surrogates) and sent with mentions that ping nobody — archive text may
 * contain `@everyone` or `<@id>`, and the asker is not pinged either.
 */
import {
  BaseInteraction,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type Message,
  type MessageMentionOptions,
  type RepliableInteraction,
} from 'discord.js';
import { showable, truncate } from './format.js';
import {
  EMBEDS_PER_MESSAGE_MAX,
  EMBED_AUTHOR_NAME_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELDS_MAX,
  EMBED_FIELD_NAME_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_FOOTER_TEXT_MAX,
  EMBED_TITLE_MAX,
  EMBED_TOTAL_MAX,
  MESSAGE_CONTENT_MAX,
} from './limits.js';

export interface ReplyBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

interface ReplyOptions {
  /** Only the person who used the command sees it (interactions only; a deferred reply keeps the deferral's visibility). @defaultValue false */
  ephemeral?: boolean;
  /** For a button press: replace the message the button is on instead of sending a new one. @defaultValue false */
  update?: boolean;
  /**
   * For a deferred interaction: replace its reply even when it was already edited (a long command
   * showing its progress, then its result), instead of sending a follow-up. @defaultValue false
   */
  replace?: boolean;
}

export type ReplyTarget = RepliableInteraction | Message;

/** Mentions that ping nobody: no @everyone/@here, roles, users, nor the author of a replied-to message. */
export const NO_PINGS: MessageMentionOptions = { parse: [], repliedUser: false };

/** Sends `body` in answer to an interaction or a message. */
export async function reply(target: ReplyTarget, body: ReplyBody, options: ReplyOptions = {}): Promise<void> {
  const fitted = fitMessage(body);
  const payload = { ...fitted, allowedMentions: NO_PINGS };
  if (!(target instanceof BaseInteraction)) {
    await target.reply({ ...payload, failIfNotExists: false });
    return;
  }
  if (options.update && target.isMessageComponent() && !target.deferred && !target.replied) {
    await target.update(payload);
  } else if (options.ephemeral && target.deferred && !target.replied && !target.ephemeral) {
    // The deferral was public and cannot become ephemeral: remove it, then answer privately.
    await target.deleteReply();
    await target.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  } else if (target.deferred && (!target.replied || options.replace)) {
    await target.editReply(payload);
  } else if (target.replied || target.deferred) {
    await target.followUp({ ...payload, ...(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  } else {
    await target.reply({ ...payload, ...(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
}

/** `body` cut to Discord's limits; pure, so it can be tested on its own. */
export function fitMessage(body: ReplyBody): ReplyBody {
  const out: ReplyBody = {};
  if (body.content !== undefined) out.content = body.content ? truncate(showable(body.content), MESSAGE_CONTENT_MAX) : '';
  if (body.embeds) out.embeds = fitEmbeds(body.embeds);
  if (body.components) out.components = body.components;
  if (!out.content && !out.embeds?.length) out.content = '…';
  return out;
}

function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Embeds within the per-field limits and the 6,000-character total; text is cut at word boundaries. */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, EMBEDS_PER_MESSAGE_MAX).map((e): APIEmbed => {
    const out: APIEmbed = { ...e };
    const fit = (text: string, max: number): string => truncate(showable(text) || '—', max);
    if (e.title !== undefined) out.title = fit(e.title, EMBED_TITLE_MAX);
    if (e.description !== undefined) out.description = fit(e.description, EMBED_DESCRIPTION_MAX);
    if (e.footer) out.footer = { ...e.footer, text: fit(e.footer.text, EMBED_FOOTER_TEXT_MAX) };
    if (e.author) out.author = { ...e.author, name: fit(e.author.name, EMBED_AUTHOR_NAME_MAX) };
    if (e.fields) {
      out.fields = e.fields.slice(0, EMBED_FIELDS_MAX).map((f) => ({
        ...f,
        name: fit(f.name, EMBED_FIELD_NAME_MAX),
        value: fit(f.value, EMBED_FIELD_VALUE_MAX),
      }));
    }
    return out;
  });
  let over = fitted.reduce((n, e) => n + embedSize(e), 0) - EMBED_TOTAL_MAX;
  // Too long in all: shorten descriptions from the last embed back, then drop trailing fields, then embeds.
  for (let i = fitted.length - 1; i >= 0 && over > 0; i--) {
    const e = fitted[i]!;
    if (e.description && e.description.length > 1) {
      const before = e.description.length;
      e.description = truncate(e.description, Math.max(1, before - over));
      over -= before - e.description.length;
    }
  }
  for (let i = fitted.length - 1; i >= 0 && over > 0; i--) {
    const fields = fitted[i]!.fields;
    while (fields?.length && over > 0) {
      const f = fields.pop()!;
      over -= f.name.length + f.value.length;
    }
  }
  while (over > 0 && fitted.length > 1) over -= embedSize(fitted.pop()!);
  return fitted;
}

/** How old an interaction may be when its handler starts before it is deferred rather than answered at once. */
const DEFER_WHEN_BEHIND_MS = 1000;

/**
 * Defers the interaction when the bot is running behind — it reaches the handler more than
 * {@link DEFER_WHEN_BEHIND_MS} after Discord created it (a burst of questions queued up, or the event
 * loop was busy) — so that its initial response still beats Discord's 3-second deadline. Otherwise
 * the answer goes out as the one response: a search takes about a millisecond, and the edit that
 * follows a deferral counts against discord.js's global limit of 50 requests a second (interaction
 * responses do not), which under load held answers back for seconds. A host clock that runs ahead of
 * Discord's only makes the bot defer more often, which is the safe side.
 */
export async function deferIfBehind(interaction: RepliableInteraction, now = Date.now()): Promise<void> {
  if (now - interaction.createdTimestamp > DEFER_WHEN_BEHIND_MS) await interaction.deferReply();
}

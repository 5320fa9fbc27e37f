/**
 * Questions asked in channels: a message that mentions the bot itself (a user mention or the bot's
 * own managed role, not @everyone/@here or another role), or replies to one of its answers with the
 * ping on, is answered like /ask, as a reply to that message. In the optional
 * ANSWER_CHANNEL_IDS, every message that is a question is answered without a mention.
 */
import type { Message } from 'discord.js';
import { guarded } from '../../discord/boundary.js';
import type { BotContext } from '../context.js';
import { reply } from '../../discord/reply.js';
import { cooldownNotice } from '../../discord/router.js';
import { sendAnswer } from './send-answer.js';

/** A message is a question when it ends with a question mark and has some words. */
function isQuestion(text: string): boolean {
  const t = text.trim();
  return /[?？]$/.test(t) && (t.match(/\p{L}/gu)?.length ?? 0) >= 3;
}

/** The question with the bot's mention and any other mention markup removed. */
export function questionText(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    .replace(/@(?:everyone|here)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when `content` mentions the user `botId` directly. */
function mentionsBot(content: string, botId: string): boolean {
  return new RegExp(`<@!?${botId}>`).test(content);
}

/** True when the message mentions the bot's own managed role (which Discord offers in place of the bot in the @ list). */
function mentionsOwnRole(message: Message): boolean {
  const role = message.guild?.roles.botRoleFor(message.client.user);
  return role !== undefined && role !== null && message.mentions.roles.has(role.id);
}

/** True for a reply to one of the bot's messages that pings it: a follow-up question, answered like a mention. */
function isFollowUp(message: Message): boolean {
  const botId = message.client.user.id;
  return message.mentions.repliedUser?.id === botId && message.mentions.users.has(botId);
}

export function createMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    if (message.author.bot || message.webhookId || message.system) return;
    const botId = message.client.user.id;
    const mentioned = mentionsBot(message.content, botId) || mentionsOwnRole(message) || isFollowUp(message);
    if (!mentioned && !(ctx.config.answerChannelIds.has(message.channelId) && isQuestion(message.content))) return;

    await guarded(
      ctx.logger,
      { kind: 'message', userId: message.author.id, guildId: message.guildId, channelId: message.channelId },
      async () => {
        const question = questionText(message.content, botId);
        if (!question) {
          await reply(message, {
            content: 'Ask me something after the mention, for example: “@Archivist where did the summit take place?” — or see `/help`.',
          });
          return;
        }
        const turn = ctx.cooldowns.take(message.author.id);
        if (!turn.ok) {
          // One notice per cooldown, so a burst does not flood the channel.
          if (turn.firstNotice) await reply(message, { content: cooldownNotice(turn.retryAfterMs) });
          return;
        }
        await sendAnswer(message, ctx, { question, userId: message.author.id }, 'mention');
      },
      (text) => reply(message, { content: text }),
    );
  };
}

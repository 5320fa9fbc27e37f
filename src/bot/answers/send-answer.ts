/**
 * The one way a question is answered, whichever way it was asked (/ask, a mention or reply in a
 * channel, the "Ask the archive" message menu): the rendered answer with its buttons, and the metric.
 */
import { reply, type ReplyTarget } from '../../discord/reply.js';
import { answer, type AnswerRequest } from './answer.js';
import { answerComponents } from './answer-controls.js';
import type { BotContext } from '../context.js';

interface AskedQuestion extends AnswerRequest {
  /** Who asked (for the More results session, which only they may page). */
  userId: string;
}

/**
 * Answers `asked` on `target` (an interaction, deferred or not, or a message to reply to) and counts
 * it under `command` in the metrics, timed from `startedAt` (performance.now()).
 */
export async function sendAnswer(
  target: ReplyTarget,
  ctx: BotContext,
  asked: AskedQuestion,
  command: string,
  startedAt = performance.now(),
): Promise<void> {
  const rendered = answer(ctx.archive.current, asked);
  const components = answerComponents(ctx, {
    question: asked.question,
    ...(asked.filters ? { filters: asked.filters } : {}),
    response: rendered.response,
    shown: rendered.shown,
    userId: asked.userId,
  });
  await reply(target, { content: rendered.content, components });
  ctx.metrics?.question(command, rendered.found ? 'answered' : 'nothing_found', startedAt);
}

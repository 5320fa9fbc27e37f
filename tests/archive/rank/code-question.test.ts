import { describe, expect, it } from 'vitest';
import { asksForCode } from '../../../src/archive/rank/code-question.js';

describe('asksForCode', () => {
  it('takes an API name, a call, a flag or an example as asking for code', () => {
    expect(asksForCode('what does server.port default to?')).toBe(true);
    expect(asksForCode('how do I use setCooldown here')).toBe(true);
    expect(asksForCode('is message.content empty?')).toBe(true);
    expect(asksForCode('what does --host do')).toBe(true);
    expect(asksForCode('an example of a modal please')).toBe(true);
  });

  it('does not take a product or file name as asking for code', () => {
    expect(asksForCode('can I limit what discord.js caches?')).toBe(false);
    expect(asksForCode('which Node.js version do I need')).toBe(false);
    expect(asksForCode('where do I put my token, config.json or .env?')).toBe(false);
    expect(asksForCode('my bot uses too much memory')).toBe(false);
  });

  it('still sees an API named beside a product name', () => {
    expect(asksForCode('in discord.js, what does interaction.deferReply do?')).toBe(true);
  });
});

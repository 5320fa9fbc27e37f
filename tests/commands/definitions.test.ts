import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { expect, test } from 'vitest';
import { commands, definitions } from '../../commands/index.js';
import { COMMAND_DESCRIPTION_MAX, COMMAND_NAME_PATTERN, COMMAND_OPTIONS_MAX, CONTEXT_MENU_NAME_MAX } from '../../src/discord/limits.js';

const slashDefinitions = definitions.filter((d) => d.type === ApplicationCommandType.ChatInput);
const menuDefinitions = definitions.filter((d) => d.type !== ApplicationCommandType.ChatInput);

test('the message context menu "Ask the archive" is registered as type 3, with no description or options', () => {
  expect(menuDefinitions).toEqual([expect.objectContaining({ type: ApplicationCommandType.Message, name: 'Ask the archive' })]);
  for (const d of menuDefinitions) {
    expect(d.name.length).toBeGreaterThan(0);
    expect(d.name.length).toBeLessThanOrEqual(CONTEXT_MENU_NAME_MAX);
    expect('description' in d || 'options' in d, d.name).toBe(false);
  }
});

test('every slash command definition is within Discord’s limits (names, descriptions, options)', () => {
  expect(new Set(definitions.map((d) => `${d.type}:${d.name}`)).size).toBe(definitions.length);
  for (const d of slashDefinitions) {
    expect(d.name).toMatch(COMMAND_NAME_PATTERN);
    expect(d.description.length).toBeGreaterThan(0);
    expect(d.description.length, d.name).toBeLessThanOrEqual(COMMAND_DESCRIPTION_MAX);
    const options = 'options' in d ? d.options : [];
    expect(options.length).toBeLessThanOrEqual(COMMAND_OPTIONS_MAX);
    let optionalSeen = false;
    for (const o of options) {
      expect(o.name).toMatch(COMMAND_NAME_PATTERN);
      expect(o.description.length, `${d.name} ${o.name}`).toBeLessThanOrEqual(COMMAND_DESCRIPTION_MAX);
      // Discord requires required options before optional ones.
      const required = 'required' in o && o.required === true;
      if (required) expect(optionalSeen, `${d.name} ${o.name}`).toBe(false);
      else optionalSeen = true;
      if ('autocomplete' in o && o.autocomplete) expect(o.type).toBe(ApplicationCommandOptionType.String);
    }
  }
});

test('a command with autocomplete options has an autocomplete handler; only the admin commands are gated by default', () => {
  for (const c of commands) {
    const options = 'options' in c.definition ? c.definition.options : [];
    if (options.some((o) => 'autocomplete' in o && o.autocomplete)) expect('autocomplete' in c, c.definition.name).toBe(true);
  }
  expect(definitions.filter((d) => 'default_member_permissions' in d).map((d) => d.name)).toEqual(['reload', 'upload', 'remove']);
});

/**
 * Every command (slash commands and the message context menu), in one static list: the bot
 * dispatches from it and `npm run register` sends its definitions to Discord, so the two can never disagree.
 */
import type { BotCommand } from '../src/bot/context.js';
import * as archive from './archive.js';
import * as ask from './ask.js';
import * as askMessage from './ask-message.js';
import * as help from './help.js';
import * as reload from './reload.js';
import * as remove from './remove.js';
import * as search from './search.js';
import * as source from './source.js';
import * as upload from './upload.js';

export const commands = [ask, search, source, archive, reload, upload, remove, help, askMessage] as const satisfies readonly BotCommand[];

export const definitions = commands.map((command) => command.definition);

/**
 * Discord's limits, in one place. Every reply the bot builds is fitted to these before it is sent,
 * so Discord never has to reject a message for its size.
 * Source: https://discord.com/developers/docs/resources/message and …/interactions/application-commands
 */

/** Characters of plain message content. */
export const MESSAGE_CONTENT_MAX = 2000;

/** Embeds per message. */
export const EMBEDS_PER_MESSAGE_MAX = 10;
export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const EMBED_FIELD_NAME_MAX = 256;
export const EMBED_FIELD_VALUE_MAX = 1024;
export const EMBED_FOOTER_TEXT_MAX = 2048;
export const EMBED_AUTHOR_NAME_MAX = 256;
/** Sum of all titles, descriptions, field names and values, footers and author names of a message's embeds. */
export const EMBED_TOTAL_MAX = 6000;

/** Slash-command definitions: name, description, options per command, choices per option. */
export const COMMAND_NAME_PATTERN = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
export const COMMAND_DESCRIPTION_MAX = 100;
export const COMMAND_OPTIONS_MAX = 25;
/** A context-menu command's name: 1–32 characters, spaces and capitals allowed (it has no description). */
export const CONTEXT_MENU_NAME_MAX = 32;

/** Autocomplete: choices per response, and characters of a choice's name and (string) value. */
export const AUTOCOMPLETE_CHOICES_MAX = 25;
export const AUTOCOMPLETE_NAME_MAX = 100;
export const AUTOCOMPLETE_VALUE_MAX = 100;

/** A component's custom_id. */
export const CUSTOM_ID_MAX = 100;
/** Interaction tokens (and so edits and follow-ups) stay valid this long. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

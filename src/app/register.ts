/**
 * `npm run register`: registers the slash commands (see registration.ts).
 * `npm run register -- --clear` removes them from the same target instead.
 */
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { definitions } from '../../commands/index.js';
import { ConfigError, PROJECT_ROOT, parseConfig } from '../bot/config.js';
import { redact } from '../discord/logger.js';
import { formatRegisterResult, registerCommands } from '../discord/registration.js';

loadDotenv({ path: join(PROJECT_ROOT, '.env'), quiet: true });

try {
  const config = parseConfig(process.env, { required: ['token', 'clientId'] });
  const clear = process.argv.slice(2).includes('--clear');
  const result = await registerCommands(config, clear ? [] : definitions);
  process.stdout.write(`${formatRegisterResult(result)}\n`);
} catch (error) {
  const message =
    error instanceof ConfigError ? error.message : `Registration failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${redact(message, [process.env.DISCORD_TOKEN])}\n`);
  process.exitCode = 1;
}

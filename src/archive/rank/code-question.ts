/**
 * Whether a question asks for code: it names an API (`defineConfig`, `server.port`, `setCooldown()`,
 * `--host`, `import.meta.env`) or asks for an example or a way to write something. Such a question
 * is answered by a page's code as readily as by its prose; any other is answered in words first.
 */

// An identifier a person types only when naming code: camelCase, snake_case, a dotted path, a call,
// a command-line flag, or anything in backticks.
const CODE_NAME = /`[^`]+`|\b[a-z]+[A-Z]\w*|\b[A-Za-z]\w*_\w+|\b[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*|\w\(\)|(?:^|\s)--?[a-z][\w-]*/;
const ASKS_FOR_CODE =
  /\b(?:examples?|snippets?|sample code|code|syntax|how (?:do|can|should) (?:i|you|we) (?:write|import|declare|define|call|use)|how to (?:write|import|declare|define|call))\b/i;
// A product or file named by a dotted name ("discord.js", "Node.js", "config.json", "index.html"):
// a help channel names its library in most questions, and that asks for nothing in particular.
const PRODUCT_OR_FILE_NAME =
  /\b[A-Za-z][\w-]*\.(?:js|ts|mjs|cjs|jsx|tsx|json|html|css|md|vue|svelte|ya?ml|toml|txt|env|io|dev|org|com)\b/gi;

export function asksForCode(question: string): boolean {
  const rest = question.replace(PRODUCT_OR_FILE_NAME, ' ');
  return CODE_NAME.test(rest) || ASKS_FOR_CODE.test(question);
}

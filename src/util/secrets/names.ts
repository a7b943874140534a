/**
 * Whether a name (a JSON key, an environment variable, a flag) holds a
 * secret, and whether a value is only a placeholder for one. `GITHUB_TOKEN`,
 * `DB_PASSWORD`, `apiKey`, `client-secret` hold secrets; `max_tokens`,
 * `tokenizer`, `secret_sauce`, `key`, `token_type` do not.
 */

/** Last words that make a name a secret's, whatever comes before. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'authorization',
  'cookie',
  'dsn',
])

/** Words that make `key` (or `string`) a secret's when they come right before it. */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'client',
  'session',
  'signing',
  'encryption',
  'master',
  'license',
  'ssh',
  'account',
  'service',
  'subscription',
  'storage',
  'app',
  'admin',
  'write',
  'deploy',
  'webhook',
  'connection',
])

/** Words that make `pass` a password when they come right before it. */
const PASS_QUALIFIERS = new Set([
  'db',
  'database',
  'mysql',
  'pg',
  'postgres',
  'redis',
  'smtp',
  'mail',
  'user',
  'admin',
  'root',
  'ftp',
  'ldap',
  'proxy',
  'login',
  'http',
  'basic',
  'rabbitmq',
  'mongo',
  'sql',
  'ssh',
])

/** Words after which a name is about a secret but is not one (`password_hash`, `token_type`, `secret_name`). */
const NOT_SECRET_LAST = new Set(['id', 'ids', 'type', 'name', 'hash', 'length', 'len', 'count', 'file', 'path', 'url'])

/** A name's words: split at separators and camelCase humps, lower-cased, a password's number dropped (`password2`). */
function words(name: string): string[] {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      // (A password numbered, `DB_PASSWORD2`; not `token1 = tokens[1]` or `key2`, names code numbers as often as not.)
      .map(w => w.replace(/^(password|passwd|pwd)\d+$/, '$1'))
      .filter(Boolean)
  )
}

/** Names met lately and the answer: text repeats its names (and the answer costs a few microseconds). */
const known = new Map<string, boolean>()

/** Whether a value stored under `name` is a secret (see the module's header for examples). */
export function isSecretName(name: string): boolean {
  if (name.length > 80) return false
  let answer = known.get(name)
  if (answer === undefined) {
    answer = judgeName(name)
    if (known.size >= 4096) known.clear()
    known.set(name, answer)
  }
  return answer
}

function judgeName(name: string): boolean {
  const w = words(name)
  const last = w[w.length - 1]
  if (!last || NOT_SECRET_LAST.has(last)) return false
  if (SECRET_WORDS.has(last)) return true
  const before = w[w.length - 2]
  if ((last === 'key' || last === 'string') && before !== undefined) return KEY_QUALIFIERS.has(before)
  // `DB_PASS`, `SMTP_PASS`; not `PASS_TO_PASS` or `bypass`.
  if (last === 'pass' && before !== undefined) return PASS_QUALIFIERS.has(before)
  // `X-Api-Key-Header`, `api_key_value`: a qualified key followed by a last word that says nothing.
  for (let i = 1; i < w.length; i++) if (w[i] === 'key' && KEY_QUALIFIERS.has(w[i - 1]!)) return true
  return w.some(x => x === 'password' || x === 'passwd' || x === 'apikey')
}

/** Values that only stand for a secret: a variable (or the shell's `$?`, `$1`), a template, a type, a mask, an empty or redacted value. */
const PLACEHOLDER =
  /^(?:|true|false|null|none|nil|undefined|str|string|int|bool|boolean|number|bytes|required|optional|secret|password|token|changeme|\*+|x+|\.{3}|…|<[^<>]*>|\[[^[\]]*\]|\{[^{}]*\}|\$\{?[A-Za-z_][\w.]*\}?|\$[?!$#@*\d-]|\$\(.*\)|\{\{.*\}\}|%[\w.]+%|[\w.]*(?:os\.environ|process\.env|getenv|env\()[\w.([\]'"]*.*|\[REDACTED[^\]]*\].*)$/i

/** Whether a value assigned to a secret's name is only a placeholder (`${TOKEN}`, `os.environ[...]`, `str`, `****`). */
export function isPlaceholder(value: string): boolean {
  return value.length <= 200 && PLACEHOLDER.test(value.trim())
}

/**
 * aco's own secret rules, beside gitleaks' (which find tokens of a known
 * shape): private key blocks, whole or cut short; values assigned to a
 * secret's name (`DB_PASSWORD=…`, `"token": "…"`, `--api-key …`),
 * credentials in URLs and in Authorization headers, JSON Web Tokens, and
 * long random tokens of no known format. Every pattern is linear on any
 * input (test/util/secret-rules.test.ts times each one on adversarial text).
 */
import {looksRandom, MAX_TOKEN, MIN_TOKEN, randomSegments} from './entropy.js'
import {isPlaceholder, isSecretName} from './names.js'

/** A stretch of text to hide, and what it was. */
export interface Span {
  start: number
  end: number
  kind: string
}

export interface Rule {
  id: string
  /** The pattern's source, where the rule is one pattern (for tests that build adversarial text from it). */
  source?: string
  /** Lower-case words one of which must be in a text for the rule to run; none: it always runs. */
  keywords: readonly string[]
  find(text: string, out: Span[]): void
}

const BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g
const END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g
/** The body of a key: base64, line breaks (real or escaped in JSON), headers of encrypted keys. */
const BODY = /(?:[A-Za-z0-9+/=\s:,-]|\\[nrt])*/y

/** PEM private keys: BEGIN to END, or to the end of the base64 body when the END line is missing (a cut key). */
const privateKey: Rule = {
  id: 'private-key',
  keywords: ['private key'],
  find(text, out) {
    BEGIN.lastIndex = 0
    let noEndAfter = Number.POSITIVE_INFINITY
    for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
      const start = m.index
      let end = -1
      if (start < noEndAfter) {
        END.lastIndex = BEGIN.lastIndex
        const e = END.exec(text)
        if (e) end = e.index + e[0].length
        else noEndAfter = start
      }
      if (end < 0) {
        BODY.lastIndex = BEGIN.lastIndex
        BODY.exec(text)
        end = BODY.lastIndex
      }
      out.push({start, end, kind: 'private-key'})
      BEGIN.lastIndex = end
    }
  },
}

/**
 * A secret-ish word, then the rest of the name, a separator and the value:
 * `PASSWORD=x`, `"api_key": "x"`, `token: x`, `\"secret\":\"x\"` (JSON in a
 * string). The name's start is found by looking back from the word.
 */
const ASSIGNMENT =
  /(?:pass|pwd|secret|token|key|cred|auth|cookie|dsn)[A-Za-z0-9_.-]{0,40}(\\?["']?[ \t]{0,3}(?::=|=>|=|:)[ \t]{0,3})(?:(\\?["'])|(?=[^\s"'\\]))/gi
/** [A-Za-z0-9_.-] */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
}

/** The value after a separator: to the closing quote, or to whitespace and punctuation. */
function valueEnd(text: string, start: number, quote: string | undefined): number {
  const limit = Math.min(text.length, start + 1024)
  let i = start
  if (quote) {
    const q = quote[quote.length - 1]!
    const escaped = quote.length === 2
    for (; i < limit; i++) {
      const c = text[i]!
      if (c === '\n') break
      if (escaped ? c === '\\' && text[i + 1] === q : c === q) break
      if (!escaped && c === '\\') i++
    }
    return i
  }
  for (; i < limit; i++) {
    const c = text.charCodeAt(i)
    // whitespace, quotes, comma, semicolon, closing brackets, backslash (an escaped line break in JSON)
    if (c <= 32 || c === 34 || c === 39 || c === 44 || c === 59 || c === 41 || c === 93 || c === 125 || c === 92) break
  }
  return i
}

const assignment: Rule = {
  id: 'secret-assignment',
  keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'cred', 'auth', 'cookie', 'dsn'],
  find(text, out) {
    ASSIGNMENT.lastIndex = 0
    for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
      const sep = m[1]!
      const nameEnd = m.index + m[0].length - sep.length - (m[2]?.length ?? 0)
      let nameStart = m.index
      const floor = Math.max(0, m.index - 64)
      while (nameStart > floor && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--
      // A flag (`--password=`) keeps its dashes out of the name.
      const name = text.slice(nameStart, nameEnd).replace(/^-+/, '')
      // Authorization headers have a rule of their own (the scheme stays readable).
      if (!isSecretName(name) || /authorization$/i.test(name)) continue
      const start = m.index + m[0].length
      const end = valueEnd(text, start, m[2])
      // The value is read once: the next name is looked for after it.
      ASSIGNMENT.lastIndex = Math.max(ASSIGNMENT.lastIndex, end)
      if (plausibleValue(name, text.slice(start, end))) out.push({start, end, kind: 'secret-assignment'})
    }
  },
}

/** A value worth hiding: not a placeholder; for keys and tokens (not passwords) long enough and not a number. */
function plausibleValue(name: string, value: string): boolean {
  if (value.length === 0 || isPlaceholder(value)) return false
  // Code, not a value: an object, a list, a call (`{success: …}`, `np.mean(…)`).
  if (/^[{[(]/.test(value) || /\w\(/.test(value)) return false
  if (/pass|pwd/i.test(name)) return true
  // Keys and tokens are random: not a number, not words or a dotted name (`tokenizer.eos_token`).
  return value.length >= 8 && !/^[\d.]+$/.test(value) && !/^[A-Za-z_.-]+$/.test(value)
}

/** `--password hunter2`, `-p` is too common to trust; the flag names a secret, the value follows a space. */
const FLAG = /(?<![\w-])--?[A-Za-z][A-Za-z0-9-]{0,40}[ \t]{1,8}(?=[^\s-])/g
const flagValue: Rule = {
  id: 'secret-flag',
  keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'cred', 'auth', '-u', '--user'],
  find(text, out) {
    FLAG.lastIndex = 0
    for (let m = FLAG.exec(text); m; m = FLAG.exec(text)) {
      const name = m[0].trim().replace(/^-+/, '')
      const user = name === 'u' || name === 'user'
      if (!user && !isSecretName(name)) continue
      const start = m.index + m[0].length
      const quote = text[start] === '"' || text[start] === "'" ? text[start] : undefined
      const from = quote ? start + 1 : start
      const end = valueEnd(text, from, quote)
      if (user) {
        // curl -u user:password, or -u KEY: (Stripe's way): all of it (not date -u +%H:%M)
        if (!/\bcurl\b/.test(text.slice(Math.max(0, m.index - 200), m.index))) continue
        const colon = text.indexOf(':', from)
        if (colon < 0 || colon >= end || end - from < 2) continue
      } else if (!plausibleValue(name, text.slice(from, end))) continue
      out.push({start: from, end, kind: 'secret-flag'})
    }
  },
}

/**
 * Passwords clients take on their command line under a flag no name says is one: `mysql -uroot -pS3cret` (the
 * value joined to `-p`), `sshpass -p S3cret`, `redis-cli -a S3cret`, `docker login -u me -p S3cret`. Each pattern
 * is bounded (at most 200 characters between the program and its flag), so it stays linear on any input.
 */
const CLIENT_PASSWORDS: readonly RegExp[] = [
  /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n;&|]{0,200}?[ \t]-p(?=[^\s'"-])([^\s'";&|]{1,200})/g,
  /\bsshpass[ \t]+-p[ \t]*([^\s'";&|]{1,200})/g,
  /\bredis-cli\b[^\n;&|]{0,200}?[ \t]-a[ \t]+([^\s'";&|]{1,200})/g,
  /\b(?:docker|podman|nerdctl|helm)[ \t]+(?:registry[ \t]+)?login\b[^\n;&|]{0,200}?[ \t](?:-p|--password)(?:[ \t]+|=)([^\s'";&|]{1,200})/g,
]
const clientPassword: Rule = {
  id: 'client-password',
  keywords: ['mysql', 'mariadb', 'sshpass', 'redis-cli', 'login'],
  find(text, out) {
    for (const re of CLIENT_PASSWORDS) {
      re.lastIndex = 0
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const value = m[1]!
        if (isPlaceholder(value) || value.startsWith('$')) continue
        const end = m.index + m[0].length
        out.push({start: end - value.length, end, kind: 'client-password'})
      }
    }
  },
}

/**
 * `scheme://user:password@host`: the password. Found from each `://`: the
 * authority after it ends at the first `/`, so no two are ever read twice.
 */
const TOKEN_USER = /^(?=[^@]*\d)(?=[^@]*[A-Za-z])[A-Za-z0-9_-]+$/
const urlCredentials: Rule = {
  id: 'url-credentials',
  keywords: ['://'],
  find(text, out) {
    for (let p = text.indexOf('://'); p >= 0; p = text.indexOf('://', p + 3)) {
      const from = p + 3
      const limit = Math.min(text.length, from + 512)
      let at = -1
      let colon = -1
      let i = from
      for (; i < limit; i++) {
        const c = text.charCodeAt(i)
        // / ? # whitespace " ' < > \ end the authority
        if (c === 47 || c === 63 || c === 35 || c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92)
          break
        if (c === 64) at = i
        else if (c === 58 && colon < 0 && at < 0) colon = i
      }
      if (at > 0 && colon >= 0 && colon < at - 1) out.push({start: colon + 1, end: at, kind: 'url-credentials'})
      // A token as the user alone (`https://<40 hex>@github.com`, how git is given one): long, of token characters,
      // letters and digits both (not `git@`, not a name).
      else if (at > from && colon < 0 && at - from >= 20 && TOKEN_USER.test(text.slice(from, at)))
        out.push({start: from, end: at, kind: 'url-credentials'})
    }
  },
}

/**
 * Authorization headers: `Authorization: <scheme> <credentials>` (any scheme,
 * or none), `Bearer <token>` anywhere, and `Basic <base64>` anywhere when the
 * base64 holds `user:password` (so "Basic authentication" stays).
 */
const AUTH_HEADER =
  /authorization\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?(?:(?:basic|bearer|token|digest|negotiate|ntlm|apikey|aws4-hmac-sha256)[ \t]+)?/gi
const BEARER = /\bbearer[ \t]{1,4}(?=[A-Za-z0-9._~+/=-]{16})/gi
const TOKEN_CHAR = /[A-Za-z0-9._~+/=-]/
const BASIC = /\bbasic[ \t]+([A-Za-z0-9+/]{6,1024}={0,2})(?![A-Za-z0-9+/=])/gi
const authorization: Rule = {
  id: 'authorization',
  keywords: ['authorization', 'bearer', 'basic'],
  find(text, out) {
    AUTH_HEADER.lastIndex = 0
    for (let m = AUTH_HEADER.exec(text); m; m = AUTH_HEADER.exec(text)) {
      const start = m.index + m[0].length
      const end = headerEnd(text, start)
      if (end > start) out.push({start, end, kind: 'authorization'})
      AUTH_HEADER.lastIndex = Math.max(AUTH_HEADER.lastIndex, end)
    }
    BEARER.lastIndex = 0
    for (let m = BEARER.exec(text); m; m = BEARER.exec(text)) {
      const start = m.index + m[0].length
      let end = start
      while (end < text.length && end - start < 4096 && TOKEN_CHAR.test(text[end]!)) end++
      out.push({start, end, kind: 'authorization'})
      BEARER.lastIndex = end
    }
    BASIC.lastIndex = 0
    for (let m = BASIC.exec(text); m; m = BASIC.exec(text)) {
      const value = m[1]!
      if (!basicCredentials(value)) continue
      const end = m.index + m[0].length
      out.push({start: end - value.length, end, kind: 'authorization'})
    }
  },
}

/** Where a header's value ends: the end of the line, a closing quote, or an escaped line break. */
function headerEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + 4096)
  let i = start
  for (; i < limit; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || c === 13 || c === 34 || c === 39 || c === 92) break
  }
  while (i > start && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--
  return i
}

function basicCredentials(value: string): boolean {
  if (value.length % 4 !== 0) return false
  const decoded = Buffer.from(value, 'base64').toString('latin1')
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded)
}

/** JSON Web Tokens; the look-behind lets a match start only where a run of token characters starts (linear). */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g
const jwt: Rule = {
  id: 'jwt',
  keywords: ['eyj'],
  find(text, out) {
    JWT.lastIndex = 0
    for (let m = JWT.exec(text); m; m = JWT.exec(text))
      out.push({start: m.index, end: m.index + m[0].length, kind: 'jwt'})
  },
}

/** API keys of the big model providers in their looser shapes (gitleaks pins exact lengths). */
const PROVIDER_KEY = /(?<![A-Za-z0-9_-])sk-(?:ant-[a-z]+\d*-|proj-|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,}/g
const providerKey: Rule = {
  id: 'api-key',
  keywords: ['sk-'],
  find(text, out) {
    PROVIDER_KEY.lastIndex = 0
    for (let m = PROVIDER_KEY.exec(text); m; m = PROVIDER_KEY.exec(text)) {
      // A provider's prefix says enough; a bare `sk-` needs the digits and capitals of a real key
      // (`sk-learn-compatible-models` has none).
      if (/^sk-(?:ant-|proj-|svcacct-|admin-|or-v1-)/.test(m[0]) || (/\d/.test(m[0]) && /[A-Z]/.test(m[0])))
        out.push({start: m.index, end: m.index + m[0].length, kind: 'api-key'})
    }
  },
}

/**
 * AWS access key ids in a looser shape than gitleaks' (which takes the base-32 alphabet of real ones, A–Z and 2–7):
 * any capital or digit after the prefix, so that a key written by hand or made up for a test (`AKIA1234567890ABCDEF`)
 * is hidden too (trial 74). Twenty characters exactly, standing alone.
 */
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g
const awsKeyId: Rule = {
  id: 'aws-access-token',
  keywords: ['a3t', 'akia', 'asia', 'abia', 'acca'],
  find(text, out) {
    AWS_KEY_ID.lastIndex = 0
    for (let m = AWS_KEY_ID.exec(text); m; m = AWS_KEY_ID.exec(text)) {
      // (AWS's documentation's own example, `AKIAIOSFODNN7EXAMPLE`, as gitleaks leaves it; and no run of one character.)
      if (m[0].endsWith('EXAMPLE') || /^(?:A3T.|AKIA|ASIA|ABIA|ACCA)(.)\1{15}$/.test(m[0])) continue
      out.push({start: m.index, end: m.index + m[0].length, kind: 'aws-access-token'})
    }
  },
}

/**
 * Password hashes, which can be cracked offline whatever name holds them (`password_hash` names no secret): crypt's
 * modular formats, bcrypt (`$2b$12$` and 53 characters of salt and hash; also as docker-compose escapes it, `$$2b$$…`,
 * and with JSON's `\/`), MD5-crypt (`$1$`, Apache's `$apr1$`), the SHA-crypts (`$5$`, `$6$`, with `rounds=` or not),
 * yescrypt (`$y$`, Debian's and Ubuntu's default), scrypt (`$7$`), argon2; and PBKDF2 as Django and passlib write it.
 * The whole string, salt and all.
 */
const C = '(?:[./A-Za-z0-9]|\\\\/)'
const PASSWORD_HASH = new RegExp(
  [
    `\\$\\$?2[abxy]?\\$\\$?\\d{2}\\$\\$?${C}{53}`,
    `\\$(?:1|apr1)\\$${C}{1,8}\\$${C}{22}`,
    `\\$[56]\\$(?:rounds=\\d+\\$)?${C}{1,16}\\$${C}{43,86}`,
    `\\$y\\$${C}+\\$${C}+\\$${C}{43}`,
    `\\$7\\$${C}{11,}\\$${C}{43}`,
    '\\$argon2(?:id|i|d)\\$(?:v=\\d+\\$)?[\\w=,]+\\$[A-Za-z0-9+/]{8,}\\$[A-Za-z0-9+/]{16,}',
    '\\$?pbkdf2[-_](?:sha\\d+)?\\$\\d+\\$[./A-Za-z0-9+=]+\\$[./A-Za-z0-9+=]{16,}',
  ].join('|'),
  'g',
)
const passwordHash: Rule = {
  id: 'password-hash',
  keywords: [
    '$2a$',
    '$2b$',
    '$2x$',
    '$2y$',
    '$2$',
    '$$2',
    '$1$',
    '$apr1$',
    '$5$',
    '$6$',
    '$y$',
    '$7$',
    '$argon2',
    'pbkdf2',
  ],
  find(text, out) {
    PASSWORD_HASH.lastIndex = 0
    for (let m = PASSWORD_HASH.exec(text); m; m = PASSWORD_HASH.exec(text))
      out.push({start: m.index, end: m.index + m[0].length, kind: 'password-hash'})
  },
}

/** Long random tokens of no known format (see entropy.ts): runs of base64 characters, judged one by one. */
const highEntropy: Rule = {
  id: 'high-entropy',
  keywords: [],
  find(text, out) {
    if (text.length < MIN_TOKEN) return
    let start = -1
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0
      if (isTokenCharCode(c)) {
        if (start < 0) start = i
        continue
      }
      if (start >= 0) {
        let end = i
        // Padding ends a token (`==`), and belongs to it.
        while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61) end++
        const len = end - start
        const token = len >= MIN_TOKEN && len <= MAX_TOKEN ? text.slice(start, end) : ''
        if (token && looksRandom(token)) {
          // (In a path, only the segments that hold the random part: trial 98's paths had gone whole.)
          const segments = randomSegments(token)
          if (segments)
            for (const [a, b] of segments) out.push({start: start + a, end: start + b, kind: 'high-entropy'})
          else out.push({start, end, kind: 'high-entropy'})
        }
        start = -1
        i = end > i ? end - 1 : i
      }
    }
  },
}

/** The characters of the tokens the entropy rule judges. */
export const TOKEN_CHAR_SET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-'
const TOKEN_CHARS = new Uint8Array(128)
for (const ch of TOKEN_CHAR_SET) TOKEN_CHARS[ch.charCodeAt(0)] = 1

/** Whether a UTF-16 code unit is one of `TOKEN_CHAR_SET` (base64's and base64url's alphabet). */
export function isTokenCharCode(c: number): boolean {
  return c < 128 && TOKEN_CHARS[c] === 1
}
/** A token needs a run of token characters this long at least (its length may count two `=` of padding). */
export const MIN_TOKEN_RUN = MIN_TOKEN - 2

export const OWN_RULES: readonly Rule[] = [
  privateKey,
  assignment,
  flagValue,
  clientPassword,
  urlCredentials,
  authorization,
  jwt,
  providerKey,
  awsKeyId,
  passwordHash,
]
export const ENTROPY_RULE = highEntropy

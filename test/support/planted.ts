/**
 * Planted secrets: credentials of each provider's real shape, built at run
 * time from a seeded random source, so the repository holds no string a
 * secret scanner (or GitHub's push protection) would take for a live key.
 * Each comes with the text an agent's log would show it in.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same secrets. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const ALNUM = UPPER + LOWER + DIGITS
const B64 = `${ALNUM}+/`
const B64URL = `${ALNUM}-_`
const HEX = '0123456789abcdef'

export interface Planted {
  /** What it is: a provider's key, a password in an assignment, … */
  kind: string
  /** The secret itself: none of it may reach any output. */
  secret: string
  /** A line of a log that shows it. */
  text: string
}

/** Joins pieces: the prefixes of real keys are written apart in this file, never whole. */
const j = (...parts: string[]): string => parts.join('')

/** Secrets of every shape aco must hide, from `seed`. */
export function plantedSecrets(seed = 1): Planted[] {
  const r = rng(seed)
  const pick = (alphabet: string, n: number): string => {
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)]
    return s
  }
  /** Random text of `alphabet` with at least one upper-case letter, one lower-case and one digit (as real keys have). */
  const mixed = (alphabet: string, n: number): string => {
    for (;;) {
      const s = pick(alphabet, n)
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s)) return s
    }
  }
  const b64url = (text: string): string => Buffer.from(text).toString('base64url')
  const out: Planted[] = []
  const add = (kind: string, secret: string, text: (s: string) => string): void => {
    out.push({kind, secret, text: text(secret)})
  }

  add('aws-access-key-id', j('AK', 'IA', pick(`${UPPER}234567`, 16)), s => `aws configure set aws_access_key_id ${s}`)
  add('aws-secret-bare', mixed(B64, 40), s => `the second column is ${s} (copied from the console)`)
  add('aws-secret-env', mixed(B64, 40), s => `AWS_SECRET_ACCESS_KEY=${s}`)
  add('github-classic', j('gh', 'p_', mixed(ALNUM, 36)), s => `git remote set-url origin https://${s}@github.com/o/r`)
  add('github-token-env', j('gh', 'o_', mixed(ALNUM, 36)), s => `export GITHUB_TOKEN=${s}`)
  add('github-fine-grained', j('github', '_pat_', mixed(ALNUM, 22), '_', mixed(ALNUM, 59)), s => `token: ${s}`)
  add(
    'slack-bot',
    j('xo', 'xb-', pick(DIGITS, 12), '-', pick(DIGITS, 13), '-', mixed(ALNUM, 24)),
    s => `SLACK_BOT=${s}`,
  )
  add('stripe-live', j('sk', '_live_', mixed(ALNUM, 24)), s => `stripe.api_key = "${s}"`)
  add('stripe-restricted', j('rk', '_live_', mixed(ALNUM, 99)), s => `curl https://api.stripe.com/v1/charges -u ${s}:`)
  add('anthropic', j('sk-', 'ant-', 'api03-', mixed(B64URL, 93), 'AA'), s => `ANTHROPIC_API_KEY=${s}`)
  add('anthropic-in-text', j('sk-', 'ant-', 'api03-', mixed(B64URL, 93), 'AA'), s => `use the key ${s} for now`)
  add(
    'openai',
    j('sk-', 'proj-', mixed(B64URL, 74), 'T3Blbk', 'FJ', mixed(B64URL, 74)),
    s => `client = OpenAI(api_key="${s}")`,
  )
  add(
    'google',
    j('AI', 'za', mixed(B64URL, 35)),
    s => `https://maps.googleapis.com/maps/api/js?key=${s}&libraries=places`,
  )
  add(
    'jwt',
    j(
      b64url('{"alg":"HS256","typ":"JWT"}'),
      '.',
      b64url(`{"sub":"${pick(DIGITS, 10)}","name":"${pick(LOWER, 8)}","iat":${pick(DIGITS, 10)}}`),
      '.',
      Buffer.from(pick(B64, 32)).toString('base64url'),
    ),
    s => `Cookie: session=${s}`,
  )
  add('npm', j('np', 'm_', pick(LOWER + DIGITS, 36)), s => `//registry.npmjs.org/:_authToken=${s}`)
  add('gitlab', j('gl', 'pat-', mixed(B64URL, 20)), s => `GITLAB_TOKEN=${s}`)
  add('sendgrid', j('S', 'G.', mixed(B64URL, 22), '.', mixed(B64URL, 43)), s => `sendgrid key ${s}`)
  add('huggingface', j('h', 'f_', pick(UPPER + LOWER, 34)), s => `huggingface-cli login --token ${s}`)
  add('twilio', j('S', 'K', pick(HEX, 32)), s => `TWILIO_API_KEY=${s}`)
  add('password-short', pick(LOWER, 5) + pick(DIGITS, 2), s => `password=${s}`)
  add('db-password', mixed(ALNUM, 12), s => `DB_PASSWORD=${s}`)
  add('url-credentials', mixed(ALNUM, 14), s => `DATABASE_URL=postgres://app:${s}@db.internal:5432/prod`)
  add('basic-auth', mixed(ALNUM, 12), s => `Authorization: Basic ${Buffer.from(`admin:${s}`).toString('base64')}`)
  add('bearer', mixed(B64URL, 40), s => `curl -H "Authorization: Bearer ${s}" https://api.example.com`)
  add('json-token', mixed(ALNUM, 24), s => `{"token": "${s}", "user": "dev"}`)
  add('json-api-key', mixed(ALNUM, 32), s => `{"apiKey":"${s}"}`)
  add('yaml-secret', mixed(ALNUM, 20), s => `client_secret: ${s}`)
  add('entropy-unknown', mixed(B64URL, 48), s => `the vendor issued ${s} as our credential`)
  const pem = pick(B64, 1600)
    .match(/.{1,64}/g)!
    .join('\n')
  add('private-key', pem, s => j('-----BEGIN RSA ', 'PRIVATE KEY-----\n', s, '\n-----END RSA ', 'PRIVATE KEY-----'))
  return out
}

/** Secrets of `basic-auth` live in base64: the text's encoded part is what must not show. */
export function forbidden(p: Planted): string[] {
  if (p.kind === 'basic-auth') return [p.secret, p.text.slice(p.text.lastIndexOf(' ') + 1)]
  if (p.kind === 'private-key') return p.secret.split('\n').filter(l => l.length >= 16)
  return [p.secret]
}

/**
 * Where a secret shows in `output`, whole or in part: any 12 characters of it
 * in a row (or the whole of a shorter one). Undefined when it does not.
 */
export function leak(output: string, secret: string): string | undefined {
  if (secret.length <= 12) return output.includes(secret) ? secret : undefined
  for (let i = 0; i + 12 <= secret.length; i++) {
    const part = secret.slice(i, i + 12)
    if (output.includes(part)) return part
  }
  return undefined
}

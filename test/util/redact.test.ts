import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CardBuilder} from '../../src/card/build.js'
import {readTraceFile} from '../../src/read/read-file.js'
import {redactHead, redactText, redactValue} from '../../src/util/redact.js'
import {GITLEAKS} from '../../src/util/secrets/gitleaks-rules.js'
import {excerpt, titleOf} from '../../src/util/text.js'
import {forbidden, leak, plantedSecrets, rng} from '../support/planted.js'

const planted = plantedSecrets(7)
const secret = (kind: string): string => planted.find(p => p.kind === kind)!.secret
const textOf = (kind: string): string => planted.find(p => p.kind === kind)!.text

describe('redaction', () => {
  it('hides every planted secret of a real shape, in the text an agent would log it in', () => {
    for (const p of plantedSecrets(7)) {
      const out = redactText(p.text)
      for (const f of forbidden(p)) expect(leak(out, f), `${p.kind}: ${out}`).toBeUndefined()
      expect(out, p.kind).toMatch(/\[REDACTED:[\w-]+\]/)
    }
  })

  it('hides them for other seeds too (no lucky shapes)', () => {
    for (let seed = 100; seed < 140; seed++)
      for (const p of plantedSecrets(seed)) {
        const out = redactText(p.text)
        for (const f of forbidden(p)) expect(leak(out, f), `seed ${seed} ${p.kind}: ${out}`).toBeUndefined()
      }
  })

  it('hides an AWS access key id written with any capital or digit, not only the base-32 ones real ids use (trial 74)', () => {
    // (Put together here so that no scanner takes this file for a leak.)
    const made = ['AKIA', 'Q7XK2M9PLR4TZ8WB'].join('')
    expect(redactText(`aws_access_key_id = ${made}`)).toBe('aws_access_key_id = [REDACTED:aws-access-token]')
    expect(redactText(`deploy with key ${['AKIA', '1234567890ABCDEF'].join('')} now`)).toBe(
      'deploy with key [REDACTED:aws-access-token] now',
    )
    // Not inside a longer word, nor one character short or long; not AWS's documented example, nor one letter repeated.
    expect(redactText(`X${made}`)).toBe(`X${made}`)
    expect(redactText(made.slice(0, 19))).toBe(made.slice(0, 19))
    expect(redactText(`${made}Q`)).toBe(`${made}Q`)
    for (const placeholder of ['AKIAIOSFODNN7EXAMPLE', `AKIA${'A'.repeat(16)}`])
      expect(redactText(`key ${placeholder} here`)).toBe(`key ${placeholder} here`)
  })

  it('finds the names issue 12 listed: joined by _, in URLs, Basic auth, short passwords, secret-named JSON keys', () => {
    expect(redactText(textOf('aws-secret-env'))).toBe('AWS_SECRET_ACCESS_KEY=[REDACTED:secret-assignment]')
    expect(redactText(textOf('db-password'))).toBe('DB_PASSWORD=[REDACTED:secret-assignment]')
    expect(redactText(textOf('password-short'))).toBe('password=[REDACTED:secret-assignment]')
    expect(redactText(textOf('url-credentials'))).toBe(
      'DATABASE_URL=postgres://app:[REDACTED:url-credentials]@db.internal:5432/prod',
    )
    expect(redactText(textOf('basic-auth'))).toBe('Authorization: Basic [REDACTED:authorization]')
    expect(redactText(`"GITHUB_TOKEN": "${secret('github-token-env')}"`)).toMatch(
      /^"GITHUB_TOKEN": "\[REDACTED:[\w-]+\]"$/,
    )
    // A PHP or Perl variable is assigned its value; a variable printed before a colon may be a password's too (review 65).
    expect(redactText("$db_password = 'pwXq7v';")).toBe("$db_password = '[REDACTED:secret-assignment]';")
    // A number after a secret's word (review 65), and password hashes whatever names them, salt and all.
    expect(redactText('password2: violetHarbor')).toBe('password2: [REDACTED:secret-assignment]')
    expect(redactText('password_hash: $2b$12$KIXQ4u9y7bZc3dE5fG7hJ.O9pL2mN4qR6sT8uV0wX2yZ4aB6cD8eF done')).toBe(
      'password_hash: [REDACTED:password-hash] done',
    )
    expect(redactText(`root:$6$rounds=5000$saltsalt$${'a'.repeat(86)}:19000:0`)).toBe(
      'root:[REDACTED:password-hash]:19000:0',
    )
    // Review 66: MD5-crypt and Apache's apr1, yescrypt, docker-compose's `$$`, PBKDF2 as Django writes it.
    for (const hash of [
      '$apr1$abcd1234$0123456789abcdefghijkl',
      '$1$saltsalt$0123456789ABCDEFGHIJKL',
      `$y$j9T$Ab3dE5gH7jK9mN1pQ3sT5v$${'A'.repeat(43)}`,
      '$$2b$$12$$KIXQ4u9y7bZc3dE5fG7hJ.O9pL2mN4qR6sT8uV0wX2yZ4aB6cD8eF',
      'pbkdf2_sha256$260000$salt1234$abcdefghijklmnopqrstuvwxyz0123456789ABCD=',
    ])
      expect(redactText(`hash: ${hash} ok`)).toBe('hash: [REDACTED:password-hash] ok')
    // Code that numbers its tokens and text about secrets stay; so do `$2$1` in a replacement and prices.
    for (const plain of ['token1 = tokens[1]', "sed -E 's/(a)(b)/$2$1/'", 'price $5$ and $7$ each'])
      expect(redactText(plain)).toBe(plain)
    expect(redactText('echo "$DB_PASSWORD: correcthorsebattery"')).toBe(
      'echo "$DB_PASSWORD: [REDACTED:secret-assignment]"',
    )
    expect(redactText(textOf('stripe-live'))).toMatch(/^stripe\.api_key = "\[REDACTED:[\w-]+\]"$/)
    expect(
      redactValue({token: 'abc', nested: [{apiKey: 'x1'}], DB_PASSWORD: 'pw', key: 'Enter', max_tokens: 5}),
    ).toEqual({
      token: '[REDACTED:secret-field]',
      nested: [{apiKey: '[REDACTED:secret-field]'}],
      DB_PASSWORD: '[REDACTED:secret-field]',
      key: 'Enter',
      max_tokens: 5,
    })
    // A key that is data (a span id a trace wrote, a header) is redacted too; field names are left as they are.
    const inKey = `use the key ${secret('anthropic')} for now`
    const keys = Object.keys(redactValue({[inKey]: 'a0', c000000000000001: 'a0', cacheCreationInputTokens: 3}))
    expect(keys[0]).toMatch(/^use the key \[REDACTED:[\w-]+\] for now$/)
    expect(keys.slice(1)).toEqual(['c000000000000001', 'cacheCreationInputTokens'])
  })

  it("finds passwords clients take under flags no name says is one, and a token as a URL's user", () => {
    // (Built from pieces, so the repository holds no string of the shape.)
    const pw = ['Tr0ub', '4dor3'].join('')
    expect(redactText(`mysql -uroot -p${pw} -e "select 1"`)).toBe(
      'mysql -uroot -p[REDACTED:client-password] -e "select 1"',
    )
    expect(redactText(`mysqldump -h db -P 3306 -p${pw} app`)).toBe(
      'mysqldump -h db -P 3306 -p[REDACTED:client-password] app',
    )
    expect(redactText(`sshpass -p ${pw} ssh host`)).toBe('sshpass -p [REDACTED:client-password] ssh host')
    expect(redactText(`redis-cli -h cache -a ${pw} ping`)).toBe('redis-cli -h cache -a [REDACTED:client-password] ping')
    expect(redactText(`docker login -u me -p ${pw} registry.io`)).toBe(
      'docker login -u me -p [REDACTED:client-password] registry.io',
    )
    const hex = '0123456789abcdef'.repeat(3).slice(0, 40)
    expect(redactText(`git clone https://${hex}@github.com/o/r`)).toBe(
      'git clone https://[REDACTED:url-credentials]@github.com/o/r',
    )
    // Not passwords: a prompt for one, a variable, other programs' -p, a user's name.
    for (const plain of [
      'mysql -p db',
      'mysql -p$DB_PASS db',
      'ls -p src',
      'pip install -p x',
      'git clone git@github.com:o/r.git',
      'https://user@example.com/x',
    ])
      expect(redactText(plain), plain).toBe(plain)
  })

  it('leaves ordinary text alone: words about secrets, counts, code, ids, paths, hashes', () => {
    for (const plain of [
      'the token is fine',
      'tokenize(input)',
      'key = 1',
      'const secret_sauce = recipe',
      'max_tokens=4096',
      'tokenizer: "cl100k_base"',
      'token_count: 12345',
      'password: str',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
      'password=${DB_PASSWORD}',
      'api_key = os.environ["OPENAI_API_KEY"]',
      // The shell's own parameters (`echo "$PWD: $?"` prints the status after the working folder).
      'PASSWORD=$1 TOKEN=$?',
      'npm run build; echo "$PWD: $?"',
      'FAIL_TO_PASS: {success: [], failure: []}',
      'tokenizer.pad_token = tokenizer.eos_token',
      'Basic authentication is enough here',
      'date -u +%Y-%m-%dT%H:%M:%SZ',
      'toolu_01A09q90qw90lq917835lq9 msg_01XFDUDYJgAACzvnptvVoYEL req_011CSHZ8fP5sY3vGfkX7mPq2',
      // (Claude Code's tool call ids through Bedrock, trial 76: `aco label` had listed them redacted.)
      'tooluse_3C8A2LAXSRqBhf6vZWfWUg',
      'commit 3f786850e387550fdab836ed7e6dc881de23001b and 550e8400-e29b-41d4-a716-446655440000',
      '/home/dev/projects/aco/src/components/Button2Primary/index.tsx',
      'class="CodeScripts_hero-api-wave__jOaB8"',
      'ReactDOMServerIntegrationHooks1Tests getElementsByTagName2TestSuiteRunner',
      'sk-learn-compatible-estimators-and-more',
      'https://example.com:8080/path?q=1',
    ])
      expect(redactText(plain)).toBe(plain)
  })

  it('keeps ids random on purpose: values of id fields are not judged by entropy', () => {
    const id = 'Ab3dE5gH7jK9mN1pQ3sT5vX7zB9cD1fG'
    expect(redactText(`the key ${id}`)).toContain('[REDACTED:high-entropy]')
    expect(redactValue({id, traceId: id, toolStepIds: [id], argsHash: id, text: id})).toEqual({
      id,
      traceId: id,
      toolStepIds: [id],
      argsHash: id,
      text: '[REDACTED:high-entropy]',
    })
  })

  it("redacts a path's parts: a key that a folder's slash or a file's extension follows (trial 32)", () => {
    const stripe = secret('stripe-live')
    const google = secret('google')
    const aws = secret('aws-access-key-id')
    const out = redactValue({
      path: `/tmp/fn/${aws}/${stripe}.jsonl`,
      cwd: `/home/dev/${google}/proj`,
      file: '/home/dev/projects/aco/src/app.module.ts',
    })
    expect(out.path).toBe('/tmp/fn/[REDACTED:aws-access-token]/[REDACTED:stripe-access-token].jsonl')
    expect(out.cwd).toBe('/home/dev/[REDACTED:gcp-api-key]/proj')
    expect(out.file).toBe('/home/dev/projects/aco/src/app.module.ts')
    // Claude Code's project folders put a dash for each slash; a key before a dash, a short stem's dot, an `@`
    // (REVIEW32).
    const more = redactValue({
      path: `/h/.claude/projects/-home-dev-${stripe}-proj/5f1c.jsonl`,
      file: `/h/logs/${stripe}-session.jsonl`,
      cwd: `/h/cfg.${stripe}.d/${google}.bak`,
      id: `${stripe}@host`,
    })
    for (const [field, value] of Object.entries(more)) {
      expect(leak(value, stripe), field).toBeUndefined()
      expect(leak(value, google), field).toBeUndefined()
    }
    expect(more.path).toMatch(/^\/h\/\.claude\/projects\/-home-dev-\[REDACTED:[\w-]+\]-proj\/5f1c\.jsonl$/)
    // Paths and ids of no secret stay as they are, dashes, dots and all.
    for (const plain of [
      '/home/dev/.claude/projects/-home-dev-my-app/5f1c2d3e-8a77-4c1b-9f3e-2b6d0a4c9e11.jsonl',
      '/usr/lib/node_modules/@scope/pkg-name/dist/index.min.js',
      'toolu_01ABCdefGHIjklMNOpqrSTUv',
      'msg_01XYZ-abc.def@host:8080',
    ])
      expect(redactValue({path: plain}).path).toBe(plain)
    // The same values anywhere else in a text keep being found as before.
    expect(leak(redactText(`cd /home/dev/${google}/proj`), google)).toBeUndefined()
  })

  it('hides the random segment of a path, not the path around it; every segment of a secret with slashes (trial 98)', () => {
    // A folder named by a random run id: the folders around it and the file stay readable.
    expect(redactText('/home/u/runs/vo-LZXgyEA0fH4u43jERJ6kyh/src/b.ts')).toBe(
      '/home/u/runs/[REDACTED:high-entropy]/src/b.ts',
    )
    expect(redactText('https://www.figma.com/design/Xq8ZkLm3Np7Rt2Vw9Ys4Hb/Landing-Page?node-id=1-2')).toBe(
      'https://www.figma.com/design/[REDACTED:high-entropy]/Landing-Page?node-id=1-2',
    )
    // Beside the random segment, one that is no plain words goes too (a shorter piece of the same secret, maybe).
    expect(redactText('secretpart/Ab3dE5gH7jK9mN1pQ3rS5tU7/xY9zA1bC3dE')).toBe(
      'secretpart/[REDACTED:high-entropy]/[REDACTED:high-entropy]',
    )
    // A secret with slashes and no word between them is hidden whole, as before.
    expect(redactText('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here')).toBe('key [REDACTED:high-entropy] here')
    // Segments that are OpenCode's ids are ids, as the ids alone are (trial 130: its storage paths).
    for (const storage of [
      '/home/u/.local/share/opencode/storage/message/ses_094543c98ffeLpQNuFXFVsZjKq/msg_c64c2f78affeQk2ZyWnLpQaBcD.json',
      '/home/u/.local/share/opencode/storage/part/msg_c64c2f78affeQk2ZyWnLpQaBcD/prt_c64c2f79b001Xq7ZyWnLpQaBcD.json',
    ])
      expect(redactText(storage)).toBe(storage)
    // A known prefix alone keeps no segment whole (review 132): OpenAI's old session key, a PHP session's file.
    for (const secret of [
      'sess-aZ3kQ9xLp2Vt7Rb4Nw8Ye5Hc6Jd0Mf1GsQ2Wx',
      'run-LZXgyEA0fH4u43jERJ6kyhQ2',
      'file-Ab3dE5gH7jK9mN1pQ3rS5tU7',
    ])
      expect(redactText(`https://api.example.com/billing/${secret}/usage`), secret).toBe(
        'https://api.example.com/billing/[REDACTED:high-entropy]/usage',
      )
    // Beside such an id, a random segment is still hidden, and the id kept.
    expect(redactText('/data/ses_094543c98ffeLpQNuFXFVsZjKq/vo-LZXgyEA0fH4u43jERJ6kyh/b.ts')).toBe(
      '/data/ses_094543c98ffeLpQNuFXFVsZjKq/[REDACTED:high-entropy]/b.ts',
    )
  })

  it('redacts an excerpt before cutting it: a key across the cut is hidden whole, no part kept', () => {
    const key = secret('anthropic-in-text')
    const text = `${'x'.repeat(290)} ${key} and more`
    const cut = excerpt(text, 300)
    expect(leak(cut, key)).toBeUndefined()
    expect(cut).toMatch(/… \[\+\d+ chars\]$/)
    expect(cut).not.toMatch(/\[REDACTED:[\w-]*…/)
    expect(excerpt(text, 300, false)).toContain(key.slice(0, 9))
  })

  it('hides a private key longer than the excerpt (its END line far past the cut)', () => {
    const p = planted.find(x => x.kind === 'private-key')!
    const text = `cat ~/.ssh/id_rsa\n${p.text}\n`
    const cut = excerpt(text, 300)
    for (const line of forbidden(p)) expect(leak(cut, line)).toBeUndefined()
    // and one cut short, with no END line at all
    const truncated = text.slice(0, 900)
    expect(redactText(truncated)).toBe('cat ~/.ssh/id_rsa\n[REDACTED:private-key]')
  })

  it('hides private keys inside JSON strings (line breaks escaped)', () => {
    const p = planted.find(x => x.kind === 'private-key')!
    const json = JSON.stringify({output: p.text})
    const out = redactText(json)
    for (const line of forbidden(p)) expect(leak(out, line)).toBeUndefined()
    expect(out).toBe('{"output":"[REDACTED:private-key]"}')
  })

  it('titles are redacted whole, then cut: a key across the 100th character leaks nothing', () => {
    const key = secret('github-classic')
    const prompt = `${'Fix the deploy script '.repeat(4)}using ${key} please\nmore lines`
    const title = titleOf(prompt)!
    expect(title.length).toBeLessThanOrEqual(101)
    expect(leak(title, key)).toBeUndefined()
    const card = new CardBuilder('claude-code', '/x.jsonl').build({id: 't', title: prompt})
    expect(leak(card.title!, key)).toBeUndefined()
  })

  it('gitleaks rules are data with their source and commit, and each one compiles', () => {
    expect(GITLEAKS.source).toMatch(/github\.com\/gitleaks\/gitleaks/)
    expect(GITLEAKS.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(GITLEAKS.rules.length).toBeGreaterThan(200)
    for (const r of GITLEAKS.rules) expect(() => new RegExp(r.source, `${r.flags}g`), r.id).not.toThrow()
  })

  it('random text never throws and comes back with the same text when nothing was found', () => {
    const r = rng(3)
    for (let i = 0; i < 300; i++) {
      let s = ''
      const n = Math.floor(r() * 200)
      for (let k = 0; k < n; k++) s += String.fromCharCode(Math.floor(r() * 0x3000))
      const out = redactText(s)
      if (!out.includes('[REDACTED')) expect(out).toBe(s)
    }
  })

  it('is decided per read, never inherited from an earlier read in the same thread', async () => {
    const key = secret('anthropic')
    const file = join(mkdtempSync(join(tmpdir(), 'aco-redact-')), 'session.jsonl')
    writeFileSync(
      file,
      `${[
        {
          type: 'user',
          uuid: 'u1',
          sessionId: 's',
          timestamp: '2026-01-01T00:00:00Z',
          message: {role: 'user', content: 'go'},
        },
        {
          type: 'assistant',
          uuid: 'a1',
          parentUuid: 'u1',
          sessionId: 's',
          requestId: 'r1',
          timestamp: '2026-01-01T00:00:01Z',
          message: {
            id: 'm1',
            role: 'assistant',
            model: 'claude-sonnet-4-5-20250929',
            content: [{type: 'tool_use', id: 't1', name: 'Bash', input: {command: `export KEY=${key}`}}],
            usage: {input_tokens: 10, output_tokens: 5},
          },
        },
      ]
        .map(r => JSON.stringify(r))
        .join('\n')}\n`,
    )
    const args = async (redact?: boolean): Promise<string> => {
      const result = await readTraceFile(file, redact === undefined ? {} : {redact})
      return JSON.stringify(result.cards[0]!.steps.find(s => s.kind === 'tool')!.tool!.arguments)
    }
    expect(await args(false)).toContain(key)
    // a reader that says nothing gets the default (redacted), whatever the read before asked for
    expect(await args()).not.toContain(key)
    expect(await args(false)).toContain(key)
    expect(await args(true)).not.toContain(key)
  })
})

describe('a key cut in two by a zero-width character', () => {
  it('is found whole, in a text and in an excerpt’s head, the invisible character dropped', () => {
    const key = 'ghp_NqVwYS81VP7xKd02LmQaZ9tRbC4uEwHj6sYf'
    const cut = `${key.slice(0, 15)}\u200b${key.slice(15)}`
    expect(redactText(`token ${key} here`)).toBe('token [REDACTED:github-pat] here')
    // (It used to keep the key's first 15 characters: the rest alone read as high entropy.)
    expect(redactText(`token ${cut} here`)).toBe('token [REDACTED:github-pat] here')
    const long = `git push with ${cut}\n${'x'.repeat(5000)}\n`.repeat(3)
    expect(redactHead(long, 300).slice(0, 60)).toBe('git push with [REDACTED:github-pat]\nxxxxxxxxxxxxxxxxxxxxxxxx')
  })
})

describe('ids redacted', () => {
  it('stay distinct and agree wherever the same id is named (trial 107: two sessions named after tokens read as one)', () => {
    const a = `sess-${secret('github-classic')}`
    const b = `sess-${plantedSecrets(8).find(p => p.kind === 'github-classic')!.secret}`
    const card = (id: string) => ({
      id,
      steps: [{id: 's1', flags: [{evidence: [id]}]}],
      children: [{parent: {traceId: id}}],
    })
    const [ra, rb] = [redactValue(card(a)), redactValue(card(b))]
    expect(ra.id).toMatch(/^sess-\[REDACTED:github-pat\]~[0-9a-f]{8}$/)
    expect(rb.id).toMatch(/^sess-\[REDACTED:github-pat\]~[0-9a-f]{8}$/)
    expect(ra.id).not.toBe(rb.id)
    expect(ra.steps[0]!.flags[0]!.evidence[0]).toBe(ra.id)
    expect(ra.children[0]!.parent.traceId).toBe(ra.id)
    expect(redactValue(card(a)).id).toBe(ra.id)
    // An id with nothing to redact, and a path (no identity), are as they were.
    expect(redactValue({id: 'toolu_01ABCdef', cwd: `/home/${a}`}).id).toBe('toolu_01ABCdef')
    expect(redactValue({cwd: `/home/${a}`}).cwd).toBe('/home/sess-[REDACTED:github-pat]')
  })
})

describe('names of words run together', () => {
  it('are no secrets, alone or in a path; random text of their length still is (trial 106)', () => {
    for (const name of ['SnakeCaseLowerNamingPolicy', 'useQueryClientProvider', 'ConfigureAwaitFalseAnalyzer'])
      for (const text of [`${name}.cs`, `Read src/Json/${name}.cs now`]) expect(redactText(text)).toBe(text)
    const random = rng(11)
    const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    let hidden = 0
    for (let n = 0; n < 200; n++) {
      let token = ''
      for (let i = 0; i < 32; i++) token += base62[Math.floor(random() * 62)]
      if (redactText(`key ${token}`) !== `key ${token}`) hidden++
    }
    expect(hidden).toBeGreaterThanOrEqual(198)
  })
})

describe('secrets written in base64', () => {
  it('are found by decoding a long run whose text is printable; a digest or plain text so written is not (trial 107)', () => {
    // (The kinds the rules of known shapes find; a bare random token is found by entropy alone, which reads a
    // certificate's lines so too, and is not looked for in what base64 decodes to.)
    for (const p of plantedSecrets(7).filter(
      p => p.text.length >= 24 && redactText(p.text, {entropy: false}) !== p.text,
    )) {
      const encoded = Buffer.from(p.text).toString('base64')
      const out = redactText(`data: ${encoded} end`)
      expect(out, p.kind).not.toContain(encoded)
    }
    const digest = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    expect(redactText(`sha256 ${digest}`)).toBe(`sha256 ${digest}`)
    const prose = Buffer.from('the build passed on every platform we support').toString('base64url')
    expect(redactText(`note ${prose}`)).not.toContain('base64-secret')
    // A certificate, public: its base64 as a kubeconfig holds it is kept.
    const random = rng(5)
    const der = Buffer.from(Array.from({length: 12 * 48}, () => Math.floor(random() * 256)))
    const body = der.toString('base64').match(/.{1,64}/g)!
    const pem = `-----BEGIN CERTIFICATE-----\n${body.join('\n')}\n-----END CERTIFICATE-----\n`
    const data = Buffer.from(pem).toString('base64')
    expect(redactText(`certificate-authority-data: ${data}`)).not.toContain('base64-secret')
  })

  it('a run of millions of base64 characters is read, not a stack overflow (trial 124: a 6 MB blob dropped its file)', () => {
    const blob = 'x'.repeat(7_000_000)
    expect(redactText(`data: ${blob} end`)).toBe(`data: ${blob} end`)
    // And a key encoded at the end of such a run, padding and all, is still found.
    const key = plantedSecrets(3).find(p => p.text.length >= 24 && redactText(p.text, {entropy: false}) !== p.text)!
    const encoded = Buffer.from(`${'q'.repeat(3_000_000)} ${key.text}`).toString('base64')
    expect(encoded.endsWith('=') || encoded.length % 4 === 0).toBe(true)
    expect(redactText(`v=${encoded};`)).toBe('v=[REDACTED:base64-secret];')
  })
})

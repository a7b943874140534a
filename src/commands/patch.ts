import {Flags} from '@oclif/core'
import {relative, resolve} from 'node:path'
import {AcoCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {ExitCode} from '../errors.js'
import {patch, type PatchResult} from '../patch/patch.js'
import {periodText} from '../patch/pr.js'
import {TARGETS} from '../patch/targets/index.js'
import {nothingToMerge, rulesOnly} from '../patch/types.js'
import {safeLine} from '../util/control.js'
import {usdSumming} from '../util/format.js'

export default class Patch extends AcoCommand {
  static override summary = 'Turn routing and prune decisions into config diffs for a pull request.'

  static override description =
    `Builds one routing policy from a router trained by aco train (router.json, with the evaluation.json beside it: an ex-ante router, a cascade or a per-step router) and from the prune suggestions a person accepted (a decisions file from aco review or aco label, and the cards they were made on), then renders it into the files the agents are configured by. Either input alone is enough.

Writes one NN-KIND-FILE.patch per file that changes (a unified diff that git apply takes from the file's repository root) and PR.md (what changes and why, the expected saving and its arithmetic, the router's evaluation, the evidence, how to roll back) into --out; nothing else on disk changes. With --write the files themselves are changed too, each original kept as FILE.aco-backup, and a file that changed since it was read, or is read-only, is refused: PR.md says which, its patch in --out to apply by hand. A file that already says what the policy says gets no patch ("already applied"; one that cannot express the rest of it is said so). What a file cannot express is listed in PR.md, never dropped.

Target kinds:
${TARGETS.map(t => `  ${t.kind}: ${t.describe}`).join('\n')}

Exit codes: 0 done; 2 usage error, found before any work (an unknown KIND, a missing file, a router or decisions file that fails its schema, a target outside this repository without --allow-outside); 3 done, but a target could not be read (its file and line are listed, nothing is written for it) or, with --write, changed since it was read; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> patch --router router/router.json --decisions aco-decisions.json --target aco-policy:aco-policy.json --target litellm:deploy/litellm.yaml',
    '<%= config.bin %> patch --decisions aco-decisions.json --target swe-agent:config/my-agent.yaml --out patches/',
    '<%= config.bin %> patch --router router/router.json --target claude-settings:.claude/settings.json --write',
    '<%= config.bin %> patch --cards cards/ --accept-above 0.9 --target claude-agent:.claude/agents/explorer.md',
    '<%= config.bin %> patch --cards cards/ --accept-above 0.9 --target instructions:CLAUDE.md --target claude-settings:.claude/settings.json',
  ]

  static override enableJsonFlag = true

  static override flags = {
    router: Flags.string({
      description:
        'router.json written by aco train, --cascade or --steps (its evaluation.json is read from beside it)',
      helpValue: 'FILE',
    }),
    evaluation: Flags.string({
      description: "the router's evaluation.json (default: beside the router)",
      helpValue: 'FILE',
    }),
    decisions: Flags.string({
      description: 'a decisions file from aco review or aco label: the prune suggestions accepted',
      helpValue: 'FILE',
    }),
    cards: Flags.string({
      description:
        'the cards the decisions were made on (cards.ndjson or its folder; default: the cards the decisions file names)',
      helpValue: 'CARDS',
    }),
    'accept-above': numberFlag({
      description: 'accept every flag of the cards at least this confident (0 to 1) that no decision rejected',
      helpValue: 'P',
      min: 0,
      max: 1,
    }),
    target: Flags.string({
      description: `a file to patch, as KIND:PATH (KIND: ${TARGETS.map(t => t.kind).join(', ')}); repeatable`,
      multiple: true,
      required: true,
      helpValue: 'KIND:PATH',
    }),
    out: Flags.string({description: 'folder for the patches and PR.md', default: 'aco-patches', helpValue: 'DIR'}),
    write: Flags.boolean({
      description: 'change the files themselves too (keeping FILE.aco-backup); the patches stay in --out as a record',
      default: false,
    }),
    'allow-outside': Flags.boolean({
      description: "patch files outside the current directory's repository (their diffs are relative to their own)",
      default: false,
    }),
  }

  async run(): Promise<PatchResult> {
    const {flags} = await this.parse(Patch)
    const acceptAbove = flags['accept-above']
    const cwd = process.cwd()
    const {result} = await patch({
      ...(flags.router ? {router: flags.router} : {}),
      ...(flags.evaluation ? {evaluation: flags.evaluation} : {}),
      ...(flags.decisions ? {decisions: flags.decisions} : {}),
      ...(flags.cards ? {cards: flags.cards} : {}),
      ...(acceptAbove !== undefined ? {acceptAbove} : {}),
      targets: flags.target,
      cwd,
      allowOutside: flags['allow-outside'],
      out: resolve(flags.out),
      write: flags.write,
    })
    if (!this.jsonEnabled()) {
      // (Each line as a safe one: the notes carry model and group names from the configs and the traces; review 83.)
      this.log(renderSummary(result, cwd).split('\n').map(safeLine).join('\n'))
      if (result.written)
        this.logToStderr(
          `wrote ${relative(cwd, result.pr)}${result.written.files.length > 1 ? ` and ${result.written.files.length - 1} patch${result.written.files.length === 2 ? '' : 'es'}` : ''} in ${relative(cwd, result.written.out) || '.'}`,
        )
      else this.logToStderr(`wrote ${relative(cwd, result.pr)}`)
      if (result.written?.stale.length)
        this.logToStderr(
          `left alone in ${relative(cwd, result.written.out) || '.'}: ${result.written.stale.join(', ')} (from an earlier run)`,
        )
    }
    if (result.targets.some(t => t.status === 'unreadable' || t.status === 'refused'))
      process.exitCode = ExitCode.partial
    return result
  }
}

function renderSummary(r: PatchResult, cwd: string): string {
  const lines: string[] = []
  const p = r.policy
  const guards = p.guards.callLimits.length + p.guards.duplicateCalls.length + p.guards.outputCaps.length
  const routing = p.tiers.length
    ? `${p.tiers.map(t => `${t.name} ${t.model}`).join(' · ')}; ${p.rules.length ? p.rules.map(x => x.id).join(', ') : `default ${p.default}`}`
    : 'no routing'
  lines.push(`aco patch · policy: ${routing} · ${guards} guard${guards === 1 ? '' : 's'}`)
  const kindWidth = Math.max(...r.targets.map(t => t.kind.length))
  const pathWidth = Math.max(...r.targets.map(t => t.path.length))
  for (const t of r.targets) {
    const what =
      t.status === 'patch'
        ? `${t.changes.length} change${t.changes.length === 1 ? '' : 's'} → ${t.patchFile}${t.appliesAsIs === false ? ' (does not apply as written: a line beside a change holds a secret, shown redacted; --write changes the file itself)' : ''}`
        : t.status === 'written'
          ? `${t.changes.length} change${t.changes.length === 1 ? '' : 's'} written${t.backup ? ` (original: ${relative(cwd, t.backup)}${t.backupHoldsSecret ? ', which holds the secret the file holds: delete it once the change is checked, and keep it out of commits' : ''})` : ''}${t.ownerNotKept ? `; its owner could not be kept (uid:gid ${t.ownerNotKept}): chown it back if a service reads it` : ''}`
          : t.status === 'already-applied'
            ? t.unsupported.length
              ? 'already says what it can express of the policy'
              : 'already applied'
            : t.status === 'nothing-to-do'
              ? t.unsupported.length
                ? 'no change it can express'
                : 'nothing in the policy concerns it'
              : `not patched: ${t.error?.line !== undefined ? `line ${t.error.line}: ` : ''}${t.error?.message ?? ''}`
    lines.push(
      `  ${String(t.index).padStart(2, '0')} ${t.kind.padEnd(kindWidth)}  ${t.path.padEnd(pathWidth)}  ${what}`,
    )
    if (t.unsupported.length)
      lines.push(
        `     ${' '.repeat(kindWidth)}  ${t.unsupported.length} thing${t.unsupported.length === 1 ? '' : 's'} it cannot express (PR.md)`,
      )
  }
  const s = r.saving
  // (Every file already says what the policy says: nothing to merge, so nothing to save, which is no figure measured.)
  const idle = !s.monthlyUsd && !s.pruneUsd ? nothingToMerge(r.targets, t => t.unsupported.length) : undefined
  const rulesAlone = !s.monthlyUsd && !s.pruneUsd && !s.routingMonthlyUsd && rulesOnly(r.targets)
  if (!p.tiers.length && !p.escalation.length && guards === 0 && !r.prunes.length)
    lines.push(
      'expected saving: none: the policy says nothing (no router given, and no accepted flag asks for a change)',
    )
  else if (rulesAlone)
    lines.push(
      'expected saving: none credited: the only change is rules for the agent, which it may not follow (PR.md)',
    )
  else if (idle)
    lines.push(
      idle === 'applied'
        ? 'expected saving: none: every file already says what the policy says (PR.md lists what is not credited)'
        : idle === 'partly'
          ? 'expected saving: none: every file already says what it can express of the policy, and the rest no file here can (PR.md says what)'
          : 'expected saving: none: no file here can express the policy (PR.md says what each cannot)',
    )
  else if (!s.monthlyUsd && !s.pruneUsd && s.routingMonthlyUsd === undefined && s.routingNote)
    // (Nothing counted on either side: "none", not a "$0.00 per 30 days" that reads as measured; trial 82.)
    lines.push(
      `expected saving: none credited (routing not counted: ${s.routingNote}; ${r.prunes.length ? 'no accepted waste a file here expresses saves anything' : 'no prune saving: no accepted waste'}; PR.md)`,
    )
  else if (s.monthlyUsd !== undefined) {
    // The total and its parts at one precision, so they add up as printed (trial 33: "$0.03 (routing saves $0.03, prune
    // saves $0.0072)"): to the hundredth of a cent when a part is under a cent.
    const money = usdSumming(s.monthlyUsd, [s.routingMonthlyUsd ?? 0, s.pruneMonthlyUsd ?? 0])
    const effect = (v: number): string => (v < 0 ? `costs ${money(-v)} more` : `saves ${money(v)}`)
    lines.push(
      `expected ${s.monthlyUsd < 0 ? 'extra cost' : 'saving'}: ${money(Math.abs(s.monthlyUsd))} per 30 days (routing ${s.routingMonthlyUsd !== undefined ? effect(s.routingMonthlyUsd) : 'not counted'}, ${s.pruneMonthlyUsd ? `prune ${effect(s.pruneMonthlyUsd)}` : 'no prune saving'}; the arithmetic is in PR.md)`,
    )
  } else if (s.period && (s.routingUsd !== undefined || s.pruneUsd)) {
    // Traces too short to scale to a month: the figure over the time they cover (trial 85: "see PR.md", and no total
    // there either).
    const total = (s.routingUsd ?? 0) + s.pruneUsd
    const money = usdSumming(total, [s.routingUsd ?? 0, s.pruneUsd])
    const effect = (v: number): string => (v < 0 ? `costs ${money(-v)} more` : `saves ${money(v)}`)
    lines.push(
      `expected ${total < 0 ? 'extra cost' : 'saving'}: ${money(Math.abs(total))} over the traces' period, ${periodText(s.period.days)}, too short to scale to 30 days (routing ${s.routingUsd !== undefined ? effect(s.routingUsd) : 'not counted'}, ${s.pruneUsd ? `prune ${effect(s.pruneUsd)}` : 'no prune saving'}; the arithmetic is in PR.md)`,
    )
  } else lines.push(`expected saving: see PR.md (${s.routingNote ?? 'no period to scale by'})`)
  if (r.offModels) lines.push(`warning: ${r.offModels}`)
  if (!rulesAlone && r.targets.some(t => t.kind === 'instructions' && (t.status === 'patch' || t.status === 'written')))
    lines.push('rules for the agent: not in the expected saving (instructions it may not follow; PR.md)')
  return lines.join('\n')
}

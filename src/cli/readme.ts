/**
 * The README's command reference, generated from the commands themselves
 * (summary, usage, flags, description, examples: what `--help` prints), in
 * the shape `oclif readme` writes, between `<!-- commands -->` and
 * `<!-- commandsstop -->`. `npm run readme` rewrites it; a test fails when
 * README.md and the commands disagree, so the reference cannot go stale.
 *
 * A small generator over oclif's own Config and Help rather than the `oclif`
 * package: that one installs 221 packages (54 MB, the AWS SDK for publishing,
 * its own pinned @oclif/core) for this one page.
 */
import {type Command, type Config, Help} from '@oclif/core'

const START = '<!-- commands -->'
const STOP = '<!-- commandsstop -->'
/** The width the help is wrapped to, whatever the terminal that generates it. */
const WIDTH = 120

/** `analyze [PATHS]`: the command and its arguments, optional ones in brackets. */
function usageOf(command: Command.Loadable): string {
  const args = Object.values(command.args)
    .filter(a => !a.hidden)
    .map(a => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`))
  return [command.id, ...args].join(' ')
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** oclif's help, asked for one command's text (what `aco COMMAND --help` prints) instead of printing it. */
class CommandHelp extends Help {
  text(command: Command.Loadable): string {
    return this.formatCommand(command)
  }
}

/** The reference: a list of the commands, then each command's help in a code block. */
export function commandReference(config: Config): string {
  const help = new CommandHelp(config, {maxWidth: WIDTH, stripAnsi: true, respectNoCacheDefault: true})
  const commands = config.commands.filter(c => !c.hidden).sort((a, b) => a.id.localeCompare(b.id))
  const list = commands.map(c => {
    const usage = `${config.bin} ${usageOf(c)}`
    return `* [\`${usage}\`](#${anchor(usage)})`
  })
  const sections = commands.map(c => {
    const title = (c.summary ?? c.description ?? '').trim().split('\n')[0]
    return [`### \`${config.bin} ${usageOf(c)}\``, '', title, '', '```', help.text(c).trim(), '```'].join('\n')
  })
  return [...list, '', ...sections.flatMap(s => [s, ''])].join('\n').trim()
}

/** `readme` with the text between the markers replaced by `reference`; throws when the markers are missing. */
export function withCommandReference(readme: string, reference: string): string {
  const start = readme.indexOf(START)
  const stop = readme.indexOf(STOP)
  if (start === -1 || stop < start) throw new Error(`README.md needs ${START} and ${STOP} around the command reference`)
  return `${readme.slice(0, start + START.length)}\n${reference}\n${readme.slice(stop)}`
}

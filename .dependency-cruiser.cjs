// Which stage of aco may import which: run by `npm run lint` (dependency-cruiser), so a wrong-way import
// fails the build instead of waiting for a reviewer. See README "Development" and /DESIGN.md's flow.
//
// The stages, lowest first. A stage may import the stages listed BEFORE it, never one listed after it,
// and no module may take part in an import cycle (within a folder or across folders):
//
//   errors   src/errors.ts: AcoError and exit codes (imports nothing)
//   util     pure helpers: text, width, format, redaction, atomic writes, file-system errors
//   card     the TraceCard types, builder and schema validation
//   discover walking paths, reading files' heads and lines
//   adapt    one adapter per format (and its companion hook), the adapter registry
//   detect   which format a file is: sniffs with the adapters' own tests
//   read     one file into cards: discover + detect + adapt (the stage above both)
//   price    USD per step
//   flag     waste detectors
//   analyze  the analyze service: units, threads, linking, summary, the cards writer
//   report   terminal, Markdown and SVG output of an analysis
//   review   the review: state, screens, decisions, labels
//   label    labels from evidence (aco label --auto): execution feedback, task outcomes, other models' runs
//   learn    routers: featurize, train, calibrate, evaluate
//   policy   the routing policy: from routers and accepted prunes; loadPolicy, route, runGuard
//   patch    patches to agents' configuration: one adapter per target kind, diffs, PR.md
//   services what a command does, start to finish, without oclif
//   cli      the oclif edge: the base command, shared flags, the terminal
//   commands one file per command: parse, call a service or the core, print
//
// src/index.ts (the library's entry) may import any stage but cli and commands.
const STAGES = [
  'errors',
  'util',
  'card',
  'discover',
  'adapt',
  'detect',
  'read',
  'price',
  'flag',
  'analyze',
  'report',
  'review',
  'label',
  'learn',
  'policy',
  'patch',
  'services',
  'cli',
  'commands',
]

/** The path pattern of a stage: a folder under src/, or src/errors.ts. */
const at = stage => (stage === 'errors' ? '^src/errors\\.ts$' : `^src/${stage}/`)
const anyOf = stages => stages.map(at).join('|')

const stageRules = STAGES.slice(0, -1).map((stage, i) => ({
  name: `${stage}-imports-only-lower-stages`,
  comment: `${stage} may import only ${STAGES.slice(0, i).join(', ') || 'nothing of aco'}; it imported a later stage`,
  severity: 'error',
  from: {path: at(stage)},
  to: {path: anyOf(STAGES.slice(i + 1))},
}))

module.exports = {
  forbidden: [
    ...stageRules,
    {
      name: 'index-is-not-the-cli',
      comment: 'the library entry (src/index.ts) must not load oclif or the commands',
      severity: 'error',
      from: {path: '^src/index\\.ts$'},
      to: {path: anyOf(['cli', 'commands'])},
    },
    {
      name: 'every-folder-is-a-stage',
      comment: `a folder under src/ that is not a stage: add it to STAGES in .dependency-cruiser.cjs, in its place`,
      severity: 'error',
      from: {path: '^src/', pathNot: `${anyOf(STAGES)}|^src/index\\.ts$`},
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'an import cycle: one of these modules must stop importing the other (move what both need lower)',
      severity: 'error',
      from: {},
      to: {circular: true},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing (a typo, or a dependency missing from package.json)',
      severity: 'error',
      from: {},
      to: {couldNotResolve: true},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    // Type-only imports count: a stage that needs another's types depends on it as much as on its code.
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
    reporterOptions: {text: {highlightFocused: true}},
  },
}

import {describe, expect, it} from 'vitest'
import {cardStepFeatures, RULE_CHEAP_KINDS, STEP_FEATURES, stepFeatures} from '../../src/learn/steps/features.js'
import {shellCard, type Call} from '../label/cards.js'

const session: Call[] = [
  {command: 'ls', turn: 1},
  {command: 'cat src/app.py', turn: 1},
  {command: 'python -m pytest tests', exit: 1, turn: 1},
  {command: "sed -i 's/a/b/' src/app.py", turn: 1},
  {command: 'python -m pytest tests', turn: 1},
  {command: '', text: 'Tests pass now.', turn: 1},
  {command: 'git diff', turn: 2},
  {command: 'rm -rf build', exit: 2, turn: 2},
]

const features = (calls: readonly Call[]) => cardStepFeatures(shellCard('s', calls), 0, {withAction: true})

describe('step features come from the card up to the step, never after', () => {
  it('a step’s features do not change when anything after it changes', () => {
    const full = features(session)
    for (let i = 0; i < session.length; i++) {
      // Everything after step i replaced: other commands, other results, more steps.
      const other: Call[] = [
        ...session.slice(0, i + 1),
        {command: 'python -m pytest', exit: 1, turn: 3},
        {command: 'cat /etc/hosts', turn: 3},
        {command: '', text: 'Giving up.', turn: 4},
      ]
      const changed = features(other)
      expect(changed[i]!.features, `step ${i}`).toEqual(full[i]!.features)
      expect(changed[i]!.text, `step ${i}`).toBe(full[i]!.text)
      // Cut right after step i: the same again.
      const cut = features(session.slice(0, i + 1))[i]!
      expect({features: cut.features, text: cut.text}).toEqual({features: full[i]!.features, text: full[i]!.text})
    }
  })

  it('the result of a step’s own call is not among its features (only the kind of call it makes)', () => {
    const ok = features(session)
    const failing = features(session.map((c, i) => (i === 3 ? {...c, exit: 1, chars: 9999} : c)))
    expect(failing[3]!.features).toEqual(ok[3]!.features)
    expect(ok[3]!.features.action).toBe('edit')
    // The fixed rule by tool kind's own decision: edits go to the strongest tier, reads and runs to the cheapest.
    expect(ok[3]!.features.rule_cheap).toBe(0)
    expect(ok.map(s => s.features.rule_cheap)).toEqual(
      ok.map(s => (RULE_CHEAP_KINDS.includes(String(s.features.action)) ? 1 : 0)),
    )
    // …but the next step sees it.
    expect(failing[4]!.features.prev_status).toBe('error')
    expect(ok[4]!.features.prev_status).toBe('ok')
  })

  it('without action, nothing of the step’s own output is used', () => {
    const a = cardStepFeatures(shellCard('s', session), 0, {withAction: false})
    const b = cardStepFeatures(
      shellCard(
        's',
        session.map((c, i) => (i === 2 ? {...c, command: 'cat README.md', exit: 0} : c)),
      ),
      0,
      {withAction: false},
    )
    expect(b[2]!.features).toEqual(a[2]!.features)
    expect(b[2]!.text).toBe(a[2]!.text)
    expect(Object.keys(a[2]!.features)).not.toContain('action')
    expect(Object.keys(a[2]!.features)).not.toContain('rule_cheap')
  })

  it('computes what the README documents', () => {
    const f = features(session)
    expect(f.map(s => s.features.prev_action)).toEqual([
      'start',
      'search',
      'read',
      'test',
      'edit',
      'test',
      'answer',
      'search',
    ])
    expect(f[3]!.features).toMatchObject({prev_status: 'error', prev_exit: '1', errors_recent: 1, position_in_turn: 3})
    expect(f[5]!.features.edit_streak).toBe(0)
    expect(f[6]!.features).toMatchObject({person_spoke: 1, position_in_turn: 0, turns_so_far: 2})
    // Step 4 ran step 2's pytest again: a retry within the last five steps.
    expect(f[5]!.features.retries_recent).toBe(1)
    expect(f[4]!.features.retries_recent).toBe(0)
    for (const s of f) for (const name of Object.keys(s.features)) expect(STEP_FEATURES).toContain(name)
  })

  it('a subagent’s first step knows what its parent asked it, and its depth', () => {
    const parent = shellCard('p', [{command: 'ls'}])
    parent.steps.push({
      index: 2,
      id: 'task',
      kind: 'tool',
      parentStepId: 'p-l0',
      tool: {
        callId: 'task',
        name: 'Task',
        arguments: {description: 'find the config loader', prompt: 'look in src/config'},
        argsHash: 'task',
        status: 'ok',
      },
    })
    const child = shellCard('p/agent', [{command: 'grep -r load src/config'}], {
      parent: {traceId: 'p', stepId: 'task', agentType: 'Explore'},
    })
    parent.children.push(child)
    const steps = stepFeatures([parent], {withAction: true})
    const first = steps.find(s => s.card.id === 'p/agent')!
    expect(first.features).toMatchObject({subagent_type: 'Explore', depth: 1})
    expect(first.text).toContain('find the config loader')
    // The same transcript read without its session's file: a subagent still, not the main agent (review 33).
    const alone = stepFeatures([structuredClone(child)], {withAction: true})[0]!
    expect(alone.features).toMatchObject({subagent_type: 'Explore', depth: 0})
    const unnamed = shellCard('q/agent', [{command: 'ls'}], {parent: {sessionId: 'q', agentId: 'a1'}})
    expect(stepFeatures([unnamed], {withAction: true})[0]!.features).toMatchObject({subagent_type: 'subagent'})
    expect(stepFeatures([shellCard('m', [{command: 'ls'}])], {withAction: true})[0]!.features).toMatchObject({
      subagent_type: 'main',
    })
  })
})

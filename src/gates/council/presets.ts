import { UserError } from '../../lib/errors.js';
import type { PresetName } from './types.js';

/** One way of looking at the evidence: the question a judge is asked to answer. */
export interface Perspective {
  name: string;
  /** The brief, in the second person, sent with the evidence. */
  brief: string;
}

export interface Preset {
  name: PresetName;
  /** What is being reviewed, for the prompt: "a plan", "a change". */
  subject: string;
  /** What each verdict means for this kind of review. */
  verdicts: { PASS: string; WARN: string; FAIL: string };
  perspectives: Perspective[];
}

export const PRESETS: Record<PresetName, Preset> = {
  'pre-mortem': {
    name: 'pre-mortem',
    subject: 'a plan that has not been carried out yet',
    verdicts: {
      PASS: 'go ahead as planned',
      WARN: 'go ahead once the findings are addressed',
      FAIL: 'do not go ahead with this plan as written',
    },
    perspectives: [
      {
        name: 'failure',
        brief:
          'Assume the plan was carried out and, months later, failed in production. Explain why: the most likely causes of that failure, most likely first, each tied to the part of the plan that lets it happen.',
      },
      {
        name: 'feasibility',
        brief:
          'Judge whether the plan can be built as written: steps that depend on something not yet true, hidden costs, unknowns nobody has checked, an order of work that cannot hold.',
      },
      {
        name: 'requirements',
        brief:
          'Look for what the plan leaves out: requirements, edge cases, data migration, rollback, limits, observability, security, the people and systems affected.',
      },
    ],
  },
  vibe: {
    name: 'vibe',
    subject: 'a change to the code',
    verdicts: {
      PASS: 'ready to land',
      WARN: 'can land once the findings are fixed or consciously accepted',
      FAIL: 'must not land',
    },
    perspectives: [
      {
        name: 'correctness',
        brief:
          'Look for bugs: wrong results, unhandled inputs and edge cases, broken contracts with callers, races, errors swallowed, behaviour the tests do not cover.',
      },
      {
        name: 'maintainability',
        brief:
          'Read it as the next person who has to change it: unclear names, tangled responsibilities, duplication, surprising control flow, comments that say what instead of why.',
      },
      {
        name: 'safety',
        brief:
          'Look for harm: injection, secrets in code or logs, unsafe file, shell or network operations, data loss, unbounded resources, permissions wider than needed.',
      },
    ],
  },
  'post-mortem': {
    name: 'post-mortem',
    subject: 'work that is finished (a change, or the record of an incident)',
    verdicts: {
      PASS: 'handled well; nothing important is left to do',
      WARN: 'acceptable, with lessons that should be acted on',
      FAIL: 'the real problem is not solved, or the work left the system at risk',
    },
    perspectives: [
      {
        name: 'root-cause',
        brief:
          'Trace what went wrong, or could have, down the chain of causes to the one whose fix prevents a repeat; say whether the work fixes that cause or only a symptom.',
      },
      {
        name: 'keep',
        brief:
          'Name what was done well and should become the usual way: practices, tests, structure worth repeating. Use severity low for these unless something good is at risk of being lost.',
      },
      {
        name: 'learn',
        brief:
          'Turn the work into lessons: the checks, tests, documentation or process changes that would have caught the problem earlier, each one concrete enough to act on.',
      },
    ],
  },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function presetOf(name: string): Preset {
  if (!(PRESET_NAMES as string[]).includes(name)) {
    throw new UserError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
  }
  return PRESETS[name as PresetName];
}

/**
 * The perspective of each of `judges` judges: the preset's (or the chosen ones, by name from any
 * preset) dealt round-robin, so that two judges look from different sides before any repeats.
 */
export function assignPerspectives(preset: Preset, judges: number, chosen?: readonly string[]): Perspective[] {
  const deck = chosen && chosen.length > 0 ? chosen.map((name) => perspectiveNamed(preset, name)) : preset.perspectives;
  return Array.from({ length: judges }, (_, i) => deck[i % deck.length]!);
}

function perspectiveNamed(preset: Preset, name: string): Perspective {
  const own = preset.perspectives.find((p) => p.name === name);
  if (own) return own;
  for (const other of Object.values(PRESETS)) {
    const found = other.perspectives.find((p) => p.name === name);
    if (found) return found;
  }
  const known = [...new Set(Object.values(PRESETS).flatMap((p) => p.perspectives.map((x) => x.name)))];
  throw new UserError(`unknown perspective "${name}" (known: ${known.join(', ')})`);
}

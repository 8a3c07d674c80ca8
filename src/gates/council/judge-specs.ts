import { AGENT_RUNTIMES } from '../../runtimes/agents.js';

/**
 * The runtime specs in a `--judges` list. Commas separate judges, but a `cmd:` command line may
 * hold commas of its own: a piece that does not start a known spec (`claude`, `codex`, `gemini`,
 * `openai:…`, `cmd:…`) belongs to the judge before it.
 */
export function splitJudgeSpecs(value: string): string[] {
  const specs: string[] = [];
  for (const piece of value.split(',')) {
    if (piece.trim() === '') continue;
    const last = specs.length - 1;
    if (last >= 0 && !startsSpec(piece)) specs[last] = `${specs[last]},${piece}`;
    else specs.push(piece);
  }
  return specs.map((s) => s.trim()).filter((s) => s !== '');
}

function startsSpec(piece: string): boolean {
  const word = piece.trim();
  return (AGENT_RUNTIMES as readonly string[]).includes(word) || word.startsWith('openai:') || word.startsWith('cmd:');
}

import { describe, expect, it } from 'vitest';
import { inferTags, inferType, normaliseTags, titleFrom } from './infer.js';

describe('titleFrom', () => {
  it('takes the first sentence of the first line, without markdown', () => {
    expect(titleFrom('\n## Run the migrations first. Then test.\nMore.')).toBe('Run the migrations first');
    expect(titleFrom('- **Never** force-push main')).toBe('Never force-push main');
    expect(titleFrom('Is it cached? Yes.')).toBe('Is it cached?');
  });

  it('cuts a long title at a word boundary', () => {
    const t = titleFrom(`${'word '.repeat(40)}end`);
    expect(t.length).toBeLessThanOrEqual(90);
    expect(t.endsWith('word…')).toBe(true);
  });
});

describe('inferType', () => {
  it('reads the kind of advice from its wording', () => {
    expect(inferType("Don't run mix ecto.reset on staging")).toBe('gotcha');
    expect(inferType('The build fails when the cache is cold')).toBe('failure');
    expect(inferType('Resolved by pinning the version')).toBe('fix');
    expect(inferType('We decided on Oban for jobs')).toBe('decision');
    expect(inferType('I prefer short commit messages')).toBe('preference');
    expect(inferType('Always use the wrapper script')).toBe('convention');
    expect(inferType('Release notes live in the wiki')).toBe('pattern');
  });
});

describe('inferTags and normaliseTags', () => {
  it('finds known tools, languages and file extensions', () => {
    expect(inferTags('Run mix ecto.migrate in lib/app.ex with Postgres')).toEqual([
      'mix',
      'ecto',
      'elixir',
      'postgres',
    ]);
    expect(inferTags('nothing known here')).toEqual([]);
  });

  it('normalises user tags', () => {
    expect(normaliseTags([' Front End ', '#ci', 'CI', ''])).toEqual(['front-end', 'ci']);
  });
});

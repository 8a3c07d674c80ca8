import { describe, expect, it } from 'vitest';
import { identifierParts, isStopword, queryTerms } from './terms.js';

describe('identifierParts', () => {
  it('splits camelCase and PascalCase identifiers, acronyms included', () => {
    expect(identifierParts('call getUserName and HTTPServerError')).toBe('get user name http server error');
    expect(identifierParts('plain words and snake_case')).toBe('');
  });
});

describe('queryTerms', () => {
  it('keeps content words and identifier parts, drops stopwords, numbers and repeats', () => {
    expect(queryTerms('How do I fix getUserName in the 2 user tests?')).toEqual([
      'fix',
      'getusername',
      'user',
      'tests',
      'name',
    ]);
    expect(queryTerms('snake_case_name')).toEqual(['snake', 'case', 'name']);
    expect(queryTerms('Größe und Ärger')).toEqual(['größe', 'und', 'ärger']);
    expect(queryTerms('a b c 12 the')).toEqual([]);
    expect(queryTerms('one two three four five six', 2)).toEqual(['three', 'four']);
    expect(isStopword('the')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { BEGIN, END, hasBlock, removeBlock, upsertBlock } from './managed-block.js';

describe('managed blocks', () => {
  it('creates a file holding only the block, and removing it leaves nothing', () => {
    const text = upsertBlock(null, 'hello');
    expect(text).toBe(`${BEGIN}\nhello\n${END}\n`);
    expect(removeBlock(text)).toBeNull();
  });

  it('appends to a file and takes out exactly what it added', () => {
    for (const original of ['# Notes\n\nKeep tests fast.\n', '# No final newline', 'a\n\n\n']) {
      const text = upsertBlock(original, 'body');
      expect(text.startsWith(original)).toBe(true);
      expect(hasBlock(text)).toBe(true);
      const back = removeBlock(text);
      // A missing final newline is the one thing that cannot be told apart afterwards.
      expect(back === original || back === `${original}\n`).toBe(true);
    }
  });

  it('replaces the block in place and never touches the text around it', () => {
    const original = `Intro\n\n${BEGIN}\nold\n${END}\n\nOutro written later\n`;
    const text = upsertBlock(original, 'new');
    expect(text).toBe(`Intro\n\n${BEGIN}\nnew\n${END}\n\nOutro written later\n`);
    expect(upsertBlock(text, 'new')).toBe(text);
    expect(removeBlock(text)).toBe('Intro\n\n\nOutro written later\n');
  });

  it('leaves a file with a begin marker but no end marker alone', () => {
    const broken = `x\n${BEGIN}\nno end\n`;
    expect(hasBlock(broken)).toBe(false);
    expect(removeBlock(broken)).toBe(broken);
  });
});

/** Transcript formats by id, and how each is read: light enough to load on every run. */
export type FormatId = 'claude' | 'codex' | 'gemini' | 'gemini-json' | 'opencode' | 'opencode-legacy' | 'cursor';

/** 'lines' formats resume from an offset; 'whole' ones are read again when they change. */
export const FORMAT_KIND: Record<FormatId, 'lines' | 'whole'> = {
  claude: 'lines',
  codex: 'lines',
  gemini: 'lines',
  'gemini-json': 'whole',
  opencode: 'whole',
  'opencode-legacy': 'whole',
  cursor: 'lines',
};

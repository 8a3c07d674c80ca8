import { describe, expect, it } from 'vitest';
import {
  addFlatHooks,
  addGroupedHooks,
  formatSettings,
  installedEntries,
  isOurs,
  parseSettings,
  removeFlatHooks,
  removeGroupedHooks,
  SettingsError,
} from './settings.js';

const userGroup = { matcher: 'Bash', hooks: [{ type: 'command', command: './lint.sh' }] };

describe('grouped hook settings (Claude Code, Codex, Gemini)', () => {
  it('adds ao beside the user’s hooks and takes out only ao’s', () => {
    const doc = { permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [userGroup] } };
    const added = addGroupedHooks(doc, [
      { agentEvent: 'PreToolUse', command: 'ao hook pre-tool --agent claude', matcher: '*', extra: { timeout: 5 } },
      { agentEvent: 'SessionStart', command: 'ao hook session-start --agent claude' },
    ]);
    expect(added.hooks).toEqual({
      PreToolUse: [
        userGroup,
        { matcher: '*', hooks: [{ type: 'command', command: 'ao hook pre-tool --agent claude', timeout: 5 }] },
      ],
      SessionStart: [{ hooks: [{ type: 'command', command: 'ao hook session-start --agent claude' }] }],
    });
    expect(installedEntries(added)).toEqual({
      PreToolUse: ['ao hook pre-tool --agent claude'],
      SessionStart: ['ao hook session-start --agent claude'],
    });
    expect(removeGroupedHooks(added)).toEqual(doc);
  });

  it('is idempotent and replaces an entry whose prefix changed', () => {
    const entry = { agentEvent: 'Stop', command: 'ao hook stop --agent codex' };
    const once = addGroupedHooks({}, [entry]);
    expect(addGroupedHooks(once, [entry])).toEqual(once);
    const moved = addGroupedHooks(once, [{ ...entry, command: 'npx ao hook stop --agent codex' }]);
    expect(installedEntries(moved)).toEqual({ Stop: ['npx ao hook stop --agent codex'] });
  });

  it('keeps a user handler that shares a group with ao’s', () => {
    const doc = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: 'command', command: 'ao hook stop --agent claude' },
              { type: 'command', command: 'say done' },
            ],
          },
        ],
      },
    };
    expect(removeGroupedHooks(doc)).toEqual({
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] },
    });
  });
});

describe('flat hook settings (Cursor)', () => {
  it('adds version 1 and takes out only ao’s entries', () => {
    const doc = { version: 1, hooks: { stop: [{ command: './notify.sh' }] } };
    const added = addFlatHooks(doc, [{ agentEvent: 'stop', command: 'ao hook stop --agent cursor' }]);
    expect(added).toEqual({
      version: 1,
      hooks: { stop: [{ command: './notify.sh' }, { command: 'ao hook stop --agent cursor' }] },
    });
    expect(removeFlatHooks(added)).toEqual(doc);
  });
});

describe('parsing and formatting settings', () => {
  it('treats a missing or empty file as {} and refuses anything but an object', () => {
    expect(parseSettings(null, 'f')).toEqual({});
    expect(parseSettings('  \n', 'f')).toEqual({});
    expect(() => parseSettings('{ "a": 1, }', '.claude/settings.json')).toThrow(SettingsError);
    expect(() => parseSettings('[1]', 'f')).toThrow(/does not hold a JSON object/);
  });

  it('keeps the file’s indentation', () => {
    expect(formatSettings({ a: { b: 1 } }, '{\n\t"x": 1\n}')).toBe('{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n');
    expect(formatSettings({ a: 1 }, null)).toBe('{\n  "a": 1\n}\n');
  });

  it('recognises ao’s commands whatever the prefix, and nothing else', () => {
    expect(isOurs('ao hook pre-tool --agent claude')).toBe(true);
    expect(isOurs('node /opt/ao/bin/ao.js hook stop --agent gemini --timeout 3000')).toBe(true);
    expect(isOurs('./my-hook pre-tool --agent claude')).toBe(false);
    expect(isOurs('echo hook stop')).toBe(false);
    expect(isOurs(42)).toBe(false);
  });
});

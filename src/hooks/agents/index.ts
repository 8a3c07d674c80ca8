import type { Adapter, AgentName } from '../types.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';

export const ADAPTERS: Record<AgentName, Adapter> = { claude, codex, gemini, cursor, opencode };

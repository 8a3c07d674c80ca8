/**
 * The guard's decision on one tool call: pure and deterministic (no disk, no environment), and it
 * never throws. The strictest finding wins (deny > ask > allow); the verdict names its rule.
 */
import { tmpdir } from 'node:os';
import { wordGlob } from './match.js';
import { type Finding, emptyEffects, litArg } from './model.js';
import { hostOf } from './network.js';
import type { PatternRule, Policy, RuleLists } from './policy.js';
import { type RuleEnv, judgeEffects, judgeHost, makeRuleEnv } from './rules.js';
import { toolActions, toolKind } from './tools.js';
import { type Decision, type GuardEnv, type ToolCall, type Verdict, isStricter } from './types.js';
import { Walker } from './walk.js';

/** Decides one tool call under a policy. Never throws: on any internal error it answers per `policy.unparseable`. */
export function evaluate(call: ToolCall, policy: Policy, env: GuardEnv): Verdict {
  try {
    return decide(call, policy, env);
  } catch (error) {
    const d = policy?.unparseable === 'deny' ? 'deny' : 'ask';
    return {
      decision: d,
      rule: `${d}:guard-error`,
      reason: `the guard failed on this call: ${String(error).slice(0, 200)}`,
    };
  }
}

/** The temporary folders when the environment names none: the machine's and /tmp. */
export function defaultTmp(): string[] {
  const t = tmpdir();
  return t === '/tmp' ? ['/tmp'] : ['/tmp', t];
}

function decide(call: ToolCall, policy: Policy, env: GuardEnv): Verdict {
  const tool = typeof call?.tool === 'string' ? call.tool : '';
  const cwd = typeof call?.cwd === 'string' && call.cwd.startsWith('/') ? call.cwd : env.root;
  const re = makeRuleEnv(policy, env, env.tmp ?? defaultTmp());
  const findings: Finding[] = [];
  const tools = matchTool(tool, policy.tools);
  if (tools?.kind === 'deny') return verdictOf(tools.finding);
  if (tools?.kind === 'ask') findings.push(tools.finding);
  const kind = toolKind(tool);
  if (kind === 'unknown') {
    if (tools?.kind === 'allow')
      return {
        decision: 'allow',
        rule: `policy:${tools.rule.id}`,
        reason: `tool ${tool} matches '${tools.rule.pattern}'`,
      };
    if (findings.length) return verdictOf(findings[0] as Finding);
    const d = policy.default;
    return {
      decision: d,
      rule: `${d}:default`,
      reason:
        d === 'allow'
          ? `no rule speaks about tool ${tool || '(unnamed)'}`
          : `no policy entry allows tool ${tool || '(unnamed)'}`,
    };
  }
  const walker = new Walker(re);
  for (const action of toolActions(tool, call?.input, { cwd, root: re.places.root, home: re.places.home })) {
    switch (action.kind) {
      case 'shell':
        walker.shell(action.command, action.cwd);
        break;
      case 'argv':
        walker.argv(action.argv, action.cwd);
        break;
      case 'read':
      case 'write':
      case 'list': {
        const fx = emptyEffects();
        const arg = { ...litArg(action.path), glob: /[*?[]/.test(action.path) };
        const use = [{ arg, cwd: action.cwd }];
        if (action.kind === 'read') fx.reads.push(...use);
        else if (action.kind === 'write') fx.writes.push(...use);
        else fx.lists.push(...use);
        findings.push(...judgeEffects(fx, re));
        break;
      }
      case 'fetch':
        findings.push(...judgeHost(hostOf(action.url) ?? null, re));
        break;
      case 'invalid': {
        const d = policy.unparseable;
        findings.push({ decision: d, rule: `${d}:unparseable`, reason: action.reason });
        break;
      }
    }
  }
  findings.push(...walker.findings);
  return combine(findings, walker.allowedBy, re, kind === 'shell' ? 'command' : `tool ${tool}`);
}

function combine(findings: Finding[], allowedBy: PatternRule | null, re: RuleEnv, what: string): Verdict {
  let best: Finding | null = null;
  for (const f of findings) {
    if (re.disabled.has(f.rule.slice(f.rule.indexOf(':') + 1)) && f.rule !== 'deny:protected-file') continue;
    if (best === null || isStricter(f.decision, best.decision)) best = f;
  }
  if (best) return verdictOf(best);
  if (allowedBy)
    return {
      decision: 'allow',
      rule: `policy:${allowedBy.id}`,
      reason: `allowed by '${allowedBy.pattern}' (${allowedBy.file})`,
    };
  return { decision: 'allow', rule: 'allow:default', reason: `no rule objects to this ${what}` };
}

function verdictOf(f: Finding): Verdict {
  return { decision: f.decision, rule: f.rule, reason: f.reason };
}

type ToolMatch = { kind: Decision; rule: PatternRule; finding: Finding };

function matchTool(tool: string, lists: RuleLists): ToolMatch | null {
  for (const kind of ['deny', 'ask', 'allow'] as const) {
    const rule = lists[kind].find((r) => wordGlob(r.pattern, true).test(tool));
    if (rule)
      return {
        kind,
        rule,
        finding: {
          decision: kind,
          rule: `policy:${rule.id}`,
          reason: `tool ${tool} matches '${rule.pattern}' (${rule.file})`,
        },
      };
  }
  return null;
}

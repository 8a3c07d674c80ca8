/**
 * The commented `.agents/policy.yaml` that `ao init` writes. It changes nothing: every list is
 * empty and the decisions are the defaults; the comments show how to narrow or widen the envelope.
 * The full reference is docs/guard.md.
 */
export const POLICY_TEMPLATE = `# The least-privilege envelope ao checks on every tool call of every agent.
# Reference: docs/guard.md. Built-in rules (secrets, protected files, recursive deletes
# outside the repository, force pushes to protected branches, downloads piped into a shell,
# sudo, inline code) apply without any entry here. Agents can never edit this file.
version: 1

# Decision for a command or tool no rule speaks about: allow, ask or deny.
default: allow
# Decision for shell code the guard cannot parse: ask or deny.
unparseable: ask

# Branches force pushes and deletions must never touch (globs).
protected_branches: [main, master]

# Built-in rules to turn off, by name (protected-file cannot be turned off).
disable: []

# Patterns over one simple command: words in order, others may come between;
# a leading "=" matches the whole command line (and "**" any number of words).
commands:
  deny: [] # e.g. "npm publish", "git push * --force*"
  ask: [] # e.g. "docker *", "terraform apply"
  allow: [] # lifts the built-in asks, never a deny; e.g. "node -e *"

# Path globs: ** spans folders; {root} is the repository, ~ or {home} the home
# folder, {tmp} the temporary folders; a glob without / matches a name anywhere.
paths:
  read:
    deny: [] # e.g. "secrets/**"
    ask: []
    allow: [] # exemptions from the built-in secret list, e.g. ".env.test"
  write:
    deny: [] # e.g. "migrations/**"
    ask: []
    allow: [] # writable places besides the repository and {tmp}, e.g. "~/.cache/my-tool/**"

# Hosts of URLs (web fetch tools, curl, wget, git …): globs, case-insensitive.
network:
  default: allow
  deny: [] # e.g. "*.pastebin.com"
  ask: []
  allow: []

# Tools by name (case-insensitive globs), e.g. "WebFetch", "mcp__github__*".
tools:
  deny: []
  ask: []
  allow: []
`;

/**
 * What `ao init` writes into a new `.agents/`: commented starting points a person edits. Files
 * that exist are never overwritten.
 */
export const CONFIG_TEMPLATE = `# AgentOps settings for this repository (user-wide ones: $AO_HOME/config.yaml).
# Every key is optional; see the README's configuration section.
#
# knowledge:
#   injectBudget: 1500      # tokens per context packet
#   halfLifeDays: 90        # an unused learning's rank weight halves this often
#   retireAfterDays: 180    # \`ao learn decay\` retires learnings unused this long
# pricing:                  # USD per million tokens, over the bundled price table
#   my-model: { input: 1, output: 4 }
`;

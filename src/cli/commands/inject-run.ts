import { recordInjection, selectPacket } from '../../context/select.js';
import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { parseNumberArg, splitList, workspace } from '../knowledge.js';
import { out, outJson } from '../output.js';

export async function runInject(args: {
  prompt: string;
  paths?: string;
  budget?: string;
  session?: string;
  record?: boolean;
  json?: boolean;
}): Promise<void> {
  if (args.prompt.trim() === '') throw new UserError('--prompt is empty: say what the task is');
  const config = loadConfig();
  const budget = parseNumberArg(args.budget, 'budget', 50, 200_000);
  const ws = workspace();
  const packet = await selectPacket(ws, {
    query: args.prompt,
    paths: splitList(args.paths) ?? [],
    knowledge: config.knowledge,
    ...(budget !== undefined ? { budget } : {}),
  });
  if (args.record !== false) recordInjection(ws, packet, args.prompt, args.session);
  if (args.json) {
    const { markdown, ...rest } = packet;
    return outJson({ ...rest, markdown });
  }
  if (packet.markdown) out(packet.markdown);
}

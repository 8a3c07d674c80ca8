/**
 * A council: several judges (language models reached through the Runtime interface) review the
 * same frozen evidence from different perspectives and each answers a verdict; the aggregate goes
 * to a markdown report under `.agents/council/` and one line of the ledger.
 */

export type CouncilVerdict = 'PASS' | 'WARN' | 'FAIL';

export const COUNCIL_VERDICTS: readonly CouncilVerdict[] = ['PASS', 'WARN', 'FAIL'];

export type PresetName = 'pre-mortem' | 'vibe' | 'post-mortem';

export type Severity = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** What is reviewed: a plan file, a commit range, or files and folders. */
export type TargetKind = 'plan' | 'range' | 'paths';

export interface CouncilTarget {
  kind: TargetKind;
  /** One line for people: `plan docs/plan.md`, `commit range main..HEAD (3 commits)`, `paths src/a.ts, src/b`. */
  description: string;
}

/** One point a judge makes, at file:line when it names one. */
export interface Finding {
  severity: Severity;
  /** Repository-relative path as the judge wrote it (prefixes `./`, `a/`, `b/` removed); null when none. */
  file: string | null;
  line: number | null;
  message: string;
  /** False when `file` names a file the evidence does not hold: kept, but flagged. */
  inEvidence: boolean;
}

/** `answered`: a valid verdict came back; `failed`: no answer, or one that could not be used. */
export type JudgeStatus = 'answered' | 'failed';

export interface JudgeResult {
  /** Unique within the council: the runtime's name, with `#2`, `#3` when it sits more than once. */
  name: string;
  /** The runtime that judged (never the author of the change). */
  by: string;
  perspective: string;
  status: JudgeStatus;
  verdict: CouncilVerdict | null;
  summary: string;
  findings: Finding[];
  durationMs: number;
  /** Why the judge failed: timeout, runtime error, empty or unusable answer. */
  error?: string;
  /** What was repaired or dropped in a usable answer (findings without a message, unknown severities). */
  notes: string[];
}

/** A part of the evidence that did not fit in the bound. */
export interface EvidenceCut {
  /** The file (or `commit log`) cut. */
  section: string;
  shownLines: number;
  totalLines: number;
}

/** The packet every judge receives, byte for byte. */
export interface EvidencePacket {
  target: CouncilTarget;
  text: string;
  /** sha256 of `text` (UTF-8), hex. */
  sha256: string;
  chars: number;
  maxChars: number;
  /** Repository-relative paths of the files the evidence shows (in part or whole). */
  files: string[];
  cuts: EvidenceCut[];
  /** Files left out entirely (binary, unreadable, or no room), with why. */
  omitted: { file: string; reason: string }[];
}

/** A judge as the ledger keeps it: the findings themselves are in the report. */
export interface CouncilJudgeRecord {
  name: string;
  by: string;
  perspective: string;
  status: JudgeStatus;
  verdict: CouncilVerdict | null;
  durationMs: number;
  findings: number;
  error?: string;
}

/** A council's ledger event (`.agents/ledger/council.jsonl`). */
export interface CouncilEvent {
  kind: 'council';
  ts: string;
  id: string;
  preset: PresetName;
  target: CouncilTarget;
  evidence: {
    sha256: string;
    chars: number;
    /** How many files or sections were cut or left out to stay within the bound. */
    cuts: number;
    /** The frozen packet, relative to the repository root. */
    file: string;
  };
  judges: CouncilJudgeRecord[];
  verdict: CouncilVerdict;
  /** Set when the verdict does not follow from the answers alone (`no judge answered`). */
  reason?: string;
  /** The markdown report, relative to the repository root. */
  report: string;
  /** HEAD when the council sat (null before the first commit or outside git). */
  commit: string | null;
  /** Who convened the council (git user.email, else $USER). */
  user?: string;
  durationMs: number;
}

/** A finding with the judge that made it, for the aggregate view. */
export interface CouncilFinding extends Finding {
  judge: string;
  perspective: string;
}

/** What a council yields: the ledger event's facts with every judge's findings. */
export interface CouncilResult {
  id: string;
  ts: string;
  preset: PresetName;
  target: CouncilTarget;
  verdict: CouncilVerdict;
  reason?: string;
  /** The packet's facts without its text; `file`: the frozen packet, relative to the repository root. */
  evidence: Omit<EvidencePacket, 'text' | 'target'> & { file: string };
  judges: JudgeResult[];
  /** Every answered judge's findings, by file, then line. */
  findings: CouncilFinding[];
  /** The markdown report, relative to the repository root. */
  report: string;
  commit: string | null;
  user?: string;
  durationMs: number;
}

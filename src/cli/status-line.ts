import type { ExperimentPhase, ExperimentProgress } from '../index.js';

const PHASE_LABELS: Readonly<Record<ExperimentPhase, string>> = {
  cluster: 'starting cluster',
  'steady-state-before': 'steady state before',
  method: 'method',
  rollbacks: 'rollbacks',
  'steady-state-after': 'steady state after',
  checking: 'checking',
  cleanup: 'cleaning up',
};

/** Bound on the probes and faults named in the line (the width cuts it shorter anyway). */
const MAX_LISTED = 8;
const SEPARATOR = ' | ';
const ELLIPSIS = '…';

/** `42.1s`, `4m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const whole = Math.floor(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

function phaseText(p: ExperimentProgress): string {
  const label = PHASE_LABELS[p.phase];
  if (p.step === null) return label;
  return `${label} ${p.step.index ?? '?'}/${p.step.total} ${p.step.name}`;
}

function sendsText(p: ExperimentProgress): string | null {
  const { invoked, acked, failed, unknown } = p.sends;
  if (invoked === 0 && acked === 0) return null;
  const rate = p.ackedPerSec === null ? '' : ` (${Math.round(p.ackedPerSec)}/s)`;
  return [`acked ${acked}${rate}`, failed > 0 ? `failed ${failed}` : '', unknown > 0 ? `unknown ${unknown}` : ''].filter((s) => s !== '').join(', ');
}

function faultsText(p: ExperimentProgress): string {
  const faults = p.activeFaults;
  if (faults.length === 0) return 'faults: none';
  const named = faults.slice(0, MAX_LISTED).map((f) => `${f.fault} ${f.target}`.trim());
  return `${faults.length === 1 ? 'fault' : `faults ${faults.length}`}: ${named.join(', ')}`;
}

function probesText(p: ExperimentProgress): string | null {
  if (p.probes.length === 0) return null;
  return `probes: ${p.probes.slice(0, MAX_LISTED).map((r) => `${r.name} ${r.ok ? 'ok' : 'FAIL'}`).join(', ')}`;
}

/** C0 and C1 control characters (and DEL): an escape sequence in a name must not reach the terminal. */
function isControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** `text` cut to at most `width` characters (code points), ending in an ellipsis when cut; control characters become spaces. */
export function fitToWidth(text: string, width: number): string {
  const chars = Array.from(text, (c) => (isControl(c) ? ' ' : c));
  const columns = Math.max(0, Math.floor(width));
  if (chars.length <= columns) return chars.join('');
  if (columns === 0) return '';
  return chars.slice(0, columns - 1).join('') + ELLIPSIS;
}

/**
 * The one status line of a running experiment, at most `widthColumns` characters: phase (and step i/n), elapsed,
 * acknowledged sends and their rate, records the consumer groups received, faults in effect, last probe results.
 * The most useful parts come first, so a narrow terminal cuts the least useful.
 */
export function renderStatusLine(state: ExperimentProgress, widthColumns: number): string {
  const parts = [
    phaseText(state),
    formatElapsed(state.elapsedMs),
    sendsText(state),
    state.consumed === null ? null : `recv ${state.consumed}`,
    faultsText(state),
    probesText(state),
  ];
  return fitToWidth(parts.filter((s): s is string => s !== null).join(SEPARATOR), widthColumns);
}

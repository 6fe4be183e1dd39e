/** Readable renderings of a trace: text lines and a Mermaid sequence diagram with faults marked. */
import type { TraceEntry } from './trace.js';

export interface TraceTextOptions {
  /** Include handler deliveries and state changes (default true). */
  readonly verbose?: boolean;
}

export function formatTrace(trace: readonly TraceEntry[], options: TraceTextOptions = {}): string {
  const verbose = options.verbose ?? true;
  const lines: string[] = [];
  for (const e of trace) {
    if (!verbose && (e.kind === 'deliver' || e.kind === 'state' || e.kind === 'log' || e.kind === 'create')) continue;
    const head = `${String(e.step).padStart(5)}  t=${String(e.timeMs).padStart(6)}ms  `;
    lines.push(head + describeEntry(e));
  }
  return lines.join('\n');
}

function describeEntry(e: TraceEntry): string {
  const detail = e.detail !== undefined ? `  ${e.detail}` : '';
  switch (e.kind) {
    case 'send':
      return `${e.machine} -> ${e.target ?? '?'}  ${e.event ?? ''}${detail}`;
    case 'drop':
      return `${e.machine} -x ${e.target ?? '?'}  ${e.event ?? ''}${detail}  [DROPPED]`;
    case 'duplicate':
      return `${e.machine} => ${e.target ?? '?'}  ${e.event ?? ''}${detail}  [DUPLICATED]`;
    case 'delay':
      return `${e.machine} ~> ${e.target ?? '?'}  ${e.event ?? ''}${detail}  [DELAYED]`;
    case 'deliver':
      return `  ${e.machine} handles ${e.event ?? ''}${detail}`;
    case 'state':
      return `  ${e.machine}: ${e.detail ?? ''}`;
    case 'fault':
      return `*** ${e.event === 'recover' || e.event === 'heal' ? 'REPAIR' : 'FAULT'} ${e.event ?? ''} ${e.target ?? ''} (by ${e.machine})`;
    case 'timer':
      return `${e.machine} timer fires: ${e.event ?? ''}${detail}`;
    case 'announce':
      return `${e.machine} announces ${e.event ?? ''}${detail}`;
    case 'monitor':
      return `[monitor ${e.machine}] ${e.detail ?? ''}`;
    case 'create':
      return `${e.machine} creates ${e.target ?? ''} (${e.detail ?? ''})`;
    case 'halt':
      return `${e.machine} halts`;
    case 'log':
      return `  ${e.machine}: ${e.detail ?? ''}`;
    case 'violation':
      return `!!! VIOLATION in ${e.machine}: ${e.detail ?? ''}`;
  }
}

export interface MermaidOptions {
  /** Keep at most this many arrows (the end of the trace, where the violation is). */
  readonly maxMessages?: number;
}

/** Mermaid `sequenceDiagram`: messages as arrows, drops as crosses, faults and the violation as red notes. */
export function toMermaid(trace: readonly TraceEntry[], options: MermaidOptions = {}): string {
  const maxMessages = options.maxMessages ?? 300;
  const participants = new Map<string, string>();
  const alias = (name: string): string => {
    let a = participants.get(name);
    if (a === undefined) {
      a = `p${participants.size}`;
      participants.set(name, a);
    }
    return a;
  };
  for (const e of trace) if (e.kind === 'create' && e.target !== undefined) alias(e.target);
  const drawable = trace.filter((e) => ['send', 'drop', 'duplicate', 'delay', 'fault', 'timer', 'violation', 'announce'].includes(e.kind));
  const skipped = Math.max(0, drawable.length - maxMessages);
  const body: string[] = [];
  if (skipped > 0) {
    const first = participants.values().next().value ?? alias('env');
    body.push(`    Note over ${first}: … ${skipped} earlier entries omitted`);
  }
  for (const e of drawable.slice(skipped)) {
    const text = clean(`${e.event ?? ''}${e.detail !== undefined ? ' ' + e.detail : ''}`);
    switch (e.kind) {
      case 'send':
        body.push(`    ${alias(e.machine)}->>${alias(e.target ?? '?')}: ${text}`);
        break;
      case 'drop':
        body.push(`    ${alias(e.machine)}-x${alias(e.target ?? '?')}: ${text} (dropped)`);
        break;
      case 'duplicate':
        body.push(`    ${alias(e.machine)}-)${alias(e.target ?? '?')}: ${text} (duplicated)`);
        break;
      case 'delay':
        body.push(`    ${alias(e.machine)}--)${alias(e.target ?? '?')}: ${text} (delayed)`);
        break;
      case 'timer':
        body.push(`    Note over ${alias(e.machine)}: timer ${text} at ${e.timeMs}ms`);
        break;
      case 'announce':
        body.push(`    Note over ${alias(e.machine)}: announce ${text}`);
        break;
      case 'fault': {
        const target = e.target !== undefined && participants.has(e.target) ? alias(e.target) : alias(e.machine);
        // Repairs (recover, heal) in green, faults in red.
        const repair = e.event === 'recover' || e.event === 'heal';
        body.push(repair ? '    rect rgb(210, 255, 210)' : '    rect rgb(255, 210, 210)');
        body.push(`    Note over ${target}: ${repair ? 'REPAIR' : 'FAULT'} ${clean(e.event ?? '')} ${clean(e.target ?? '')} (step ${e.step}, ${e.timeMs}ms)`);
        body.push('    end');
        break;
      }
      case 'violation':
        body.push('    rect rgb(255, 160, 160)');
        body.push(`    Note over ${alias(e.machine)}: VIOLATION ${text}`);
        body.push('    end');
        break;
      default:
        break;
    }
  }
  const head = ['sequenceDiagram'];
  for (const [name, a] of participants) head.push(`    participant ${a} as ${clean(name)}`);
  return [...head, ...body].join('\n');
}

function clean(text: string): string {
  // ';' and '#' have meaning in Mermaid; keep notes on one line.
  return text.replace(/[;#\n\r]/g, ',').replace(/\s+/g, ' ').trim();
}

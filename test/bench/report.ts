/**
 * Bench figures and how they are shown: one aligned table for people, the same figures as
 * JSON for machines. A figure carries its baseline (measured in the same run) and,
 * optionally, a target that applies either to the value itself or to the ratio
 * value / baseline.
 */

export type Unit = 'KB' | 'MB' | 'ms' | 'req/s' | 'msg/s' | 'count' | 'x' | '%' | 'RU' | 'segments';

export interface Target {
  /** What the target bounds: the figure's value, or value / baseline. */
  of: 'value' | 'ratio';
  op: '<=' | '>=';
  limit: number;
}

export interface Figure {
  group: string;
  name: string;
  value: number;
  unit: Unit;
  baseline?: { name: string; value: number };
  /** value / baseline.value, when there is a baseline. */
  ratio?: number;
  target?: Target;
  /** Undefined when the figure has no target (shown for information). */
  pass?: boolean;
  note?: string;
}

export interface FigureInput {
  group: string;
  name: string;
  value: number;
  unit: Unit;
  baseline?: { name: string; value: number };
  target?: Target;
  note?: string;
}

export function figure(input: FigureInput): Figure {
  const ratio = input.baseline && input.baseline.value > 0 ? input.value / input.baseline.value : undefined;
  let pass: boolean | undefined;
  if (input.target) {
    const subject = input.target.of === 'ratio' ? ratio : input.value;
    pass =
      subject !== undefined &&
      Number.isFinite(subject) &&
      (input.target.op === '<=' ? subject <= input.target.limit : subject >= input.target.limit);
  }
  return { ...input, ratio, pass };
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'KB':
    case 'MB':
      return `${value.toFixed(1)} ${unit}`;
    case '%':
      return `${value.toFixed(2)} %`;
    case 'RU':
    case 'segments':
      return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
    case 'req/s':
    case 'msg/s':
      return `${Math.round(value)} ${unit}`;
    case 'x':
      return `${value.toFixed(2)}×`;
    case 'count':
      return String(value);
  }
}

function formatTarget(f: Figure): string {
  if (!f.target) return '—';
  const op = f.target.op === '<=' ? '≤' : '≥';
  return f.target.of === 'ratio' ? `ratio ${op} ${f.target.limit}×` : `${op} ${formatValue(f.target.limit, f.unit)}`;
}

function verdict(f: Figure): string {
  if (f.pass === undefined) return 'info';
  return f.pass ? 'ok' : '✗ MISS';
}

/** Display width: CJK and other wide characters are not used in cells, so length is enough. */
const width = (s: string) => [...s].length;
const pad = (s: string, n: number, right = false) =>
  right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s)));

export function renderTable(figures: Figure[], notes: string[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'pass?'];
  const rightAligned = [false, true, false, true, false, false];
  const rows = figures.map((f) => [
    `${f.group}: ${f.name}`,
    formatValue(f.value, f.unit),
    f.baseline ? `${formatValue(f.baseline.value, f.unit)}  (${f.baseline.name})` : '—',
    f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`,
    formatTarget(f),
    verdict(f),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, rightAligned[i])).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const targeted = figures.filter((f) => f.pass !== undefined);
  const missed = targeted.filter((f) => !f.pass);
  const out = [line(header), rule, ...rows.map(line), rule];
  out.push(
    missed.length
      ? `${targeted.length - missed.length}/${targeted.length} targets met — MISSED: ${missed.map((f) => `${f.group}: ${f.name}`).join('; ')}`
      : `${targeted.length}/${targeted.length} targets met`,
  );
  const footnotes = [...figures.filter((f) => f.note).map((f) => `${f.group}: ${f.name} — ${f.note}`), ...notes];
  if (footnotes.length) out.push('', 'notes:', ...footnotes.map((n) => `  - ${n}`));
  return out.join('\n');
}

export function renderJson(figures: Figure[], notes: string[], meta: Record<string, unknown>): string {
  return JSON.stringify({ meta, figures, notes }, null, 2);
}

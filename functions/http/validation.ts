import { AppError, type ErrorDetail } from '#core/errors.ts';
import * as z from '#core/zod.ts';

/** A zod issue as it comes out of a failed parse (the fields we read; zod adds more per code). */
interface Issue {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: ReadonlyArray<unknown>;
  format?: string;
}

interface HookResult {
  success: boolean;
  error?: { issues: ReadonlyArray<Issue> };
  target?: string;
}

/** What a value looked like, short enough for a message. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * The schema's own message, when it is a form to follow (`YYYY-MM-DD`, `HH:MM`) rather than
 * zod's English default or a sentence: such a template reads the same in every language.
 */
function formHint(issue: Issue): string | undefined {
  const fallback = z.config().localeError?.(issue as never);
  const standard = typeof fallback === 'string' ? fallback : fallback?.message;
  return issue.message !== standard && /^[A-Z0-9 .:+/-]{2,20}$/.test(issue.message) ? issue.message : undefined;
}

/** The message key (`errors:input.*`) and parameters that say what is wrong, in any language. */
function keyOf(issue: Issue): { key: string; params: Record<string, string | number> } {
  const missing =
    'input' in issue ? issue.input === undefined || issue.input === null : / received undefined$/.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return { key: 'required', params: {} };
      if (['number', 'int', 'bigint'].includes(issue.expected ?? '')) return { key: 'expected_number', params: {} };
      return { key: 'wrong_type', params: { expected: issue.expected ?? '' } };
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1
          ? { key: 'required', params: {} }
          : { key: 'too_short', params: { minimum: Number(issue.minimum) } };
      return { key: 'too_small', params: { minimum: Number(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'too_long', params: { maximum: Number(issue.maximum) } }
        : { key: 'too_big', params: { maximum: Number(issue.maximum) } };
    case 'invalid_value':
      return {
        key: 'one_of',
        params: { value: shown(issue.input), allowed: (issue.values ?? []).map(String).join(', ') },
      };
    case 'invalid_format': {
      const format = formHint(issue);
      return format
        ? { key: 'format', params: { value: shown(issue.input), format } }
        : { key: 'invalid', params: { value: shown(issue.input) } };
    }
    default:
      return { key: 'invalid', params: { value: shown(issue.input) } };
  }
}

/**
 * One zod issue as a problem detail: where (`query.market`), zod's English message (for logs
 * and old clients), and a message key with parameters, which the problem answer translates
 * into the request's language (problem.ts).
 */
export function issueDetail(issue: Issue, target?: string): ErrorDetail {
  const { key, params } = keyOf(issue);
  return {
    path: [target, ...issue.path]
      .filter((p) => p !== undefined)
      .map(String)
      .join('.'),
    message: issue.message,
    key: `errors:input.${key}`,
    params,
  };
}

/** Parse options for request input: the issues carry the input, so a message can quote it. */
export const parseOptions = { reportInput: true } as const;

/** One validation_failed problem listing each field, its message translated. */
export const validationError = (issues: ReadonlyArray<Issue>, target?: string) =>
  new AppError(
    'validation_failed',
    {},
    issues.map((i) => issueDetail(i, target)),
  );

/** Turns any zod validation failure into one validation_failed problem listing each field. */
export function validationHook(result: HookResult): void {
  if (result.success || !result.error) return;
  throw validationError(result.error.issues, result.target);
}

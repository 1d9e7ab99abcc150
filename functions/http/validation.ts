import { AppError } from '#core/errors.ts';

interface HookResult {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
  target?: string;
}

/** Turns any zod validation failure into one validation_failed problem listing each field. */
export function validationHook(result: HookResult): void {
  if (result.success || !result.error) return;
  throw new AppError(
    'validation_failed',
    {},
    result.error.issues.map((issue) => ({
      path: [result.target, ...issue.path].filter((p) => p !== undefined).map(String).join('.'),
      message: issue.message,
    })),
  );
}

/**
 * The closed set of error codes the system speaks. Core code throws AppError with one of
 * these; one HTTP middleware maps them to RFC 9457 problem+json; anything else is an
 * unknown error and becomes a plain 500 that leaks nothing.
 */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  /** A form body (multipart or urlencoded) that cannot be parsed: bad boundary, truncated part, garbage. */
  invalid_form: 400,
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // Staff identity
  invalid_phone: 400,
  code_invalid: 401,
  code_expired: 401,
  code_used: 401,
  locked: 401,
  csrf_failed: 403,
  internal: 500,
  unavailable: 503,
  /** An inbound SMS another run is still handling: send it again after `seconds`. */
  sms_in_progress: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  /** Where the problem is: a JSON pointer, a field name, or "line 4, column price". */
  path?: string;
  /** English text; replaced by the translation of `key` (with `params`) when a response is made. */
  message: string;
  /** A message key (`namespace:key`) to show this detail in the reader's language. */
  key?: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Interpolation values for the translated title/detail (locales errors namespace). */
    readonly params: Record<string, string | number> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(code);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (kind: string, id: string) => new AppError('not_found', { kind, id });

/** A 400 listing every problem found in an input. */
export const validationFailed = (details: ErrorDetail[]) => new AppError('validation_failed', {}, details);

/**
 * A detail shown in the reader's language (`errors:price.*`, where the price and catalog
 * messages live), with its English text for logs and old clients.
 */
export const priceDetail = (
  path: string,
  key: string,
  message: string,
  params: Record<string, string | number> = {},
): ErrorDetail => ({ path, message, key: `errors:price.${key}`, params });

// One error type with a closed set of codes; HTTP status is decided here and nowhere else.
export const errorStatus = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_text: 400,
  unknown_reference: 422,
  currency_mismatch: 422,
  totals_mismatch: 422,
  immutable_field: 409,
  batch_rejected: 422,
  not_eligible: 422,
  webhook_target_not_allowed: 422,
  unsupported_language: 422,
  idempotency_key_reused: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ErrorDetail = { path: string; code: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

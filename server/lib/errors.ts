/** Stable problem types (RFC 9457). Clients switch on `type`, never on the message. */
export const problemTypes = {
  validation: 400,
  bad_request: 400,
  unauthenticated: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
} as const

export type ProblemKind = keyof typeof problemTypes

export interface FieldError {
  field: string
  /** A stable code the UI may translate, e.g. too_small, phone_invalid. */
  code: string
  message: string
}

export const problemTypeUri = (kind: string) => `/problems/${kind.replace(/_/g, '-')}`

/**
 * An error a service throws on purpose. `messageKey` is looked up in common/i18n/messages.*.json,
 * so the same failure reads in Vietnamese or English.
 */
export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly kind: ProblemKind,
    readonly messageKey?: string,
    readonly options: {
      fields?: { field: string; code: string; messageKey?: string; message?: string }[]
      vars?: Record<string, string | number>
      extra?: Record<string, unknown>
    } = {},
  ) {
    super(messageKey ?? kind)
  }
  get status(): number {
    return problemTypes[this.kind]
  }
}

export const notFound = (messageKey?: string) => new AppError('not_found', messageKey)
export const forbidden = (messageKey?: string) => new AppError('forbidden', messageKey)
export const unauthenticated = () => new AppError('unauthenticated')
export const conflict = (messageKey: string, vars?: Record<string, string | number>) =>
  new AppError('conflict', messageKey, vars ? { vars } : {})
/** A validation failure found by a service (after the schema passed), naming the field. */
export const invalidField = (field: string, code: string, messageKey: string) =>
  new AppError('validation', undefined, { fields: [{ field, code, messageKey }] })

/** One part of a multipart/form-data body, as the fakes of the platforms' upload endpoints read it. */
export interface FormPart {
  name: string
  filename: string | null
  contentType: string | null
  data: Buffer
}

/**
 * Parses a multipart/form-data body (RFC 7578) by its boundary; null when the content type is not
 * multipart or the body is not well formed (the fakes then answer as the platform does to a bad request).
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): FormPart[] | null {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1]
  if (!boundary) return null
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: FormPart[] = []
  let at = body.indexOf(delimiter)
  if (at < 0) return null
  for (;;) {
    at += delimiter.length
    if (body.subarray(at, at + 2).toString() === '--') return parts
    at += 2 // CRLF after the delimiter
    const headEnd = body.indexOf('\r\n\r\n', at)
    const next = body.indexOf(delimiter, headEnd)
    if (headEnd < 0 || next < 0) return null
    const head = body.subarray(at, headEnd).toString('utf8')
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? ''
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1]
    if (name === undefined) return null
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1] ?? null,
      contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? null,
      // The part's bytes end before the CRLF that precedes the next delimiter.
      data: body.subarray(headEnd + 4, next - 2),
    })
    at = next
  }
}

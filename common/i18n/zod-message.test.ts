import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { zodIssueMessage } from './zod-message'

const firstIssue = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value)
  if (r.success) throw new Error('expected a refusal')
  return r.error.issues[0]!
}

describe('one message per zod issue, in the reader’s language', () => {
  it('says what is expected in Vietnamese, never zod’s English', () => {
    const issue = firstIssue(z.object({ headline: z.string().min(3) }), { headline: 'a' })
    expect(issue.message).toMatch(/^Too small/)
    const vi = zodIssueMessage(issue, 'vi')
    expect(vi).not.toMatch(/Too small|expected/)
    expect(vi).toContain('3')
    expect(zodIssueMessage(issue, 'en')).toMatch(/Too small/)
  })

  it('names the allowed choices of an enum in Vietnamese', () => {
    const issue = firstIssue(z.enum(['theft', 'fraud']), 'x')
    expect(zodIssueMessage(issue, 'vi')).not.toMatch(/Invalid option/)
  })

  it('translates a message key and keeps a message the schema wrote', () => {
    expect(
      zodIssueMessage(firstIssue(z.string().min(5, 'i18n:tips.description_short'), ''), 'vi'),
    ).not.toMatch(/^i18n:/)
    expect(zodIssueMessage(firstIssue(z.string().min(5, 'Viết ít nhất 5 chữ'), ''), 'en')).toBe(
      'Viết ít nhất 5 chữ',
    )
  })
})

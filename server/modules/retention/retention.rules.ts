import type { DbOrTx } from '../../db/client'
import { retentionRepository as repo } from './retention.repository'

export interface RuleOutcome {
  removed: number
  details?: Record<string, number>
  /** Stored bytes to delete once the rule's transaction committed. */
  storageKeys?: string[]
}

export interface RetentionRule {
  name: string
  /** The period, as roles-and-data.md states it (shown on the admin page). */
  period: string
  run(tx: DbOrTx, now: Date): Promise<RuleOutcome>
}

const simple = (
  name: string,
  period: string,
  f: (tx: DbOrTx, now: Date) => Promise<number>,
): RetentionRule => ({
  name,
  period,
  run: async (tx, now) => ({ removed: await f(tx, now) }),
})

/** Every period of roles-and-data.md (and the review's F19 list), each one rule, run daily. */
export const retentionRules: readonly RetentionRule[] = [
  simple('audit_origins', 'audit log IP and user agent: 30 days', repo.auditOrigins),
  simple('audit_log', 'audit log: 5 years (append-only until then)', repo.auditExpired),
  simple('session_origins', 'session IP and user agent: 30 days', repo.sessionOrigins),
  simple('ended_sessions', 'ended or expired sessions: 30 days', repo.endedSessions),
  simple('finished_jobs', 'done jobs (push previews): 7 days; dead jobs 30 days', repo.finishedJobs),
  simple('otp_codes', 'one-time sign-in codes: 1 day', repo.otpCodes),
  simple('auth_failures', 'failed sign-in counters: 1 day', repo.authFailures),
  simple('upload_budgets', 'anonymous upload counters (hashed addresses): 1 day', repo.uploadBudgets),
  simple('idempotent_answers', 'replayed answers of signed-in requests: 1 day', repo.idempotentAnswers),
  simple('sms_sends', 'SMS sent: number and text 12 months (cost kept)', repo.smsSends),
  simple('sms_inbound', 'SMS received: 30 days after filed or set aside', repo.smsInbound),
  {
    name: 'tips',
    period:
      'tips, their threads and evidence: 24 months after the tip or its case closed (referred evidence kept)',
    run: async (tx, now) => {
      const r = await repo.tips(tx, now)
      return { removed: r.tips, details: { tips: r.tips, evidence: r.evidence }, storageKeys: r.storageKeys }
    },
  },
  {
    name: 'case_files',
    period:
      'a case’s evidence and the answers to its requests for help: 24 months after the case closed (referred cases keep them)',
    run: async (tx, now) => {
      const r = await repo.caseFiles(tx, now)
      return {
        removed: r.answers + r.evidence,
        details: { answers: r.answers, evidence: r.evidence },
        storageKeys: r.storageKeys,
      }
    },
  },
  simple(
    'case_text',
    'a case’s title, description, place, outcome note, requests for help and timeline text: 24 months after the case closed (referred cases keep them)',
    repo.caseText,
  ),
  simple(
    'alert_answers',
    'answers to alerts: with the tip they became; 24 months when they became none',
    repo.alertAnswers,
  ),
  {
    name: 'direct_messages',
    period: 'direct conversations: 24 months after resolution',
    run: async (tx, now) => {
      const r = await repo.directMessages(tx, now)
      return { removed: r.messages, storageKeys: r.storageKeys }
    },
  },
  simple('hidden_group_messages', 'hidden group messages: 12 months', repo.hiddenGroupMessages),
  simple('residence_reports', 'residence reports: 24 months after closing', repo.residenceReports),
  simple(
    'guest_lists',
    'guest lists: the establishment’s address once every guest’s report was anonymised (24 months)',
    repo.guestLists,
  ),
  simple(
    'register_people',
    'area register: a person anonymised 24 months after their line ended (left, or the stay ran out); counts kept',
    repo.registerPeople,
  ),
]

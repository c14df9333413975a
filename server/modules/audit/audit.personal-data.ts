import { definePersonalData } from '../account/account-data.registry'
import { presentAuditEntry } from './audit.presenter'
import { listAuditAboutUser, listAuditByActor } from './audit.repository'

/** The audit log: every staff read of the person's data (their access log) and what they did themselves. */
export const auditPersonalData = definePersonalData({
  name: 'audit',
  fields: [
    {
      table: 'audit_log',
      columns: ['actor_id', 'entity_id', 'details.subjectUserIds', 'ip', 'user_agent'],
      purpose: 'Accountability: who read or changed what, when and why',
      readers:
        'Commanders (their subtree), administrators; the person sees the rows about them in their export',
      retention:
        '5 years, append-only, then deleted (retention job, rule audit_log, through audit_log_purge only); IP and user agent 30 days (rule audit_origins)',
      legalBasis: 'Legal obligation (Decree 13/2023 art. 26–27: logging of processing)',
      onErase:
        'Kept (append-only): rows name the account by id only, never its name or phone; IP and user agent go after 30 days',
    },
  ],

  async export(db, userId) {
    const [about, mine] = await Promise.all([listAuditAboutUser(db, userId), listAuditByActor(db, userId)])
    return {
      data: {
        /** Every read or change of the person's data by someone else. */
        accessLog: about.filter((r) => r.actorId !== userId).map((r) => presentAuditEntry(r, false)),
        myActions: mine.map((r) => presentAuditEntry(r, false)),
      },
    }
  },

  erase: async () => ({ count: 0 }),
})

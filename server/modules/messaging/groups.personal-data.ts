import { definePersonalData } from '../account/account-data.registry'
import { groupQuestionsRepository } from './group-questions.repository'
import { messagingPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/** Community groups: memberships and what the person wrote in them. */
export const groupsPersonalData = definePersonalData({
  name: 'groups',
  fields: [
    {
      table: 'group_members',
      columns: ['user_id', 'role', 'status'],
      purpose: 'Membership of a community group',
      readers: 'Group members (display names); staff of the group (phone, audited)',
      retention: 'While the person is a member',
      legalBasis: 'Consent of the resident (joining the group)',
      onErase: 'Deleted',
    },
    {
      table: 'messages (group)',
      columns: ['body', 'attachments', 'payload'],
      purpose: 'Messages the person wrote in groups',
      readers: 'Group members',
      retention: 'While the group exists; hidden messages 12 months',
      legalBasis: 'Consent of the resident',
      onErase: 'Emptied (body, attachments, earlier versions, push previews), files deleted',
    },
    {
      table: 'group_questions',
      columns: ['flagged_by'],
      purpose: "Which moderator passed a resident's group message on to the police (issue 19)",
      readers: 'Nobody through the app (the inbox shows only that a moderator passed it on)',
      retention: 'While the message exists',
      legalBasis: 'Public task: answering residents in the groups the police run',
      onErase: 'The link to the moderator is removed; the question stays for the police',
    },
  ],

  async export(db, userId) {
    const [memberships, messages] = await Promise.all([
      repo.groupMemberships(db, userId),
      repo.groupMessages(db, userId),
    ])
    return {
      data: {
        memberships: memberships.map((m) => ({
          groupId: m.group_id,
          group: m.name,
          role: m.role,
          status: m.status,
          joinedAt: iso(m.joined_at),
        })),
        messages: messages.map((m) => ({
          id: m.id,
          group: m.group_name,
          kind: m.kind,
          body: m.body,
          attachments: m.attachments,
          at: iso(m.created_at),
          hiddenAt: iso(m.hidden_at),
        })),
      },
    }
  },

  async erase(tx, userId) {
    await groupQuestionsRepository.forgetModerator(tx, userId)
    return repo.eraseGroupData(tx, userId)
  },
})

import { accountPersonalData } from './account/account.personal-data'
import type { PersonalDataModule } from './account/account-data.registry'
import { alertsPersonalData } from './alerts/alerts.personal-data'
import { auditPersonalData } from './audit/audit.personal-data'
import { channelsPersonalData } from './messaging/channels.personal-data'
import { groupsPersonalData } from './messaging/groups.personal-data'
import { messagingPersonalData } from './messaging/messaging.personal-data'
import { movementsPersonalData } from './movements/movements.personal-data'
import { notificationsPersonalData } from './notifications/notifications.personal-data'
import { officerPhotosPersonalData } from './officer-photos/officer-photos.personal-data'
import { scamNumbersPersonalData } from './scam-numbers/scam-numbers.personal-data'
import { smsPersonalData } from './sms/sms.personal-data'
import { helpRequestsPersonalData } from './tips/help-requests.personal-data'
import { tipsPersonalData } from './tips/tips.personal-data'

/**
 * Every module's personal-data declaration, in the order of the export and the data map.
 * Erasure runs them in this order and `account` last (the others find the person by their id).
 */
export const personalDataModules: readonly PersonalDataModule[] = [
  messagingPersonalData,
  channelsPersonalData,
  groupsPersonalData,
  tipsPersonalData,
  helpRequestsPersonalData,
  alertsPersonalData,
  movementsPersonalData,
  scamNumbersPersonalData,
  smsPersonalData,
  notificationsPersonalData,
  officerPhotosPersonalData,
  auditPersonalData,
  accountPersonalData,
]

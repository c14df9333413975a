import type { TProcedureDetail } from '@common/schemas/procedures'

/**
 * The resident text of a procedure in the page's language. English pages show the English
 * fields; a field not translated yet falls back to the Vietnamese one rather than showing nothing.
 * Legal citations stay Vietnamese in both languages.
 */
export function procedureText(p: TProcedureDetail, en: boolean) {
  const pick = (vi: string, eng: string | null) => (en && eng ? eng : vi)
  const pickList = (vi: string[], eng: string[]) =>
    en && eng.length === vi.length && eng.length > 0 ? eng : vi
  return {
    name: pick(p.nameVi, p.nameEn),
    handlingBody: pick(p.handlingBody, p.handlingBodyEn),
    requiredDocuments: pickList(p.requiredDocuments, p.requiredDocumentsEn),
    timeLimit: pick(p.timeLimit, p.timeLimitEn),
    fee: pick(p.fee, p.feeEn),
    channels: pickList(p.online.channels, p.online.channelsEn),
    onlineNote: p.online.note ? pick(p.online.note, p.online.noteEn) : null,
    links: p.online.links.map((l) => ({ label: pick(l.labelVi, l.labelEn), url: l.url })),
    related: p.related.map((r) => ({ id: r.id, name: pick(r.nameVi, r.nameEn) })),
  }
}

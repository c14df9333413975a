import 'i18next'
import type vi from './vi.json'

// Type-checks every t('...') key against vi.json (en.json is kept identical by i18n.test.ts).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof vi }
  }
}

// Every web component test: the app's i18n (Vietnamese first, as a new visitor sees it) and a
// clean document and storage between tests.
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import '../i18n'

afterEach(() => {
  cleanup()
  localStorage.clear()
})

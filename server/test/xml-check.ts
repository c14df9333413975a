import { readFileSync } from 'node:fs'
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm'

// libxml2 compiled to WebAssembly: the same parser and XSD validator as Debian's `xmllint`, so the
// tests need Node only. Each function returns libxml2's complaints, or '' when the document passes.

function complaints(err: unknown): string {
  if (err instanceof XmlLibError && err.details.length) {
    return err.details.map((d) => `line ${d.line}: ${d.message.trim()}`).join('\n')
  }
  return String(err)
}

/** '' when `xml` is well-formed (what `xmllint --noout` checks). */
export function xmlWellFormedErrors(xml: string): string {
  try {
    XmlDocument.fromString(xml).dispose()
    return ''
  } catch (err) {
    return complaints(err) || 'not well-formed'
  }
}

/** '' when `xml` is valid against the XSD file at `xsdPath` (what `xmllint --noout --schema` checks). */
export function xsdErrors(xml: string, xsdPath: string): string {
  const schemaDoc = XmlDocument.fromBuffer(readFileSync(xsdPath), { url: xsdPath })
  let doc: XmlDocument | undefined
  let validator: XsdValidator | undefined
  try {
    validator = XsdValidator.fromDoc(schemaDoc)
    doc = XmlDocument.fromString(xml)
    validator.validate(doc)
    return ''
  } catch (err) {
    return complaints(err) || 'invalid'
  } finally {
    doc?.dispose()
    validator?.dispose()
    schemaDoc.dispose()
  }
}

import { Fragment } from 'react'

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g

/**
 * Message text rendered safely: React escapes everything (no HTML is ever injected), line breaks
 * are kept by CSS, and web addresses become links that open outside the app.
 */
export function RichText({ text }: { text: string }) {
  let offset = 0
  // Keys are character offsets: stable for a given text, unlike array indexes.
  const parts = text.split(URL_PATTERN).map((part, i) => {
    const at = offset
    offset += part.length
    return { part, at, isUrl: i % 2 === 1 }
  })
  return (
    <>
      {parts.map(({ part, at, isUrl }) =>
        isUrl ? (
          <a key={at} href={part} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part}
          </a>
        ) : (
          <Fragment key={at}>{part}</Fragment>
        ),
      )}
    </>
  )
}

/** Why an uploaded file is not the audio or video container it must be (the route answers 415). */
export class MediaContainerError extends Error {
  override name = 'MediaContainerError'
  constructor(
    readonly container: 'iso-bmff' | 'webm' | 'ogg',
    readonly problem: string,
  ) {
    super(`not an accepted ${container} file: ${problem}`)
  }
}

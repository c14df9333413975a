// Upload memory: starts the server (embedded database, demo ward), uploads a generated 100 MB
// MP4-headed clip to the anonymous tip endpoint as multipart, streamed from disk, and samples the
// server's resident memory (VmRSS) every 50 ms. A flat line means the clip went to storage chunk by
// chunk; buffering it whole would add ~100 MB (or more) to the peak.
//
//   npm run bench:upload                  one 100 MB upload
//   npm run bench:upload -- --mb 50 --save   another size; also writes bench/results/upload-memory.json
//   npm run bench:upload -- --s3 --save      files in an S3-compatible bucket (s3rver, started in this
//                                            process, so its memory is not the server's); writes
//                                            bench/results/upload-memory-s3.json
import { spawn } from 'node:child_process'
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: { mb: { type: 'string', default: '100' }, save: { type: 'boolean' }, s3: { type: 'boolean' } },
})
const sizeBytes = Math.round(Number(args.mb) * 1024 * 1024) - 4096 // just under the 100 MB limit with the form around it

/** Every file under `dir`, recursively (absolute paths). */
const listFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  )

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })

const rssMb = (pid) => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
  return m ? Number(m[1]) / 1024 : Number.NaN
}

/**
 * A real-shaped MP4 (ftyp, moov with a video track, then one mdat of pseudo-random bytes, so nothing
 * compresses it away): the upload checks the container, not only the magic bytes. The head is the
 * tests' fixture (server/test/mp4-fixture.ts, loaded through tsx), the mdat is written chunk by chunk.
 */
async function makeClip(path, size) {
  const { mp4WithMetadata } = await import('../server/test/mp4-fixture.ts')
  const sample = mp4WithMetadata({ size: 4096, metadata: false })
  const head = sample.subarray(0, sample.indexOf('mdat', 0, 'latin1') - 4)
  const mdatHeader = Buffer.alloc(8)
  mdatHeader.writeUInt32BE(size - head.length, 0)
  mdatHeader.write('mdat', 4, 'latin1')
  const fd = openSync(path, 'w')
  writeSync(fd, head)
  writeSync(fd, mdatHeader)
  const chunk = Buffer.alloc(1024 * 1024)
  let x = 2463534242
  for (let i = 0; i < chunk.length; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    chunk.writeUInt32LE(x >>> 0, i)
  }
  let written = head.length + 8
  while (written < size) {
    const n = Math.min(chunk.length, size - written)
    writeSync(fd, chunk, 0, n)
    written += n
  }
  closeSync(fd)
}

async function waitReady(base, child) {
  const until = Date.now() + 180_000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      const res = await fetch(`${base}/readyz`)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('server not ready after 180 s')
}

/** POSTs the form with the clip streamed from disk (never read into this process's memory either). */
function upload(base, clipPath) {
  const boundary = `----bench${Date.now()}`
  const fields = {
    category: 'suspicious_vehicle',
    description: 'Bench: clip 100 MB',
    areaSlug: 'hai-ba-trung-tdp-1',
  }
  const head = Buffer.from(
    `${Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('')}` +
      `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="clip.mp4"\r\ncontent-type: video/mp4\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const length = head.length + statSync(clipPath).size + tail.length
  return new Promise((ok, fail) => {
    const req = request(`${base}/api/tips/anonymous`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': length,
        'idempotency-key': `bench-${crypto.randomUUID()}`,
      },
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => ok({ status: res.statusCode, body }))
    })
    req.on('error', fail)
    req.write(head)
    const file = createReadStream(clipPath)
    file.pipe(req, { end: false })
    file.on('end', () => req.end(tail))
  })
}

const work = mkdtempSync(join(tmpdir(), 'nhipcau-bench-upload-'))
const clip = join(work, 'clip.mp4')
await makeClip(clip, sizeBytes)
const port = await freePort()
const base = `http://127.0.0.1:${port}`
/** --s3: a local S3-compatible server and the S3_* settings that point the app at it. */
let s3server
const s3env = {}
if (args.s3) {
  const { default: S3rver } = await import('s3rver')
  mkdirSync(join(work, 's3'))
  s3server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(work, 's3'),
    configureBuckets: [{ name: 'bench' }],
  })
  const { port: s3port } = await s3server.run()
  Object.assign(s3env, {
    S3_BUCKET: 'bench',
    S3_ENDPOINT: `http://127.0.0.1:${s3port}`,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  })
}
const child = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(work, 'data'),
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    SKIP_WEB_BUILD: '1',
    WEB_DIST_DIR: '/nonexistent',
    DATABASE_URL: '',
    NODE_ENV: 'development',
    ...s3env,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})
try {
  await waitReady(base, child)
  await new Promise((r) => setTimeout(r, 2000)) // let start-up garbage settle
  const samples = []
  const sample = () => samples.push({ t: Date.now(), rss: rssMb(child.pid) })
  for (let i = 0; i < 20; i++) {
    sample()
    await new Promise((r) => setTimeout(r, 50))
  }
  const before = Math.max(...samples.map((s) => s.rss))
  const timer = setInterval(sample, 50)
  const started = Date.now()
  const res = await upload(base, clip)
  const seconds = (Date.now() - started) / 1000
  await new Promise((r) => setTimeout(r, 500))
  clearInterval(timer)
  const during = samples.filter((s) => s.t >= started)
  const peak = Math.max(...during.map((s) => s.rss))
  const result = {
    fileMb: +(statSync(clip).size / 1048576).toFixed(1),
    status: res.status,
    seconds: +seconds.toFixed(1),
    throughputMbS: +(statSync(clip).size / 1048576 / seconds).toFixed(1),
    rssBeforeMb: Math.round(before),
    rssPeakDuringMb: Math.round(peak),
    rssGrowthMb: Math.round(peak - before),
    storage: args.s3 ? 's3 (s3rver)' : 'local folder',
    samples: during.length,
    machine: { cores: cpus().length, node: process.version, loadavg: loadavg().map((l) => +l.toFixed(2)) },
  }
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 300)}`)
  const stored = JSON.parse(res.body).tip.files[0]
  result.storedSha256 = stored.sha256
  if (args.s3) {
    // The clip must really be in the bucket, whole: s3rver keeps each object as a file of its own.
    const objects = listFiles(join(work, 's3', 'bench')).filter((f) => f.endsWith('._S3rver_object'))
    result.objectsInBucket = objects.length
    result.largestObjectMb = +(Math.max(0, ...objects.map((f) => statSync(f).size)) / 1048576).toFixed(1)
    if (result.largestObjectMb < result.fileMb - 1) throw new Error('the clip is not in the bucket whole')
  }
  console.table([
    {
      file: `${result.fileMb} MB`,
      seconds: result.seconds,
      'MB/s': result.throughputMbS,
      storage: result.storage,
      'RSS before': `${result.rssBeforeMb} MB`,
      'RSS peak': `${result.rssPeakDuringMb} MB`,
      growth: `${result.rssGrowthMb} MB`,
    },
  ])
  if (loadavg()[0] > cpus().length)
    console.warn(
      `warning: load average ${loadavg()[0].toFixed(1)} exceeds ${cpus().length} cores; figures are not comparable`,
    )
  if (args.save) {
    mkdirSync(join(root, 'bench/results'), { recursive: true })
    writeFileSync(
      join(root, `bench/results/upload-memory${args.s3 ? '-s3' : ''}.json`),
      `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`,
    )
  }
} finally {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  await s3server?.close()
  rmSync(work, { recursive: true, force: true })
}

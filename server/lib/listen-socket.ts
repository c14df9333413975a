import type { ListenOptions, Server } from 'node:net'
import type { FastifyInstance, FastifyListenOptions } from 'fastify'

/**
 * How the server listens: on HOST:PORT, or on the socket systemd hands it. Socket activation
 * (sd_listen_fds(3)): a socket unit (deploy/systemd/nhipcau.socket) owns the listening socket and
 * hands it to each process of the service as file descriptor 3. The socket then outlives the
 * process: during a restart or after a crash, connections wait in the kernel's queue and the next
 * process accepts them, instead of being refused and retried by every phone at once
 * (bench:reconnect measures both ways).
 */

/**
 * Connections the kernel may hold for the server before it accepts them. Node's default (511) is
 * far below a restart's reconnect storm: with 5,000 clients coming back, the kernel dropped
 * hundreds of thousands of SYNs, each client's connect then waited out TCP's retransmission
 * (1, 2, 4… s) and the last were back two minutes later. Linux caps it at net.core.somaxconn
 * (4096 by default). A socket handed by systemd gets the same (listenOnPassedSocket).
 */
export const LISTEN_BACKLOG = 8192

/** The first descriptor systemd passes (SD_LISTEN_FDS_START). */
const FIRST_PASSED_FD = 3

/**
 * The descriptor of the listening socket this process was handed, or undefined when it was handed
 * none (then it binds HOST:PORT itself). LISTEN_PID guards against a variable inherited from a
 * parent that was itself activated. The variables are removed, as sd_listen_fds(1) does, so no
 * child process (a backup's pg_dump, a worker) believes the socket is its own.
 */
export function takeListenSocket(
  env: NodeJS.ProcessEnv = process.env,
  pid = process.pid,
): number | undefined {
  const count = Number(env.LISTEN_FDS)
  const forUs = env.LISTEN_PID === String(pid)
  delete env.LISTEN_FDS
  delete env.LISTEN_PID
  delete env.LISTEN_FDNAMES
  return forUs && Number.isInteger(count) && count >= 1 ? FIRST_PASSED_FD : undefined
}

/**
 * Listens on a passed socket, keeping a long queue. Node calls listen(2) on the socket again, and
 * for `{ fd }` it reads the backlog only from a separate argument, never from the options (which
 * fastify passes alone): the queue shrank to Node's 511 and a restart's 5,000 reconnects overflowed
 * it, the dropped ones waiting out TCP's SYN retries for up to 15 s (bench:reconnect).
 */
export async function listenOnPassedSocket(app: FastifyInstance, fd: number, backlog: number) {
  const server = app.server as Server
  const listen = server.listen.bind(server)
  server.listen = ((options: ListenOptions) => listen(options, backlog)) as Server['listen']
  try {
    // The host only keeps fastify from also binding localhost's other addresses; Node ignores it.
    await app.listen({ fd, host: '0.0.0.0' } as FastifyListenOptions)
  } finally {
    server.listen = listen
  }
}

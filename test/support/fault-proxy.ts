/**
 * A misbehaving front for a loopback S3 endpoint (s3rver): an HTTP proxy of our own on
 * 127.0.0.1 that forwards every request, except that a seeded share of them either
 *  - get `503 SlowDown` with S3's XML error body (what S3 answers under load), or
 *  - are forwarded, but the response is cut mid-body: the headers go out with the real
 *    Content-Length, part of the body follows, then the socket is destroyed.
 *
 * Which requests are hit is deterministic: a hash of (seed, method, URL, how many times
 * this method+URL was seen before), so a retry of the same request gets a fresh draw and
 * the choice does not depend on how concurrent requests interleave.
 *
 * It only ever connects to the loopback target it was given, and close() stops it:
 * no listener, no socket, no upstream request is left behind.
 */
import { createHash } from 'node:crypto';
import {
  type ClientRequest,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'slowdown' | 'cut';

export interface ProxiedRequest {
  method: string;
  /** Path-style: the first path segment. */
  bucket: string;
  /** Everything after the bucket, decoded; '' for bucket-level requests. */
  key: string;
  /** A ListObjects(V2) request: GET on the bucket itself. */
  listing: boolean;
  /** `prefix=` of a listing ('' when absent), else null. */
  prefix: string | null;
  /** A GetObject request: GET on an object key. */
  getObject: boolean;
  /** Path and query as received. */
  url: string;
}

export interface FaultProxyOptions {
  /** The S3 endpoint to forward to: http on a loopback address (http://127.0.0.1:port). */
  target: string;
  /** Share of eligible requests that get a fault, 0..1. Default 0.2. */
  rate?: number;
  /** Seed of the deterministic draw. Default 1. */
  seed?: number | string;
  /** Only GetObject requests are eligible for faults; listings always pass. Default false. */
  getObjectOnly?: boolean;
  /** Which faults to draw from. Default both, half each. */
  faults?: readonly Fault[];
  /** Answer these with `403 AccessDenied` instead of forwarding them (not counted as faults). */
  deny?: (request: ProxiedRequest) => boolean;
  /** Give these requests this fault every time, whatever the draw (counted as faults). */
  force?: (request: ProxiedRequest) => Fault | undefined;
}

export interface FaultProxyCounts {
  /** Every request received. */
  requests: number;
  getObjects: number;
  listings: number;
  /** Answered 503 SlowDown. */
  slowDowns: number;
  /** Forwarded, then cut mid-body. */
  cuts: number;
  /** Answered 403 AccessDenied by `deny`. */
  denied: number;
}

export interface FaultRecord {
  fault: Fault;
  method: string;
  bucket: string;
  key: string;
  /** For a cut: bytes of the body sent before the socket was destroyed, and the full length. */
  sent?: number;
  length?: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>, to pass as the S3 endpoint. */
  endpoint: string;
  counts: FaultProxyCounts;
  /** Every fault injected, in order. */
  faults: FaultRecord[];
  close(): Promise<void>;
}

export const SLOW_DOWN_BODY = '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const ACCESS_DENIED_BODY = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Hop-by-hop headers: each leg negotiates its own. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer'];

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:' || !LOOPBACK_HOSTS.has(target.hostname)) {
    throw new Error(`fault proxy: target must be http on a loopback address, not ${options.target}`);
  }
  const rate = options.rate ?? 0.2;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`fault proxy: rate must be within 0..1, not ${rate}`);
  const kinds = options.faults ?? (['slowdown', 'cut'] as const);
  if (kinds.length === 0) throw new Error('fault proxy: faults must name at least one fault');
  const seed = String(options.seed ?? 1);
  const upstreamHost = target.hostname.replace(/^\[|\]$/g, '');
  const upstreamPort = Number(target.port || 80);

  const counts: FaultProxyCounts = { requests: 0, getObjects: 0, listings: 0, slowDowns: 0, cuts: 0, denied: 0 };
  const faults: FaultRecord[] = [];
  const seen = new Map<string, number>();
  const upstreams = new Set<ClientRequest>();
  let closing = false;

  /** The deterministic draw for this occurrence of method+URL. */
  const draw = (request: ProxiedRequest): { fault: Fault; fraction: number } | null => {
    const id = `${request.method} ${request.url}`;
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    const forced = options.force?.(request);
    if (forced) return { fault: forced, fraction: 0.5 };
    if (options.getObjectOnly && !request.getObject) return null;
    const digest = createHash('sha256').update(`${seed}\0${id}\0${occurrence}`).digest();
    if (digest.readUInt32BE(0) / 2 ** 32 >= rate) return null;
    const fault = kinds[digest.readUInt32BE(4) % kinds.length]!;
    // Cut somewhere between 5% and 95% of the body.
    const fraction = 0.05 + 0.9 * (digest.readUInt32BE(8) / 2 ** 32);
    return { fault, fraction };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    counts.requests += 1;
    const request = describeRequest(req);
    if (request.listing) counts.listings += 1;
    if (request.getObject) counts.getObjects += 1;

    if (closing) {
      req.resume();
      res.destroy();
      return;
    }
    if (options.deny?.(request)) {
      counts.denied += 1;
      req.resume();
      sendXml(res, 403, ACCESS_DENIED_BODY);
      return;
    }
    const drawn = draw(request);
    if (drawn?.fault === 'slowdown') {
      counts.slowDowns += 1;
      faults.push({ fault: 'slowdown', method: request.method, bucket: request.bucket, key: request.key });
      req.resume();
      sendXml(res, 503, SLOW_DOWN_BODY);
      return;
    }
    const cutAt = drawn?.fault === 'cut' ? drawn.fraction : null;

    const headers = withoutHopByHop(req.headers);
    const upstream = httpRequest({
      host: upstreamHost,
      port: upstreamPort,
      method: req.method,
      path: req.url,
      // The Host header is kept: the client signed it (SigV4), and s3rver checks the signature.
      headers,
      agent: false,
    });
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    upstream.on('error', () => {
      if (!res.headersSent) sendXml(res, 502, '<Error><Code>BadGateway</Code><Message>fault proxy: upstream failed</Message></Error>');
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (reply) => {
      const status = reply.statusCode ?? 502;
      const replyHeaders = withoutHopByHop(reply.headers);
      if (cutAt === null || status < 200 || status >= 300) {
        res.writeHead(status, replyHeaders);
        reply.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('error', () => res.destroy());
      reply.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(status, { ...replyHeaders, 'content-length': String(body.length) });
        if (body.length < 2) {
          // Nothing to cut in half: pass it on whole.
          res.end(body);
          return;
        }
        const sent = Math.min(body.length - 1, Math.max(1, Math.floor(body.length * cutAt)));
        counts.cuts += 1;
        faults.push({ fault: 'cut', method: request.method, bucket: request.bucket, key: request.key, sent, length: body.length });
        res.write(body.subarray(0, sent), () => setImmediate(() => res.destroy()));
      });
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(handle);
  // A client that gives up mid-request must not take the proxy down with it.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      for (const upstream of upstreams) upstream.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return { endpoint: `http://127.0.0.1:${port}`, counts, faults, close };
}

function describeRequest(req: IncomingMessage): ProxiedRequest {
  const url = req.url ?? '/';
  const parsed = new URL(url, 'http://proxy.invalid');
  const [bucketPart = '', ...rest] = parsed.pathname.slice(1).split('/');
  const method = (req.method ?? 'GET').toUpperCase();
  const bucket = safeDecode(bucketPart);
  const key = safeDecode(rest.join('/'));
  const listing = method === 'GET' && bucket !== '' && key === '' && !parsed.searchParams.has('location') && !parsed.searchParams.has('uploads');
  return {
    method,
    bucket,
    key,
    listing,
    prefix: listing ? (parsed.searchParams.get('prefix') ?? '') : null,
    getObject: method === 'GET' && bucket !== '' && key !== '' && !parsed.searchParams.has('uploadId'),
    url,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(bytes.length) });
  res.end(bytes);
}

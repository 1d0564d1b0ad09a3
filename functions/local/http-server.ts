// The local HTTP front door: the same API handler as API Gateway (events in payload format 2.0), plus the demo's
// feeds and webhook receiver on the same origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { internalProblem, problemResponse } from '#handlers/api/problem.js';
import { createLambdaContext, invokeLocally } from './bus.js';

const MAX_REQUEST_BYTES = 1024 * 1024;

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
/** Returns true when it answered the request. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;

export function toApiEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  // The request target as sent, split by hand: URL parsing would normalise dot segments, and throws on some
  // targets a client can send (e.g. "http://[").
  const target = req.url ?? '/';
  const split = target.indexOf('?');
  const rawPath = split === -1 ? target : target.slice(0, split);
  const rawQueryString = split === -1 ? '' : target.slice(split + 1);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  // As API Gateway does: a repeated parameter's values joined by commas.
  const joined = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) joined.set(key, joined.has(key) ? `${joined.get(key)},${value}` : value);
  // fromEntries defines own properties, so even a parameter named "__proto__" is just a parameter.
  const query: Record<string, string> = Object.fromEntries(joined);
  const method = req.method ?? 'GET';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${now.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.headers ?? {})) headers[key] = String(value);
  res.writeHead(result.statusCode ?? 200, headers).end(result.body ?? '');
}

export function createLocalServer(api: ApiHandler, extraRoutes: ExtraRoute[], onError: (error: unknown) => void): Server {
  return createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (body === undefined) {
          // API Gateway refuses big bodies before the function; this is the local stand-in for that limit.
          send(res, problemResponse({ status: 413, detail: `a request body may have at most ${MAX_REQUEST_BYTES} bytes here` }, { connection: 'close' }));
          return;
        }
        for (const route of extraRoutes) if (await route(req, res, body)) return;
        send(res, await invokeLocally(api, toApiEvent(req, body), createLambdaContext({ functionName: 'api', timeoutMs: 10_000 })));
      } catch (error) {
        onError(error);
        if (res.headersSent) res.end();
        else send(res, internalProblem(`urn:newsalert:request:local-${Date.now()}`));
      }
    })();
  });
}

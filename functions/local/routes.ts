// The local server's routes besides the API: the demo's feeds and webhook receiver, and the WebSub callback, which
// is its own handler as it is its own Lambda in AWS.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createLambdaContext, invokeLocally } from './bus.js';
import type { DemoReceiver } from './demo/receiver.js';
import { toApiEvent, type ExtraRoute } from './http-server.js';

/** GET of a demo feed (with ETag and 304), POST to the demo receiver. */
export function demoRoutes(feeds: ReadonlyMap<string, { body: string; etag: string }>, receiver: DemoReceiver): ExtraRoute {
  return async (req, res, body) => {
    // Split by hand: a request target can be anything a client sends, and URL parsing throws on some.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const feed = feeds.get(path);
    if (feed && req.method === 'GET') {
      if (req.headers['if-none-match'] === feed.etag) {
        res.writeHead(304, { etag: feed.etag }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', etag: feed.etag }).end(feed.body);
      }
      return true;
    }
    const receiverMatch = /^\/demo\/receiver\/([A-Za-z0-9_-]+)$/.exec(path);
    if (receiverMatch?.[1] !== undefined && req.method === 'POST') {
      const status = await receiver.receive(receiverMatch[1], req.headers, body.toString('utf8'));
      res.writeHead(status).end();
      return true;
    }
    return false;
  };
}

type CallbackHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** /websub/*: the body goes as base64, so a push in any charset reaches the signature check byte for byte. */
export function websubRoute(handler: CallbackHandler): ExtraRoute {
  return async (req, res, body) => {
    if (!(req.url ?? '').startsWith('/websub/')) return false;
    const event = { ...toApiEvent(req, body), body: body.toString('base64'), isBase64Encoded: true };
    const result = await invokeLocally(handler, event, createLambdaContext({ functionName: 'websub', timeoutMs: 30_000 }));
    res.writeHead(result.statusCode ?? 200, { 'content-type': String(result.headers?.['content-type'] ?? 'text/plain') }).end(result.body ?? '');
    return true;
  };
}

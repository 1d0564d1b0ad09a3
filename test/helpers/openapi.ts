// The API's own OpenAPI document as tests use it: the served answers and the webhook payloads of the real pipeline
// are validated against it with a maintained JSON Schema validator (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApiRoutes, type ApiDeps } from '#handlers/api/index.js';
import { buildOpenApiDocument } from '#handlers/api/openapi.js';
import { createLogger } from '#shared/logger.js';

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, unknown> };
};
export type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

/** The document the API serves, built from its route table (building the table touches no dependency). */
export function apiDocument(): OpenApiDocument {
  return buildOpenApiDocument(createApiRoutes({ logger: createLogger('test', 'SILENT') } as unknown as ApiDeps)) as unknown as OpenApiDocument;
}

const DOCUMENT_ID = 'https://newsalert.invalid/openapi.json';
const pointer = (...segments: string[]) => segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

/** Validates answers and events against one document; compiled validators are kept. */
export class ContractValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp }[];

  constructor(readonly document: OpenApiDocument = apiDocument()) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    this.templates = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp('^' + template.replace(/\{\w+\}/g, '[^/]+') + '/?$'),
    }));
  }

  /**
   * The path template a concrete path falls under, as the router picks it: among the templates that match, one
   * with this method if any, literal segments first ("/feeds/export" over "/feeds/{feedId}"). A trailing slash is
   * the same path.
   */
  templateOf(path: string, method?: string): string | undefined {
    const matches = this.templates.filter((t) => t.pattern.test(path)).map((t) => t.template);
    const withMethod = method === undefined ? [] : matches.filter((t) => this.operation(t, method) !== undefined);
    const params = (template: string) => template.match(/\{/g)?.length ?? 0;
    return (withMethod.length > 0 ? withMethod : matches).sort((a, b) => params(a) - params(b))[0];
  }

  /** The operation of this exact method (the router compares methods exactly: "get" is not GET). */
  private operation(template: string, method: string): Operation | undefined {
    const item = this.document.paths[template];
    const name = method.toLowerCase();
    return method === method.toUpperCase() && item !== undefined && Object.hasOwn(item, name) ? item[name] : undefined;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${ref}` });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /**
   * The problems of one answer against the document: the operation must exist, document the status (or a default),
   * and the body must fit the schema of its media type. [] when it conforms.
   */
  checkResponse(method: string, path: string, status: number, contentType: string | undefined, body: string): string[] {
    const template = this.templateOf(path, method);
    // Only upper-case methods name operations (the router compares them exactly).
    const operation = template === undefined ? undefined : this.operation(template, method);
    // No route, or not this method: the router's 404 / 405, which the document describes as its Problem schema.
    if (template === undefined || operation === undefined) {
      const expected = template === undefined ? 404 : 405;
      if (status !== expected) return [`${method} ${path}: no such operation, yet answered ${status}`];
      return this.checkProblem(`${method} ${path}`, contentType, body);
    }
    const statusKey = String(status) in operation.responses ? String(status) : 'default';
    const response = operation.responses[statusKey];
    if (response === undefined) return [`${method} ${template}: status ${status} is not documented`];
    if (response.content === undefined) return body === '' ? [] : [`${method} ${template} ${status}: documented without a body, got ${body.slice(0, 100)}`];
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    if (!(mediaType in response.content)) return [`${method} ${template} ${status}: media type ${mediaType} not documented (${Object.keys(response.content).join(', ')})`];
    const value: unknown = mediaType.includes('json') ? JSON.parse(body) : body;
    const validate = this.validator(pointer('paths', template, method.toLowerCase(), 'responses', statusKey, 'content', mediaType, 'schema'));
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${method} ${template} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  private checkProblem(what: string, contentType: string | undefined, body: string): string[] {
    if (!(contentType ?? '').startsWith('application/problem+json')) return [`${what}: not problem+json but ${contentType}`];
    const validate = this.validator(pointer('components', 'schemas', 'Problem'));
    return validate(JSON.parse(body)) ? [] : (validate.errors ?? []).map((e) => `${what}: ${e.instancePath || '(body)'} ${e.message}`);
  }

  /** The problems of one event payload against the schema the document publishes for it under `webhooks`. */
  checkEvent(name: string, payload: unknown): string[] {
    if (!(name in this.document.webhooks)) return [`no webhook ${name} in the document`];
    const validate = this.validator(pointer('webhooks', name, 'post', 'requestBody', 'content', 'application/json', 'schema'));
    return validate(payload) ? [] : (validate.errors ?? []).map((e) => `${name}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

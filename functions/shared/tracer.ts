// X-Ray through Powertools Tracer, loaded only where it can record anything: inside Lambda with tracing on. Its SDK
// (aws-xray-sdk-core, cls-hooked, semver: ~125 KB minified, ~30 ms to evaluate) stays unevaluated in the local
// runtime, the CLI and tests. Lambda entries await it at module scope, so the cost falls in the init phase.
import type { Tracer } from '@aws-lambda-powertools/tracer';

export type { Tracer };

/** The tracer for `serviceName`, or undefined outside Lambda or when POWERTOOLS_TRACE_ENABLED is "false". */
export async function loadTracer(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracer | undefined> {
  if (!env.AWS_LAMBDA_FUNCTION_NAME || env.POWERTOOLS_TRACE_ENABLED === 'false') return undefined;
  const { Tracer: PowertoolsTracer } = await import('@aws-lambda-powertools/tracer');
  return new PowertoolsTracer({ serviceName, captureHTTPsRequests: true });
}

/** Records the client's AWS SDK calls as subsegments; a no-op without a tracer. Returns the client for chaining. */
export function traceClient<T>(tracer: Tracer | undefined, client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

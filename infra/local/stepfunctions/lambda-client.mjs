// The Lambda client aws-local-stepfunctions gets when run.mjs serves many executions in one process (--serve).
//
// run.mjs's module hook resolves the library's `import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda"`
// to this module. Its LambdaClient is the SDK's, except that an invocation made inside an execution (found through
// `executionScope`, which run.mjs enters for each execution) is tied to that execution's abort signal: aborting the
// execution closes its invocations' connections and refuses any it would start afterwards (a Retry or a Catch path
// still running in the library after abort), as killing a one-execution runner process did.

import { AsyncLocalStorage } from 'node:async_hooks';
import { LambdaClient as SdkLambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';

/** The running execution's `{ signal }`, for the invocations made on its behalf. */
export const executionScope = new AsyncLocalStorage();

export class LambdaClient extends SdkLambdaClient {
  async send(command, options) {
    const signal = executionScope.getStore()?.signal;
    if (!signal) return super.send(command, options);
    if (signal.aborted) throw abortedError();
    // One controller per call: the SDK's handler listens on the signal it is given, once per request.
    const call = new AbortController();
    const abort = () => call.abort(abortedError());
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await super.send(command, { ...options, abortSignal: call.signal });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }
}

function abortedError() {
  const error = new Error('the execution was aborted');
  error.name = 'AbortError';
  return error;
}

export { InvokeCommand };

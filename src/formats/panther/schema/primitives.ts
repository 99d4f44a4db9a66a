// zod building blocks with pat's strict types (spec §4.2). Every custom type carries
// `params.expected`, which issues.ts turns into plain words.
import { z } from 'zod';
import { isInt, isJsonInt, isJsonNumber, isMapping } from './values';

export type Expected =
  | 'int'
  | 'mapping'
  | 'string or boolean'
  | 'string or number'
  | 'mock value';

function typed<T>(check: (v: unknown) => boolean, expected: Expected) {
  return z.custom<T>(check, { params: { expected } } as Parameters<typeof z.custom>[1]);
}

export const str = z.string();
export const bool = z.boolean();
/** Python `int`: no booleans, no floats (not even `60.0`). */
export const int = typed<number | bigint>(isInt, 'int');
/** JSON-Schema-only integer positions (correlation Detection): pat's jsonschema accepts `60.0` there. */
export const jsonInt = typed<number | bigint>(isJsonInt, 'int');
/** Any value, including null; the key itself is required unless `.optional()`. */
export const any = z.unknown();
/** Only the container type is checked here; src/simple validates the match expressions inside. */
export const list = z.array(z.unknown());
export const strList = z.array(z.string());
export const mapping = typed<Record<string, unknown>>(isMapping, 'mapping');
export const strOrBool = typed<string | boolean>((v) => typeof v === 'string' || typeof v === 'boolean', 'string or boolean');
export const strOrNumber = typed<string | number>((v) => typeof v === 'string' || isJsonNumber(v), 'string or number');
/** JSON Schema MockReturnValue: string, number, boolean, mapping or list — not null. */
export const mockValue = typed<unknown>(
  (v) => typeof v === 'string' || typeof v === 'boolean' || isJsonNumber(v) || Array.isArray(v) || isMapping(v),
  'mock value',
);

/** A mapping that allows exactly the keys of `shape`. */
export function obj<S extends z.ZodRawShape>(shape: S) {
  return mapping.pipe(z.strictObject(shape));
}

/** A mapping with free string keys whose values all match `value`. */
export function rec<V extends z.ZodType>(value: V) {
  return mapping.pipe(z.record(z.string(), value));
}

/** pat's NAME_ID_VALIDATION_REGEX: non-empty, none of < > & " %. */
export const ID_RE = /^[^<>&"%]+$/;
export const ID_RULE = 'must not be empty and must not contain any of the characters < > & " %';
export const id = z.string().regex(ID_RE, { message: ID_RULE });

export const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
export const severity = z.enum(SEVERITIES);

export const RESOURCE_TYPES = [
  'AWS.ACM.Certificate',
  'AWS.CloudFormation.Stack',
  'AWS.CloudTrail',
  'AWS.CloudTrail.Meta',
  'AWS.CloudWatch.LogGroup',
  'AWS.Config.Recorder',
  'AWS.Config.Recorder.Meta',
  'AWS.DynamoDB.Table',
  'AWS.EC2.AMI',
  'AWS.EC2.Instance',
  'AWS.EC2.NetworkACL',
  'AWS.EC2.SecurityGroup',
  'AWS.EC2.Volume',
  'AWS.EC2.VPC',
  'AWS.ECS.Cluster',
  'AWS.EKS.Cluster',
  'AWS.ELBV2.ApplicationLoadBalancer',
  'AWS.GuardDuty.Detector',
  'AWS.GuardDuty.Detector.Meta',
  'AWS.IAM.Group',
  'AWS.IAM.Policy',
  'AWS.IAM.Role',
  'AWS.IAM.RootUser',
  'AWS.IAM.User',
  'AWS.KMS.Key',
  'AWS.Lambda.Function',
  'AWS.PasswordPolicy',
  'AWS.RDS.Instance',
  'AWS.Redshift.Cluster',
  'AWS.Route53.HostedZone',
  'AWS.Route53Domains',
  'AWS.S3.Bucket',
  'AWS.WAF.Regional.WebACL',
  'AWS.WAF.WebACL',
] as const;

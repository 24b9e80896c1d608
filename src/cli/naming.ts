/** Name conversions between model members/operations and CLI commands/flags (botocore's xform_name rules). */

/** `GetBucketMetricData` → `get-bucket-metric-data`, `bucketName` → `bucket-name`, `resourceARN` → `resource-arn` */
export function kebab(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

export const flagName = (member: string): string => `--${kebab(member)}`;

import type { MetricUnit } from '../../generated/lightsail.js';
import type { OperationHandler } from '../handler.js';
import { invalidInput } from '../errors.js';

/** Model timestamps arrive as epoch seconds (JSON numbers) or ISO 8601 strings; the domain uses ms. */
function toMillis(value: number | string, member: string): number {
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidInput(`Value '${value}' at '${member}' is not a valid timestamp`);
  return ms;
}

export const GetBucketMetricData: OperationHandler<'GetBucketMetricData'> = async (input, ctx) => {
  const startTime = toMillis(input.startTime, 'startTime');
  const endTime = toMillis(input.endTime, 'endTime');
  if (endTime < startTime) throw invalidInput(`endTime (${input.endTime}) is before startTime (${input.startTime})`);
  const { metricName, metricData } = await ctx.deps.services.metrics.getMetricData(ctx.caller, {
    bucketName: input.bucketName,
    metricName: input.metricName,
    startTime,
    endTime,
    period: input.period,
    statistics: input.statistics,
    unit: input.unit,
  });
  // The domain's units are the model's MetricUnit values (METRIC_UNITS), kept as plain strings there.
  return { metricName, metricData: metricData.map((d) => ({ ...d, unit: d.unit as MetricUnit })) };
};

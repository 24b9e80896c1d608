import { listRegions } from '../../domain/regions.js';
import type { RegionName } from '../../generated/lightsail.js';
import type { OperationHandler } from '../handler.js';

/** The Lightsail regions; availability zone lists only when asked for (else empty lists). */
export const GetRegions: OperationHandler<'GetRegions'> = async (input) => {
  const withZones = listRegions({ includeAvailabilityZones: true });
  const regions = withZones.map((r) => ({
    continentCode: r.continentCode,
    description: r.description,
    displayName: r.displayName,
    name: r.name as RegionName,
    availabilityZones: input.includeAvailabilityZones === true ? r.availabilityZones : [],
    relationalDatabaseAvailabilityZones:
      input.includeRelationalDatabaseAvailabilityZones === true ? r.availabilityZones : [],
  }));
  return { regions };
};

/** A Lightsail region (GetRegions). Descriptions are ours. */
export interface RegionInfo {
  name: string;
  displayName: string;
  continentCode: string;
  description: string;
  availabilityZones: { zoneName: string; state: string }[];
}

type Row = [name: string, displayName: string, continentCode: string, description: string, zoneLetters: string];

const ROWS: readonly Row[] = [
  ['us-east-1', 'Virginia', 'NA', 'Suits users in the eastern United States.', 'abcdef'],
  ['us-east-2', 'Ohio', 'NA', 'Suits users in the eastern and central United States.', 'abc'],
  ['us-west-1', 'N. California', 'NA', 'Suits users on the west coast of the United States.', 'ac'],
  ['us-west-2', 'Oregon', 'NA', 'Suits users in the western United States.', 'abcd'],
  ['ca-central-1', 'Montreal', 'NA', 'Suits users in Canada.', 'abd'],
  ['eu-west-1', 'Ireland', 'EU', 'Suits users in Ireland, the United Kingdom and western Europe.', 'abc'],
  ['eu-west-2', 'London', 'EU', 'Suits users in the United Kingdom.', 'abc'],
  ['eu-west-3', 'Paris', 'EU', 'Suits users in France and western Europe.', 'abc'],
  ['eu-central-1', 'Frankfurt', 'EU', 'Suits users in central Europe.', 'abc'],
  ['eu-north-1', 'Stockholm', 'EU', 'Suits users in the Nordic countries and northern Europe.', 'abc'],
  ['ap-south-1', 'Mumbai', 'AP', 'Suits users in India and South Asia.', 'abc'],
  ['ap-southeast-1', 'Singapore', 'AP', 'Suits users in Southeast Asia.', 'abc'],
  ['ap-southeast-2', 'Sydney', 'AP', 'Suits users in Australia and New Zealand.', 'abc'],
  ['ap-southeast-3', 'Jakarta', 'AP', 'Suits users in Indonesia.', 'abc'],
  ['ap-southeast-5', 'Malaysia', 'AP', 'Suits users in Malaysia.', 'abc'],
  ['ap-northeast-1', 'Tokyo', 'AP', 'Suits users in Japan.', 'acd'],
  ['ap-northeast-2', 'Seoul', 'AP', 'Suits users in South Korea.', 'abcd'],
];

/** Every Lightsail region; availability zones only when asked (otherwise an empty list). */
export function listRegions(opts: { includeAvailabilityZones?: boolean } = {}): RegionInfo[] {
  return ROWS.map(([name, displayName, continentCode, description, letters]) => ({
    name,
    displayName,
    continentCode,
    description,
    availabilityZones: opts.includeAvailabilityZones
      ? [...letters].map((l) => ({ zoneName: name + l, state: 'available' }))
      : [],
  }));
}

export const isLightsailRegion = (name: string): boolean => ROWS.some((r) => r[0] === name);

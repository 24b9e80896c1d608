/** Lightsail's bucket-name rules, checked as the user types (the server checks them again). */
export function bucketNameProblem(name: string): string | undefined {
  if (name === '') return undefined;
  if (name.length < 3 || name.length > 54) return `Must be 3 to 54 characters long (it has ${name.length}).`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'Use only lowercase letters, digits and hyphens.';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'Must start and end with a letter or digit.';
  if (name.includes('--')) return 'Must not contain two hyphens in a row.';
  if (/^\d{1,3}(-\d{1,3}){3}$/.test(name)) return 'Must not look like an IP address.';
  return undefined;
}

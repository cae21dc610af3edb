/**
 * The cloud provider of a public address outside the configured estate, from its AS number: an
 * address announced by a hyperscaler's own cloud AS is that cloud's (a VM, a storage endpoint, a
 * managed service). Only the ASes the clouds' public infrastructure is announced from are listed;
 * a provider's other networks (corporate, consumer) are left out, so "aws" never means "some
 * Amazon office". Addresses inside a configured site take the site's provider instead.
 */
export const CLOUD_PROVIDER_BY_ASN: ReadonlyMap<number, string> = new Map([
  [16509, 'aws'], // Amazon.com, Inc.: AWS regions, EC2, S3, CloudFront
  [14618, 'aws'], // Amazon AES: us-east-1 (Virginia), its IPv6 too
  [8075, 'azure'], // Microsoft Corporation: Azure regions and Microsoft's cloud edge
  [15169, 'gcp'], // Google LLC: Google Cloud front ends and Google's network
  [396982, 'gcp'], // Google Cloud: Compute Engine external addresses, load balancers
]);

/** aws / azure / gcp for an AS number of the table above, else null. */
export function cloudProviderOfAsn(asn: number | null | undefined): string | null {
  return asn === null || asn === undefined ? null : (CLOUD_PROVIDER_BY_ASN.get(asn) ?? null);
}

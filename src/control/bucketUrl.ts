/**
 * Builds a bucket's S3 URL on this server: virtual-hosted (`scheme://<bucket>.<domain>:port/`)
 * when the public URL's host is the base domain itself (so `<bucket>.<domain>` reaches this
 * server), else path-style (`<public-url>/<bucket>/`).
 */
export function createBucketUrlBuilder(publicUrl: () => string, baseDomain?: string): (bucketName: string) => string {
  return (bucketName: string) => {
    const base = publicUrl().replace(/\/+$/, '');
    if (baseDomain) {
      const u = new URL(base);
      if (u.hostname.toLowerCase() === baseDomain.toLowerCase()) {
        return `${u.protocol}//${bucketName}.${u.host}${u.pathname.replace(/\/+$/, '')}/`;
      }
    }
    return `${base}/${bucketName}/`;
  };
}

/** Help page and flags of rotate-bucket-access-key (a Sailbucket command with no model operation behind it). */
export const ROTATE_FLAGS = ['--bucket-name', '--access-key-id', '--s3-endpoint-url'] as const;

export function rotateHelp(): string {
  return `ROTATE-BUCKET-ACCESS-KEY()

NAME
       rotate-bucket-access-key -

DESCRIPTION
       Replaces a bucket access key without a window where the bucket has no
       working key: creates a new key and prints it (the only time its secret
       is shown), checks that the new key authenticates to the bucket with a
       signed S3 HeadBucket against the same endpoint (retried briefly), then
       deletes the old key. If any step fails, the old key is kept and the
       reason is printed. A bucket that already has two keys (the limit) is
       refused before anything changes: delete one of them first.

SYNOPSIS
            rotate-bucket-access-key
          --bucket-name <value>
          [--access-key-id <value>]
          [--s3-endpoint-url <value>]

OPTIONS
       --bucket-name (string) [required]
          The bucket whose key is rotated.

       --access-key-id (string)
          The key to replace; it must belong to the bucket. Default: the
          bucket's only key.

       --s3-endpoint-url (string)
          Where to check the new key (S3 HeadBucket). Default: the origin of
          the control-plane endpoint, since one Sailbucket server serves both.

OUTPUT
       accessKey -> (structure)
          The new key, including secretAccessKey.

EXIT STATUS
       0 rotated; 252 bad usage; 254 the service refused a call; 255 the
       bucket already has two keys or has no key --access-key-id names
       (nothing was changed: with two keys, delete the one you no longer use
       with delete-bucket-access-key, then rotate), or the new key could not
       be verified or the old key could not be deleted (the message says
       which key is still active).
`;
}

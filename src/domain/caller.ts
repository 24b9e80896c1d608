/** Who is asking, as far as the domain cares: the caller's account and the request's region. */
export interface CallerContext {
  accountId: string;
  region: string;
}
